"""Meine Aufgaben: each person's open work, computed from the data, gone as soon as it is done."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import RoleName, role_grant
from charta.models import Section
from charta.services import (
    section_save_draft,
    section_transition,
    suggestion_create,
    suggestion_reject,
)
from comments.services import comment_create, comment_hide, comment_report
from measures import services as measure_services
from measures.models import Measure
from portal import worklist
from tests.conftest import ROLE_KEYS, fresh
from tests.factories import ChartaFactory, GoalFactory, OrganisationFactory, SectionFactory

pytestmark = pytest.mark.django_db

PEOPLE = [key for key in ROLE_KEYS if key != "anonymous"]


def reload(section: Section) -> Section:
    return Section.objects.select_related("current_revision").get(pk=section.pk)


def take(section: Section, user, action: str, note: str = "") -> Section:
    return section_transition(actor=fresh(user), section=reload(section), action=action, note=note)


def kinds(user) -> list[tuple[str, str]]:
    return [(task.kind, task.target) for task in worklist.tasks_for(fresh(user))]


@pytest.fixture
def written(section, editor) -> Section:
    section_save_draft(actor=fresh(editor), section=section, body="Ein Text.", base_revision=None)
    return reload(section)


def in_state(section: Section, state: str, *, editor, reviewer, coordinator) -> Section:
    """The section brought to ``state`` the way people do it (submitted by the editor)."""
    steps = {
        "draft": [],
        "in_review": [(editor, "submit")],
        "changes_requested": [(editor, "submit"), (reviewer, "request_changes")],
        "approved": [(editor, "submit"), (reviewer, "approve")],
        "published": [(editor, "submit"), (reviewer, "approve"), (coordinator, "publish")],
    }[state]
    for user, action in steps:
        take(section, user, action, note="Bitte kürzen." if action == "request_changes" else "")
    return reload(section)


# Which person has which task on the section, in each state (submitted by the editor).
EXPECTED = {
    "draft": {},
    "in_review": {"reviewer": "review"},
    "changes_requested": {"editor": "revise"},
    "approved": {"coordinator": "publish"},
    "published": {},
}


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("role", PEOPLE)
def test_section_tasks_of_every_role_in_every_workflow_state(
    state, role, as_role, written, editor, reviewer, coordinator
):
    section = in_state(written, state, editor=editor, reviewer=reviewer, coordinator=coordinator)
    expected = EXPECTED[state].get(role)

    tasks = kinds(as_role(role))

    assert tasks == ([(expected, f"section:{section.pk}")] if expected else [])


def test_a_reviewer_who_submitted_does_not_review_their_own_text(written, editor, reviewer):
    role_grant(actor=None, role=RoleName.EDITOR, grantee=reviewer, obj=written.action_field)
    take(written, reviewer, "submit")

    assert kinds(reviewer) == []


def test_coordinators_review_where_the_field_has_no_reviewers_of_its_own(
    written, editor, coordinator
):
    take(written, editor, "submit")

    assert kinds(coordinator) == [("review", f"section:{written.pk}")]


def test_coordinators_leave_the_review_to_the_fields_reviewers(
    written, editor, reviewer, coordinator
):
    take(written, editor, "submit")

    assert kinds(coordinator) == []


def test_the_submitter_who_may_edit_revises_where_changes_were_requested(
    written, coordinator, reviewer
):
    take(written, coordinator, "submit")
    take(written, reviewer, "request_changes", note="Bitte kürzen.")

    assert kinds(coordinator) == [("revise", f"section:{written.pk}")]


def test_the_review_task_disappears_once_the_reviewer_decided(written, editor, reviewer):
    take(written, editor, "submit")
    assert kinds(reviewer) == [("review", f"section:{written.pk}")]

    take(written, reviewer, "approve")

    assert kinds(reviewer) == []


def test_a_task_links_straight_to_where_it_is_done(client, written, editor, reviewer):
    take(written, editor, "submit")
    client.force_login(reviewer)

    [task] = client.get("/api/v1/me/tasks/").json()["results"]

    assert task == {
        "kind": "review",
        "title": f"„{written.title}“ prüfen",
        "url": f"/charta/abschnitt/{written.pk}/#arbeitsschritte",
        "target": f"section:{written.pk}",
        "since": task["since"],
        "due": None,
        "context": "1. Industriepolitik",
    }
    page = client.get(task["url"].split("#")[0]).content.decode()
    assert 'id="arbeitsschritte"' in page
    assert 'value="approve"' in page


# Replies -------------------------------------------------------------------------------


def test_an_open_thread_on_an_edited_section_where_the_last_word_is_someone_elses_is_a_task(
    written, editor, reviewer, partner, other_editor
):
    comment = comment_create(actor=fresh(partner), target=written, body="Quelle?")

    assert kinds(editor) == [("reply", f"comment:{comment.pk}")]
    assert kinds(other_editor) == []
    assert kinds(reviewer) == []


def test_the_reply_task_disappears_when_the_editor_answers_and_returns_with_a_new_reply(
    written, editor, partner
):
    comment = comment_create(actor=fresh(partner), target=written, body="Quelle?")
    comment_create(actor=fresh(editor), target=written, body="Ergänzt.", parent=comment)
    assert kinds(editor) == []

    comment_create(actor=fresh(partner), target=written, body="Danke, aber…", parent=comment)

    assert kinds(editor) == [("reply", f"comment:{comment.pk}")]


def test_resolved_and_hidden_threads_are_no_reply_tasks(written, editor, partner, coordinator):
    resolved = comment_create(actor=fresh(partner), target=written, body="Erledigt?")
    hidden = comment_create(actor=fresh(partner), target=written, body="Unsinn")
    from comments.services import comment_set_state

    comment_set_state(actor=fresh(editor), comment=resolved, state="resolved")
    comment_hide(actor=fresh(coordinator), comment=hidden, reason="Beleidigend")

    assert kinds(editor) == []


@pytest.fixture
def reported_measure(field, coordinator, wg_member, working_group) -> Measure:
    goal = GoalFactory(action_field=field, owner=OrganisationFactory())
    return measure_services.measure_create(
        actor=fresh(coordinator),
        goal=goal,
        owner=goal.owner,
        title="Helpdesk für KMU",
        working_group=working_group,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_an_open_thread_on_a_measure_the_person_reports_on_is_a_reply_task(
    reported_measure, wg_member, coordinator
):
    # Reporters read the comments on their measures when they also read the consortium's drafts.
    role_grant(actor=None, role=RoleName.PARTNER, grantee=wg_member)
    comment = comment_create(actor=fresh(coordinator), target=reported_measure, body="Stand?")

    assert kinds(wg_member) == [("reply", f"comment:{comment.pk}")]


# Reports -------------------------------------------------------------------------------


def test_a_measure_past_its_deadline_is_a_report_task_with_its_due_date(
    reported_measure, wg_member
):
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    Measure.objects.filter(pk=reported_measure.pk).update(deadline=overdue)

    [task] = worklist.tasks_for(fresh(wg_member))

    assert (task.kind, task.target, task.due) == (
        "report",
        f"measure:{reported_measure.pk}",
        overdue,
    )
    assert task.url == f"/massnahmen/{reported_measure.pk}/#bericht"


def test_a_report_older_than_the_interval_is_due_and_the_task_goes_once_reported(
    reported_measure, wg_member
):
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Measure.objects.filter(pk=reported_measure.pk).update(created_at=long_ago)
    assert kinds(wg_member) == [("report", f"measure:{reported_measure.pk}")]

    measure_services.measure_report_status(
        actor=fresh(wg_member), measure=reported_measure, status="in_progress", progress=20
    )

    assert kinds(wg_member) == []


def test_a_measure_on_track_is_no_task(reported_measure, wg_member):
    assert kinds(wg_member) == []


# Moderation ----------------------------------------------------------------------------


def test_a_reported_comment_is_a_moderation_task_for_coordinators_until_decided(
    written, partner, reviewer, coordinator, editor
):
    comment = comment_create(actor=fresh(reviewer), target=written, body="Unsinn")
    comment_report(actor=fresh(partner), comment=comment, reason="Beleidigend")

    assert ("moderate", f"comment:{comment.pk}") in kinds(coordinator)
    assert all(kind != "moderate" for kind, _target in kinds(editor))

    comment_hide(actor=fresh(coordinator), comment=comment, reason="Beleidigend")

    assert ("moderate", f"comment:{comment.pk}") not in kinds(coordinator)


# Suggestions and acknowledgements ------------------------------------------------------


def _suggest(section: Section, partner):
    return suggestion_create(
        actor=fresh(partner),
        section=reload(section),
        base_revision=reload(section).current_revision.number,
        quote="Ein Text",
        replacement="Ein besserer Text",
        reason="Klarer.",
    )


def test_an_open_suggestion_is_a_task_for_the_fields_editors_until_decided(
    written, partner, editor, reviewer
):
    suggestion = _suggest(written, partner)

    assert kinds(editor) == [("suggestion", f"suggestion:{suggestion.pk}")]
    assert all(kind != "suggestion" for kind, _target in kinds(reviewer) + kinds(partner))
    [task] = worklist.tasks_for(fresh(editor))
    assert task.url == f"/charta/abschnitt/{written.pk}/#vorschlag-{suggestion.pk}"

    suggestion_reject(actor=fresh(editor), suggestion=suggestion, reason="Passt nicht.")

    assert kinds(editor) == []


def test_an_unacknowledged_status_report_is_a_task_for_the_fields_editors_until_acknowledged(
    reported_measure, wg_member, editor, coordinator
):
    update = measure_services.measure_report_status(
        actor=fresh(wg_member), measure=reported_measure, status="in_progress", progress=20
    )

    assert ("acknowledge", f"status-update:{update.pk}") in kinds(editor)
    assert all(kind != "acknowledge" for kind, _target in kinds(wg_member))

    measure_services.status_update_acknowledge(actor=fresh(editor), update=update)

    assert ("acknowledge", f"status-update:{update.pk}") not in kinds(editor)
    assert ("acknowledge", f"status-update:{update.pk}") not in kinds(coordinator)


# The page, the API, the landing after login ---------------------------------------------


def test_the_task_page_lists_the_tasks_by_kind(client, written, editor, reviewer):
    take(written, editor, "submit")
    client.force_login(reviewer)

    page = client.get("/aufgaben/").content.decode()

    assert "Meine Aufgaben" in page
    assert 'id="aufgaben-review"' in page
    assert f'href="/charta/abschnitt/{written.pk}/#arbeitsschritte"' in page


def test_the_task_page_says_when_there_is_nothing_to_do(client, partner):
    client.force_login(partner)

    page = client.get("/aufgaben/").content.decode()

    assert "Für Sie steht gerade nichts an." in page


def test_the_task_page_needs_a_login(client):
    response = client.get("/aufgaben/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_the_task_api_needs_a_login(client):
    assert client.get("/api/v1/me/tasks/").status_code in (401, 403)


@pytest.mark.parametrize("role", PEOPLE)
def test_everybody_lands_on_their_tasks_after_logging_in(role, as_role, client):
    user = as_role(role)
    user.set_password("geheim-genug-123")
    user.save()

    response = client.post(
        "/konto/anmelden/", {"username": user.username, "password": "geheim-genug-123"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/aufgaben/"


# Query counts --------------------------------------------------------------------------


def _grow(n: int, *, field, editor, reviewer, partner, coordinator, wg_member, working_group):
    """``n`` more of every kind of task for the people of the field."""
    for _ in range(n):
        charta = ChartaFactory()
        for state in ("in_review", "changes_requested", "approved"):
            section = (
                SectionFactory(charta=charta, action_field=field) if state == "in_review" else None
            )
            if section is None:
                section = SectionFactory(charta=ChartaFactory(), action_field=field)
            section_save_draft(
                actor=fresh(editor), section=section, body="Text.", base_revision=None
            )
            in_state(section, state, editor=editor, reviewer=reviewer, coordinator=coordinator)
            comment = comment_create(actor=fresh(partner), target=reload(section), body="Frage?")
            comment_report(actor=fresh(reviewer), comment=comment, reason="Ton")
            suggestion_create(
                actor=fresh(partner), section=reload(section),
                base_revision=reload(section).current_revision.number,
                quote="Text", replacement="Wort", reason="Kürzer.",
            )  # fmt: skip
        goal = GoalFactory(action_field=field, owner=OrganisationFactory())
        measure = measure_services.measure_create(
            actor=fresh(coordinator), goal=goal, owner=goal.owner, title="M",
            working_group=working_group,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )  # fmt: skip
        comment_create(actor=fresh(coordinator), target=measure, body="Stand?")
        measure_services.measure_report_status(
            actor=fresh(wg_member), measure=measure, status="in_progress", progress=10
        )


def _queries(client, user, path: str) -> int:
    client.force_login(fresh(user))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/aufgaben/", "/api/v1/me/tasks/"])
@pytest.mark.parametrize("role", ["coordinator", "editor", "reviewer", "wg_member"])
def test_the_task_list_asks_the_database_a_fixed_number_of_times(
    path, role, as_role, client, field, editor, reviewer, partner, coordinator, wg_member,
    working_group,
):  # fmt: skip
    role_grant(actor=None, role=RoleName.PARTNER, grantee=wg_member)
    people = {
        "field": field, "editor": editor, "reviewer": reviewer, "partner": partner,
        "coordinator": coordinator, "wg_member": wg_member, "working_group": working_group,
    }  # fmt: skip
    _grow(1, **people)
    user = as_role(role)
    _queries(client, user, path)  # warms the per-process caches (content types)
    small = _queries(client, user, path)
    count_small = len(worklist.tasks_for(fresh(user)))

    _grow(3, **people)
    large = _queries(client, user, path)

    assert len(worklist.tasks_for(fresh(user))) > count_small
    assert large == small


# The registry ------------------------------------------------------------------------------


@pytest.fixture
def extra_kind():
    """A kind registered the way later capabilities add theirs, removed afterwards."""

    def provider(user):
        return [
            worklist.Task(
                kind="acknowledge",
                title="Bericht bestätigen",
                url="/massnahmen/1/#statusberichte",
                target="status-update:7",
                since=None,
                due=datetime.date(2030, 1, 31),
            )
        ]

    worklist.register("acknowledge", "Bestätigen", provider, order=70)
    yield
    worklist._KINDS.pop("acknowledge")


def test_a_kind_registered_with_one_line_appears_on_the_page_and_in_the_api(
    client, partner, extra_kind
):
    client.force_login(partner)

    [task] = client.get("/api/v1/me/tasks/").json()["results"]
    page = client.get("/aufgaben/").content.decode()

    assert (task["kind"], task["target"], task["due"]) == (
        "acknowledge",
        "status-update:7",
        "2030-01-31",
    )
    assert 'id="aufgaben-acknowledge"' in page
    assert "Bericht bestätigen" in page
