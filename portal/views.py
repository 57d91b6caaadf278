"""The portal: the pages that read across the domains for a person or the public."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation
from charta import selectors as charta_selectors
from charta.models import ActionField
from charta.selectors import FIELDS_TAG, field_tag
from core.caching import depends_on, public_page
from core.forms import add_service_errors
from core.http import query_date
from measures import permissions, selectors, services, snapshots
from measures.filters import MeasureFilter, filtered_measures, list_status, sort_context
from measures.forms import PeriodForm, ReopenForm

from . import dashboard, periods, progress_report, search, worklist
from . import selectors as portal_selectors
from .opendata.spreadsheets import build_csv, build_xlsx
from .opendata.views import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

GOALS_PER_PAGE = 10


def _external_link(url: str) -> str | None:
    """The organisation's website if it is a web address (never a ``javascript:`` URL)."""
    return url if url.lower().startswith(("https://", "http://")) else None


@login_required
@require_safe
def my_tasks(request: HttpRequest) -> HttpResponse:
    """ "Meine Aufgaben": the person's open work, each item linking to where it is done."""
    groups = worklist.tasks_by_kind(request.user)
    return render(
        request,
        "portal/tasks.html",
        {"groups": groups, "total": sum(len(tasks) for _kind, tasks in groups)},
    )


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


def _report_period(request: HttpRequest):
    """The closed period named by ``?zeitraum=`` (None when none is named); 404 for an
    unknown or open one."""
    value = request.GET.get("zeitraum", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404(_("Kein Berichtszeitraum „%(value)s“.") % {"value": value[:40]})
    report = periods.period_report(selectors.period_visible(int(value)))
    if report is None:
        raise Http404(_("Dieser Berichtszeitraum ist noch nicht abgeschlossen."))
    return report


@public_page
@require_safe
def progress_report_page(request: HttpRequest) -> HttpResponse:
    """The printable progress report as of today, with the changes since ``?seit=``; or,
    with ``?zeitraum=``, the frozen report of a closed reporting period with its hash."""
    period_report = _report_period(request)
    if period_report is not None:
        # Made from the frozen snapshot alone: it changes only with the period.
        return render(request, "portal/period_report.html", {"report": period_report})
    depends_on(FIELDS_TAG)
    report = progress_report.build(since=_report_since(request))
    return render(
        request,
        "portal/progress_report.html",
        {"report": report, "closed_periods": _closed_periods()},
    )


@require_safe
def progress_report_pdf(request: HttpRequest) -> HttpResponse:
    period_report = _report_period(request)
    if period_report is not None:
        pdf = progress_report.period_pdf(period_report, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="itas-fortschrittsbericht-zeitraum-'
            f'{period_report.period.pk}-{period_report.snapshot.sha256[:12]}.pdf"'
        )
        return response
    report = progress_report.build(since=_report_since(request))
    pdf = progress_report.as_pdf(report, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="itas-fortschrittsbericht-{report.as_of.isoformat()}.pdf"'
    )
    return response


# Reporting periods --------------------------------------------------------------------------


def _periods_page(request, *, form=None, status=200):
    every = list(selectors.periods())
    may_manage = permissions.can_manage_periods(request.user)
    for period in every:
        period.snapshot = snapshots.current(period)
    return render(
        request,
        "portal/periods.html",
        {
            "periods": every,
            "closed": [p for p in every if p.snapshot is not None],
            "can_manage": may_manage,
            "form": form or (PeriodForm() if may_manage else None),
        },
        status=status,
    )


def periods_page(request: HttpRequest) -> HttpResponse:
    """The reporting periods; coordinators create new ones here (POST)."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_manage_periods(request.user):
            raise PermissionDenied
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Der Berichtszeitraum wurde angelegt."))
                return redirect(period)
        return _periods_page(request, form=form, status=400)
    return _periods_page(request)


def _period_page(request, period, *, reopen_form=None, status=200):
    snapshots_list = sorted(period.snapshots.all(), key=lambda s: s.number, reverse=True)
    return render(
        request,
        "portal/period_detail.html",
        {
            "period": period,
            "current": snapshots.current(period),
            "snapshots": snapshots_list,
            "can_manage": permissions.can_manage_periods(request.user),
            "reopen_form": reopen_form or ReopenForm(),
        },
        status=status,
    )


@require_safe
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_page(request, selectors.period_visible(pk))


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_visible(pk)
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    try:
        snapshot = services.period_close(actor=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Abgeschlossen. Der Stand ist eingefroren (SHA-256 %(hash)s).")
            % {"hash": snapshot.sha256},
        )
    return redirect(period)


@login_required
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_visible(pk)
    if not permissions.can_manage_periods(request.user):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.period_reopen(
                actor=request.user, period=period, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Wieder geöffnet. Der bisherige Stand bleibt erhalten; beim Abschließen "
                  "entsteht ein neuer."),
            )  # fmt: skip
            return redirect(period)
    return _period_page(request, selectors.period_visible(pk), reopen_form=form, status=400)


class BadPeriodChoice(Exception):
    pass


def _closed_periods() -> list:
    return [p for p in selectors.periods() if snapshots.current(p) is not None]


def _chosen_periods(request: HttpRequest, closed: list) -> list:
    """The closed periods named by ``?zeitraum=`` (several allowed), in time order; all
    closed periods when none is named. An id that is no closed period is an error."""
    wanted = request.GET.getlist("zeitraum")
    if not wanted:
        return closed
    by_id = {str(p.pk): p for p in closed}
    unknown = [value for value in wanted if value not in by_id]
    if unknown:
        raise BadPeriodChoice(
            _("„%(value)s“ ist kein abgeschlossener Berichtszeitraum (Parameter „zeitraum“).")
            % {"value": unknown[0][:40]}
        )
    return [p for p in closed if str(p.pk) in set(wanted)]


@require_safe
def period_comparison(request: HttpRequest) -> HttpResponse:
    """Where every measure and indicator stood at the end of each chosen closed period."""
    all_closed = _closed_periods()
    try:
        chosen = _chosen_periods(request, all_closed)
    except BadPeriodChoice as error:
        return render(
            request,
            "portal/period_comparison.html",
            {"error": str(error), "all_closed": all_closed, "chosen_ids": set()},
            status=400,
        )
    return render(
        request,
        "portal/period_comparison.html",
        {
            "comparison": snapshots.compare(chosen) if chosen else None,
            "all_closed": all_closed,
            "chosen_ids": {p.pk for p in chosen},
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def period_comparison_export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        chosen = _chosen_periods(request, _closed_periods())
    except BadPeriodChoice as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    table = periods.comparison_table(snapshots.compare(chosen))
    stamp = selectors.today().isoformat()
    if fmt == "xlsx":
        content, content_type = build_xlsx(table), XLSX_CONTENT_TYPE
    else:
        content, content_type = build_csv(table), CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="itas-charta-vergleich-{stamp}.{fmt}"'
    return response
