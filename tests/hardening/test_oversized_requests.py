"""Requests too big or with too many fields: 413 or 400 with a readable answer, JSON in the
API, nothing written. The tests run with debug off, as production does."""

import json

import pytest
from django.test import Client

from charta.models import Revision
from tests.conftest import fresh

pytestmark = pytest.mark.django_db

LIMIT = 2_000


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20


def big_json(**fields) -> str:
    return json.dumps({**fields, "padding": "x" * (LIMIT * 2)})


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"].strip()
    return data


def test_an_oversized_api_request_answers_413_in_json(client):
    response = client.post(
        "/api/v1/auth/token/", big_json(username="anna"), content_type="application/json"
    )

    data = assert_json_error(response, 413)
    assert "zu groß" in data["detail"]


def test_an_oversized_section_save_through_the_api_writes_nothing(published_section, editor):
    client = Client()
    client.force_login(fresh(editor))

    response = client.patch(
        f"/api/v1/sections/{published_section.pk}/",
        big_json(body="Neu", base_revision=1),
        content_type="application/json",
    )

    assert_json_error(response, 413)
    assert Revision.objects.filter(section=published_section).count() == 1


def test_an_api_request_with_too_many_fields_answers_400_in_json(published_section, editor):
    client = Client()
    client.force_login(fresh(editor))
    fields = {f"feld{number}": "x" for number in range(50)}

    response = client.post(
        "/api/v1/comments/", {**fields, "target": f"section:{published_section.pk}"}
    )

    assert_json_error(response, 400)


def test_an_oversized_form_answers_a_readable_413_page(client):
    response = client.post("/konto/anmelden/", {"username": "anna", "password": "x" * LIMIT})

    assert response.status_code == 413
    page = response.content.decode()
    assert 'lang="de"' in page
    assert "zu groß" in page


def test_an_oversized_section_text_answers_413_and_writes_nothing(published_section, editor):
    client = Client()
    client.force_login(fresh(editor))

    response = client.post(
        f"/charta/abschnitt/{published_section.pk}/bearbeiten/",
        {"body": "x" * (LIMIT * 2), "base_revision": 1},
    )

    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
    assert Revision.objects.filter(section=published_section).count() == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/v1/gibt-es-nicht/", 404), ("/api/gibt-es-nicht", 404)],
)
def test_api_addresses_that_match_no_endpoint_answer_in_json(url, status, client):
    assert_json_error(client.get(url), status)
