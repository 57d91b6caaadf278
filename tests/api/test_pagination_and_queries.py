"""Lists are paginated, filtered as documented, and cost the same number of queries however
many rows they show."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from charta.models import Section
from charta.services import section_save_draft
from comments.services import comment_create
from measures.models import MeasureParty
from measures.services import measure_report_status
from tests.factories import (
    ChartaFactory,
    GoalFactory,
    MeasureFactory,
    OrganisationFactory,
    SectionFactory,
)

from .conftest import build_section
from .helpers import client_for

pytestmark = pytest.mark.django_db

SECTIONS = "/api/v1/sections/"
GOALS = "/api/v1/goals/"
MEASURES = "/api/v1/measures/"
COMMENTS = "/api/v1/comments/"
# Generous bounds: what matters is that the count does not grow with the rows.
MAX_QUERIES = {SECTIONS: 10, GOALS: 8, MEASURES: 10, COMMENTS: 10}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Pagination ------------------------------------------------------------------------------


@pytest.fixture
def three_of_each(make_measure, field, coordinator):
    """Three of everything: goals with measures, sections, and on the first measure and
    section three status reports, comments and revisions."""
    measures = [make_measure("published", title=f"Maßnahme {n}") for n in range(3)]
    sections = [
        build_section(
            SectionFactory(charta=ChartaFactory(), action_field=field),
            editor=coordinator,
            reviewer=coordinator,
            coordinator=coordinator,
            state="draft",
            status="draft",
        )
        for _ in range(3)
    ]
    section = sections[0]
    for number in (1, 2):
        section_save_draft(
            actor=coordinator,
            section=Section.objects.get(pk=section.pk),
            body=f"Fassung {number + 1}",
            base_revision=number,
        )
    for n in range(3):
        comment_create(actor=coordinator, target=section, body=f"Kommentar {n}")
        measure_report_status(
            actor=coordinator, measure=measures[0], status="in_progress", progress=10 * n
        )
    return {"section": section, "measure": measures[0]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/action-fields/",
        SECTIONS,
        GOALS,
        MEASURES,
        "{comments}",
        "{revisions}",
        "{status_updates}",
    ],
)
def test_lists_are_paginated(url, three_of_each, coordinator):
    url = url.format(
        comments=f"{COMMENTS}?target=section:{three_of_each['section'].pk}",
        revisions=f"{SECTIONS}{three_of_each['section'].pk}/revisions/",
        status_updates=f"{MEASURES}{three_of_each['measure'].pk}/status-updates/",
    )
    client = client_for(coordinator)
    glue = "&" if "?" in url else "?"

    first = client.get(f"{url}{glue}page_size=2").json()
    second = client.get(first["next"]).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] >= 3
    assert (len(first["results"]), first["previous"]) == (2, None)
    assert second["previous"] is not None
    assert second["count"] == first["count"]
    seen = [row.get("id", row.get("number")) for row in first["results"] + second["results"]]
    assert len(set(seen)) == len(seen)


def test_a_page_beyond_the_last_is_404_with_a_readable_detail(make_goal, coordinator):
    make_goal("draft")

    response = client_for(coordinator).get(GOALS, {"page": 99})

    assert response.status_code == 404
    assert response.json()["detail"]


# Queries ---------------------------------------------------------------------------------


class Rows:
    """Makes list rows of one kind, each with everything its list row shows (revisions,
    responsible users, partner organisations, status); goals and measures come in pairs."""

    def __init__(self, *, charta, fields, coordinator, editor, working_group, responsible):
        self.charta, self.fields = charta, fields
        self.coordinator, self.editor = coordinator, editor
        self.working_group, self.responsible = working_group, responsible
        self.lead = OrganisationFactory(slug="cwe")
        self.partner = OrganisationFactory(slug="ihk-chemnitz")
        self.made = {"sections": 0, "goals": 0, "measures": 0, "comments": 0}
        self.commented = SectionFactory(charta=ChartaFactory(), action_field=fields[0])

    def grow(self, kind: str, total: int) -> None:
        make = {
            "sections": self._section,
            "goals": self._measure,
            "measures": self._measure,
            "comments": self._comment,
        }[kind]
        while self.made[kind] < total:
            make(self.made[kind])
            self.made[kind] += 1
            if kind in ("goals", "measures"):
                self.made["goals"] = self.made["measures"] = self.made[kind]

    def params(self, kind: str) -> dict:
        return {"target": f"section:{self.commented.pk}"} if kind == "comments" else {}

    def _section(self, index: int) -> Section:
        # Five fields per edition: a new edition every five sections.
        edition = self.charta if index < 5 else ChartaFactory()
        section = SectionFactory(charta=edition, action_field=self.fields[index % 5])
        section_save_draft(
            actor=self.coordinator, section=section, body=f"Text {index}", base_revision=None
        )
        if index % 2:
            # Every other one published: editors see drafts of their field and published text.
            section.refresh_from_db()
            Section.objects.filter(pk=section.pk).update(
                published_revision=section.current_revision,
                status="published",
                published_at=timezone.now(),
            )
        return section

    def _measure(self, index: int) -> None:
        state = "published" if index % 2 else "draft"
        goal = GoalFactory(action_field=self.fields[index % 2], owner=self.lead, state=state)
        measure = MeasureFactory(
            goal=goal,
            owner=self.lead,
            working_group=self.working_group,
            deadline=datetime.date(2020, 1, 1) if index % 3 else None,
            state=state,
            status="in_progress",
            progress=index,
        )
        measure.responsible.add(self.responsible)
        MeasureParty.objects.bulk_create(
            [
                MeasureParty(measure=measure, organisation=self.lead, role="lead"),
                MeasureParty(measure=measure, organisation=self.partner, role="partner"),
            ]
        )

    def _comment(self, index: int) -> None:
        comment_create(actor=self.editor, target=self.commented, body=f"Anmerkung {index}")


@pytest.fixture
def rows(charta, action_fields, editor, coordinator, working_group, responsible) -> Rows:
    return Rows(
        charta=charta,
        fields=action_fields,
        coordinator=coordinator,
        editor=editor,
        working_group=working_group,
        responsible=responsible,
    )


def count_queries(user, url: str, params: dict) -> tuple[int, int]:
    """Queries of one GET, and the number of rows it listed. Rendered afresh: a cached copy
    costs no queries and would hide a query per row."""
    caches["default"].clear()
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return len(captured), len(results(response))


KINDS = {SECTIONS: "sections", GOALS: "goals", MEASURES: "measures", COMMENTS: "comments"}


@pytest.mark.parametrize("role", ["coordinator", "editor"])
@pytest.mark.parametrize("url", [MEASURES, GOALS, SECTIONS, COMMENTS])
def test_list_queries_do_not_grow_with_the_rows(
    url, role, request, rows, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    kind = KINDS[url]
    rows.grow(kind, 3)
    params = rows.params(kind)
    count_queries(user, url, params)  # warm the process-wide caches (content types …)

    few, few_rows = count_queries(user, url, params)
    rows.grow(kind, 30)
    many, many_rows = count_queries(user, url, params)

    assert many_rows > few_rows >= 2, (few_rows, many_rows)
    assert many == few, (
        f"{url} as {role}: {few} queries for {few_rows} rows, {many} for {many_rows}"
    )
    caches["default"].clear()
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        client_for(user).get(url, params)


# Filters ---------------------------------------------------------------------------------


@pytest.fixture
def measures_to_filter(make_goal, make_measure, field, other_field, coordinator):
    """Measures that differ in field, status, deadline and owner (all published)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    chamber = OrganisationFactory(slug="ihk-chemnitz")
    goal_here, goal_there = make_goal("published"), make_goal("published", other_field)
    made = {
        "overdue": make_measure("published", goal=goal_here, deadline=yesterday),
        "done_late": make_measure("published", goal=goal_here, deadline=yesterday),
        "stopped_late": make_measure("published", goal=goal_here, deadline=yesterday),
        "running": make_measure("published", goal=goal_here, deadline=tomorrow),
        "elsewhere": make_measure("published", goal=goal_there, owner=chamber, deadline=tomorrow),
        "undated": make_measure("published", goal=goal_there, owner=chamber),
    }
    reports = {
        "done_late": ("done", 100, ""),
        "stopped_late": ("stopped", 20, "Keine Mittel."),
        "running": ("in_progress", 50, ""),
        "elsewhere": ("in_progress", 30, ""),
        "undated": ("delayed", 10, ""),
    }
    for key, (status, progress, note) in reports.items():
        measure_report_status(
            actor=coordinator, measure=made[key], status=status, progress=progress, note=note
        )
    return {key: measure.pk for key, measure in made.items()}


