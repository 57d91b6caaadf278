"""The open data page: every download linked, described and licensed."""

import re

import pytest
from django.urls import reverse

from charta.models import ActionField

pytestmark = pytest.mark.django_db

DOWNLOADS = (
    "opendata:goals_csv",
    "opendata:goals_xlsx",
    "opendata:measures_csv",
    "opendata:measures_xlsx",
    "opendata:deadlines",
    "opendata:news",
    "opendata:indicators_csv",
    "opendata:indicators_xlsx",
    "opendata:indicator_values_csv",
    "opendata:indicator_values_xlsx",
)


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)}


def test_the_overview_is_public_and_links_every_download(action_fields, client):
    response = client.get(reverse("opendata:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    found = links(html)
    for name in DOWNLOADS:
        assert reverse(name) in found, name
    for field in ActionField.objects.all():
        assert reverse("opendata:field_deadlines", kwargs={"slug": field.slug}) in found
        for name in DOWNLOADS[:4]:
            assert f"{reverse(name)}?handlungsfeld={field.slug}" in found
    assert "Datenlizenz Deutschland – Namensnennung" in html
    assert html.count("<h1>") == 1
    assert '<th scope="col">Format</th>' in html


def test_every_download_linked_from_the_overview_answers(content, client):
    html = client.get(reverse("opendata:overview")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    downloads = sorted(url for url in links(main) if url.startswith("/offene-daten/"))
    assert len(downloads) == len(DOWNLOADS) + 5 * 5
    for url in downloads:
        assert client.get(url).status_code == 200, url


def test_the_overview_answers_head_requests_and_refuses_posts(action_fields, client):
    assert client.head(reverse("opendata:overview")).status_code == 200
    assert client.post(reverse("opendata:measures_csv")).status_code == 405
