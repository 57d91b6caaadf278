"""Workflow steps taken on the section page: a refused step says why, in the reader's
language, and changes nothing."""

import pytest
from django.conf import settings
from django.test import Client

from charta.models import Section, SectionEvent
from charta.services import section_save_draft
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_revisions(section, editor) -> Section:
    section_save_draft(actor=fresh(editor), section=section, body="Erste.", base_revision=None)
    section = Section.objects.get(pk=section.pk)
    section_save_draft(actor=fresh(editor), section=section, body="Zweite.", base_revision=1)
    return Section.objects.select_related("current_revision").get(pk=section.pk)


def step(user, section: Section, language: str = "de", **data) -> str:
    client = Client()
    client.force_login(fresh(user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(f"/charta/abschnitt/{section.pk}/aktion/", data, follow=True)
    # A refused step shows the section page again, with the reasons at the step's form.
    assert response.status_code in (200, 400, 403, 409)
    return " ".join(response.content.decode().split())


def test_a_step_on_an_outdated_revision_says_it_was_not_taken_in_german(two_revisions, editor):
    page = step(editor, two_revisions, action="submit", base_revision=1)

    assert (
        "Der Text wurde inzwischen geändert (Revision 2), Sie haben Revision 1 gesehen. "
        "Der Schritt „Zur Prüfung einreichen“ wurde nicht ausgeführt" in page
    )
    assert "gespeichert" not in page.split("Revision 1 gesehen")[1][:200]
    assert Section.objects.get(pk=two_revisions.pk).status == "draft"
    assert not SectionEvent.objects.exists()


def test_a_step_on_an_outdated_revision_is_not_called_unsaved_in_english(two_revisions, editor):
    page = step(editor, two_revisions, language="en", action="submit", base_revision=1)

    assert "was not carried out" in page
    assert "not saved" not in page
    assert Section.objects.get(pk=two_revisions.pk).status == "draft"


def test_the_api_says_a_step_on_an_outdated_revision_was_not_taken(two_revisions, editor):
    client = Client()
    client.force_login(fresh(editor))

    response = client.post(
        f"/api/v1/sections/{two_revisions.pk}/transition/",
        {"action": "submit", "base_revision": 1},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert "wurde nicht ausgeführt" in response.json()["detail"]
    assert "gespeichert" not in response.json()["detail"]


def test_a_note_too_long_is_named_as_the_reason(two_revisions, editor):
    page = step(editor, two_revisions, action="submit", note="x" * 2001)

    assert "Anmerkung:" in page
    assert "Diese Aktion ist unbekannt." not in page
    assert not SectionEvent.objects.exists()


def test_an_unknown_step_is_called_unknown(two_revisions, editor):
    page = step(editor, two_revisions, action="zaubern")

    assert "Diese Aktion ist unbekannt." in page
    assert not SectionEvent.objects.exists()
