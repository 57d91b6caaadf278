"""Who may do what through the API: every role × endpoint × verb × state of the object.

Each table has one row per state of the object (draft: never published; published: public,
for sections with a newer draft on top) and one column per role, in the order of ROLES:

    anonymous  coordinator  editor  other_editor  reviewer  partner  wg_member  responsible

404 where the role may not see the object, 403 where it may see it but not do this, 401 for
anonymous writes. A refused request writes nothing (no table gains or loses a row and the
object is unchanged); an accepted one changes the database.

The people and objects are made once for the module, through the services, inside a
transaction that is rolled back at the end; every test runs in a savepoint of it, so a test's
writes vanish before the next one.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.models import Organisation, User
from accounts.roles import RoleName, role_grant
from charta.models import Revision, Section, SectionEvent
from comments.models import Comment
from comments.services import comment_create
from measures.models import Goal, Measure, StatusUpdate
from measures.services import goal_create, measure_create
from tests.conftest import FIELD, OTHER_FIELD, fresh
from tests.factories import (
    ChartaFactory,
    OrganisationFactory,
    SectionFactory,
    UserFactory,
    WorkingGroupFactory,
    ensure_seeded_fields,
    seeded_field,
)

from .conftest import DRAFT_TEXT, PUBLISHED_TEXT, build_section, reload
from .helpers import (
    DRAFT_READERS,
    ROLES,
    STATES,
    assert_error,
    client_for,
    counts,
    table,
    table_ids,
)

pytestmark = pytest.mark.django_db

SECTIONS = "/api/v1/sections/"
GOALS = "/api/v1/goals/"
MEASURES = "/api/v1/measures/"
COMMENTS = "/api/v1/comments/"
REPORTERS = ("wg_member", "responsible")
DRAFT_MARKER = DRAFT_TEXT.split()[1]
# The workflow status a section is in before each step.
SECTION_STATUSES = ("draft", "in_review", "approved")


# The world of the module --------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    commenter: User
    organisation: Organisation
    sections: dict[tuple[str, str], Section]  # (state, workflow status) → section
    comments: dict[str, Comment]  # state → an open comment on sections[state, "draft"]
    goals: dict[str, Goal]  # state → goal of the measures below
    bare_goals: dict[str, Goal]  # state → goal without measures (deletable)
    measures: dict[str, Measure]  # state → measure of wg_member's group, lists responsible
    other_measures: dict[str, Measure]  # state → measure of another group, lists nobody


def _person(username: str, role: RoleName | None = None, obj=None) -> User:
    user = UserFactory(username=username)
    if role is not None:
        role_grant(actor=None, role=role, grantee=user, obj=obj)
    return fresh(user)


def _build() -> World:
    ensure_seeded_fields()
    field, other_field = seeded_field(FIELD), seeded_field(OTHER_FIELD)
    group = WorkingGroupFactory(name="AG Qualifizierung", slug="ag-qualifizierung")
    other_group = WorkingGroupFactory(name="AG Andere", slug="ag-andere")
    users = {
        "coordinator": _person("koordination", RoleName.COORDINATOR),
        "editor": _person("redaktion", RoleName.EDITOR, field),
        "other_editor": _person("redaktion-arbeit", RoleName.EDITOR, other_field),
        "reviewer": _person("pruefung", RoleName.REVIEWER, field),
        "partner": _person("partner", RoleName.PARTNER),
        "wg_member": _person("ag-mitglied", RoleName.WORKING_GROUP_MEMBER, group),
        "responsible": _person("verantwortlich"),
    }
    commenter = _person("partnerin-api", RoleName.PARTNER)
    organisation = OrganisationFactory(name="Chemnitzer Wirtschaftsförderung", slug="cwe")
    sections = {}
    for state in STATES:
        for status in SECTION_STATUSES:
            sections[state, status] = build_section(
                SectionFactory(charta=ChartaFactory(), action_field=field),
                editor=users["editor"],
                reviewer=users["reviewer"],
                coordinator=users["coordinator"],
                state=state,
                status=status,
            )
    comments = {
        state: comment_create(
            actor=commenter, target=sections[state, "draft"], body="Absatz 2 ist zu vage."
        )
        for state in STATES
    }
    coordinator = users["coordinator"]

    def goal(state: str, title: str) -> Goal:
        return goal_create(
            actor=coordinator, action_field=field, title=title, owner=organisation, state=state
        )

    def measure(state: str, goal: Goal, own: bool) -> Measure:
        return measure_create(
            actor=coordinator,
            goal=goal,
            title="Sprechstunde und Strategie-Coaching für KMU",
            owner=organisation,
            working_group=group if own else other_group,
            responsible=[users["responsible"]] if own else [],
            state=state,
        )

    goals = {state: goal(state, "Zulieferer erschließen neue Geschäftsfelder") for state in STATES}
    return World(
        users=users,
        commenter=commenter,
        organisation=organisation,
        sections=sections,
        comments=comments,
        goals=goals,
        bare_goals={state: goal(state, "Ziel ohne Maßnahmen") for state in STATES},
        measures={state: measure(state, goals[state], own=True) for state in STATES},
        other_measures={state: measure(state, goals[state], own=False) for state in STATES},
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once; rolled back when the module is done (tests run in savepoints of it)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def api_as(world):
    """``api_as(role)``: an API client logged in as that role (anonymous: not at all)."""

    def get(role: str) -> APIClient:
        return client_for(None if role == "anonymous" else world.users[role])

    return get


def matrix(rows):
    params = table(rows)
    return pytest.mark.parametrize(("role", "state", "expected"), params, ids=table_ids(params))


def assert_refused(response, expected: int, before: dict[str, int]) -> None:
    """A refusal with a readable message that added or removed no row anywhere."""
    assert_error(response, expected)
    assert counts() == before


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# Sections --------------------------------------------------------------------------------

#                      anon  coord edit  other rev   partn wg    resp
SECTION_READ = {
    "draft":          (404,  200,  200,  404,  200,  200,  404,  404),
    "published":      (200,  200,  200,  200,  200,  200,  200,  200),
}  # fmt: skip


@matrix(SECTION_READ)
def test_section_detail_shows_drafts_only_to_draft_readers(role, state, expected, world, api_as):
    section = world.sections[state, "draft"]

    response = api_as(role).get(f"{SECTIONS}{section.pk}/")

    assert response.status_code == expected
    if role not in DRAFT_READERS:
        assert DRAFT_MARKER not in response.content.decode()
    if expected != 200:
        return
    data = response.json()
    if role in DRAFT_READERS:
        assert data["body"] == DRAFT_TEXT
        assert data["status"] == "draft"
        assert data["current_revision"] == section.current_revision.number
    else:
        # The public reads the published revision and learns nothing of the draft.
        assert data["body"] == PUBLISHED_TEXT
        assert data["status"] == "published"
        assert data["current_revision"] == data["published_revision"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_section_list_holds_what_the_role_may_see(role, world, api_as):
    response = api_as(role).get(SECTIONS, {"page_size": 100})

    assert response.status_code == 200
    published = {s.pk for (state, _), s in world.sections.items() if state == "published"}
    everything = {s.pk for s in world.sections.values()}
    assert ids(response) == (everything if role in DRAFT_READERS else published)
    bodies = {row["id"]: row["body"] for row in response.json()["results"]}
    expected_body = DRAFT_TEXT if role in DRAFT_READERS else PUBLISHED_TEXT
    assert {bodies[pk] for pk in published} == {expected_body}
    if role not in DRAFT_READERS:
        assert DRAFT_MARKER not in response.content.decode()
        assert {row["status"] for row in response.json()["results"]} == {"published"}


@matrix(SECTION_READ)
def test_section_history_shows_draft_revisions_only_to_draft_readers(
    role, state, expected, world, api_as
):
    section = world.sections[state, "draft"]

    response = api_as(role).get(f"{SECTIONS}{section.pk}/revisions/")

    assert response.status_code == expected
    if expected == 200:
        numbers = [row["number"] for row in response.json()["results"]]
        if role in DRAFT_READERS:
            assert numbers == list(range(section.current_revision.number, 0, -1))
        else:
            assert numbers == [1]
            assert DRAFT_MARKER not in response.content.decode()


#                      anon  coord edit  other rev   partn wg    resp
SECTION_PATCH = {
    "draft":          (401,  200,  200,  404,  403,  403,  404,  404),
    "published":      (401,  200,  200,  403,  403,  403,  403,  403),
}  # fmt: skip
NEW_TEXT = "Neue Fassung über Brücken zwischen Hochschulen und Zulieferern."


@matrix(SECTION_PATCH)
def test_section_text_is_saved_by_editors_and_coordinators_only(
    role, state, expected, world, api_as
):
    section = world.sections[state, "draft"]
    base = section.current_revision.number
    client = api_as(role)
    before = counts()

    response = client.patch(f"{SECTIONS}{section.pk}/", {"body": NEW_TEXT, "base_revision": base})

    if expected != 200:
        assert_refused(response, expected, before)
        assert reload(section).current_revision.number == base
        return
    assert response.status_code == 200
    fresh_section = reload(section)
    assert fresh_section.current_revision.number == base + 1
    assert fresh_section.current_revision.body == NEW_TEXT
    assert fresh_section.current_revision.author == world.users[role]
    assert Revision.objects.filter(section=section).count() == base + 1
    assert response.json()["current_revision"] == base + 1


#                      anon  coord edit  other rev   partn wg    resp
SUBMIT = {
    "draft":          (401,  200,  200,  404,  403,  403,  404,  404),
    "published":      (401,  200,  200,  403,  403,  403,  403,  403),
}  # fmt: skip
APPROVE = {
    "draft":          (401,  200,  403,  404,  200,  403,  404,  404),
    "published":      (401,  200,  403,  403,  200,  403,  403,  403),
}  # fmt: skip
PUBLISH = {
    "draft":          (401,  200,  403,  404,  403,  403,  404,  404),
    "published":      (401,  200,  403,  403,  403,  403,  403,  403),
}  # fmt: skip
STEPS = {
    # action: (status before, status after, table)
    "submit": ("draft", "in_review", SUBMIT),
    "approve": ("in_review", "approved", APPROVE),
    "publish": ("approved", "published", PUBLISH),
}
WORKFLOW = [
    pytest.param(action, role, state, code, id=f"{action}-{state}-{role}-{code}")
    for action, (_before, _after, rows) in STEPS.items()
    for role, state, code in table(rows)
]


@pytest.mark.parametrize(("action", "role", "state", "expected"), WORKFLOW)
def test_workflow_steps_are_taken_by_their_role_only(action, role, state, expected, world, api_as):
    status_before, status_after, _rows = STEPS[action]
    section = world.sections[state, status_before]
    client = api_as(role)
    before = counts()

    response = client.post(f"{SECTIONS}{section.pk}/transition/", {"action": action})

    if expected != 200:
        assert_refused(response, expected, before)
        assert reload(section).status == status_before
        return
    assert response.status_code == 200
    fresh_section = reload(section)
    assert fresh_section.status == status_after
    event = SectionEvent.objects.filter(section=section).latest("id")
    assert (event.action, event.actor) == (action, world.users[role])
    assert response.json()["status"] == status_after
    if action == "publish":
        assert fresh_section.published_revision == fresh_section.current_revision


# Goals -----------------------------------------------------------------------------------

#                      anon  coord edit  other rev   partn wg    resp
GOAL_READ = {
    "draft":          (404,  200,  200,  404,  200,  200,  404,  404),
    "published":      (200,  200,  200,  200,  200,  200,  200,  200),
}  # fmt: skip


@matrix(GOAL_READ)
def test_goal_is_readable_by_role_and_state(role, state, expected, world, api_as):
    goal = world.goals[state]
    client = api_as(role)

    response = client.get(f"{GOALS}{goal.pk}/")

    assert response.status_code == expected
    assert (goal.pk in ids(client.get(GOALS))) == (expected == 200)


#                      anon  coord edit  other rev   partn wg    resp
GOAL_CREATE = {
    "draft":          (401,  201,  201,  400,  400,  400,  400,  400),
    "published":      (401,  400,  400,  400,  400,  400,  400,  400),
}  # fmt: skip


@matrix(GOAL_CREATE)
def test_goals_are_created_in_managed_fields_as_drafts(role, state, expected, world, api_as):
    """``state`` is the state asked for. A field one does not manage is refused as bad input
    (400 naming ``action_field``); a goal is created as a draft and published afterwards with
    ``transition/`` (asking for another state is a 400 naming ``state``)."""
    payload = {
        "action_field": FIELD,
        "title": "Bedarf an Wasserstoff in der Region ermitteln",
        "owner": world.organisation.slug,
        "state": state,
    }
    client = api_as(role)
    before = counts()

    response = client.post(GOALS, payload)

    if expected != 201:
        assert_refused(response, expected, before)
        if expected == 400:
            managers = role in ("coordinator", "editor")
            assert ("state" if managers else "action_field") in response.json()["errors"]
        return
    assert response.status_code == 201, response.content
    goal = Goal.objects.get(pk=response.json()["id"])
    assert (goal.title, goal.action_field.slug, goal.state) == (payload["title"], FIELD, state)
    assert goal.created_by == world.users[role]


#                      anon  coord edit  other rev   partn wg    resp
GOAL_CHANGE = {
    "draft":          (401,  200,  200,  404,  403,  403,  404,  404),
    "published":      (401,  200,  200,  403,  403,  403,  403,  403),
}  # fmt: skip


@matrix(GOAL_CHANGE)
def test_goals_are_changed_by_the_fields_editors_only(role, state, expected, world, api_as):
    goal = world.goals[state]
    client = api_as(role)
    before = counts()

    response = client.patch(f"{GOALS}{goal.pk}/", {"indicator": "Zahl der Beratungen"})

    if expected != 200:
        assert_refused(response, expected, before)
        assert Goal.objects.get(pk=goal.pk).indicator == ""
        return
    assert response.status_code == 200
    changed = Goal.objects.get(pk=goal.pk)
    assert (changed.indicator, changed.state) == ("Zahl der Beratungen", state)


#                      anon  coord edit  other rev   partn wg    resp
GOAL_DELETE = {
    "draft":          (401,  204,  204,  404,  403,  403,  404,  404),
    "published":      (401,  204,  204,  403,  403,  403,  403,  403),
}  # fmt: skip


@matrix(GOAL_DELETE)
def test_goals_are_deleted_by_the_fields_editors_only(role, state, expected, world, api_as):
    goal = world.bare_goals[state]
    client = api_as(role)
    before = counts()

    response = client.delete(f"{GOALS}{goal.pk}/")

    if expected != 204:
        assert_refused(response, expected, before)
        return
    assert response.status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()


# Measures --------------------------------------------------------------------------------

#                      anon  coord edit  other rev   partn wg    resp
MEASURE_READ = {
    "draft":          (404,  200,  200,  404,  200,  200,  200,  200),
    "published":      (200,  200,  200,  200,  200,  200,  200,  200),
}  # fmt: skip


@matrix(MEASURE_READ)
def test_measure_is_readable_by_role_state_and_own_measures(role, state, expected, world, api_as):
    measure = world.measures[state]
    client = api_as(role)

    response = client.get(f"{MEASURES}{measure.pk}/")

    assert response.status_code == expected
    assert (measure.pk in ids(client.get(MEASURES))) == (expected == 200)


#                      anon  coord edit  other rev   partn wg    resp
MEASURE_CREATE = {
    "draft":          (401,  201,  201,  400,  400,  400,  400,  400),
    "published":      (401,  201,  201,  400,  400,  400,  400,  400),
}  # fmt: skip


@matrix(MEASURE_CREATE)
def test_measures_are_created_under_goals_of_a_managed_field_only(
    role, state, expected, world, api_as
):
    """``state`` is the goal's; a goal one does not manage is bad input naming ``goal``."""
    goal = world.goals[state]
    payload = {"goal": goal.pk, "title": "Circular-Cars-Schulungen", "owner": "cwe"}
    client = api_as(role)
    before = counts()

    response = client.post(MEASURES, payload)

    if expected != 201:
        assert_refused(response, expected, before)
        if expected == 400:
            assert "goal" in response.json()["errors"]
        return
    assert response.status_code == 201, response.content
    measure = Measure.objects.get(pk=response.json()["id"])
    assert (measure.goal, measure.title, measure.state) == (goal, payload["title"], "draft")


