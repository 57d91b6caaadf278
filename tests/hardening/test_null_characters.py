"""A NUL character in an address or query string is refused with 400 before any view:
PostgreSQL cannot compare or store text that contains one (the database adapter raises), and
no valid input has one. JSON in the API, a German page elsewhere."""

import pytest
from django.test import Client

from tests.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/suche/?q=%00",
        "/suche/?q=Sprechstunde%00",
        "/charta/?%00=1",
        "/massnahmen/?seite=%00",
        "/handlungsfelder/industriepolitik/?titel=%00",
        "/partner/%00/",
        "/charta/abschnitt/1/%00",
    ],
)
def test_a_page_address_with_a_nul_character_is_refused_with_400(url, client, action_fields):
    response = client.get(url)

    assert response.status_code == 400
    assert 'lang="de"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/action-fields/%00/",
        "/api/v1/action-fields/?search=%00",
        "/api/v1/comments/?target=section:1%00",
        "/api/v1/sections/?page=%00",
    ],
)
def test_an_api_address_with_a_nul_character_is_refused_with_400_in_json(
    url, client, action_fields
):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].strip()


def test_revoking_the_token_of_a_name_with_a_nul_character_is_refused(coordinator):
    client = Client()
    client.force_login(fresh(coordinator))

    response = client.delete("/api/v1/auth/tokens/an%00na/")

    assert response.status_code == 400
    assert response.json()["detail"].strip()