def listed(params: dict, url: str = MEASURES) -> set[int]:
    return {row["id"] for row in results(APIClient().get(url, params))}


def test_measures_filter_by_action_field(measures_to_filter, field, other_field):
    m = measures_to_filter
    assert listed({"action_field": field.slug}) == {
        m["overdue"],
        m["done_late"],
        m["stopped_late"],
        m["running"],
    }
    assert listed({"action_field": other_field.slug}) == {m["elsewhere"], m["undated"]}


def test_measures_filter_by_status(measures_to_filter):
    m = measures_to_filter
    assert listed({"status": "in_progress"}) == {m["running"], m["elsewhere"]}
    assert listed({"status": "planned"}) == {m["overdue"]}
    assert listed({"status": "done"}) == {m["done_late"]}


def test_only_unfinished_measures_past_their_deadline_are_overdue(measures_to_filter):
    m = measures_to_filter
    assert listed({"overdue": "true"}) == {m["overdue"]}
    assert listed({"overdue": "false"}) == set(m.values()) - {m["overdue"]}
    overdue_flags = {row["id"]: row["is_overdue"] for row in results(APIClient().get(MEASURES))}
    assert overdue_flags == {pk: pk == m["overdue"] for pk in m.values()}


def test_measures_filter_by_owner(measures_to_filter):
    m = measures_to_filter
    assert listed({"owner": "ihk-chemnitz"}) == {m["elsewhere"], m["undated"]}
    assert listed({"owner": "cwe"}) == set(m.values()) - {m["elsewhere"], m["undated"]}