#                      anon  coord edit  other rev   partn wg    resp
MEASURE_CHANGE = {
    "draft":          (401,  200,  200,  404,  403,  403,  403,  403),
    "published":      (401,  200,  200,  403,  403,  403,  403,  403),
}  # fmt: skip


@matrix(MEASURE_CHANGE)
def test_measures_are_changed_by_the_fields_editors_only(role, state, expected, world, api_as):
    measure = world.measures[state]
    client = api_as(role)
    before = counts()

    response = client.patch(f"{MEASURES}{measure.pk}/", {"description": "Zweite Runde"})

    if expected != 200:
        assert_refused(response, expected, before)
        assert Measure.objects.get(pk=measure.pk).description == ""
        return
    assert response.status_code == 200
    assert Measure.objects.get(pk=measure.pk).description == "Zweite Runde"


@matrix(MEASURE_READ)
def test_status_history_is_readable_with_the_measure(role, state, expected, world, api_as):
    measure = world.measures[state]

    response = api_as(role).get(f"{MEASURES}{measure.pk}/status-updates/")

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == 0


#                      anon  coord edit  other rev   partn wg    resp
STATUS_REPORT = {
    "draft":          (401,  201,  403,  404,  403,  403,  201,  201),
    "published":      (401,  201,  403,  403,  403,  403,  201,  201),
}  # fmt: skip
REPORT = {"status": "in_progress", "progress": 40, "note": "Auftaktveranstaltung fand statt."}


