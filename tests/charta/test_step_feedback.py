"""Feedback where the eye is: the message about a form appears at that form, a refused step
keeps the note that was typed, publishing asks for confirmation."""

import re

import pytest

from charta.models import Section
from charta.services import section_save_draft, section_transition
from comments.services import comment_create
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


def reload(section: Section) -> Section:
    return Section.objects.select_related("current_revision").get(pk=section.pk)


@pytest.fixture
def written(section, editor) -> Section:
    section_save_draft(actor=fresh(editor), section=section, body="Ein Text.", base_revision=None)
    return reload(section)


def step_url(section: Section) -> str:
    return f"/charta/abschnitt/{section.pk}/aktion/"


def top_messages(page: str) -> str:
    """The message area above the page's content (before the first heading)."""
    main = page.split('id="inhalt"', 1)[1]
    return main.split("<h1", 1)[0]


def steps_section(page: str) -> str:
    return page.split('id="arbeitsschritte"', 1)[1].split("</section>", 1)[0]


def test_a_step_taken_returns_to_the_steps_with_the_message_there(client, written, editor):
    client.force_login(editor)

    response = client.post(step_url(written), {"action": "submit", "base_revision": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/charta/abschnitt/{written.pk}/#arbeitsschritte"
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Erledigt: „Zur Prüfung einreichen“" in steps_section(page)
    assert "Erledigt" not in top_messages(page)


def test_a_refused_step_keeps_the_note_and_names_the_reason_at_its_form(
    client, written, editor, reviewer, partner
):
    section_transition(actor=fresh(editor), section=written, action="submit")
    comment_create(actor=fresh(partner), target=reload(written), body="Offene Frage")
    client.force_login(reviewer)

    response = client.post(
        step_url(written),
        {"action": "approve", "base_revision": "1", "note": "Sieht gut aus, bis auf Absatz 2"},
    )

    assert response.status_code == 400
    steps = steps_section(response.content.decode())
    assert "„Freigeben“ wurde nicht ausgeführt" in steps
    assert "offene Kommentare" in steps
    note = re.search(r'<textarea id="note-approve"[^>]*>(.*?)</textarea>', steps, re.S).group(1)
    assert note == "Sieht gut aus, bis auf Absatz 2"
    assert reload(written).status == "in_review"


def test_a_missing_note_keeps_the_other_forms_empty(client, written, editor, reviewer):
    section_transition(actor=fresh(editor), section=written, action="submit")
    client.force_login(reviewer)

    response = client.post(step_url(written), {"action": "request_changes", "note": ""})

    assert response.status_code == 400
    steps = steps_section(response.content.decode())
    assert "Bitte sagen Sie, was geändert werden soll." in steps
    approve = re.search(r'<textarea id="note-approve"[^>]*>(.*?)</textarea>', steps, re.S)
    assert approve.group(1) == ""


def test_publishing_asks_for_confirmation_first(client, written, editor, reviewer, coordinator):
    section_transition(actor=fresh(editor), section=written, action="submit")
    section_transition(actor=fresh(reviewer), section=reload(written), action="approve")
    client.force_login(coordinator)

    asked = client.post(step_url(written), {"action": "publish", "base_revision": "1"})

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "veröffentlichen?" in page
    assert 'name="confirmed" value="True"' in page
    assert reload(written).published_revision is None

    done = client.post(
        step_url(written), {"action": "publish", "base_revision": "1", "confirmed": "True"}
    )

    assert done.status_code == 302
    assert reload(written).published_revision.number == 1


def test_a_comment_message_appears_at_the_comment(client, written, partner):
    client.force_login(partner)
    section_url = f"/charta/abschnitt/{written.pk}/"

    response = client.post(
        "/kommentare/",
        {
            "target": f"section:{written.pk}",
            "body": "Eine Frage",
            "next": f"{section_url}#kommentare",
        },
        follow=True,
    )

    page = response.content.decode()
    comment_block = page.split('class="comment', 1)[1].split("</article>", 1)[0]
    assert "Ihr Kommentar wurde gespeichert." in comment_block
    assert "Ihr Kommentar wurde gespeichert." not in top_messages(page)


def test_a_message_for_a_place_the_page_lacks_is_shown_on_top(client, written, partner):
    client.force_login(partner)
    comment = comment_create(actor=fresh(partner), target=written, body="Frage")

    response = client.post(
        f"/kommentare/{comment.pk}/melden/",
        {"reason": "Doppelt", "next": "/aufgaben/"},
        follow=True,
    )

    assert "Danke, die Koordination sieht sich den Kommentar an." in top_messages(
        response.content.decode()
    )


def test_a_publish_that_may_not_be_taken_is_refused_without_asking(client, written, editor):
    client.force_login(editor)

    response = client.post(step_url(written), {"action": "publish", "base_revision": "1"})

    assert response.status_code in (400, 403)
    assert 'name="confirmed"' not in response.content.decode()
    assert reload(written).published_revision is None
