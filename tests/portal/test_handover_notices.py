"""A notice at every hand-over, in the inbox and by e-mail, by each person's settings."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import RoleName, role_grant
from charta.models import Section
from charta.services import section_follow, section_save_draft, section_transition
from comments.services import (
    comment_create,
    comment_dismiss_reports,
    comment_hide,
    comment_report,
    comment_restore,
)
from measures import services as measure_services
from notifications.models import Notification, NotificationPreference
from notifications.services import digests_send
from tests.conftest import fresh, user_with
from tests.factories import GoalFactory, OrganisationFactory
from tests.notices import Kind

pytestmark = pytest.mark.django_db


def reload(section: Section) -> Section:
    return Section.objects.select_related("current_revision").get(pk=section.pk)


def take(section: Section, user, action: str, note: str = "") -> Section:
    return section_transition(actor=fresh(user), section=reload(section), action=action, note=note)


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def written(section, editor) -> Section:
    section_save_draft(actor=fresh(editor), section=section, body="Ein Text.", base_revision=None)
    return reload(section)


@pytest.fixture
def follower(db):
    return user_with("folgt", RoleName.PARTNER)


# The matrix: each hand-over, who hears of it -----------------------------------------------


def test_submitted_reaches_the_fields_reviewers(committed, written, editor, reviewer):
    with committed():
        take(written, editor, "submit")

    assert told(Kind.REVIEW_REQUEST) == [reviewer.username]
    assert mailed_to() == [reviewer.email]


def test_submitted_reaches_the_coordinators_when_the_field_has_no_reviewers(
    committed, written, editor, coordinator
):
    with committed():
        take(written, editor, "submit")

    assert told(Kind.REVIEW_REQUEST) == [coordinator.username]


@pytest.mark.parametrize("action", ["request_changes", "approve"])
def test_changes_requested_or_approved_reaches_the_editors_and_the_submitter(
    action, committed, written, editor, reviewer, coordinator
):
    second_editor = user_with("redaktion-2", RoleName.EDITOR, written.action_field)
    take(written, second_editor, "submit")

    with committed():
        take(written, reviewer, action, note="Bitte kürzen.")

    assert told(Kind.WORKFLOW) == sorted([editor.username, second_editor.username])


def test_approved_reaches_the_coordinators(committed, written, editor, reviewer, coordinator):
    take(written, editor, "submit")

    with committed():
        take(written, reviewer, "approve")

    assert told(Kind.PUBLISH_REQUEST) == [coordinator.username]
    assert coordinator.email in mailed_to()
    notice = Notification.objects.get(kind=Kind.PUBLISH_REQUEST)
    assert notice.url == f"/charta/abschnitt/{written.pk}/#arbeitsschritte"


def test_published_reaches_the_fields_editors_reviewers_and_followers(
    committed, written, editor, reviewer, coordinator, follower, other_editor
):
    section_follow(actor=fresh(follower), section=written, follow=True)
    take(written, editor, "submit")
    take(written, reviewer, "approve")

    with committed():
        take(written, coordinator, "publish")

    assert told(Kind.PUBLISHED) == sorted([editor.username, reviewer.username, follower.username])
    assert mailed_to() == sorted([editor.email, reviewer.email, follower.email])


def test_who_stops_following_hears_nothing(
    committed, written, editor, reviewer, coordinator, follower
):
    section_follow(actor=fresh(follower), section=written, follow=True)
    section_follow(actor=fresh(follower), section=written, follow=False)
    take(written, editor, "submit")
    take(written, reviewer, "approve")

    with committed():
        take(written, coordinator, "publish")

    assert follower.username not in told(Kind.PUBLISHED)


def test_a_reported_comment_reaches_the_coordinators(
    committed, written, partner, reviewer, coordinator
):
    comment = comment_create(actor=fresh(reviewer), target=written, body="Unsinn")

    with committed():
        comment_report(actor=fresh(partner), comment=comment, reason="Beleidigend")

    assert told(Kind.REPORTED) == [coordinator.username]
    assert mailed_to() == [coordinator.email]
    notice = Notification.objects.get(kind=Kind.REPORTED)
    assert "Beleidigend" in notice.title
    assert notice.url == f"/kommentare/moderation/#meldung-{comment.pk}"


@pytest.fixture
def owner_editor(field):
    return user_with("redaktion-eigentuemer", RoleName.EDITOR, field)


def test_a_status_report_reaches_the_goal_owners_editors(
    committed, field, coordinator, editor, owner_editor, wg_member, working_group
):
    owner = OrganisationFactory()
    Membership.objects.create(user=owner_editor, organisation=owner)
    goal = GoalFactory(action_field=field, owner=owner)
    measure = measure_services.measure_create(
        actor=fresh(coordinator), goal=goal, owner=owner, title="Helpdesk",
        working_group=working_group,
        deadline=timezone.localdate() + datetime.timedelta(days=60),
    )  # fmt: skip

    with committed():
        measure_services.measure_report_status(
            actor=fresh(wg_member), measure=measure, status="in_progress", progress=40
        )

    assert told(Kind.STATUS_REPORT) == [owner_editor.username]
    assert mailed_to() == [owner_editor.email]


def test_a_status_report_reaches_all_editors_of_the_field_when_none_belongs_to_the_owner(
    committed, field, coordinator, editor, wg_member, working_group
):
    goal = GoalFactory(action_field=field, owner=OrganisationFactory())
    measure = measure_services.measure_create(
        actor=fresh(coordinator), goal=goal, owner=goal.owner, title="Helpdesk",
        working_group=working_group,
    )  # fmt: skip

    with committed():
        measure_services.measure_report_status(
            actor=fresh(wg_member), measure=measure, status="in_progress", progress=40
        )

    assert told(Kind.STATUS_REPORT) == [editor.username]


@pytest.mark.parametrize("decision", ["hide", "dismiss", "restore"])
def test_a_moderation_decision_reaches_the_author_with_the_reason(
    decision, committed, written, partner, reviewer, coordinator
):
    comment = comment_create(actor=fresh(reviewer), target=written, body="Unsinn")
    comment_report(actor=fresh(partner), comment=comment, reason="Beleidigend")
    if decision == "restore":
        comment_hide(actor=fresh(coordinator), comment=comment, reason="Beleidigend")
        Notification.objects.all().delete()

    with committed():
        if decision == "hide":
            comment_hide(actor=fresh(coordinator), comment=comment, reason="Persönlicher Angriff")
        elif decision == "dismiss":
            comment_dismiss_reports(actor=fresh(coordinator), comment=comment, reason="Sachlich")
        else:
            comment_restore(actor=fresh(coordinator), comment=comment, reason="Versehen")

    [notice] = Notification.objects.filter(kind=Kind.HIDDEN)
    assert notice.recipient == reviewer
    reason = {"hide": "Persönlicher Angriff", "dismiss": "Sachlich", "restore": "Versehen"}
    assert reason[decision] in notice.title
    assert mailed_to() == [reviewer.email]


# Settings and the daily digest are respected ----------------------------------------------


def test_a_hand_over_waits_for_the_daily_digest_when_the_person_chose_it(
    committed, written, editor, reviewer
):
    NotificationPreference.objects.create(
        user=reviewer, kind=Kind.REVIEW_REQUEST, email=NotificationPreference.Email.DAILY
    )

    with committed():
        take(written, editor, "submit")

    assert told(Kind.REVIEW_REQUEST) == [reviewer.username]
    assert mail.outbox == []
    assert digests_send() == 1
    assert mailed_to() == [reviewer.email]


def test_a_hand_over_stays_out_of_the_inbox_when_the_person_said_so(
    committed, written, editor, reviewer, coordinator
):
    take(written, editor, "submit")
    NotificationPreference.objects.create(
        user=coordinator, kind=Kind.PUBLISH_REQUEST, in_app=False,
        email=NotificationPreference.Email.OFF,
    )  # fmt: skip

    with committed():
        take(written, reviewer, "approve")

    assert told(Kind.PUBLISH_REQUEST) == []
    assert coordinator.email not in mailed_to()


def test_every_hand_over_kind_is_in_the_settings(client, partner):
    client.force_login(partner)

    page = client.get("/benachrichtigungen/einstellungen/").content.decode()

    for label in (
        "Freigegebene Abschnitte (Koordination)",
        "Veröffentlichte Abschnitte",
        "Gemeldete Kommentare (Koordination)",
        "Statusberichte zu Zielen meiner Organisation",
        "Moderation meiner Kommentare",
    ):
        assert label in page


def test_following_is_offered_on_the_section_page(client, written, partner):
    client.force_login(partner)

    response = client.post(f"/charta/abschnitt/{written.pk}/folgen/", {"follow": "1"}, follow=True)

    page = response.content.decode()
    assert "Sie folgen diesem Abschnitt." in page
    assert "Nicht mehr folgen" in page


def test_an_editor_in_two_roles_is_told_once(committed, written, editor, reviewer, coordinator):
    role_grant(actor=None, role=RoleName.REVIEWER, grantee=editor, obj=written.action_field)
    section_follow(actor=fresh(editor), section=written, follow=True)
    take(written, editor, "submit")
    take(written, reviewer, "approve")

    with committed():
        take(written, coordinator, "publish")

    assert told(Kind.PUBLISHED).count(editor.username) == 1