@matrix(STATUS_REPORT)
def test_status_is_reported_by_coordinators_and_the_measures_reporters(
    role, state, expected, world, api_as
):
    measure = world.measures[state]
    client = api_as(role)
    before = counts()

    response = client.post(f"{MEASURES}{measure.pk}/status-updates/", REPORT)

    if expected != 201:
        assert_refused(response, expected, before)
        assert Measure.objects.get(pk=measure.pk).status == "planned"
        return
    assert response.status_code == 201
    assert StatusUpdate.objects.filter(measure=measure).count() == 1
    reported = Measure.objects.get(pk=measure.pk)
    assert (reported.status, reported.progress) == ("in_progress", 40)
    assert response.json()["author"] == world.users[role].username


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [(role, state, 404 if state == "draft" else 403) for role in REPORTERS for state in STATES],
)
def test_reporters_cannot_report_on_another_groups_measure(role, state, expected, world, api_as):
    other = world.other_measures[state]
    client = api_as(role)
    before = counts()

    response = client.post(f"{MEASURES}{other.pk}/status-updates/", REPORT)

    assert_refused(response, expected, before)


# Comments --------------------------------------------------------------------------------

#                      anon  coord edit  other rev   partn wg    resp
COMMENT_LIST = {
    "draft":          (404,  200,  200,  404,  200,  200,  404,  404),
    "published":      (200,  200,  200,  200,  200,  200,  200,  200),
}  # fmt: skip


