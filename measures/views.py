"""HTML views of goals, measures and the Handlungsfeld pages that show them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from charta import selectors as charta_selectors
from charta.models import ActionField

from . import permissions, selectors


@require_GET
def action_field_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A Handlungsfeld: its charta text as the user may read it, its goals and measures."""
    field = get_object_or_404(ActionField, slug=slug)
    charta = charta_selectors.current_charta()
    section = revision = None
    if charta is not None:
        overview = next(
            o for o in charta_selectors.field_overviews(request.user, charta) if o.field == field
        )
        section = overview.section
        if section is not None:
            section = charta_selectors.section_visible(request.user, pk=section.pk)
            revision = charta_selectors.readable_revision(request.user, section)
    return render(
        request,
        "measures/action_field.html",
        {
            "field": field,
            "section": section,
            "revision": revision,
            "goals": list(selectors.goals_for(request.user, field)),
            "can_manage": permissions.can_manage(request.user, field),
        },
    )


@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_visible(request.user, pk)
    return render(request, "measures/goal_detail.html", {"goal": goal})


@require_GET
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_visible(request.user, pk)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "updates": list(selectors.status_history(measure)),
            "can_report": permissions.can_report(request.user, measure),
        },
    )


@require_GET
def measure_list(request: HttpRequest) -> HttpResponse:
    measures = selectors.measures_for(request.user).order_by(
        "goal__action_field__number", "deadline", "id"
    )
    return render(request, "measures/measure_list.html", {"measures": list(measures)})
