"""The Atom feed of section publications and status reports."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import StatusUpdate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def news(content, report, published_section, draft_section):
    """A published section, reports on published measures and on both kinds of hidden one."""
    return {
        "helpdesk": report(content["helpdesk"], "in_progress", 40, "Die *Sprechstunde* läuft."),
        "training": report(content["training"], "delayed", 10, "Trainer fehlen."),
        "draft": report(content["draft"], "in_progress", 20, "Geheimer Bericht"),
        "hidden": report(content["hidden"], "in_progress", 30, "Noch ein geheimer Bericht"),
    }


def test_the_feed_is_atom_and_parses(news, download):
    response = download(reverse("opendata:news"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "ITAS-Charta: Neuigkeiten"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "ITAS-Konsortium"
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "http://testserver/offene-daten/neuigkeiten.atom"


def test_the_feed_lists_the_publication_and_the_reports_on_published_measures(
    news, published_section, download
):
    found = {entry["title"]: entry for entry in entries(download(reverse("opendata:news")))}
    assert set(found) == {
        "Veröffentlicht: Industriepolitik (Revision 1)",
        "Helpdesk-Sprechstunde: In Umsetzung (40 %)",
        "Circular-Cars-Schulungen: Verzögert (10 %)",
    }
    section = found["Veröffentlicht: Industriepolitik (Revision 1)"]
    assert section["link"] == "http://testserver/handlungsfelder/industriepolitik/"
    assert section["updated"] == published_section.published_at
    helpdesk = found["Helpdesk-Sprechstunde: In Umsetzung (40 %)"]
    assert helpdesk["link"] == f"http://testserver/massnahmen/{news['helpdesk'].measure_id}/"
    assert helpdesk["updated"] == news["helpdesk"].created_at
    assert "<em>Sprechstunde</em>" in helpdesk["summary"]


def test_reports_on_drafts_and_unpublished_sections_stay_out(news, download):
    text = download(reverse("opendata:news")).content.decode()
    for secret in ("Geheim", "geheim", "Entwurf", "Arbeit und Beschäftigung (Revision"):
        assert secret not in text


def test_entries_are_newest_first_with_unique_ids(news, download):
    found = entries(download(reverse("opendata:news")))
    dates = [entry["updated"] for entry in found]
    assert dates == sorted(dates, reverse=True)
    ids = [entry["id"] for entry in found]
    assert len(set(ids)) == len(ids)
    assert all(entry_id.startswith("tag:testserver,") for entry_id in ids)


def test_a_back_dated_report_sorts_below_the_publication(
    content, report, published_section, download
):
    old = report(content["helpdesk"], "in_progress", 5, "Alter Bericht")
    StatusUpdate.objects.filter(pk=old.pk).update(
        created_at=published_section.published_at - datetime.timedelta(days=3)
    )
    titles = [entry["title"] for entry in entries(download(reverse("opendata:news")))]
    assert titles == [
        "Veröffentlicht: Industriepolitik (Revision 1)",
        "Helpdesk-Sprechstunde: In Umsetzung (5 %)",
    ]


def test_the_feed_holds_the_latest_50_events(content, report, download):
    now = timezone.now()
    reports = [report(content["coaching"], "in_progress", n, "") for n in range(55)]
    for age, update in enumerate(reversed(reports)):
        StatusUpdate.objects.filter(pk=update.pk).update(
            created_at=now - datetime.timedelta(hours=age)
        )
    found = entries(download(reverse("opendata:news")))
    assert len(found) == 50
    assert found[0]["title"].endswith("(54 %)")
    assert found[-1]["title"].endswith("(5 %)")