@matrix(COMMENT_LIST)
def test_comments_of_a_section_are_listed_for_the_consortium_only(
    role, state, expected, world, api_as
):
    section = world.sections[state, "draft"]

    response = api_as(role).get(COMMENTS, {"target": f"section:{section.pk}"})

    assert response.status_code == expected
    if expected == 200:
        # Comments are for those who read drafts; the public sees none.
        visible = {world.comments[state].pk} if role in DRAFT_READERS else set()
        assert ids(response) == visible


#                      anon  coord edit  other rev   partn wg    resp
COMMENT_CREATE = {
    "draft":          (401,  201,  201,  400,  201,  201,  400,  400),
    "published":      (401,  201,  201,  403,  201,  201,  403,  403),
}  # fmt: skip


@matrix(COMMENT_CREATE)
def test_comments_are_written_by_the_consortium_on_what_it_sees(
    role, state, expected, world, api_as
):
    """A target one may not see is bad input naming ``target`` (400)."""
    section = world.sections[state, "draft"]
    client = api_as(role)
    before = counts()

    response = client.post(
        COMMENTS, {"target": f"section:{section.pk}", "body": "Bitte Zahlen ergänzen."}
    )

    if expected != 201:
        assert_refused(response, expected, before)
        if expected == 400:
            assert "target" in response.json()["errors"]
        return
    assert response.status_code == 201
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.author, comment.target) == (world.users[role], section)
    assert response.json()["target"] == f"section:{section.pk}"


