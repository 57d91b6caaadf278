"""Who is told what, only after commit and only if they may see it; inbox and preferences."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.roles import RoleName, role_revoke
from charta.models import SectionEvent
from charta.services import section_transition
from comments.models import Comment
from comments.services import comment_create
from notifications.models import Notification, NotificationPreference
from tests.conftest import fresh
from tests.notices import Kind

from .conftest import reload

pytestmark = pytest.mark.django_db


Email = NotificationPreference.Email


def told(kind: str | None = None) -> list[str]:
    """Usernames of the recipients of notifications (of ``kind``), sorted, repeats kept."""
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def mailed(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def prefer(user, kind: str, *, in_app: bool = True, email: str = Email.IMMEDIATE) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"in_app": in_app, "email": email}
    )


def take(section, actor, action: str, note: str = ""):
    return section_transition(actor=fresh(actor), section=reload(section), action=action, note=note)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of what happens inside, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Replies and comments --------------------------------------------------------------------


def test_reply_notifies_the_parents_author_once_and_not_the_replier(
    committed, mailoutbox, drafted_section, reviewer, partner
):
    parent = comment_create(actor=reviewer, target=drafted_section, body="Quelle?")

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Siehe Studie.", parent=parent)

    [notification] = Notification.objects.filter(recipient=reviewer)
    assert notification.kind == Kind.REPLY
    assert [mail.to for mail in mailoutbox].count([reviewer.email]) == 1
    assert not Notification.objects.filter(recipient=partner).exists()
    assert partner.email not in mailed(mailoutbox)


def test_editor_who_wrote_the_parent_gets_the_reply_but_no_second_comment_notice(
    committed, mailoutbox, drafted_section, editor, reviewer
):
    parent = comment_create(actor=editor, target=drafted_section, body="Bitte prüfen.")

    with committed():
        comment_create(actor=reviewer, target=drafted_section, body="Geprüft.", parent=parent)

    assert told() == [editor.username]
    assert Notification.objects.get().kind == Kind.REPLY
    assert mailed(mailoutbox) == [editor.email]


def test_new_comment_notifies_the_fields_editors_and_reviewers_not_the_commenter(
    committed, mailoutbox, drafted_section, editor, reviewer, partner, coordinator, other_editor
):
    with committed():
        comment = comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert told(Kind.COMMENT) == sorted([editor.username, reviewer.username])
    assert told() == told(Kind.COMMENT)
    assert mailed(mailoutbox) == sorted([editor.email, reviewer.email])
    assert all(n.url.endswith(f"#kommentar-{comment.pk}") for n in Notification.objects.all())


def test_editor_commenting_notifies_the_reviewer_only(
    committed, mailoutbox, drafted_section, editor, reviewer
):
    with committed():
        comment_create(actor=editor, target=drafted_section, body="Neu gefasst.")

    assert told() == [reviewer.username]
    assert mailed(mailoutbox) == [reviewer.email]


# Workflow --------------------------------------------------------------------------------


def test_submit_asks_the_reviewers_to_review(
    committed, mailoutbox, drafted_section, editor, reviewer
):
    with committed():
        take(drafted_section, editor, "submit")

    assert told() == [reviewer.username]
    assert Notification.objects.get().kind == Kind.REVIEW_REQUEST
    assert mailed(mailoutbox) == [reviewer.email]


@pytest.fixture
def submitted_by_coordinator(drafted_section, coordinator):
    """Submitted by a coordinator: a submitter who is not one of the field's editors."""
    take(drafted_section, coordinator, "submit")
    return reload(drafted_section)


@pytest.mark.parametrize(
    ("action", "actor_key", "before"),
    [
        ("request_changes", "reviewer", []),
        ("approve", "reviewer", []),
    ],
)
def test_workflow_change_notifies_the_editors_and_the_submitter(
    action,
    actor_key,
    before,
    request,
    committed,
    mailoutbox,
    submitted_by_coordinator,
    editor,
    reviewer,
    coordinator,
):
    section = submitted_by_coordinator
    for step, key in before:
        take(section, request.getfixturevalue(key), step)
    actor = request.getfixturevalue(actor_key)

    with committed():
        take(section, actor, action, note="Bitte Absatz 2 kürzen.")

    assert told(Kind.WORKFLOW) == sorted([editor.username, coordinator.username])
    assert set(told(Kind.WORKFLOW)) <= set(told())
    assert editor.email in mailed(mailoutbox)
    assert coordinator.email in mailed(mailoutbox)


