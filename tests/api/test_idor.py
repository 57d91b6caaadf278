"""Writable related fields reach only what the requester may touch; read-only and unknown
fields are never written. A refused write leaves every table as it was."""

import pytest

from charta.models import Section
from charta.services import section_save_draft
from comments.models import Comment
from comments.services import comment_create
from measures.models import Goal, Measure, StatusUpdate
from tests.factories import SectionFactory, UserFactory

from .conftest import reload
from .helpers import assert_error, client_for, snapshot

pytestmark = pytest.mark.django_db

GOALS = "/api/v1/goals/"
MEASURES = "/api/v1/measures/"
COMMENTS = "/api/v1/comments/"
SECTIONS = "/api/v1/sections/"


@pytest.fixture
def own_field_section(charta, other_field, other_editor) -> Section:
    """A draft section of the other editor's own field (Arbeit und Beschäftigung)."""
    section = SectionFactory(charta=charta, action_field=other_field)
    section_save_draft(actor=other_editor, section=section, body="Gute Arbeit.", base_revision=None)
    return reload(section)


# Goals and measures ----------------------------------------------------------------------


def test_editor_cannot_create_a_goal_in_another_field(editor, other_field, organisation):
    before = snapshot()

    response = client_for(editor).post(
        GOALS,
        {"action_field": other_field.slug, "title": "Fremdes Ziel", "owner": organisation.slug},
    )

    assert_error(response, 400, "action_field")
    assert snapshot() == before
    assert not Goal.objects.filter(title="Fremdes Ziel").exists()


@pytest.mark.parametrize("role", ["editor", "coordinator"])
def test_a_goal_does_not_move_to_another_field(role, request, make_goal, other_field):
    """Editors may not reach the other field; coordinators may, but goals never move."""
    goal = make_goal("draft")
    client = client_for(request.getfixturevalue(role))
    before = snapshot()

    response = client.patch(
        f"{GOALS}{goal.pk}/", {"action_field": other_field.slug, "title": "Verschoben"}
    )

    assert_error(response, 400, "action_field")
    assert snapshot() == before


def test_editor_cannot_move_a_measure_to_a_goal_in_another_field(
    editor, make_measure, make_goal, other_field
):
    measure = make_measure("draft")
    foreign_goal = make_goal("published", action_field=other_field, title="Ziel im anderen Feld")
    before = snapshot()

    response = client_for(editor).patch(f"{MEASURES}{measure.pk}/", {"goal": foreign_goal.pk})

    assert_error(response, 400, "goal")
    assert snapshot() == before
    assert Measure.objects.get(pk=measure.pk).goal_id == measure.goal_id


def test_editor_cannot_create_a_measure_under_a_goal_in_another_field(
    other_editor, make_goal, organisation
):
    goal = make_goal("published")
    before = snapshot()

    response = client_for(other_editor).post(
        MEASURES, {"goal": goal.pk, "title": "Untergeschoben", "owner": organisation.slug}
    )

    assert_error(response, 400, "goal")
    assert snapshot() == before


@pytest.mark.parametrize("model", [Goal, Measure])
def test_editor_cannot_publish_by_patching_the_state(model, editor, make_measure):
    """Publishing is a workflow step for coordinators; ``state`` is no field to write, so a
    PATCH of it is refused as bad input naming it (see tests/measures/test_publication.py)."""
    measure = make_measure("draft")
    obj = measure if model is Measure else measure.goal
    url = f"{MEASURES if model is Measure else GOALS}{obj.pk}/"
    before = snapshot()

    response = client_for(editor).patch(url, {"state": "published"})

    assert_error(response, 400, "state")
    assert snapshot() == before
    assert model.objects.get(pk=obj.pk).state == "draft"


def test_measure_status_and_progress_are_read_only(editor, make_measure):
    """They change only through status updates."""
    measure = make_measure("draft")

    response = client_for(editor).patch(
        f"{MEASURES}{measure.pk}/", {"status": "done", "progress": 100}
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["progress"]) == ("planned", 0)
    measure.refresh_from_db()
    assert (measure.status, measure.progress, measure.last_reported_at) == ("planned", 0, None)
    assert not StatusUpdate.objects.exists()


def test_new_measure_ignores_status_and_progress(editor, make_goal, organisation):
    goal = make_goal("draft")

    response = client_for(editor).post(
        MEASURES,
        {
            "goal": goal.pk,
            "title": "Qualifizierung für die Produktion von morgen",
            "owner": organisation.slug,
            "status": "done",
            "progress": 100,
        },
    )

    assert response.status_code == 201, response.content
    measure = Measure.objects.get(pk=response.json()["id"])
    assert (measure.status, measure.progress) == ("planned", 0)


