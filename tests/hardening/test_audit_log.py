"""The audit log: every change that matters is traced to a person, a time and an address.

Each change goes through the HTML view a person uses, from REMOTE_ADDR CLIENT, so that
AuditContextMiddleware supplies the address the service's audit.record stores.
"""

from collections.abc import Callable

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.roles import RoleName, role_grant, roles_held
from charta.models import Section
from charta.services import section_save_draft, section_transition
from comments.models import Comment
from comments.services import comment_create
from measures.models import Goal, Measure
from measures.services import goal_create, measure_create
from tests.conftest import fresh

from .conftest import reload

pytestmark = pytest.mark.django_db

CLIENT = "198.51.100.7"


@pytest.fixture
def as_user(client) -> Callable[[User], object]:
    """``as_user(editor)``: the test client, logged in as that person."""

    def login(user: User):
        client.force_login(fresh(user))
        return client

    return login


def new_entries() -> Callable[[], list[AuditEntry]]:
    """``since = new_entries()``; later ``since()``: the audit entries written in between."""
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def since() -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(id__gt=start).order_by("id"))

    return since


def only_entry(entries: list[AuditEntry]) -> AuditEntry:
    assert len(entries) == 1, [(e.action, e.actor_name, e.object_repr) for e in entries]
    return entries[0]


def assert_entry(entry: AuditEntry, *, actor: User, action: str, target) -> None:
    assert entry.action == action
    assert entry.actor_id == actor.pk
    assert entry.actor_name == actor.username
    assert entry.object_type == target._meta.label
    assert entry.object_id == str(target.pk)
    assert entry.object_repr
    assert entry.ip_address == CLIENT
    assert abs(timezone.now() - entry.created_at).total_seconds() < 60


@pytest.fixture
def draft_section(section, editor) -> Section:
    section_save_draft(
        actor=fresh(editor), section=section, body="Erster Text.", base_revision=None
    )
    return reload(section)


# The charta -------------------------------------------------------------------------------


