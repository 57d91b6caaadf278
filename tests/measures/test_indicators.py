"""Indicators: the status table, who records values, and the API answers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from measures import selectors, services
from measures.indicators import Line, read
from measures.models import Indicator, IndicatorValue

from .conftest import PEOPLE, make_goal

D = datetime.date
BASE, TARGET = D(2024, 1, 1), D(2025, 1, 1)  # 366 days
UP = Line("increase", Decimal(0), BASE, Decimal(100), TARGET)
DOWN = Line("decrease", Decimal(100), BASE, Decimal(20), TARGET)
MID = D(2024, 7, 2)  # day 183 of 366: half way


@pytest.mark.parametrize(
    ("line", "values", "status", "expected"),
    [
        pytest.param(UP, [], "no_data", None, id="no-values"),
        pytest.param(UP, [(D(2023, 6, 1), Decimal(5))], "on_track", Decimal(0), id="before-base"),
        pytest.param(
            UP, [(D(2023, 6, 1), Decimal(-1))], "behind", Decimal(0), id="before-base-below"
        ),
        pytest.param(UP, [(MID, Decimal(50))], "on_track", Decimal(50), id="on-the-line"),
        pytest.param(UP, [(MID, Decimal("49.9"))], "behind", Decimal(50), id="just-behind"),
        pytest.param(UP, [(MID, Decimal(100))], "achieved", Decimal(50), id="achieved-early"),
        pytest.param(
            UP, [(D(2025, 6, 1), Decimal(90))], "behind", Decimal(100), id="after-target-date"
        ),
        pytest.param(DOWN, [(MID, Decimal(60))], "on_track", Decimal(60), id="decreasing-on-line"),
        pytest.param(DOWN, [(MID, Decimal(70))], "behind", Decimal(60), id="decreasing-behind"),
        pytest.param(DOWN, [(MID, Decimal(19))], "achieved", Decimal(60), id="decreasing-achieved"),
        pytest.param(UP, [(MID, Decimal(60))], "on_track", Decimal(50), id="single-value"),
        pytest.param(
            UP, [(MID, Decimal(60)), (D(2024, 3, 1), Decimal(1))], "on_track", Decimal(50),
            id="latest-by-date-not-by-entry",
        ),
    ],
)  # fmt: skip
def test_indicator_status_table(line, values, status, expected):
    reading = read(line, values)

    assert reading.status == status
    assert reading.expected_value == expected
    if values:
        latest = max(values, key=lambda v: v[0])
        assert (reading.latest_date, reading.latest_value) == latest


def test_expected_value_is_on_the_straight_line_between_baseline_and_target():
    assert UP.expected_on(D(2024, 4, 1)) == Decimal("24.863")  # 91 / 366 of the way
    assert DOWN.expected_on(TARGET) == Decimal(20)


@pytest.fixture
def indicator(goal, coordinator) -> Indicator:
    return services.indicator_create(
        actor=coordinator,
        goal=goal,
        title="Erreichte Unternehmen",
        unit="Unternehmen",
        direction="increase",
        baseline_value=Decimal(0),
        baseline_date=BASE,
        target_value=Decimal(100),
        target_date=TARGET,
    )


# Editors of the field and coordinators define indicators; the goal's reporters (of any of
# its measures) record values besides them.
DEFINE = {"coordinator", "editor"}
RECORD = {"coordinator", "editor", "wg_member", "responsible"}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [(k, k in RECORD) for k in PEOPLE])
def test_values_are_recorded_by_reporters_of_the_goal_editors_and_coordinators(
    role, allowed, person, indicator, measure
):
    actor = person(role)
    kwargs = {"actor": actor, "indicator": indicator, "date": MID, "value": Decimal(7)}
    if allowed:
        services.indicator_record_value(**kwargs)
    else:
        with pytest.raises(PermissionDenied):
            services.indicator_record_value(**kwargs)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == (1 if allowed else 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [(k, k in DEFINE) for k in PEOPLE])
def test_indicators_are_defined_by_editors_and_coordinators(role, allowed, person, goal, measure):
    client = APIClient()
    user = person(role)
    if user.is_authenticated:
        client.force_authenticate(user)
    answer = client.post(
        "/api/v1/indicators/",
        {
            "goal": goal.pk, "title": "Teilnehmende", "direction": "increase",
            "baseline_value": 0, "baseline_date": "2024-01-01", "target_value": 300,
            "target_date": "2026-06-30",
        },
        format="json",
    )  # fmt: skip
    if allowed:
        assert answer.status_code == 201, answer.content
        assert answer.json()["status"] == "no_data"
    else:
        # Anonymous: 401/403; a goal the requester does not manage is no valid choice: 400.
        assert answer.status_code in (400, 401, 403)
    assert Indicator.objects.filter(title="Teilnehmende").exists() is allowed


@pytest.mark.django_db
def test_api_reports_latest_expected_value_and_status(indicator, coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    posted = client.post(
        f"/api/v1/indicators/{indicator.pk}/values/",
        {"date": MID.isoformat(), "value": 40, "note": "Zählung der Sprechstunden"},
        format="json",
    )
    assert posted.status_code == 201, posted.content

    data = APIClient().get(f"/api/v1/indicators/{indicator.pk}/").json()

    assert data["latest_value"] == 40
    assert data["latest_date"] == MID.isoformat()
    assert data["expected_value"] == 50
    assert data["status"] == "behind"
    values = APIClient().get(f"/api/v1/indicators/{indicator.pk}/values/").json()
    assert values["results"][0]["note"] == "Zählung der Sprechstunden"


@pytest.mark.django_db
def test_values_are_append_only_in_the_api(indicator, coordinator):
    row = services.indicator_record_value(
        actor=coordinator, indicator=indicator, date=MID, value=Decimal(1)
    )
    client = APIClient()
    client.force_authenticate(coordinator)
    for method in ("put", "patch", "delete"):
        answer = getattr(client, method)(f"/api/v1/indicators/{indicator.pk}/values/", {})
        assert answer.status_code == 405
    assert IndicatorValue.objects.get().value == row.value


@pytest.mark.django_db
def test_indicator_of_a_draft_goal_is_invisible_to_the_public(field, organisation, coordinator):
    draft = make_goal(field, organisation, state="draft")
    hidden = services.indicator_create(
        actor=coordinator, goal=draft, title="Intern", direction="increase",
        baseline_value=Decimal(0), baseline_date=BASE, target_value=Decimal(1), target_date=TARGET,
    )  # fmt: skip

    assert APIClient().get(f"/api/v1/indicators/{hidden.pk}/").status_code == 404
    assert APIClient().get("/api/v1/indicators/").json()["count"] == 0


@pytest.mark.django_db
def test_direction_must_match_baseline_and_target(goal, coordinator):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=coordinator, goal=goal, title="x", direction="decrease",
            baseline_value=Decimal(0), baseline_date=BASE, target_value=Decimal(5),
            target_date=TARGET,
        )  # fmt: skip
    assert "direction" in error.value.message_dict


@pytest.mark.django_db
def test_future_values_are_refused(indicator, coordinator):
    tomorrow = selectors.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.indicator_record_value(
            actor=coordinator, indicator=indicator, date=tomorrow, value=Decimal(1)
        )


@pytest.mark.django_db
def test_bad_goal_filter_is_a_400_naming_it():
    answer = APIClient().get("/api/v1/indicators/?goal=abc")
    assert answer.status_code == 400
    assert "goal" in answer.content.decode()


@pytest.mark.django_db
def test_indicator_list_query_count_is_constant(goal, coordinator, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            ind = services.indicator_create(
                actor=coordinator, goal=goal, title=f"I{i}", direction="increase",
                baseline_value=Decimal(0), baseline_date=BASE, target_value=Decimal(9),
                target_date=TARGET,
            )  # fmt: skip
            for day in (D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)):
                services.indicator_record_value(
                    actor=coordinator, indicator=ind, date=day, value=Decimal(1)
                )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert (
                APIClient().get("/api/v1/indicators/", HTTP_ACCEPT="application/json").status_code
                == 200
            )
        return len(ctx.captured_queries)

    add(1)
    few = count()
    add(6)
    from django.core.cache import cache

    cache.clear()
    assert count() == few


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [(Decimal("12.500"), "12,5", "12.5"), (Decimal("100.000"), "100", "100"),
     (Decimal("65.664"), "65,66", "65.66"), (None, "–", "–")],
)  # fmt: skip
def test_figures_show_at_most_two_decimals_without_trailing_zeros(value, german, english):
    from django.utils import translation

    from measures.indicators import figure

    with translation.override("de"):
        assert figure(value) == german
    with translation.override("en"):
        assert figure(value) == english


def _api(user) -> APIClient:
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [(k, k in RECORD) for k in PEOPLE])
def test_api_values_are_posted_by_reporters_editors_and_coordinators(
    role, allowed, person, indicator, measure
):
    answer = _api(person(role)).post(
        f"/api/v1/indicators/{indicator.pk}/values/",
        {"date": "2024-05-01", "value": 3, "note": ""},
        format="json",
    )
    assert answer.status_code == (201 if allowed else 401 if role == "anonymous" else 403)
    assert IndicatorValue.objects.exists() is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [(k, k in DEFINE) for k in PEOPLE])
def test_api_indicators_are_changed_by_editors_and_coordinators(
    role, allowed, person, indicator, measure
):
    answer = _api(person(role)).patch(
        f"/api/v1/indicators/{indicator.pk}/", {"target_value": 120}, format="json"
    )
    assert answer.status_code == (200 if allowed else 401 if role == "anonymous" else 403)
    indicator.refresh_from_db()
    assert (indicator.target_value == 120) is allowed