@pytest.mark.parametrize(
    ("action", "before"),
    [
        ("approve", []),
        ("publish", [("approve", "reviewer")]),
    ],
)
def test_workflow_actor_is_never_told_of_their_own_step(
    action, before, request, committed, mailoutbox, drafted_section, editor, coordinator, reviewer
):
    # The coordinator submits and later publishes; the reviewer approves.
    take(drafted_section, coordinator, "submit")
    for step, key in before:
        take(drafted_section, request.getfixturevalue(key), step)
    actor = reviewer if action == "approve" else coordinator

    with committed():
        take(drafted_section, actor, action)

    assert actor.username not in told()
    assert actor.email not in mailed(mailoutbox)
    assert editor.username in told(Kind.PUBLISHED if action == "publish" else Kind.WORKFLOW)


def test_editor_who_submitted_is_told_once(
    committed, mailoutbox, in_review_section, editor, reviewer
):
    with committed():
        take(in_review_section, reviewer, "request_changes", note="Kürzen.")

    assert told() == [editor.username]
    assert mailed(mailoutbox) == [editor.email]


# After commit, and only to those who may see ---------------------------------------------


def test_nothing_is_sent_when_the_comment_is_rolled_back(
    committed, mailoutbox, drafted_section, partner
):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        comment_create(actor=partner, target=drafted_section, body="Wird verworfen.")
        raise RuntimeError("rollback")

    assert not Comment.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_nothing_is_sent_when_the_transition_is_rolled_back(
    committed, mailoutbox, drafted_section, editor
):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        take(drafted_section, editor, "submit")
        raise RuntimeError("rollback")

    assert not SectionEvent.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_nothing_is_sent_before_commit(
    django_capture_on_commit_callbacks, drafted_section, partner
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(actor=partner, target=drafted_section, body="Noch nicht.")

        assert not Notification.objects.exists()
    assert len(callbacks) == 1


def test_reviewer_whose_role_was_revoked_is_not_told_of_a_reply(
    committed, mailoutbox, drafted_section, field, reviewer, partner, editor
):
    parent = comment_create(actor=reviewer, target=drafted_section, body="Quelle?")
    role_revoke(actor=None, role=RoleName.REVIEWER, grantee=reviewer, obj=field)

    with committed():
        comment_create(
            actor=partner,
            target=drafted_section,
            body="Siehe Studie.",
            parent=Comment.objects.get(pk=parent.pk),
        )

    assert reviewer.username not in told()
    assert reviewer.email not in mailed(mailoutbox)
    assert told() == [editor.username]


def test_reviewer_whose_role_was_revoked_is_not_told_of_a_comment(
    committed, mailoutbox, drafted_section, field, reviewer, partner, editor
):
    role_revoke(actor=None, role=RoleName.REVIEWER, grantee=reviewer, obj=field)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert told() == [editor.username]
    assert mailed(mailoutbox) == [editor.email]


def test_deactivated_user_is_not_told(
    committed, mailoutbox, drafted_section, reviewer, partner, editor
):
    type(editor).objects.filter(pk=editor.pk).update(is_active=False)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert told() == [reviewer.username]


# Preferences -----------------------------------------------------------------------------


def test_inbox_and_email_off_means_no_notification(
    committed, mailoutbox, drafted_section, partner, editor, reviewer
):
    prefer(editor, Kind.COMMENT, in_app=False, email=Email.OFF)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert told() == [reviewer.username]
    assert mailed(mailoutbox) == [reviewer.email]


def test_email_off_keeps_the_inbox_entry_and_sends_no_mail(
    committed, mailoutbox, drafted_section, partner, editor, reviewer
):
    prefer(editor, Kind.COMMENT, in_app=True, email=Email.OFF)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    notification = Notification.objects.get(recipient=editor)
    assert notification.show_in_app
    assert notification.emailed_at is not None  # nothing left for the digest
    assert mailed(mailoutbox) == [reviewer.email]


def test_inbox_off_with_email_sends_mail_but_shows_nothing(
    client, committed, mailoutbox, drafted_section, partner, editor
):
    prefer(editor, Kind.COMMENT, in_app=False, email=Email.IMMEDIATE)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert editor.email in mailed(mailoutbox)
    assert not Notification.objects.get(recipient=editor).show_in_app
    client.force_login(editor)
    assert "Neuer Kommentar" not in client.get("/benachrichtigungen/").content.decode()


def test_daily_digest_collects_notifications_and_is_sent_once(
    committed, mailoutbox, drafted_section, partner, editor, reviewer
):
    prefer(editor, Kind.COMMENT, email=Email.DAILY)
    with committed():
        comment_create(actor=partner, target=drafted_section, body="Erster.")
        comment_create(actor=partner, target=drafted_section, body="Zweiter.")

    assert Notification.objects.filter(recipient=editor).count() == 2
    assert editor.email not in mailed(mailoutbox)
    mailoutbox.clear()

    call_command("send_digests", stdout=StringIO())

    [digest] = mailoutbox
    assert digest.to == [editor.email]
    titles = [n.title for n in Notification.objects.filter(recipient=editor)]
    assert all(title in digest.body for title in titles)
    assert digest.body.count("#kommentar-") == 2
    assert not Notification.objects.filter(recipient=editor, emailed_at__isnull=True).exists()

    call_command("send_digests", stdout=StringIO())

    assert len(mailoutbox) == 1


def test_digest_leaves_out_what_was_already_mailed(
    committed, mailoutbox, drafted_section, partner, editor
):
    with committed():
        comment_create(actor=partner, target=drafted_section, body="Sofort gemailt.")
    prefer(editor, Kind.COMMENT, email=Email.DAILY)
    mailoutbox.clear()

    call_command("send_digests", stdout=StringIO())

    assert mailoutbox == []


# Inbox -----------------------------------------------------------------------------------


def note_for(user, title: str = "Neuigkeit", url: str = "/charta/", **fields) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=Kind.COMMENT, title=title, url=url, **fields
    )