def test_measure_filters_combine(measures_to_filter, field):
    m = measures_to_filter
    assert listed({"action_field": field.slug, "status": "in_progress"}) == {m["running"]}
    assert listed({"owner": "ihk-chemnitz", "overdue": "true"}) == set()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (MEASURES, {"action_field": "gibt-es-nicht"}),
        (MEASURES, {"owner": "niemand"}),
        (MEASURES, {"status": "fertig"}),
        (GOALS, {"action_field": "gibt-es-nicht"}),
    ],
)
def test_unknown_filter_values_are_bad_input_naming_the_filter(url, params, measures_to_filter):
    response = APIClient().get(url, params)

    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"])


def test_goals_filter_by_action_field(make_goal, field, other_field):
    here = make_goal("published", title="Hier")
    there = make_goal("published", action_field=other_field, title="Dort")

    assert listed({"action_field": field.slug}, GOALS) == {here.pk}
    assert listed({"action_field": other_field.slug}, GOALS) == {there.pk}
    assert listed({}, GOALS) == {here.pk, there.pk}


def test_filters_never_widen_what_a_role_may_see(make_measure, field, editor, other_editor):
    draft = make_measure("draft")
    params = {"action_field": field.slug, "status": "planned", "overdue": "false"}

    def ids(user) -> set[int]:
        return {row["id"] for row in results(client_for(user).get(MEASURES, params))}

    assert draft.pk in ids(editor)
    assert draft.pk not in ids(other_editor)
    assert draft.pk not in listed(params)


def test_comment_list_without_target_lists_what_one_may_see(make_section, partner, other_editor):
    comment = comment_create(actor=partner, target=make_section("draft"), body="Intern.")

    assert comment.pk in {row["id"] for row in results(client_for(partner).get(COMMENTS))}
    assert comment.pk not in {row["id"] for row in results(client_for(other_editor).get(COMMENTS))}
    assert results(APIClient().get(COMMENTS)) == []
