"""The portal: the pages that read across the domains for a person or the public."""

import datetime

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from charta import selectors as charta_selectors
from charta.models import ActionField
from charta.selectors import FIELDS_TAG, field_tag
from core.caching import depends_on, public_page
from core.http import query_date
from measures import permissions, selectors
from measures.filters import MeasureFilter, filtered_measures, list_status, sort_context

from . import dashboard, progress_report, search
from . import selectors as portal_selectors

GOALS_PER_PAGE = 10


def _external_link(url: str) -> str | None:
    """The organisation's website if it is a web address (never a ``javascript:`` URL)."""
    return url if url.lower().startswith(("https://", "http://")) else None


@require_safe
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Key figures and charts of the goals and measures the user may see."""
    depends_on(FIELDS_TAG)
    return render(
        request,
        "portal/dashboard.html",
        {"dashboard": dashboard.dashboard_for(request.user)},
    )


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    depends_on(FIELDS_TAG)
    organisations = list(portal_selectors.organisations_for(request.user))
    for organisation in organisations:
        organisation.website_link = _external_link(organisation.website)
    return render(request, "portal/organisation_list.html", {"organisations": organisations})


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One partner: what it owns, leads and takes part in, as far as the user may see it."""
    depends_on(FIELDS_TAG)
    organisation = get_object_or_404(Organisation, slug=slug)
    organisation.website_link = _external_link(organisation.website)
    measures = list(portal_selectors.organisation_measures(request.user, organisation))
    return render(
        request,
        "portal/organisation_detail.html",
        {
            "organisation": organisation,
            "goals": list(portal_selectors.organisation_goals(request.user, organisation)),
            "led": [m for m in measures if m.owner_id == organisation.pk],
            "partnered": [m for m in measures if m.owner_id != organisation.pk],
        },
    )


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    depends_on(FIELDS_TAG)
    charta = charta_selectors.current_charta()
    progress = selectors.field_progress(request.user)
    overviews = charta_selectors.field_overviews(request.user, charta)
    for overview in overviews:
        overview.progress = progress.get(overview.field.pk)
    return render(request, "portal/home.html", {"charta": charta, "overviews": overviews})


@public_page
@require_safe
def action_field_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A Handlungsfeld: its charta text as the user may read it, its goals and measures."""
    field = get_object_or_404(ActionField, slug=slug)
    depends_on(field_tag(field.pk))
    charta = charta_selectors.current_charta()
    section = revision = None
    if charta is not None:
        section = charta_selectors.section_in(request.user, charta, field)
        if section is not None:
            revision = charta_selectors.readable_revision(request.user, section)
    measure_filter, measures = filtered_measures(request)
    filtering = any(request.GET.get(name) for name in MeasureFilter.base_filters)
    goals = selectors.goals_for(request.user, field, measures=measures)
    if filtering:
        goals = goals.filter(Exists(measures.filter(goal=OuterRef("pk"))))
    page = Paginator(goals, GOALS_PER_PAGE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    progress = selectors.field_progress(request.user).get(field.pk)
    return render(
        request,
        "portal/action_field.html",
        {
            "field": field,
            "section": section,
            "revision": revision,
            "goals": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "progress": progress,
            "filter": measure_filter,
            "filtering": filtering,
            **sort_context(measure_filter),
            "can_manage": permissions.can_manage(request.user, field),
        },
        status=list_status(measure_filter),
    )


@public_page
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Search the published charta, goals and measures."""
    depends_on(FIELDS_TAG)
    query = request.GET.get("q", "").strip()
    hits = search.search(query) if query else []
    suggestion = search.suggestion(query) if query and not hits else None
    return render(
        request,
        "portal/search.html",
        {"query": query, "hits": hits, "suggestion": suggestion},
    )


def _report_since(request: HttpRequest) -> datetime.date:
    """``?seit=``, by default 90 days ago; a 400 page names a date that cannot be meant."""
    return query_date(request, "seit", default=selectors.today() - datetime.timedelta(days=90))


@public_page
@require_safe
def progress_report_page(request: HttpRequest) -> HttpResponse:
    """The printable progress report as of today, with the changes since ``?seit=``."""
    depends_on(FIELDS_TAG)
    report = progress_report.build(since=_report_since(request))
    return render(request, "portal/progress_report.html", {"report": report})


@require_safe
def progress_report_pdf(request: HttpRequest) -> HttpResponse:
    report = progress_report.build(since=_report_since(request))
    pdf = progress_report.as_pdf(report, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="itas-fortschrittsbericht-{report.as_of.isoformat()}.pdf"'
    )
    return response
