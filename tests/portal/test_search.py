"""Search finds inflected German forms, organisations and their goals and measures, ranks
title hits first, and helps when nothing is found: on SQLite as on PostgreSQL."""

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from measures.models import Goal, Measure
from portal.search import search, suggestion

from .conftest import DRAFT

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [hit.title for hit in search(query)]


@pytest.fixture
def supplier_goal(field, other_organisation, make_goal):
    return make_goal(
        field,
        other_organisation,
        title="Zulieferer stärken",
        description="Die Region braucht starke Zulieferbetriebe.",
    )


@pytest.fixture
def catalogue(supplier_goal, goal, make_measure):
    """Measures whose titles and texts carry the words in different forms."""
    return {
        "coaching": make_measure(
            supplier_goal,
            title="Coaching für Zulieferern",
            description="Beratung in kleinen Gruppen.",
        ),
        "courses": make_measure(
            goal,
            title="Kurse",
            description="Neue Weiterbildung für Beschäftigte der Zulieferer.",
        ),
        "draft": make_measure(
            supplier_goal,
            title="Entwurf für Zulieferer und Weiterbildung",
            state=DRAFT,
        ),
    }


def test_an_inflected_form_finds_the_same_as_the_base_form(catalogue):
    assert set(titles("Zulieferern")) == set(titles("Zulieferer"))
    assert {"Zulieferer stärken", "Coaching für Zulieferern", "Kurse"} <= set(titles("Zulieferer"))


def test_a_plural_finds_the_singular(catalogue):
    assert "Kurse" in titles("Weiterbildungen")


def test_a_word_finds_compounds_that_contain_it(catalogue):
    # "Zulieferbetriebe" in the goal's description, "Zulieferer" in its title.
    assert "Zulieferer stärken" in titles("Zulieferbetrieb")


def test_drafts_are_never_found(catalogue):
    assert "Entwurf für Zulieferer und Weiterbildung" not in titles("Zulieferer Weiterbildung")


def test_the_short_name_of_an_organisation_finds_it_and_what_it_owns(catalogue, other_organisation):
    hits = search("IHK")

    found = {(hit.kind, hit.title) for hit in hits}
    assert ("organisation", "IHK Chemnitz") in found
    assert ("goal", "Zulieferer stärken") in found
    assert ("measure", "Coaching für Zulieferern") in found
    # The CWE's goal's measure is not the IHK's.
    assert ("measure", "Kurse") not in found
    owners = {hit.owner for hit in hits if hit.kind in {"goal", "measure"}}
    assert owners == {"IHK Chemnitz"}


def test_the_full_name_of_an_organisation_finds_what_it_owns(catalogue, goal):
    kinds = {(hit.kind, hit.title) for hit in search("Wirtschaftsentwicklung")}

    assert ("goal", goal.title) in kinds
    assert ("measure", "Kurse") in kinds


def test_hits_in_the_title_come_first(catalogue):
    hits = search("Zulieferer")

    in_title = [hit.in_title for hit in hits]
    assert in_title == sorted(in_title, reverse=True)
    assert hits[0].title in {"Zulieferer stärken", "Coaching für Zulieferern"}
    assert "Kurse" in [hit.title for hit in hits if not hit.in_title]


def test_an_excluded_word_removes_hits(catalogue):
    assert "Kurse" not in titles("Zulieferer -Weiterbildung")
    assert "Coaching für Zulieferern" in titles("Zulieferer -Weiterbildung")


def test_words_too_common_to_search_find_nothing(catalogue):
    assert search("und der die") == []


def test_a_misspelt_word_gets_a_suggestion(catalogue):
    assert suggestion("Zulieferrer") == "zulieferer"
    assert suggestion("Zulieferer") is None


def test_the_empty_result_page_suggests_a_word_and_the_field_pages(client, catalogue):
    page = client.get("/suche/", {"q": "Zulieferrer"}).content.decode()

    assert "0 Treffer" in page
    assert 'href="?q=zulieferer"' in page
    assert 'href="/handlungsfelder/industriepolitik/"' in page
    assert "Was Sie versuchen können" in page


def test_the_result_page_names_the_owner_of_a_hit(client, catalogue):
    page = client.get("/suche/", {"q": "IHK"}).content.decode()

    assert "Federführend: IHK Chemnitz" in page
    assert "Was Sie versuchen können" not in page


# The figures of a fresh `make run` ---------------------------------------------------------


@pytest.fixture
def demo(action_fields, settings):
    settings.DEMO_PASSWORD = "Demo-Passwort-fuer-Tests"
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_inflected_forms_find_what_the_base_form_finds(demo):
    base = titles("Zulieferer")

    assert len(base) >= 12
    assert titles("Zulieferern") == base
    weiterbildung = titles("Weiterbildung")
    assert weiterbildung
    assert set(titles("Weiterbildungen")) == set(weiterbildung)


def test_demo_ihk_finds_its_goals_and_measures(demo):
    ihk = Organisation.objects.get(slug="ihk-chemnitz")
    goals = set(Goal.objects.filter(owner=ihk, state="published").values_list("title", flat=True))
    measures = set(
        Measure.objects.filter(owner=ihk, state="published", goal__state="published").values_list(
            "title", flat=True
        )
    )
    assert len(goals) >= 2 and len(measures) >= 3

    hits = search("IHK")

    assert {h.title for h in hits if h.kind == "goal"} >= goals
    assert {h.title for h in hits if h.kind == "measure"} >= measures
    assert hits[0].kind == "organisation"


def test_a_hyphenated_word_is_found_without_its_single_letter_matching_everything(
    goal, make_measure
):
    make_measure(goal, title="Ladepunkte für E-Mobilität", description="Im Landkreis.")
    make_measure(goal, title="Etwas anderes", description="Ganz ohne das Wort.")

    assert titles("E-Mobilität") == ["Ladepunkte für E-Mobilität"]
