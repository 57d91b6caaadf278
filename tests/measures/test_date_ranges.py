"""Dates people enter lie between 1990-01-01 and 2100-12-31: one validator on the model
fields, so that the pages, the API and the services refuse the same dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from measures import services
from measures.models import Goal, Measure, Milestone
from tests.api.helpers import assert_error, client_for, snapshot

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"]
ENDS_OF_THE_RANGE = ["1990-01-01", "2100-12-31"]
MESSAGE = "Bitte ein Datum zwischen dem 01.01.1990 und dem 31.12.2100 angeben."


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def written() -> dict:
    """Everything a refused write must leave as it was (milestones are not in snapshot())."""
    return {**snapshot(), "milestones": list(Milestone.objects.order_by("pk").values())}


# API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", OUT_OF_RANGE)
@pytest.mark.parametrize(
    ("path", "field_name"),
    [
        ("goals", "target_date"),
        ("measures", "start_date"),
        ("measures", "deadline"),
        ("milestones", "due_date"),
    ],
)
def test_the_api_refuses_dates_outside_1990_to_2100_naming_the_field(
    path, field_name, date, coordinator, field, goal, measure, organisation
):
    bodies = {
        "goals": {"action_field": field.slug, "title": "Ziel", "owner": organisation.slug},
        "measures": {"goal": goal.pk, "title": "Maßnahme", "owner": organisation.slug},
        "milestones": {"measure": measure.pk, "title": "Workshop", "due_date": "2027-03-01"},
    }
    before = written()

    response = client_for(coordinator).post(
        f"/api/v1/{path}/", {**bodies[path], field_name: date}, format="json"
    )

    data = assert_error(response, 400, field_name)
    assert data["errors"][field_name] == [MESSAGE]
    assert written() == before


@pytest.mark.parametrize("date", OUT_OF_RANGE)
def test_the_api_refuses_changing_a_deadline_to_a_date_outside_the_range(
    date, coordinator, measure
):
    before = written()

    response = client_for(coordinator).patch(
        f"/api/v1/measures/{measure.pk}/", {"deadline": date}, format="json"
    )

    assert_error(response, 400, "deadline")
    assert written() == before


@pytest.mark.parametrize("date", ENDS_OF_THE_RANGE)
def test_the_api_accepts_the_first_and_the_last_day_of_the_range(
    date, coordinator, field, goal, measure, organisation
):
    client = client_for(coordinator)
    created_goal = client.post(
        "/api/v1/goals/",
        {"action_field": field.slug, "title": "Z", "owner": organisation.slug, "target_date": date},
        format="json",
    )
    created_measure = client.post(
        "/api/v1/measures/",
        {"goal": goal.pk, "title": "M", "owner": organisation.slug, "deadline": date},
        format="json",
    )
    created_milestone = client.post(
        "/api/v1/milestones/",
        {"measure": measure.pk, "title": "W", "due_date": date},
        format="json",
    )

    assert created_goal.status_code == 201, created_goal.json()
    assert created_goal.json()["target_date"] == date
    assert created_measure.status_code == 201, created_measure.json()
    assert created_measure.json()["deadline"] == date
    assert created_milestone.status_code == 201, created_milestone.json()
    assert created_milestone.json()["due_date"] == date


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", OUT_OF_RANGE)
def test_the_goal_form_refuses_a_target_date_outside_the_range(date, login, field, organisation):
    response = login("coordinator").post(
        f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/",
        {"title": "Neues Ziel", "owner": organisation.pk, "state": "draft", "target_date": date},
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Goal.objects.filter(title="Neues Ziel").exists()


@pytest.mark.parametrize("date", OUT_OF_RANGE)
@pytest.mark.parametrize("field_name", ["start_date", "deadline"])
def test_the_measure_form_refuses_dates_outside_the_range(
    field_name, date, login, field, goal, organisation
):
    response = login("coordinator").post(
        f"/massnahmen/handlungsfeld/{field.slug}/neu/",
        {
            "goal": goal.pk,
            "title": "Neue Maßnahme",
            "owner": organisation.pk,
            "priority": "medium",
            "state": "draft",
            field_name: date,
        },
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Measure.objects.filter(title="Neue Maßnahme").exists()


@pytest.mark.parametrize("date", OUT_OF_RANGE)
def test_the_milestone_form_refuses_a_due_date_outside_the_range(date, login, measure):
    response = login("coordinator").post(
        f"/massnahmen/{measure.pk}/meilensteine/", {"title": "Workshop", "due_date": date}
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Milestone.objects.exists()


def test_the_date_fields_offer_only_dates_of_the_range(login, field):
    html = login("coordinator").get(f"/massnahmen/handlungsfeld/{field.slug}/neu/").content
    assert html.decode().count('min="1990-01-01" max="2100-12-31"') == 2


# Services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("date", OUT_OF_RANGE)
def test_the_services_refuse_dates_outside_the_range(
    date, person, field, goal, measure, organisation
):
    coordinator = person("coordinator")
    attempts = {
        "target_date": lambda: services.goal_create(
            actor=coordinator,
            action_field=field,
            title="Z",
            owner=organisation,
            target_date=day(date),
        ),
        "deadline": lambda: services.measure_update(
            actor=coordinator, measure=measure, deadline=day(date)
        ),
        "due_date": lambda: services.milestone_add(
            actor=coordinator, measure=measure, title="W", due_date=day(date)
        ),
    }
    before = written()

    for field_name, attempt in attempts.items():
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.message_dict == {field_name: [MESSAGE]}

    assert written() == before


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
        datetime.datetime(1, 1, 1, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(1989, 12, 31, 12, 0, tzinfo=datetime.UTC),
    ],
)
def test_a_status_report_is_not_back_dated_outside_the_range(moment, person, measure):
    coordinator = person("coordinator")
    before = written()

    with pytest.raises(ValidationError) as refused:
        services.measure_report_status(
            actor=coordinator,
            measure=measure,
            status="in_progress",
            progress=30,
            reported_at=moment,
        )

    assert refused.value.message_dict == {"reported_at": [MESSAGE]}
    assert written() == before
