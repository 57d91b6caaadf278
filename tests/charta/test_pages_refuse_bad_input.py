"""The charta's pages answer bad input with 4xx and a readable German message, never 5xx,
and write nothing."""

import pytest
from django.test import Client

from charta.models import Revision, Section
from charta.services import section_save_draft
from tests.conftest import fresh

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def two_revisions(section, editor) -> Section:
    section_save_draft(actor=fresh(editor), section=section, body="Erste.", base_revision=None)
    section = Section.objects.get(pk=section.pk)
    section_save_draft(actor=fresh(editor), section=section, body="Zweite.", base_revision=1)
    return Section.objects.select_related("current_revision").get(pk=section.pk)


def client_for(user) -> Client:
    client = Client()
    client.force_login(fresh(user))
    return client


@pytest.mark.parametrize(
    "query",
    [
        {"von": HUGE, "zu": "1"},
        {"von": "1", "zu": HUGE},
        {"von": "0", "zu": "1"},
        {"von": "²", "zu": "1"},
    ],
    ids=["huge-from", "huge-to", "zero", "superscript"],
)
def test_the_diff_page_refuses_numbers_that_name_no_revision_with_400(
    query, two_revisions, reviewer
):
    response = client_for(reviewer).get(f"/charta/abschnitt/{two_revisions.pk}/vergleich/", query)

    assert response.status_code == 400
    assert "Bitte korrigieren Sie Ihre Eingaben" in response.content.decode()


def test_the_edit_page_refuses_a_base_revision_beyond_any_revision(two_revisions, editor):
    response = client_for(editor).post(
        f"/charta/abschnitt/{two_revisions.pk}/bearbeiten/",
        {"body": "Meine Fassung.", "base_revision": HUGE},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Meine Fassung." in page
    assert Revision.objects.filter(section=two_revisions).count() == 2


@pytest.mark.parametrize("reference", ["section:²", "section:١", "section:1x", "abschnitt:1"])
def test_a_comment_on_a_target_that_names_nothing_is_refused_with_404(
    reference, two_revisions, reviewer
):
    response = client_for(reviewer).post("/kommentare/", {"target": reference, "body": "Hallo."})

    assert response.status_code == 404
