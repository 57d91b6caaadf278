"""Reporting periods: closing freezes a snapshot whose bytes never change; reopening rules;
the comparison across any number of periods."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from measures import selectors, services, snapshots
from measures.models import PeriodSnapshot

from .conftest import PEOPLE, noon

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(goal, coordinator):
    return services.indicator_create(
        actor=coordinator, goal=goal, title="Erreichte Unternehmen", unit="Unternehmen",
        direction="increase", baseline_value=Decimal(0), baseline_date=D(2023, 1, 1),
        target_value=Decimal(200), target_date=D(2026, 12, 31),
    )  # fmt: skip


@pytest.fixture
def history(measure, indicator, coordinator, responsible):
    """Reports and values before, between and after two congresses."""
    for when, status, progress, note in (
        (D(2024, 3, 1), "in_progress", 20, "Start der Sprechstunden"),
        (D(2024, 9, 1), "in_progress", 45, "Zweite Welle"),
        (D(2025, 3, 1), "delayed", 50, "Personalengpass"),
    ):
        services.measure_report_status(
            actor=responsible, measure=measure, status=status, progress=progress, note=note,
            reported_at=noon(when),
        )  # fmt: skip
    for day, value in ((D(2024, 5, 1), 30), (D(2024, 11, 1), 80), (D(2025, 2, 1), 95)):
        services.indicator_record_value(
            actor=coordinator, indicator=indicator, date=day, value=Decimal(value)
        )


def make_period(coordinator, title, start, end):
    return services.period_create(actor=coordinator, title=title, start=start, end=end)


def test_snapshot_is_canonical_json_with_its_sha256(history, coordinator, measure, indicator):
    period = make_period(coordinator, "bis 2. Kongress", D(2024, 1, 1), D(2024, 6, 6))

    snapshot = services.period_close(actor=coordinator, period=period)

    content = bytes(snapshot.content)
    assert snapshot.sha256 == hashlib.sha256(content).hexdigest()
    data = json.loads(content)
    assert (
        content
        == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    [m] = data["measures"]
    assert (m["id"], m["status"], m["progress"], m["note"]) == (
        measure.pk,
        "in_progress",
        20,
        "Start der Sprechstunden",
    )
    [i] = data["indicators"]
    assert (i["id"], i["value"], i["date"]) == (indicator.pk, "30", "2024-05-01")


def test_snapshot_bytes_and_hash_never_change(history, coordinator, measure, indicator, goal):
    period = make_period(coordinator, "bis 2. Kongress", D(2024, 1, 1), D(2024, 6, 6))
    frozen = services.period_close(actor=coordinator, period=period)
    before = (bytes(frozen.content), frozen.sha256)

    # Everything changes afterwards: titles, reports, values, even back-dated ones.
    services.measure_update(actor=coordinator, measure=measure, title="Neuer Titel")
    services.goal_update(actor=coordinator, goal=goal, title="Neues Ziel")
    services.indicator_update(actor=coordinator, indicator=indicator, title="Umbenannt")
    services.measure_report_status(
        actor=coordinator, measure=measure, status="done", progress=100, note="fertig",
        reported_at=noon(D(2024, 5, 1)),
    )  # fmt: skip
    services.indicator_record_value(
        actor=coordinator, indicator=indicator, date=D(2024, 6, 1), value=Decimal(999)
    )
    later = make_period(coordinator, "bis 3. Kongress", D(2024, 6, 7), D(2025, 5, 1))
    services.period_close(actor=coordinator, period=later)

    stored = PeriodSnapshot.objects.get(pk=frozen.pk)
    assert (bytes(stored.content), stored.sha256) == before
    served = APIClient().get(f"/api/v1/reporting-periods/{period.pk}/snapshot/")
    assert served.content == before[0]
    assert hashlib.sha256(served.content).hexdigest() == before[1]
    listed = APIClient().get(f"/api/v1/reporting-periods/{period.pk}/").json()
    assert listed["snapshot_sha256"] == before[1]


def test_reopen_needs_a_reason_is_audited_and_closing_again_adds_a_snapshot(
    history, coordinator, measure
):
    period = make_period(coordinator, "bis 2. Kongress", D(2024, 1, 1), D(2024, 6, 6))
    first = services.period_close(actor=coordinator, period=period)

    with pytest.raises(ValidationError):
        services.period_reopen(actor=coordinator, period=period, reason="  ")
    services.period_reopen(actor=coordinator, period=period, reason="Nachmeldung der IHK")
    period.refresh_from_db()
    assert period.state == "open"
    assert (
        APIClient().get(f"/api/v1/reporting-periods/{period.pk}/").json()["snapshot_sha256"] is None
    )
    entry = AuditEntry.objects.filter(object_type="measures.ReportingPeriod").first()
    assert entry.details == {"action": "reopen", "reason": "Nachmeldung der IHK"}
    assert entry.actor == coordinator

    services.measure_report_status(
        actor=coordinator, measure=measure, status="in_progress", progress=30,
        reported_at=noon(D(2024, 6, 1)),
    )  # fmt: skip
    second = services.period_close(actor=coordinator, period=period)

    assert second.number == 2 and second.sha256 != first.sha256
    assert PeriodSnapshot.objects.get(pk=first.pk).sha256 == first.sha256
    old = APIClient().get(f"/api/v1/reporting-periods/{period.pk}/snapshot/?version=1")
    assert old.content == bytes(first.content)


def test_an_open_period_cannot_be_reopened_nor_a_closed_one_closed(coordinator):
    period = make_period(coordinator, "bis 2. Kongress", D(2024, 1, 1), D(2024, 6, 6))
    with pytest.raises(ValidationError):
        services.period_reopen(actor=coordinator, period=period, reason="x")
    services.period_close(actor=coordinator, period=period)
    with pytest.raises(ValidationError):
        services.period_close(actor=coordinator, period=period)


# Only coordinators create, close and reopen periods.
MANAGE_PERIODS = {"coordinator"}


@pytest.mark.parametrize(("role", "allowed"), [(k, k in MANAGE_PERIODS) for k in PEOPLE])
def test_only_coordinators_create_close_and_reopen_periods(role, allowed, person, coordinator):
    user = person(role)
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    created = client.post(
        "/api/v1/reporting-periods/",
        {"title": "bis 2. Kongress", "start": "2024-01-01", "end": "2024-06-06"},
        format="json",
    )
    assert (created.status_code == 201) is allowed
    assert created.status_code in ((201,) if allowed else (401, 403))
    period = make_period(coordinator, "p", D(2024, 1, 1), D(2024, 6, 6))
    closed = client.post(f"/api/v1/reporting-periods/{period.pk}/close/")
    assert closed.status_code in ((200,) if allowed else (401, 403))
    if not allowed:
        services.period_close(actor=coordinator, period=period)
    reopened = client.post(
        f"/api/v1/reporting-periods/{period.pk}/reopen/", {"reason": "Korrektur"}, format="json"
    )
    assert reopened.status_code in ((200,) if allowed else (401, 403))
    period.refresh_from_db()
    assert period.state == ("open" if allowed else "closed")


def test_reopen_without_reason_is_a_400_naming_the_field(coordinator):
    period = make_period(coordinator, "p", D(2024, 1, 1), D(2024, 6, 6))
    services.period_close(actor=coordinator, period=period)
    client = APIClient()
    client.force_authenticate(coordinator)
    answer = client.post(f"/api/v1/reporting-periods/{period.pk}/reopen/", {}, format="json")
    assert answer.status_code == 400
    assert "reason" in answer.json()["errors"]


def test_snapshot_of_an_open_period_is_a_404(coordinator):
    period = make_period(coordinator, "p", D(2024, 1, 1), D(2024, 6, 6))
    assert APIClient().get(f"/api/v1/reporting-periods/{period.pk}/snapshot/").status_code == 404


def test_period_ending_before_it_starts_is_refused(coordinator):
    with pytest.raises(ValidationError):
        make_period(coordinator, "p", D(2024, 6, 6), D(2024, 1, 1))


def test_comparison_shows_each_period_and_the_change(history, coordinator, measure, indicator):
    second = make_period(coordinator, "2. Kongress", D(2024, 1, 1), D(2024, 6, 6))
    third = make_period(coordinator, "3. Kongress", D(2024, 6, 7), D(2024, 12, 31))
    fourth = make_period(coordinator, "4. Kongress", D(2025, 1, 1), D(2025, 6, 30))
    for period in (second, third, fourth):
        services.period_close(actor=coordinator, period=period)

    result = snapshots.compare(list(selectors.periods()))

    [m] = result.measures
    assert [c.value for c in m.cells] == [20, 45, 50]
    assert [c.change for c in m.cells] == [None, 25, 5]
    assert [c.status for c in m.cells] == ["in_progress", "in_progress", "delayed"]
    [i] = result.indicators
    assert [c.value for c in i.cells] == [Decimal(30), Decimal(80), Decimal(95)]
    assert i.total_change == Decimal(65)


def test_comparison_query_count_is_constant_in_periods_and_values(
    history, coordinator, indicator, client
):
    def close(n, offset):
        for k in range(n):
            start = D(2020 + offset + k, 1, 1)
            period = make_period(coordinator, f"P{offset + k}", start, start.replace(month=12))
            services.period_close(actor=coordinator, period=period)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    close(1, 0)
    urls = ("/berichtszeitraeume/vergleich/", "/berichtszeitraeume/vergleich.csv",
            "/berichtszeitraeume/", "/api/v1/reporting-periods/")  # fmt: skip
    few = [queries(u) for u in urls]
    close(4, 1)
    for day in range(1, 20):
        services.indicator_record_value(
            actor=coordinator, indicator=indicator, date=D(2024, 1, day), value=Decimal(day)
        )
    assert [queries(u) for u in urls] == few
