"""The home page and the German error pages."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from config import urls as project_urls

pytestmark = pytest.mark.django_db


def test_home_page_presents_the_charta_and_its_five_fields(client, action_fields):
    page = client.get("/").content.decode()
    assert '<html lang="de">' in page
    assert "Die fünf Handlungsfelder" in page
    for field in action_fields:
        assert field.title in page
        assert field.get_absolute_url() in page


def test_the_page_not_found_is_german_with_a_way_home(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def _fail(request):
    raise RuntimeError("boom")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


def _refused(request):
    from django.core.exceptions import ValidationError

    raise ValidationError({"datum": "Das Datum liegt nach dem Ende des Berichtszeitraums."})


urlpatterns = [
    path("kaputt/", _fail),
    path("verboten/", _forbidden),
    path("falsch/", _bad),
    path("abgelehnt/", _refused),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    "path, status, text",
    [
        ("/falsch/", 400, "Ungültige Anfrage"),
        ("/verboten/", 403, "Keine Berechtigung"),
        ("/kaputt/", 500, "Serverfehler"),
        # A service's ValidationError that no view caught is bad input, not a server error.
        ("/abgelehnt/", 400, "Das Datum liegt nach dem Ende des Berichtszeitraums."),
    ],
)
def test_error_pages_are_german(path, status, text):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    assert text in response.content.decode()
    assert 'lang="de"' in response.content.decode()


def test_no_template_comment_spans_lines():
    """Django's {# … #} comments end at the line: a longer one would show on the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("templates", "accounts", "charta", "measures")
        for path in (root / folder).rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert offenders == []
