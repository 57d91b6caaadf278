"""Overdue, at-risk and report-due flags, computed in the database (selectors.with_flags)."""

import datetime

import pytest
from django.utils import timezone

from measures.models import Measure
from measures.selectors import with_flags
from measures.services import measure_report_status

from .conftest import DAY, Status, make_measure, noon

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def flags(measure: Measure, on: datetime.date | None = DAY) -> Measure:
    """The measure re-read with its flags as of ``on`` (None: today)."""
    return with_flags(Measure.objects.filter(pk=measure.pk), on=on).get()


# Overdue -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "status", "overdue"),
    [
        (DAY, Status.IN_PROGRESS, False),  # due today: not yet overdue
        (DAY + ONE_DAY, Status.IN_PROGRESS, False),
        (DAY - ONE_DAY, Status.IN_PROGRESS, True),
        (DAY - ONE_DAY, Status.PLANNED, True),
        (DAY - ONE_DAY, Status.DELAYED, True),
        (DAY - days(400), Status.IN_PROGRESS, True),
        (DAY - ONE_DAY, Status.DONE, False),
        (DAY - ONE_DAY, Status.STOPPED, False),
        (None, Status.IN_PROGRESS, False),  # no deadline: never overdue
        (None, Status.PLANNED, False),
    ],
)
def test_overdue_means_deadline_passed_and_not_finished(deadline, status, overdue, goal):
    progress = 100 if status == Status.DONE else 30
    measure = make_measure(goal, deadline=deadline, status=status, progress=progress)

    assert flags(measure).is_overdue is overdue


@pytest.mark.parametrize(("offset", "overdue"), [(0, False), (-1, True), (1, False)])
def test_overdue_against_the_real_today(offset, overdue, goal):
    today = timezone.localdate()
    measure = make_measure(goal, deadline=today + days(offset), status=Status.IN_PROGRESS)

    assert flags(measure, on=None).is_overdue is overdue


def test_overdue_can_be_filtered_in_the_database(goal):
    late = make_measure(goal, deadline=DAY - ONE_DAY)
    make_measure(goal, deadline=DAY)
    make_measure(goal, deadline=None)
    make_measure(goal, deadline=DAY - ONE_DAY, status=Status.DONE, progress=100)

    overdue = with_flags(Measure.objects.all(), on=DAY).filter(is_overdue=True)

    assert list(overdue) == [late]


# At risk -----------------------------------------------------------------------------------
# Start 100 days ago, deadline in 100 days: half of the time has passed. With a margin of
# 20 points, a measure is at risk when its progress is below 50 - 20 = 30.


@pytest.mark.parametrize(
    ("progress", "at_risk"),
    [(0, True), (10, True), (29, True), (30, False), (40, False), (80, False)],
)
def test_at_risk_when_progress_lags_elapsed_time_by_more_than_20_points(progress, at_risk, goal):
    measure = make_measure(
        goal,
        start_date=DAY - days(100),
        deadline=DAY + days(100),
        status=Status.IN_PROGRESS,
        progress=progress,
    )

    assert flags(measure).is_at_risk is at_risk


@pytest.mark.parametrize(
    ("start", "deadline", "status", "progress"),
    [
        (DAY + days(10), DAY + days(100), Status.PLANNED, 0),  # not started yet
        (DAY, DAY + days(100), Status.PLANNED, 0),  # starts today
        (None, DAY + days(100), Status.PLANNED, 0),  # no start date
        (DAY - days(100), None, Status.IN_PROGRESS, 0),  # no deadline
        (DAY - days(100), DAY - ONE_DAY, Status.IN_PROGRESS, 0),  # overdue, not "at risk"
        (DAY - days(100), DAY + days(100), Status.STOPPED, 10),  # finished
        (DAY - days(180), DAY + days(20), Status.DONE, 100),
    ],
)
def test_not_at_risk_outside_a_running_unfinished_period(start, deadline, status, progress, goal):
    measure = make_measure(
        goal, start_date=start, deadline=deadline, status=status, progress=progress
    )

    assert flags(measure).is_at_risk is False


def test_at_risk_near_the_deadline_with_little_progress(goal):
    measure = make_measure(
        goal, start_date=DAY - days(90), deadline=DAY + days(10), progress=60
    )  # 90 % of the time gone, 60 % done: 30 points behind

    assert flags(measure).is_at_risk is True


# Report due --------------------------------------------------------------------------------


def reported(measure: Measure, days_ago: int) -> Measure:
    Measure.objects.filter(pk=measure.pk).update(last_reported_at=noon(DAY - days(days_ago)))
    return measure


