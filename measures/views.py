"""HTML views of goals, measures and the pages that combine them with the charta."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from charta.models import ActionField
from charta.selectors import FIELDS_TAG
from comments.views import comment_context
from core.caching import depends_on, public_page
from core.forms import add_service_errors
from core.http import query_id

from . import importing, indicator_chart, permissions, selectors, services
from .filters import filtered_measures, list_status, sort_context
from .forms import (
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    MeasureForm,
    MilestoneForm,
    PublicationForm,
    StatusImportForm,
    StatusReportForm,
)
from .models import Goal, Milestone, StatusUpdate
from .workflow import ImplementationStatus, PublicationAction, available_publication_actions

MEASURES_PER_PAGE = 50


@public_page
@require_safe
def measure_list(request: HttpRequest) -> HttpResponse:
    depends_on(FIELDS_TAG)
    measure_filter, measures = filtered_measures(request)
    page = Paginator(measures.select_related("goal"), MEASURES_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "measures/measure_list.html",
        {
            "filter": measure_filter,
            "page": page,
            "measures": page.object_list,
            "query": query.urlencode(),
            **sort_context(measure_filter),
        },
        status=list_status(measure_filter),
    )


@login_required
@require_safe
def my_measures(request: HttpRequest) -> HttpResponse:
    """What the user must report on: own and working-group measures, overdue first."""
    measures = selectors.my_measures(request.user)
    return render(request, "measures/my_measures.html", {"measures": measures})


@public_page
@require_safe
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_visible(request.user, pk)
    return _goal_page(request, goal)


def _goal_page(request, goal, *, value_forms=None, status=200):
    """The goal with its indicators (chart, figures, values) and measures."""
    indicators = list(selectors.indicators_for(request.user, goals=[goal.pk]))
    may_record = bool(indicators) and permissions.can_record_indicator_value(
        request.user, indicators[0]
    )
    value_forms = value_forms or {}
    for indicator in indicators:
        indicator.chart = indicator_chart.build(indicator)
        indicator.rows = [
            (value, indicator.line.expected_on(value.date)) for value in indicator.values.all()
        ]
        if may_record:
            indicator.value_form = value_forms.get(indicator.pk) or IndicatorValueForm(
                prefix=f"wert-{indicator.pk}", initial={"date": selectors.today()}
            )
    return render(
        request,
        "measures/goal_detail.html",
        {
            "goal": goal,
            "indicators": indicators,
            "can_manage": permissions.can_manage(request.user, goal.action_field_id),
            "publication_actions": _publication_actions(request, goal, goal.action_field_id),
            **comment_context(request, goal),
        },
        status=status,
    )


@login_required
def indicator_form(request: HttpRequest, goal: int | None = None, pk: int | None = None):
    """Add an indicator to a goal (goal) or edit one (pk); editors of the field, coordinators."""
    indicator = selectors.indicator_visible(request.user, pk) if pk else None
    goal_obj = indicator.goal if indicator else selectors.goal_visible(request.user, goal)
    if not permissions.can_manage(request.user, goal_obj.action_field_id):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if indicator is None:
                indicator = services.indicator_create(actor=request.user, goal=goal_obj, **data)
            else:
                indicator = services.indicator_update(
                    actor=request.user, indicator=indicator, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Indikator wurde gespeichert."))
            return redirect(indicator)
    return render(
        request,
        "measures/indicator_form.html",
        {"form": form, "goal": goal_obj, "indicator": indicator},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def indicator_value_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_visible(request.user, pk)
    if not permissions.can_record_indicator_value(request.user, indicator):
        raise PermissionDenied
    form = IndicatorValueForm(request.POST, prefix=f"wert-{indicator.pk}")
    if form.is_valid():
        try:
            services.indicator_record_value(
                actor=request.user, indicator=indicator, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Wert wurde erfasst."))
            return redirect(indicator)
    goal = selectors.goal_visible(request.user, indicator.goal_id)
    return _goal_page(request, goal, value_forms={indicator.pk: form}, status=400)


@login_required
@require_POST
def status_update_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge a status report (editors of the field, coordinators; not its author)."""
    update = get_object_or_404(StatusUpdate.objects.select_related("measure__goal"), pk=pk)
    measure = selectors.measure_visible(request.user, update.measure_id)
    try:
        services.status_update_acknowledge(actor=request.user, update=update)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Der Statusbericht ist bestätigt."))
    return redirect(measure.get_absolute_url() + f"#bericht-{update.pk}")


