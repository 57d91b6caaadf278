"""Anonymous API reads are cached like the public pages; nobody else is served the copy."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from measures.services import measure_report_status
from tests.api.helpers import client_for

MEASURES = "/api/v1/measures/"


def titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_a_repeated_anonymous_list_is_served_without_queries(make_measure):
    make_measure("published", title="Öffentliche Maßnahme")
    APIClient().get(MEASURES)

    with CaptureQueriesContext(connection) as captured:
        response = APIClient().get(MEASURES)

    assert response.status_code == 200
    assert titles(response) == {"Öffentliche Maßnahme"}
    assert len(captured) == 0
    assert response["ETag"]


def test_json_and_the_browsable_api_are_cached_apart(make_measure):
    make_measure("published")
    APIClient().get(MEASURES)

    response = APIClient().get(MEASURES, headers={"Accept": "text/html"})

    assert response["Content-Type"].startswith("text/html")


def test_a_token_client_never_gets_the_anonymous_copy(make_measure, editor):
    make_measure("published", title="Öffentliche Maßnahme")
    make_measure("draft", title="Entwurf der Redaktion")
    assert titles(APIClient().get(MEASURES)) == {"Öffentliche Maßnahme"}
    token = Token.objects.create(user=editor)

    response = APIClient().get(MEASURES, headers={"Authorization": f"Token {token.key}"})

    assert titles(response) == {"Öffentliche Maßnahme", "Entwurf der Redaktion"}
    assert "ETag" not in response


def test_a_client_known_only_to_the_api_never_gets_the_anonymous_copy(make_measure, editor):
    make_measure("draft", title="Entwurf der Redaktion")
    APIClient().get(MEASURES)

    response = client_for(editor).get(MEASURES)

    assert "Entwurf der Redaktion" in titles(response)


def test_a_status_report_invalidates_the_cached_list(make_measure, coordinator):
    measure = make_measure("published")
    before = APIClient().get(MEASURES)
    assert before.json()["results"][0]["progress"] == 0

    measure_report_status(actor=coordinator, measure=measure, status="in_progress", progress=35)
    after = APIClient().get(MEASURES)

    assert after.json()["results"][0]["progress"] == 35
    assert after["ETag"] != before["ETag"]
