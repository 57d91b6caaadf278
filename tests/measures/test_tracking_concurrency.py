"""Concurrent writes on PostgreSQL: a period closes once, opposite dependencies never make a
cycle, a report is acknowledged once."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from measures import services
from measures.models import Measure, PeriodSnapshot, StatusUpdate
from tests.conftest import fresh

from .conftest import make_measure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite: one writer)"
    ),
]


def race(*calls) -> list[str]:
    """Run the calls at the same moment in threads; each outcome is "ok" or the error's name."""
    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            result = "ok"
        except (ValidationError, PermissionDenied) as error:
            result = type(error).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_coordinators_closing_one_period_freeze_one_snapshot(coordinator, measure):
    period = services.period_create(
        actor=coordinator, title="p", start=datetime.date(2024, 1, 1), end=datetime.date(2099, 1, 1)
    )
    outcomes = race(
        lambda: services.period_close(actor=fresh(coordinator), period=period),
        lambda: services.period_close(actor=fresh(coordinator), period=period),
    )
    assert outcomes == ["ValidationError", "ok"]
    assert PeriodSnapshot.objects.filter(period=period).count() == 1


def test_opposite_dependencies_at_once_never_make_a_cycle(goal, coordinator):
    a = make_measure(goal, title="A")
    b = make_measure(goal, title="B")
    outcomes = race(
        lambda: services.measure_update(actor=fresh(coordinator), measure=a, depends_on=[b]),
        lambda: services.measure_update(actor=fresh(coordinator), measure=b, depends_on=[a]),
    )
    assert outcomes == ["ValidationError", "ok"]
    links = Measure.depends_on.through.objects.count()
    assert links == 1


def test_two_editors_acknowledging_at_once_acknowledge_once(
    measure, responsible, editor, coordinator
):
    update = services.measure_report_status(
        actor=responsible, measure=measure, status="in_progress", progress=10
    )
    outcomes = race(
        lambda: services.status_update_acknowledge(actor=fresh(editor), update=update),
        lambda: services.status_update_acknowledge(actor=fresh(coordinator), update=update),
    )
    assert outcomes == ["ValidationError", "ok"]
    assert StatusUpdate.objects.get(pk=update.pk).acknowledged_by is not None
