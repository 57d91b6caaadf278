"""API reads are cached per reader (anonymous visitors share one copy) until content or
permissions change; nobody is ever served another reader's copy."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import RoleName, role_revoke
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
    assert response["Cache-Control"].startswith("private")


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


def token_client(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_repeated_list_for_a_token_client_costs_only_the_token_lookup(make_measure, editor):
    make_measure("draft", title="Entwurf der Redaktion")
    client = token_client(editor)
    client.get(MEASURES)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(MEASURES)

    assert titles(response) == {"Entwurf der Redaktion"}
    assert len(captured) == 1, [query["sql"] for query in captured]


def test_readers_never_share_their_copies(make_measure, editor, other_editor):
    make_measure("draft", title="Entwurf der Redaktion")
    assert titles(token_client(editor).get(MEASURES)) == {"Entwurf der Redaktion"}

    response = token_client(other_editor).get(MEASURES)

    assert titles(response) == set()


def test_a_revoked_role_takes_effect_on_the_next_cached_read(make_measure, editor, field):
    make_measure("draft", title="Entwurf der Redaktion")
    client = token_client(editor)
    assert titles(client.get(MEASURES)) == {"Entwurf der Redaktion"}

    role_revoke(actor=None, role=RoleName.EDITOR, grantee=editor, obj=field)

    assert titles(client.get(MEASURES)) == set()


def test_a_reader_is_identified_once_per_request_also_on_a_cache_miss(make_measure, editor):
    make_measure("published")
    token = Token.objects.create(user=editor)

    with CaptureQueriesContext(connection) as captured:
        response = APIClient().get(MEASURES, headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 200
    token_lookups = [q for q in captured.captured_queries if "authtoken_token" in q["sql"]]
    assert len(token_lookups) == 1