@pytest.mark.parametrize(
    ("days_ago", "due"), [(0, False), (10, False), (90, False), (91, True), (400, True)]
)
def test_report_due_after_the_default_interval_of_90_days(days_ago, due, field, goal):
    assert field.reporting_interval_days == 90
    measure = reported(make_measure(goal, status=Status.IN_PROGRESS), days_ago)

    assert flags(measure).is_report_due is due


@pytest.mark.parametrize(("days_ago", "due"), [(30, False), (31, True)])
def test_report_due_follows_the_fields_reporting_interval(days_ago, due, field, goal):
    field.reporting_interval_days = 30
    field.save(update_fields=["reporting_interval_days"])
    measure = reported(make_measure(goal, status=Status.IN_PROGRESS), days_ago)

    assert flags(measure).is_report_due is due


@pytest.mark.parametrize(("days_old", "due"), [(5, False), (120, True)])
def test_never_reported_measure_is_due_once_the_interval_since_creation_passed(days_old, due, goal):
    measure = make_measure(goal)
    Measure.objects.filter(pk=measure.pk).update(created_at=noon(DAY - days(days_old)))

    assert flags(measure).is_report_due is due


@pytest.mark.parametrize("status", [Status.DONE, Status.STOPPED])
def test_finished_measures_are_never_due_for_a_report(status, goal):
    progress = 100 if status == Status.DONE else 50
    measure = reported(make_measure(goal, status=status, progress=progress), 500)

    assert flags(measure).is_report_due is False


def test_a_report_through_the_service_clears_report_due(person, goal, working_group):
    measure = make_measure(goal, working_group=working_group)
    Measure.objects.filter(pk=measure.pk).update(
        created_at=timezone.now() - days(200), last_reported_at=timezone.now() - days(200)
    )
    assert flags(measure, on=None).is_report_due is True

    measure_report_status(
        actor=person("wg_member"), measure=measure, status=Status.IN_PROGRESS, progress=25
    )

    assert flags(measure, on=None).is_report_due is False


# Lists -------------------------------------------------------------------------------------


@pytest.fixture
def mixed(goal):
    """Published measures around today: two overdue, the rest not."""
    today = timezone.localdate()
    return {
        "punctual": make_measure(goal, title="Frist heute", deadline=today),
        "late": make_measure(goal, title="Frist gestern", deadline=today - ONE_DAY),
        "very_late": make_measure(goal, title="Frist vor einem Jahr", deadline=today - days(365)),
        "done": make_measure(
            goal, title="Erledigt", deadline=today - days(30), status=Status.DONE, progress=100
        ),
        "open": make_measure(goal, title="Ohne Frist", deadline=None),
        "future": make_measure(goal, title="Frist nächstes Jahr", deadline=today + days(365)),
    }


def test_overdue_filter_lists_only_overdue_measures(client, mixed):
    response = client.get("/massnahmen/", {"overdue": "true"})

    assert response.status_code == 200
    listed = {m.pk for m in response.context["measures"]}
    assert listed == {mixed["late"].pk, mixed["very_late"].pk}
    html = response.content.decode()
    assert "Frist gestern" in html
    assert "Frist heute" not in html
    assert "Erledigt" not in html


def test_overdue_filter_false_lists_the_others(client, mixed):
    response = client.get("/massnahmen/", {"overdue": "false"})

    listed = {m.pk for m in response.context["measures"]}
    assert listed == {mixed[key].pk for key in ("punctual", "done", "open", "future")}


def test_sorting_overdue_first_puts_overdue_measures_on_top(client, mixed):
    response = client.get("/massnahmen/", {"sortierung": "ueberfaellig"})

    listed = [m.pk for m in response.context["measures"]]
    assert listed[:2] == [mixed["very_late"].pk, mixed["late"].pk]  # then by deadline
    assert set(listed[2:]) == {mixed[k].pk for k in ("punctual", "done", "open", "future")}
    html = response.content.decode()
    assert (
        html.index("Frist vor einem Jahr") < html.index("Frist gestern") < html.index("Frist heute")
    )


def test_field_page_overdue_filter_shows_only_overdue_measures(client, field, mixed):
    html = client.get(f"/handlungsfelder/{field.slug}/", {"overdue": "true"}).content.decode()

    assert "Frist gestern" in html
    assert "Frist vor einem Jahr" in html
    for title in ("Frist heute", "Erledigt", "Ohne Frist", "Frist nächstes Jahr"):
        assert title not in html


def test_list_marks_overdue_measures(client, mixed):
    html = client.get("/massnahmen/", {"overdue": "true"}).content.decode()

    assert html.count('class="overdue"') == 2
