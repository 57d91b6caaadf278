"""Reporting and hiding comments, and authors editing their own (charta.services)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comments.models import Comment, CommentEdit, CommentReport
from comments.services import comment_create, comment_edit, comment_hide, comment_report
from notifications.models import Notification
from tests.conftest import fresh
from tests.notices import Kind

pytestmark = pytest.mark.django_db

BODY = "Diese Formulierung ist **Unsinn**."


@pytest.fixture
def comment(drafted_section, commenter) -> Comment:
    return comment_create(actor=commenter, target=drafted_section, body=BODY)


def section_page(client, section) -> str:
    return client.get(f"/charta/abschnitt/{section.pk}/").content.decode()


# Reporting -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "editor", "reviewer", "partner", "commenter"])
def test_anyone_who_sees_a_comment_may_report_it(role, person, comment):
    reporter = person(role)

    report = comment_report(actor=reporter, comment=comment, reason="Ton")

    assert report.comment == comment
    assert report.reporter == reporter
    assert report.reason == "Ton"


def test_reporting_twice_keeps_one_report(comment, partner):
    comment_report(actor=partner, comment=comment, reason="Ton")
    comment_report(actor=fresh(partner), comment=comment, reason="Nochmal")

    assert CommentReport.objects.filter(comment=comment, reporter=partner).count() == 1
    assert CommentReport.objects.get().reason == "Ton"


def test_reports_of_different_users_are_kept_apart(comment, partner, reviewer):
    comment_report(actor=partner, comment=comment, reason="Ton")
    comment_report(actor=reviewer, comment=comment, reason="Ton")

    assert CommentReport.objects.filter(comment=comment).count() == 2


def test_anonymous_may_not_report(comment, anonymous):
    with pytest.raises(PermissionDenied):
        comment_report(actor=anonymous, comment=comment, reason="Ton")

    assert not CommentReport.objects.exists()


def test_report_needs_a_reason(comment, partner):
    with pytest.raises(ValidationError) as refused:
        comment_report(actor=partner, comment=comment, reason="  ")

    assert "reason" in refused.value.message_dict


def test_report_through_the_page(client, comment, partner):
    client.force_login(partner)

    response = client.post(f"/kommentare/{comment.pk}/melden/", {"reason": "Ton"})

    assert response.status_code == 302
    assert CommentReport.objects.filter(comment=comment, reporter=partner).exists()


@pytest.mark.parametrize("role", ["outsider", "wg_member"])
def test_who_may_not_see_a_comment_cannot_report_it(role, as_role, client, comment):
    client.force_login(as_role(role))

    page = client.post(f"/kommentare/{comment.pk}/melden/", {"reason": "Ton"})
    api = client.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "Ton"})

    assert page.status_code == 404
    assert api.status_code == 404
    assert not CommentReport.objects.exists()


# Hiding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["editor", "reviewer", "partner", "commenter", "other_editor", "outsider"]
)
def test_only_coordinators_hide_comments(role, person, comment):
    with pytest.raises(PermissionDenied):
        comment_hide(actor=person(role), comment=comment, reason="Beleidigend")

    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hidden_comment_stays_in_the_database_with_reason_and_moderator(comment, coordinator):
    comment_hide(actor=coordinator, comment=comment, reason="  Beleidigend  ")

    comment = Comment.objects.get(pk=comment.pk)
    assert comment.is_hidden
    assert comment.hidden_reason == "Beleidigend"
    assert comment.hidden_by == coordinator
    assert comment.body == BODY


def test_hiding_needs_a_reason(comment, coordinator):
    with pytest.raises(ValidationError) as refused:
        comment_hide(actor=coordinator, comment=comment, reason="")

    assert "reason" in refused.value.message_dict
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hidden_comment_body_is_not_shown_on_the_page(client, comment, coordinator, editor):
    comment_hide(actor=coordinator, comment=comment, reason="Beleidigend")
    client.force_login(editor)

    html = section_page(client, comment.target)

    assert f'id="kommentar-{comment.pk}"' in html
    assert "Unsinn" not in html
    assert "Beleidigend" in html


def test_hidden_comment_body_is_empty_in_the_api(client, comment, coordinator, editor):
    comment_hide(actor=coordinator, comment=comment, reason="Beleidigend")
    client.force_login(editor)

    response = client.get("/api/v1/comments/", {"target": f"section:{comment.object_id}"})

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == comment.pk
    assert item["body"] == ""
    assert item["body_html"] == ""
    assert "Unsinn" not in response.content.decode()


def test_author_is_told_when_their_comment_is_hidden(
    comment, coordinator, commenter, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(actor=coordinator, comment=comment, reason="Beleidigend")

    [notification] = Notification.objects.all()
    assert notification.recipient == commenter
    assert notification.kind == Kind.HIDDEN
    assert "Beleidigend" in notification.title
    assert notification.url.endswith(f"#kommentar-{comment.pk}")
    assert [mail.to for mail in mailoutbox] == [[commenter.email]]


def test_hide_through_the_page_as_coordinator(client, comment, coordinator):
    client.force_login(coordinator)

    response = client.post(f"/kommentare/{comment.pk}/ausblenden/", {"reason": "Spam"})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "Spam")


def test_hide_through_the_page_as_partner_is_forbidden(client, comment, partner):
    client.force_login(partner)

    response = client.post(f"/kommentare/{comment.pk}/ausblenden/", {"reason": "Spam"})

    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


# Editing ---------------------------------------------------------------------------------


def test_author_may_edit_within_30_minutes_and_the_old_text_is_kept(comment, commenter):
    edited = comment_edit(
        actor=commenter, comment=comment, body="Diese Formulierung *passt* nicht."
    )

    assert edited.body == "Diese Formulierung *passt* nicht."
    assert "<em>passt</em>" in edited.body_html
    assert edited.edited_at is not None
    [edit] = CommentEdit.objects.filter(comment=comment)
    assert edit.body == BODY


def test_every_edit_keeps_the_text_before_it(comment, commenter):
    comment_edit(actor=commenter, comment=comment, body="Zweite Fassung")
    comment_edit(actor=commenter, comment=Comment.objects.get(pk=comment.pk), body="Dritte")

    assert sorted(CommentEdit.objects.values_list("body", flat=True)) == sorted(
        [BODY, "Zweite Fassung"]
    )
    assert Comment.objects.get(pk=comment.pk).body == "Dritte"


@pytest.mark.parametrize("role", ["coordinator", "editor", "reviewer", "partner"])
def test_only_the_author_may_edit(role, person, comment):
    with pytest.raises(PermissionDenied):
        comment_edit(actor=person(role), comment=comment, body="Übernommen")

    comment.refresh_from_db()
    assert comment.body == BODY
    assert not CommentEdit.objects.exists()


def test_edit_after_30_minutes_is_refused(comment, commenter):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    comment = Comment.objects.get(pk=comment.pk)

    with pytest.raises(ValidationError) as refused:
        comment_edit(actor=commenter, comment=comment, body="Zu spät")

    assert "body" in refused.value.message_dict
    comment.refresh_from_db()
    assert comment.body == BODY
    assert not CommentEdit.objects.exists()


def test_edit_shortly_before_the_window_closes_is_accepted(comment, commenter):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=29)
    )

    comment_edit(
        actor=commenter, comment=Comment.objects.get(pk=comment.pk), body="Noch rechtzeitig"
    )

    assert Comment.objects.get(pk=comment.pk).body == "Noch rechtzeitig"


def test_edit_to_an_empty_text_is_refused(comment, commenter):
    with pytest.raises(ValidationError):
        comment_edit(actor=commenter, comment=comment, body="   ")

    assert not CommentEdit.objects.exists()