def test_unread_count_appears_in_the_header(client, charta, editor, reviewer):
    note_for(editor)
    note_for(editor)
    note_for(editor, show_in_app=False)
    note_for(editor, read_at=timezone.now())
    note_for(reviewer)
    client.force_login(editor)

    html = client.get("/").content.decode()

    assert '<span class="count">2<' in html


def test_no_unread_count_without_unread_notifications(client, charta, editor):
    client.force_login(editor)

    html = client.get("/").content.decode()

    assert 'class="count"' not in html


def test_opening_a_notification_marks_it_read_and_redirects(client, editor):
    notification = note_for(editor, url="/charta/abschnitt/1/#kommentar-3")
    client.force_login(editor)

    response = client.get(f"/benachrichtigungen/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/charta/abschnitt/1/#kommentar-3"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_someone_elses_notification_is_not_found(client, editor, reviewer):
    notification = note_for(reviewer)
    client.force_login(editor)

    response = client.get(f"/benachrichtigungen/{notification.pk}/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_to_another_host_redirects_to_the_inbox(client, editor):
    notification = note_for(editor, url="https://evil.example/")
    client.force_login(editor)

    response = client.get(f"/benachrichtigungen/{notification.pk}/")

    assert response["Location"] == "/benachrichtigungen/"


def test_post_to_the_inbox_marks_all_own_notifications_read(client, editor, reviewer):
    mine = [note_for(editor), note_for(editor)]
    theirs = note_for(reviewer)
    client.force_login(editor)

    response = client.post("/benachrichtigungen/")

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_inbox_needs_login(client):
    response = client.get("/benachrichtigungen/")

    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_settings_page_saves_preferences(client, editor):
    client.force_login(editor)
    data = {}
    for kind in Kind.all():
        data[f"{kind}_email"] = Email.IMMEDIATE
        data[f"{kind}_in_app"] = "on"
    data[f"{Kind.COMMENT}_email"] = Email.DAILY
    del data[f"{Kind.COMMENT}_in_app"]
    data[f"{Kind.WORKFLOW}_email"] = Email.OFF

    assert client.get("/benachrichtigungen/einstellungen/").status_code == 200
    response = client.post("/benachrichtigungen/einstellungen/", data)

    assert response.status_code == 302
    prefs = {
        p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=editor)
    }
    assert prefs[Kind.COMMENT] == (False, Email.DAILY)
    assert prefs[Kind.WORKFLOW] == (True, Email.OFF)
    assert prefs[Kind.REPLY] == (True, Email.IMMEDIATE)
    assert set(prefs) == set(Kind.all())


def test_saved_preferences_take_effect(
    client, committed, mailoutbox, drafted_section, editor, partner
):
    client.force_login(editor)
    data = {f"{kind}_email": Email.IMMEDIATE for kind in Kind.all()}
    data.update({f"{kind}_in_app": "on" for kind in Kind.all()})
    data[f"{Kind.COMMENT}_email"] = Email.OFF
    client.post("/benachrichtigungen/einstellungen/", data)

    with committed():
        comment_create(actor=partner, target=drafted_section, body="Gut so.")

    assert Notification.objects.filter(recipient=editor).exists()
    assert editor.email not in mailed(mailoutbox)
