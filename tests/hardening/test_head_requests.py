"""HEAD answers like GET wherever GET works: same status and headers, no body.

Link checkers, monitoring and caches ask with HEAD; a 405 there makes a working page look
broken. HEAD is asked first, while the page cache is still empty, so that the view itself
answers and not a copy a GET left in the cache.
"""

import pytest
from django.test import Client

from tests.conftest import fresh

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/charta/",
    "/charta/abschnitt/{section}/",
    "/charta/abschnitt/{section}/revision/1/",
    "/handlungsfelder/industriepolitik/",
    "/massnahmen/",
    "/massnahmen/{measure}/",
    "/massnahmen/ziele/{goal}/",
    "/suche/?q=Sprechstunde",
    "/bericht/",
    "/bericht.pdf",
    "/fortschritt/",
    "/partner/",
    "/partner/cwe/",
    "/offene-daten/",
    "/offene-daten/massnahmen.csv",
    "/offene-daten/fristen.ics",
    "/offene-daten/neuigkeiten.atom",
    "/datenschutz/",
    "/robots.txt",
    "/konto/anmelden/",
    "/sprache/en/?next=/charta/",
    "/healthz",
    "/api/v1/",
    "/api/v1/action-fields/",
    "/api/v1/sections/",
    "/api/v1/sections/{section}/revisions/",
    "/api/v1/goals/",
    "/api/v1/measures/",
    "/api/v1/schema/",
    "/api/v1/docs/",
]

MEMBER_PAGES = [
    "/charta/abschnitt/{section}/",
    "/charta/abschnitt/{section}/verlauf/",
    "/charta/abschnitt/{section}/vergleich/?von=1&zu=1",
    "/charta/abschnitt/{section}/bearbeiten/",
    "/massnahmen/meine/",
    "/massnahmen/{measure}/bearbeiten/",
    "/benachrichtigungen/",
    "/benachrichtigungen/einstellungen/",
    "/konto/daten/",
    "/fortschritt/",
    "/api/v1/comments/",
]


@pytest.fixture
def urls(published_section, published_goal, published_measure):
    def fill(template: str) -> str:
        return template.format(
            section=published_section.pk, goal=published_goal.pk, measure=published_measure.pk
        )

    return fill


def assert_head_answers_like_get(client: Client, url: str) -> None:
    head = client.head(url)
    get = client.get(url)

    assert get.status_code < 400, (url, get.status_code)
    assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_answers_like_get_on_every_public_page(url, urls, client):
    assert_head_answers_like_get(client, urls(url))


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_head_answers_like_get_on_every_page_for_members(url, urls, client, coordinator):
    client.force_login(fresh(coordinator))

    assert_head_answers_like_get(client, urls(url))
