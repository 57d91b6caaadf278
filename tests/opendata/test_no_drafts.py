"""Drafts never leave the platform through open data, whoever downloads."""

import openpyxl
import pytest
from django.urls import reverse

from measures import selectors

from .conftest import SECRETS, body_text, bytes_io

pytestmark = pytest.mark.django_db

EXPORTS = (
    "opendata:goals_csv",
    "opendata:goals_xlsx",
    "opendata:measures_csv",
    "opendata:measures_xlsx",
    "opendata:deadlines",
    "opendata:news",
)


def export_text(response) -> str:
    """Everything a download contains, as text (XLSX: every cell of every sheet)."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(bytes_io(response))
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if response["Content-Type"].startswith("text/calendar"):
        return body_text(response).replace("\r\n ", "")  # unfold long lines (RFC 5545)
    return body_text(response)


@pytest.fixture
def reports_on_drafts(content, report):
    """Status reports on the draft measure and on the published measure of a draft goal."""
    report(content["draft"], "in_progress", 30, f"Bericht zu {content['draft'].title}")
    report(content["hidden"], "delayed", 10, f"Bericht zu {content['hidden'].title}")
    report(content["helpdesk"], "in_progress", 40, "Die Sprechstunde läuft.")


def test_the_coordinator_sees_the_drafts_on_the_platform(content, coordinator):
    """The premise of the tests below: the drafts exist and the coordinator may read them."""
    visible = set(selectors.measures_for(coordinator).values_list("title", flat=True))
    assert {content["draft"].title, content["hidden"].title} <= visible


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "editor", "partner"])
@pytest.mark.parametrize("name", EXPORTS)
def test_no_export_contains_a_draft(name, who, as_role, reports_on_drafts, download):
    user = as_role(who)
    response = download(reverse(name), None if who == "anonymous" else user)
    assert response.status_code == 200
    text = export_text(response)
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
@pytest.mark.parametrize(
    "name", ["opendata:goals_csv", "opendata:measures_csv", "opendata:measures_xlsx"]
)
def test_a_field_filter_shows_no_draft_of_that_field(name, who, as_role, content, field, download):
    user = as_role(who)
    url = f"{reverse(name)}?handlungsfeld={field.slug}"
    response = download(url, None if who == "anonymous" else user)
    text = export_text(response)
    assert "Helpdesk-Sprechstunde" in text or "Sprechstunde für KMU" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_the_field_calendar_shows_no_draft(who, as_role, content, field, download):
    user = as_role(who)
    url = reverse("opendata:field_deadlines", kwargs={"slug": field.slug})
    text = export_text(download(url, None if who == "anonymous" else user))
    assert "Helpdesk-Sprechstunde" in text
    for secret in SECRETS:
        assert secret not in text