#                      anon  coord edit  other rev   partn wg    resp
COMMENT_RESOLVE = {
    "draft":          (401,  200,  200,  404,  403,  403,  404,  404),
    "published":      (401,  200,  200,  404,  403,  403,  404,  404),
}  # fmt: skip


@matrix(COMMENT_RESOLVE)
def test_comments_are_resolved_by_editors_and_coordinators(role, state, expected, world, api_as):
    """Comments stay invisible outside the consortium even on published sections (404)."""
    comment = world.comments[state]
    client = api_as(role)
    before = counts()

    response = client.post(f"{COMMENTS}{comment.pk}/resolve/")

    if expected != 200:
        assert_refused(response, expected, before)
        assert Comment.objects.get(pk=comment.pk).state == Comment.State.OPEN
        return
    assert response.status_code == 200
    resolved = Comment.objects.get(pk=comment.pk)
    assert (resolved.state, resolved.resolved_by) == ("resolved", world.users[role])
    assert response.json()["state"] == "resolved"


@pytest.mark.parametrize("state", STATES)
def test_the_author_resolves_their_own_comment(state, world):
    comment = world.comments[state]
    client = client_for(world.commenter)

    response = client.post(f"{COMMENTS}{comment.pk}/resolve/")

    assert response.status_code == 200
    assert Comment.objects.get(pk=comment.pk).state == Comment.State.RESOLVED
