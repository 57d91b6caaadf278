"""Deadline reminders (manage.py send_deadline_reminders): who, which measures, how often."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from measures import selectors
from measures.models import ReminderLog
from measures.services import measure_create, measure_report_status
from measures.workflow import ImplementationStatus
from notifications.models import Notification, NotificationPreference
from tests.factories import GoalFactory, OrganisationFactory, UserFactory
from tests.notices import Kind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 12)  # a Wednesday


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Pin the command's notion of today, so that week boundaries are deterministic."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def responsible(db):
    return UserFactory(username="verantwortlich")


@pytest.fixture
def make_measure(field, coordinator, responsible, working_group, wg_member):
    goal = GoalFactory(action_field=field)

    def make(days: int | None, title: str = "Sprechstunde für KMU", **kwargs):
        return measure_create(
            actor=coordinator,
            goal=goal,
            title=title,
            owner=OrganisationFactory(),
            responsible=kwargs.pop("responsible", [responsible]),
            working_group=kwargs.pop("working_group", working_group),
            deadline=None if days is None else TODAY + datetime.timedelta(days=days),
            **kwargs,
        )

    return make


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    def run(days: int = 14) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_deadline_reminders", days=days, stdout=out)
        return out.getvalue()

    return run


def finish(measure, coordinator, status: str) -> None:
    measure_report_status(
        actor=coordinator,
        measure=measure,
        status=status,
        progress=100 if status == ImplementationStatus.DONE else 40,
        note="Beendet, weil die Förderung ausläuft.",
    )


def told() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=Kind.DEADLINE).values_list(
            "recipient__username", flat=True
        )
    )


def mailed(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


@pytest.mark.parametrize("days", [0, 7, 14])
def test_measure_due_soon_reminds_responsible_users_and_working_group(
    days, make_measure, remind, mailoutbox, responsible, wg_member
):
    measure = make_measure(days)

    remind(14)

    assert told() == sorted([responsible.username, wg_member.username])
    assert mailed(mailoutbox) == sorted([responsible.email, wg_member.email])
    notification = Notification.objects.filter(recipient=responsible).get()
    assert "Frist am" in notification.title
    assert measure.title in notification.title
    assert notification.url == measure.get_absolute_url()


def test_overdue_measure_is_reminded_as_overdue(
    make_measure, remind, mailoutbox, responsible, wg_member
):
    make_measure(-3)

    remind(14)

    assert told() == sorted([responsible.username, wg_member.username])
    assert all("Überfällig seit 09.03.2025" in n.title for n in Notification.objects.all())
    assert len(mailoutbox) == 2


def test_overdue_measure_in_progress_is_reminded(
    make_measure, remind, coordinator, responsible, wg_member
):
    measure = make_measure(-30)
    measure_report_status(
        actor=coordinator, measure=measure, status=ImplementationStatus.DELAYED, progress=20
    )

    remind(14)

    assert told() == sorted([responsible.username, wg_member.username])


@pytest.mark.parametrize("days", [15, 30])
def test_measure_due_later_is_not_reminded(days, make_measure, remind, mailoutbox):
    make_measure(days)

    remind(14)

    assert told() == []
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_measure_without_deadline_is_not_reminded(make_measure, remind, mailoutbox):
    make_measure(None)

    remind(14)

    assert told() == []
    assert mailoutbox == []


@pytest.mark.parametrize("status", [ImplementationStatus.DONE, ImplementationStatus.STOPPED])
@pytest.mark.parametrize("days", [-3, 7])
def test_finished_measure_is_never_reminded(
    status, days, make_measure, remind, mailoutbox, coordinator, monkeypatch
):
    finish(make_measure(days), coordinator, status)

    remind(14)
    monkeypatch.setattr(selectors, "today", lambda: TODAY + datetime.timedelta(days=7))
    remind(14)

    assert told() == []
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_days_option_widens_the_window(make_measure, remind, responsible):
    make_measure(30)

    remind(30)

    assert responsible.username in told()


def test_second_run_in_the_same_week_sends_nothing_new(
    make_measure, remind, mailoutbox, monkeypatch
):
    soon = make_measure(7, title="Bald fällig")
    late = make_measure(-3, title="Überfällig")
    remind(14)
    first_mails = len(mailoutbox)
    first_notifications = Notification.objects.count()

    remind(14)
    # Later in the same ISO week (Sunday).
    monkeypatch.setattr(selectors, "today", lambda: TODAY + datetime.timedelta(days=4))
    remind(14)

    assert first_mails == 4
    assert len(mailoutbox) == first_mails
    assert Notification.objects.count() == first_notifications
    assert ReminderLog.objects.filter(measure=soon).count() == 1
    assert ReminderLog.objects.filter(measure=late).count() == 1


def test_next_week_reminds_again(make_measure, remind, mailoutbox, monkeypatch, responsible):
    make_measure(-3)
    remind(14)

    monkeypatch.setattr(selectors, "today", lambda: TODAY + datetime.timedelta(days=7))
    remind(14)

    assert Notification.objects.filter(recipient=responsible).count() == 2
    assert ReminderLog.objects.count() == 2


def test_person_who_is_responsible_and_group_member_is_reminded_once(
    make_measure, remind, mailoutbox, wg_member
):
    make_measure(7, responsible=[wg_member])

    remind(14)

    assert told() == [wg_member.username]
    assert mailed(mailoutbox) == [wg_member.email]


def test_measure_without_working_group_reminds_its_responsible_users(
    make_measure, remind, responsible
):
    make_measure(7, working_group=None)

    remind(14)

    assert told() == [responsible.username]


def test_reminder_respects_the_daily_digest_preference(
    make_measure, remind, mailoutbox, responsible
):
    NotificationPreference.objects.create(
        user=responsible, kind=Kind.DEADLINE, email=NotificationPreference.Email.DAILY
    )
    make_measure(7)

    remind(14)
    assert responsible.email not in mailed(mailoutbox)
    mailoutbox.clear()
    call_command("send_digests", stdout=StringIO())

    assert mailed(mailoutbox) == [responsible.email]