def test_unknown_and_read_only_fields_of_a_goal_are_never_written(
    editor, coordinator, field, organisation
):
    response = client_for(editor).post(
        GOALS,
        {
            "action_field": field.slug,
            "title": "Textile Zulieferer für Innenräume gewinnen",
            "owner": organisation.slug,
            "id": 999_999,
            "created_by": coordinator.pk,
            "created_at": "2001-01-01T00:00:00Z",
            "progress": 100,
            "is_admin": True,
        },
    )

    assert response.status_code == 201, response.content
    goal = Goal.objects.get(title="Textile Zulieferer für Innenräume gewinnen")
    assert goal.pk != 999_999
    assert goal.created_by == editor
    assert goal.created_at.year != 2001
    assert response.json()["progress"] is None


def test_unknown_fields_of_a_measure_are_never_written(editor, coordinator, make_measure):
    measure = make_measure("draft")

    response = client_for(editor).patch(
        f"{MEASURES}{measure.pk}/",
        {"created_by": editor.pk, "last_reported_at": "2001-01-01T00:00:00Z", "id": 999_999},
    )

    assert response.status_code == 200
    assert response.json()["id"] == measure.pk
    measure.refresh_from_db()
    assert (measure.created_by, measure.last_reported_at) == (coordinator, None)


def test_section_status_and_published_revision_are_not_writable(make_section, editor):
    section = make_section("draft")

    response = client_for(editor).patch(
        f"{SECTIONS}{section.pk}/",
        {
            "body": "Zweite Fassung.",
            "base_revision": 1,
            "status": "published",
            "published_revision": 1,
            "author": "koordination",
        },
    )

    assert response.status_code == 200
    section = reload(section)
    assert (section.status, section.published_revision) == ("draft", None)
    assert section.current_revision.author == editor


# Comments --------------------------------------------------------------------------------


@pytest.fixture
def unseen_targets(make_section, make_measure):
    """Targets in Industriepolitik that the other editor may not see (all unpublished)."""
    measure = make_measure("draft")
    return {
        "section": make_section("draft"),
        "goal": measure.goal,
        "measure": measure,
    }


@pytest.mark.parametrize("kind", ["section", "goal", "measure"])
def test_comment_on_a_target_one_may_not_see_names_the_target(kind, unseen_targets, other_editor):
    target = unseen_targets[kind]
    before = snapshot()

    response = client_for(other_editor).post(
        COMMENTS, {"target": f"{kind}:{target.pk}", "body": "Hallo?"}
    )

    assert_error(response, 400, "target")
    assert snapshot() == before


@pytest.mark.parametrize(
    "reference",
    ["section:999999", "section:abc", "user:1", "", "section", 12, None, ["section:1"], "x" * 50],
)
def test_comment_on_a_target_that_does_not_exist_names_the_target(reference, partner):
    before = snapshot()

    response = client_for(partner).post(
        COMMENTS, {"target": reference, "body": "Hallo?"}, format="json"
    )

    assert_error(response, 400, "target")
    assert snapshot() == before


def test_reply_to_a_comment_one_may_not_see_names_the_parent(
    make_section, partner, other_editor, own_field_section
):
    hidden = comment_create(actor=partner, target=make_section("draft"), body="Intern.")
    before = snapshot()

    response = client_for(other_editor).post(
        COMMENTS,
        {"target": f"section:{own_field_section.pk}", "body": "Antwort", "parent": hidden.pk},
    )

    assert_error(response, 400, "parent")
    assert snapshot() == before


def test_reply_must_belong_to_the_same_target(make_section, make_measure, partner):
    measure = make_measure("draft")
    parent = comment_create(actor=partner, target=make_section("draft"), body="Zum Abschnitt.")
    before = snapshot()

    response = client_for(partner).post(
        COMMENTS, {"target": f"measure:{measure.pk}", "body": "Antwort", "parent": parent.pk}
    )

    assert_error(response, 400, "parent")
    assert snapshot() == before


def test_comment_author_state_and_visibility_come_from_the_server(make_section, partner, editor):
    section = make_section("draft")

    response = client_for(partner).post(
        COMMENTS,
        {
            "target": f"section:{section.pk}",
            "body": "Bitte die Zahlen der IHK ergänzen.",
            "author": editor.username,
            "state": "resolved",
            "is_hidden": True,
            "hidden_reason": "x",
            "body_html": "<script>alert(1)</script>",
        },
    )

    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.author == partner
    assert (comment.state, comment.is_hidden, comment.hidden_reason) == ("open", False, "")
    assert "<script>" not in comment.body_html


def test_status_update_author_comes_from_the_server(coordinator, partner, make_measure):
    measure = make_measure("draft")

    response = client_for(coordinator).post(
        f"{MEASURES}{measure.pk}/status-updates/",
        {"status": "in_progress", "progress": 10, "note": "Los geht's.", "author": "partner"},
    )

    assert response.status_code == 201, response.content
    assert StatusUpdate.objects.get(measure=measure).author == coordinator


def test_responsible_users_must_be_active_accounts(editor, make_measure):
    measure = make_measure("draft")
    UserFactory(username="ehemalig", is_active=False)
    before = snapshot()

    response = client_for(editor).patch(f"{MEASURES}{measure.pk}/", {"responsible": ["ehemalig"]})

    assert_error(response, 400, "responsible")
    assert snapshot() == before
