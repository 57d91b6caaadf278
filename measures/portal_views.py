"""Public portal pages: the dashboard with its charts and the partner organisations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Organisation

from . import dashboard


def _external_link(url: str) -> str | None:
    """The organisation's website if it is a web address (never a ``javascript:`` URL)."""
    return url if url.lower().startswith(("https://", "http://")) else None


@require_safe
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Key figures and charts of the goals and measures the user may see."""
    return render(
        request,
        "measures/portal/dashboard.html",
        {"dashboard": dashboard.dashboard_for(request.user)},
    )


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = list(dashboard.organisations_for(request.user))
    for organisation in organisations:
        organisation.website_link = _external_link(organisation.website)
    return render(
        request, "measures/portal/organisation_list.html", {"organisations": organisations}
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One partner: what it owns, leads and takes part in, as far as the user may see it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    organisation.website_link = _external_link(organisation.website)
    measures = list(dashboard.organisation_measures(request.user, organisation))
    return render(
        request,
        "measures/portal/organisation_detail.html",
        {
            "organisation": organisation,
            "goals": list(dashboard.organisation_goals(request.user, organisation)),
            "led": [m for m in measures if m.owner_id == organisation.pk],
            "partnered": [m for m in measures if m.owner_id != organisation.pk],
        },
    )
