"""The comment forms of the pages: a refused comment, reply, edit, report or status change
answers 400 with the reasons on the form and what the user typed, and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentEdit, CommentReport
from comments.services import comment_create
from tests.conftest import fresh
from tests.factories import GoalFactory

from .conftest import reload

pytestmark = pytest.mark.django_db

CORRECTIONS = "Bitte korrigieren Sie Ihre Eingaben"


@pytest.fixture
def comment(drafted_section, commenter) -> Comment:
    return comment_create(actor=fresh(commenter), target=drafted_section, body="Erste Fassung.")


def page_of(response) -> str:
    return response.content.decode()


# Status ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["bogus", "", "resolved\x00"])
def test_an_unknown_status_is_refused_with_400_and_a_readable_message(
    state, client, comment, editor
):
    client.force_login(editor)

    response = client.post(
        f"/kommentare/{comment.pk}/status/", {"state": state, "next": "/charta/"}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert 'lang="de"' in page
    assert CORRECTIONS in page
    comment.refresh_from_db()
    assert (comment.state, comment.resolved_by, comment.resolved_at) == ("open", None, None)


# Errors from the services are shown on the form ------------------------------------------


def test_a_refused_reply_is_shown_on_the_form_with_the_text_kept(
    client, drafted_section, comment, reviewer
):
    """The service refuses a reply to a comment on another target: the reason is shown on
    the form, and the typed reply is there to send again."""
    other = GoalFactory(action_field=drafted_section.action_field)
    client.force_login(reviewer)

    response = client.post(
        "/kommentare/",
        {
            "target": f"goal:{other.pk}",
            "parent": comment.pk,
            "body": "Meine sorgfältig formulierte Antwort.",
            "next": drafted_section.get_absolute_url(),
        },
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "Die Antwort muss zum selben Gegenstand gehören wie der Kommentar." in page
    assert "Meine sorgfältig formulierte Antwort." in page
    assert 'action="/kommentare/"' in page
    assert Comment.objects.count() == 1


def test_a_comment_too_long_is_shown_on_the_form_with_the_text_kept(
    client, drafted_section, reviewer
):
    client.force_login(reviewer)
    text = "Ein langer Kommentar. " * 300

    response = client.post(
        "/kommentare/", {"target": f"section:{drafted_section.pk}", "body": text}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert CORRECTIONS in page
    assert "Ein langer Kommentar. Ein langer Kommentar." in page
    assert not Comment.objects.exists()


def test_an_edit_after_the_window_is_shown_on_the_edit_form_with_the_text_kept(
    client, drafted_section, comment, commenter
):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    client.force_login(commenter)

    response = client.post(
        f"/kommentare/{comment.pk}/bearbeiten/",
        {"body": "Meine Korrektur.", "next": drafted_section.get_absolute_url()},
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "Kommentare können nur in den ersten 30 Minuten bearbeitet werden." in page
    assert "Meine Korrektur." in page
    assert f'action="/kommentare/{comment.pk}/bearbeiten/"' in page
    assert f'href="{drafted_section.get_absolute_url()}"' in page
    comment.refresh_from_db()
    assert comment.body == "Erste Fassung."
    assert not CommentEdit.objects.exists()


def test_a_refused_edit_does_not_turn_up_in_the_form_for_a_new_comment(
    client, drafted_section, comment, commenter
):
    """Posted again from there, the correction would become a second comment."""
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    client.force_login(commenter)
    client.post(f"/kommentare/{comment.pk}/bearbeiten/", {"body": "Meine Korrektur."})

    page = page_of(client.get(drafted_section.get_absolute_url()))

    assert "Meine Korrektur." not in page


@pytest.mark.parametrize(
    ("address", "service"),
    [("melden", "comment_report"), ("ausblenden", "comment_hide")],
)
def test_a_moderation_refused_by_the_service_is_shown_on_the_form_with_the_reason_kept(
    address, service, client, comment, coordinator, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"reason": "Dieser Grund passt nicht."})

    monkeypatch.setattr(services, service, refuse)
    client.force_login(coordinator)

    response = client.post(
        f"/kommentare/{comment.pk}/{address}/", {"reason": "Mein getippter Grund"}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert "Dieser Grund passt nicht." in page
    assert 'value="Mein getippter Grund"' in page
    assert not CommentReport.objects.exists()
    assert not reload_comment(comment).is_hidden


def test_a_reason_too_long_is_shown_on_the_form_with_the_reason_kept(client, comment, partner):
    client.force_login(partner)
    reason = "Zu lang " * 50

    response = client.post(f"/kommentare/{comment.pk}/melden/", {"reason": reason})

    assert response.status_code == 400
    assert reason.strip()[:40] in page_of(response)
    assert not CommentReport.objects.exists()


def test_a_comment_is_still_saved_and_the_page_shown_again(client, drafted_section, reviewer):
    client.force_login(reviewer)

    response = client.post(
        "/kommentare/",
        {
            "target": f"section:{drafted_section.pk}",
            "body": "Gut so.",
            "next": drafted_section.get_absolute_url(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == drafted_section.get_absolute_url()
    assert Comment.objects.get().body == "Gut so."
    assert reload(drafted_section).pk == drafted_section.pk


def reload_comment(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)