def _publication_actions(request: HttpRequest, obj, action_field_id: int) -> list[str]:
    """The publication steps (publish, withdraw) the user may take on ``obj`` now."""
    roles = permissions.publication_roles(request.user, action_field_id)
    return [t.action.value for t in available_publication_actions(state=obj.state, roles=roles)]


@login_required
def goal_form(request: HttpRequest, slug: str | None = None, pk: int | None = None):
    """Create a goal in a field (slug) or edit one (pk); editors of the field, coordinators."""
    goal = selectors.goal_visible(request.user, pk) if pk else None
    field = goal.action_field if goal else get_object_or_404(ActionField, slug=slug)
    if not permissions.can_manage(request.user, field):
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if goal is None:
                goal = services.goal_create(actor=request.user, action_field=field, **data)
            else:
                goal = services.goal_update(actor=request.user, goal=goal, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Das Ziel wurde gespeichert."))
            return redirect(goal)
    return render(
        request,
        "measures/goal_form.html",
        {"form": form, "field": field, "goal": goal},
        status=400 if form.errors else 200,
    )


@public_page
@require_safe
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_visible(request.user, pk)
    can_report_status = permissions.can_report_status(request.user, measure)
    can_manage = permissions.can_manage(request.user, measure.goal.action_field_id)
    return _measure_page(
        request,
        measure,
        report_form=StatusReportForm(
            initial={"status": measure.status, "progress": measure.progress}
        )
        if can_report_status
        else None,
        milestone_form=MilestoneForm() if can_manage else None,
    )


def _measure_page(request, measure, *, report_form=None, milestone_form=None, status=200):
    predecessors, successors = selectors.neighbours(request.user, measure)
    can_manage = permissions.can_manage(request.user, measure.goal.action_field_id)
    updates = list(selectors.status_history(measure).select_related("acknowledged_by"))
    for update in updates:
        # The one rule of permissions.can_acknowledge, on rows already loaded.
        update.may_acknowledge = (
            can_manage and update.acknowledged_at is None and update.author_id != request.user.pk
        )
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "predecessors": predecessors,
            "successors": successors,
            "dependency_risks": selectors.dependency_risks(measure, predecessors),
            "updates": updates,
            "milestones": list(measure.milestones.select_related("done_by")),
            "parties": list(measure.parties.select_related("organisation")),
            "can_report_status": permissions.can_report_status(request.user, measure),
            "can_manage": permissions.can_manage(request.user, measure.goal.action_field_id),
            "publication_actions": _publication_actions(
                request, measure, measure.goal.action_field_id
            ),
            "report_form": report_form,
            "milestone_form": milestone_form,
            **comment_context(request, measure),
        },
        status=status,
    )


