"""Details that make the pages look finished: selects with named empty choices, checkboxes
instead of a multiple select, dates in the reader's language, progress figures that say when
they include drafts, the percent sign next to its number, an Atom feed a browser can show."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from measures.models import Measure

from .conftest import DRAFT, make_measure

pytestmark = pytest.mark.django_db


def page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_selects_name_their_empty_choice_instead_of_dashes(login, field, goal):
    html = page(login("editor"), f"/massnahmen/handlungsfeld/{field.slug}/neu/")

    assert "---------" not in html
    assert "– bitte wählen –" in html  # goal and lead organisation are required
    assert "– keine –" in html  # a working group is optional


def test_the_goal_form_names_the_empty_choice_too(login, goal):
    html = page(login("editor"), f"/massnahmen/ziele/{goal.pk}/bearbeiten/")

    assert "---------" not in html
    assert "– bitte wählen –" in html


def test_the_status_report_form_names_the_empty_choice_too(login, measure):
    html = page(login("wg_member"), measure.get_absolute_url())

    assert '<select name="status"' in html
    assert "---------" not in html
    assert "– bitte wählen –" in html


def test_responsible_people_are_chosen_with_checkboxes_not_ctrl_click(login, field, goal):
    html = page(login("editor"), f"/massnahmen/handlungsfeld/{field.slug}/neu/")

    assert '<select name="responsible"' not in html
    assert 'type="checkbox" name="responsible"' in html
    assert " multiple" not in html


def test_german_pages_show_german_dates_and_english_pages_english_ones(client, goal):
    measure = make_measure(
        goal,
        title="Fristen lesen",
        start_date=datetime.date(2026, 3, 2),
        deadline=datetime.date(2026, 11, 20),
    )

    german = page(client, measure.get_absolute_url())
    client.cookies["django_language"] = "en"
    english = page(client, measure.get_absolute_url())

    assert "02.03.2026" in german and "20.11.2026" in german
    assert "2 Mar 2026" in english and "20 Nov 2026" in english
    assert "20.11.2026" not in english and "20. 11. 2026" not in english


def test_long_dates_follow_the_language_too(client, goal):
    goal.target_date = datetime.date(2027, 12, 31)
    goal.save()

    german = page(client, goal.get_absolute_url())
    client.cookies["django_language"] = "en"
    english = page(client, goal.get_absolute_url())

    assert "31. Dezember 2027" in german
    assert "31 December 2027" in english


def test_the_percent_sign_stays_with_its_number(client, goal):
    make_measure(goal, title="Prozent")
    Measure.objects.update(progress=45)

    html = page(client, "/massnahmen/")

    assert '<span class="progress-figure">' in html
    assert 'aria-hidden="true"></progress> 45 %</span>' in html


@pytest.mark.parametrize("url", ["/", "/handlungsfelder/industriepolitik/"])
def test_progress_with_drafts_says_so_to_those_who_see_them(url, login, goal):
    make_measure(goal, title="Öffentlich")
    make_measure(goal, title="Noch ein Entwurf", state=DRAFT)
    label = "einschließlich Entwürfen, die nur das Konsortium sieht"

    assert label in page(login("editor"), url)
    assert label not in page(Client(), url)


def test_progress_without_drafts_carries_no_draft_label(login, goal):
    make_measure(goal, title="Öffentlich")

    assert "einschließlich Entwürfen" not in page(login("editor"), "/")


# The Atom feed in a browser ------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READER = "application/atom+xml, application/rss+xml;q=0.9, */*;q=0.5"


def test_the_feed_links_a_stylesheet_with_a_hint_for_browsers(client, goal):
    body = client.get("/offene-daten/neuigkeiten.atom").content.decode()

    assert '<?xml-stylesheet href="/static/css/feed.css"' in body.split("<feed")[0]
    stylesheet = open(finders.find("css/feed.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "Dies ist ein Newsfeed" in stylesheet
    assert "Feedreader" in stylesheet


def test_a_browser_gets_the_feed_as_xml_it_can_show_and_a_reader_gets_atom(client, goal):
    as_browser = client.get("/offene-daten/neuigkeiten.atom", HTTP_ACCEPT=BROWSER)
    as_reader = client.get("/offene-daten/neuigkeiten.atom", HTTP_ACCEPT=READER)
    again_as_browser = client.get("/offene-daten/neuigkeiten.atom", HTTP_ACCEPT=BROWSER)

    assert as_browser["Content-Type"].startswith("application/xml")
    assert as_reader["Content-Type"].startswith("application/atom+xml")
    # The cached copies are kept apart by the Accept header.
    assert again_as_browser["Content-Type"].startswith("application/xml")
    assert "Accept" in as_reader["Vary"]
    for response in (as_browser, as_reader):
        assert b'<feed xml:lang="de" xmlns="http://www.w3.org/2005/Atom">' in response.content