def test_saving_a_revision_is_audited(as_user, editor, section):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/charta/abschnitt/{section.pk}/bearbeiten/",
        {"body": "Eine Sprechstunde für KMU.", "base_revision": "", "message": "Erster Entwurf"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    entry = only_entry(mark())
    assert_entry(entry, actor=editor, action=AuditEntry.Action.REVISION_SAVED, target=section)
    assert entry.details["revision"] == 1


def test_a_refused_save_writes_no_audit_entry(as_user, editor, draft_section):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/charta/abschnitt/{draft_section.pk}/bearbeiten/",
        {"body": "Veralteter Text.", "base_revision": "", "message": ""},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 409
    assert mark() == []


def test_a_workflow_transition_is_audited(as_user, editor, draft_section):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/charta/abschnitt/{draft_section.pk}/aktion/",
        {"action": "submit", "base_revision": "1"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    assert reload(draft_section).status == "in_review"
    entry = only_entry(mark())
    assert_entry(entry, actor=editor, action=AuditEntry.Action.TRANSITION, target=draft_section)
    assert entry.details["action"] == "submit"
    assert (entry.details["from"], entry.details["to"]) == ("draft", "in_review")


def test_publishing_a_section_is_audited(as_user, editor, reviewer, coordinator, draft_section):
    section_transition(actor=fresh(editor), section=draft_section, action="submit")
    section_transition(actor=fresh(reviewer), section=reload(draft_section), action="approve")
    client = as_user(coordinator)
    mark = new_entries()

    response = client.post(
        f"/charta/abschnitt/{draft_section.pk}/aktion/",
        {"action": "publish", "base_revision": "1", "confirmed": "True"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    assert reload(draft_section).published_revision.number == 1
    entry = only_entry(mark())
    assert_entry(entry, actor=coordinator, action=AuditEntry.Action.PUBLISHED, target=draft_section)
    assert entry.details["revision"] == 1


def test_hiding_a_comment_is_audited(as_user, partner, coordinator, draft_section):
    comment = comment_create(actor=fresh(partner), target=draft_section, body="Unsachlich.")
    client = as_user(coordinator)
    mark = new_entries()

    response = client.post(
        f"/kommentare/{comment.pk}/ausblenden/",
        {"reason": "Beleidigend"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).is_hidden
    entry = only_entry(mark())
    assert_entry(entry, actor=coordinator, action=AuditEntry.Action.COMMENT_HIDDEN, target=comment)
    assert entry.details["reason"] == "Beleidigend"


# Roles ------------------------------------------------------------------------------------


def test_granting_a_role_is_audited(as_user, coordinator, field):
    person = User.objects.create_user(username="neu", password="x-very-long-1")
    client = as_user(coordinator)
    mark = new_entries()

    response = client.post(
        f"/admin/accounts/user/{person.pk}/rollen/",
        {"role": "editor", "action_field": str(field.pk)},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    assert roles_held(fresh(person), field) == [RoleName.EDITOR]
    entry = only_entry(mark())
    assert_entry(entry, actor=coordinator, action=AuditEntry.Action.ROLE_GRANTED, target=field)
    assert {k: entry.details[k] for k in ("role", "grantee")} == {
        "role": "editor",
        "grantee": "neu",
    }


def test_revoking_a_role_is_audited(as_user, coordinator, reviewer, field):
    client = as_user(coordinator)
    mark = new_entries()

    response = client.post(
        f"/admin/accounts/user/{reviewer.pk}/rollen/",
        {"revoke": f"reviewer:{field.pk}"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302
    assert roles_held(fresh(reviewer), field) == []
    entry = only_entry(mark())
    assert_entry(entry, actor=coordinator, action=AuditEntry.Action.ROLE_REVOKED, target=field)
    assert {k: entry.details[k] for k in ("role", "grantee")} == {
        "role": "reviewer",
        "grantee": "pruefung",
    }


def test_granting_a_global_role_through_the_service_names_the_coordinator(coordinator):
    person = User.objects.create_user(username="neu", password="x-very-long-1")
    mark = new_entries()

    role_grant(actor=fresh(coordinator), role=RoleName.PARTNER, grantee=person)

    entry = only_entry(mark())
    assert entry.action == AuditEntry.Action.ROLE_GRANTED
    assert (entry.actor_id, entry.actor_name) == (coordinator.pk, "koordination")
    assert entry.object_type == ""
    assert {k: entry.details[k] for k in ("role", "grantee")} == {
        "role": "partner",
        "grantee": "neu",
    }


# Goals and measures -------------------------------------------------------------------


@pytest.fixture
def draft_goal(coordinator, field, organisation) -> Goal:
    return goal_create(
        actor=fresh(coordinator), action_field=field, title="Sprechstunde", owner=organisation
    )


@pytest.fixture
def reported_measure(coordinator, draft_goal, organisation, wg_member, working_group) -> Measure:
    return measure_create(
        actor=fresh(coordinator),
        goal=draft_goal,
        title="Transformationspiloten",
        owner=organisation,
        working_group=working_group,
    )


def test_creating_a_goal_is_audited(as_user, editor, field, organisation):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/",
        {"title": "Wasserstoffbedarf ermitteln", "owner": str(organisation.pk), "state": "draft"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    goal = Goal.objects.get(title="Wasserstoffbedarf ermitteln")
    entry = only_entry(mark())
    assert_entry(entry, actor=editor, action=AuditEntry.Action.GOAL_SAVED, target=goal)


def test_changing_a_goal_is_audited(as_user, editor, draft_goal, organisation):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/ziele/{draft_goal.pk}/bearbeiten/",
        {"title": "Sprechstunde für KMU", "owner": str(organisation.pk), "state": "draft"},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = only_entry(mark())
    assert_entry(entry, actor=editor, action=AuditEntry.Action.GOAL_SAVED, target=draft_goal)


def test_creating_a_measure_is_audited(as_user, editor, field, draft_goal, organisation):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/handlungsfeld/{field.slug}/neu/",
        {
            "goal": str(draft_goal.pk),
            "title": "Strategie-Coaching",
            "owner": str(organisation.pk),
            "priority": "medium",
            "state": "draft",
        },
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(title="Strategie-Coaching")
    entry = only_entry(mark())
    assert_entry(entry, actor=editor, action=AuditEntry.Action.MEASURE_SAVED, target=measure)


def test_changing_a_measure_is_audited(as_user, editor, reported_measure, organisation):
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/{reported_measure.pk}/bearbeiten/",
        {
            "goal": str(reported_measure.goal_id),
            "title": "Transformationspiloten in Unternehmen",
            "owner": str(organisation.pk),
            "working_group": str(reported_measure.working_group_id),
            "priority": "high",
            "state": "draft",
        },
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = only_entry(mark())
    assert_entry(
        entry, actor=editor, action=AuditEntry.Action.MEASURE_SAVED, target=reported_measure
    )
    assert "title" in entry.details["changed"]


def test_making_someone_responsible_for_a_measure_traces_the_role_grant_to_the_editor(
    as_user, editor, reported_measure, organisation
):
    """A responsible person becomes a reporter: a role grant the editor made."""
    person = User.objects.create_user(username="verantwortlich", password="x-very-long-1")
    client = as_user(editor)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/{reported_measure.pk}/bearbeiten/",
        {
            "goal": str(reported_measure.goal_id),
            "title": reported_measure.title,
            "owner": str(organisation.pk),
            "working_group": str(reported_measure.working_group_id),
            "responsible": [str(person.pk)],
            "priority": "medium",
            "state": "draft",
        },
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    grant = only_entry(
        [
            e
            for e in mark()
            if e.action == AuditEntry.Action.ROLE_GRANTED
            and e.details.get("grantee") == "verantwortlich"
        ]
    )
    assert grant.details["role"] == "reporter"
    assert (grant.object_type, grant.object_id) == ("measures.Measure", str(reported_measure.pk))
    assert grant.ip_address == CLIENT
    # Who gave the role: the editor who saved the measure, not an anonymous "system".
    assert (grant.actor_id, grant.actor_name) == (editor.pk, editor.username)


def test_publishing_a_measure_is_audited(as_user, coordinator, reported_measure):
    client = as_user(coordinator)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/{reported_measure.pk}/veroeffentlichen/", REMOTE_ADDR=CLIENT
    )

    assert response.status_code == 302
    entry = only_entry(mark())
    assert_entry(
        entry, actor=coordinator, action=AuditEntry.Action.PUBLISHED, target=reported_measure
    )


def test_a_status_report_is_audited(as_user, wg_member, reported_measure):
    client = as_user(wg_member)
    mark = new_entries()

    response = client.post(
        f"/massnahmen/{reported_measure.pk}/bericht/",
        {"status": "in_progress", "progress": "30", "note": "Erste Piloten laufen."},
        REMOTE_ADDR=CLIENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = only_entry(mark())
    assert_entry(
        entry, actor=wg_member, action=AuditEntry.Action.STATUS_REPORTED, target=reported_measure
    )
    assert entry.details == {"status": "in_progress", "progress": 30}


# Reading the log ----------------------------------------------------------------------

AUDIT_ADMIN = "/admin/accounts/auditentry/"


@pytest.fixture
def entry(as_user, editor, section) -> AuditEntry:
    as_user(editor).post(
        f"/charta/abschnitt/{section.pk}/bearbeiten/",
        {"body": "Text.", "base_revision": "", "message": ""},
        REMOTE_ADDR=CLIENT,
    )
    return AuditEntry.objects.get(action=AuditEntry.Action.REVISION_SAVED)


def test_coordinators_read_the_audit_log_in_the_admin(as_user, coordinator, entry):
    client = as_user(coordinator)

    listing = client.get(AUDIT_ADMIN)
    detail = client.get(f"{AUDIT_ADMIN}{entry.pk}/change/")

    assert listing.status_code == 200
    page = listing.content.decode()
    assert "redaktion" in page
    assert CLIENT in page
    assert detail.status_code == 200
    assert CLIENT in detail.content.decode()


def test_nobody_adds_audit_entries_in_the_admin(as_user, coordinator, entry):
    client = as_user(coordinator)
    count = AuditEntry.objects.count()

    assert client.get(f"{AUDIT_ADMIN}add/").status_code == 403
    assert client.post(f"{AUDIT_ADMIN}add/", {"action": "login"}).status_code == 403
    assert AuditEntry.objects.count() == count


def test_nobody_changes_audit_entries_in_the_admin(as_user, coordinator, entry):
    client = as_user(coordinator)

    response = client.post(
        f"{AUDIT_ADMIN}{entry.pk}/change/",
        {"actor_name": "jemand-anderes", "action": "login", "ip_address": "192.0.2.1"},
    )

    assert response.status_code == 403
    unchanged = AuditEntry.objects.get(pk=entry.pk)
    assert (unchanged.actor_name, unchanged.action, unchanged.ip_address) == (
        "redaktion",
        AuditEntry.Action.REVISION_SAVED,
        CLIENT,
    )


def test_nobody_deletes_audit_entries_in_the_admin(as_user, coordinator, entry):
    client = as_user(coordinator)

    single = client.post(f"{AUDIT_ADMIN}{entry.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        AUDIT_ADMIN, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    assert single.status_code == 403
    assert bulk.status_code in (200, 302, 403)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert "delete_selected" not in client.get(AUDIT_ADMIN).content.decode()


def test_even_a_superuser_cannot_change_the_audit_log(client, entry):
    admin = User.objects.create_superuser(username="root", password="x-very-long-1")
    client.force_login(admin)

    assert client.get(f"{AUDIT_ADMIN}add/").status_code == 403
    assert client.post(f"{AUDIT_ADMIN}{entry.pk}/change/", {}).status_code == 403
    assert client.post(f"{AUDIT_ADMIN}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", ["partner", "editor", "reviewer", "outsider"])
def test_other_roles_cannot_read_the_audit_log(role, as_role, client, entry):
    client.force_login(as_role(role))

    response = client.get(AUDIT_ADMIN)

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]
    assert CLIENT not in response.content.decode()


def test_anonymous_visitors_cannot_read_the_audit_log(client, entry):
    response = client.get(AUDIT_ADMIN)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