@login_required
@require_POST
def status_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_visible(request.user, pk)
    if not permissions.can_report_status(request.user, measure):
        raise PermissionDenied
    form = StatusReportForm(request.POST)
    if form.is_valid():
        try:
            services.measure_report_status(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Statusbericht wurde gespeichert."))
            return redirect(measure)
    return _measure_page(request, measure, report_form=form, status=400)


@login_required
def measure_form(request: HttpRequest, slug: str | None = None, pk: int | None = None):
    """Create a measure in a field (slug, ``?ziel=`` preselects a goal) or edit one (pk)."""
    measure = selectors.measure_visible(request.user, pk) if pk else None
    field = measure.goal.action_field if measure else get_object_or_404(ActionField, slug=slug)
    if not permissions.can_manage(request.user, field):
        raise PermissionDenied
    goals = selectors.goals_manageable_by(request.user)
    initial = {}
    preset = query_id(request, "ziel")
    if measure is None and preset is not None:
        # A goal the user may not manage (or none at all) is no preset.
        initial["goal"] = goals.filter(pk=preset).first()
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        initial=initial,
        goals=goals if measure else goals.filter(action_field=field),
        predecessors=permissions.measures_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if measure is None:
                measure = services.measure_create(actor=request.user, **data)
            else:
                measure = services.measure_update(actor=request.user, measure=measure, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Maßnahme wurde gespeichert."))
            return redirect(measure)
    return render(
        request,
        "measures/measure_form.html",
        {"form": form, "field": field, "measure": measure},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_visible(request.user, pk)
    if not permissions.can_manage(request.user, measure.goal.action_field_id):
        raise PermissionDenied
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(actor=request.user, measure=measure, **form.cleaned_data)
        messages.success(request, _("Meilenstein angelegt."))
        return redirect(measure)
    return _measure_page(request, measure, milestone_form=form, status=400)


@login_required
@require_POST
def milestone_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)
    measure = selectors.measure_visible(request.user, milestone.measure_id)
    services.milestone_set_done(
        actor=request.user, milestone=milestone, done=request.POST.get("done") == "1"
    )
    return redirect(measure)


@login_required
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a goal; a goal with measures or comments is refused with the reason."""
    goal = selectors.goal_visible(request.user, pk)
    if not permissions.can_manage(request.user, goal.action_field_id):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.goal_delete(actor=request.user, goal=goal)
        except ValidationError as error:
            blockers = error.messages
        else:
            messages.success(
                request, _("Das Ziel „%(title)s“ wurde gelöscht.") % {"title": goal.title}
            )
            return redirect(goal.action_field)
    else:
        blockers = services.goal_deletion_blockers(goal)
    return render(
        request,
        "measures/goal_delete.html",
        {"goal": goal, "blockers": blockers},
        status=400 if request.method == "POST" else 200,
    )


PUBLICATION_DONE = {
    PublicationAction.PUBLISH: gettext_lazy("Veröffentlicht."),
    PublicationAction.WITHDRAW: gettext_lazy(
        "Zurückgezogen: nur noch für das Konsortium sichtbar."
    ),
}


@login_required
def publication(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Publish a goal or measure (a button) or withdraw it (a form asking for the reason).

    GET shows the form; a POST that the workflow refuses shows it again with the reason why.
    """
    if kind == "ziel":
        obj = selectors.goal_visible(request.user, pk)
        field_id = obj.action_field_id
    else:
        obj = selectors.measure_visible(request.user, pk)
        field_id = obj.goal.action_field_id
    if not permissions.may_take_publication_step(request.user, field_id, action):
        raise PermissionDenied
    # Bound on every POST: publishing sends no fields at all.
    form = PublicationForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        try:
            if isinstance(obj, Goal):
                services.goal_transition(actor=request.user, goal=obj, action=action, reason=reason)
            else:
                services.measure_transition(
                    actor=request.user, measure=obj, action=action, reason=reason
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, PUBLICATION_DONE[action])
            return redirect(obj)
    return render(
        request,
        "measures/publication_form.html",
        {"obj": obj, "action": PublicationAction(action), "form": form, "kind": kind},
        status=400 if form.errors else 200,
    )


@login_required
def status_import(request: HttpRequest) -> HttpResponse:
    """Status reports from a CSV or Excel file, each on a measure the user reports on; any
    invalid row means nothing is written."""
    if not permissions.can_bulk_import(request.user):
        raise PermissionDenied
    form = StatusImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        records, unreadable = form.cleaned_data["file"]
        report = importing.status_import_records(
            actor=request.user, records=records, unreadable=unreadable
        )
        if report.ok:
            messages.success(
                request,
                _("%(count)s Statusberichte importiert.") % {"count": len(report.created)},
            )
            return redirect("measures:import")
    return render(
        request,
        "measures/status_import.html",
        {
            "form": form,
            "report": report,
            "statuses": ImplementationStatus,
            "everything": permissions.can_bulk_import_all(request.user),
        },
        status=400 if (form.errors or (report and not report.ok)) else 200,
    )


@login_required
@require_safe
def status_import_template(request: HttpRequest, extension: str) -> HttpResponse:
    """The import template pre-filled with the user's measures, as CSV or Excel workbook."""
    if not permissions.can_bulk_import(request.user):
        raise PermissionDenied
    if extension == "xlsx":
        body, content_type = importing.template_xlsx(request.user), importing.XLSX_TYPE
    else:
        body, content_type = importing.template_csv(request.user), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    name = _("statusberichte-vorlage")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
