"""Who may create, edit, report on and see goals and measures: one table per rule, every role."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import RoleName, role_grant
from measures import permissions, services
from measures.models import Goal, Measure, StatusUpdate
from tests.conftest import fresh
from tests.factories import UserFactory

from .conftest import DRAFT, PEOPLE, PUBLISHED, Status, make_goal, make_measure

pytestmark = pytest.mark.django_db

# Editors of the field and coordinators manage its goals and measures; nobody else.
MANAGE = {"coordinator", "editor"}
# The measure's working group, its responsible user and coordinators report on it.
REPORT = {"coordinator", "wg_member", "responsible"}
# Drafts are for those who read the field's drafts (consortium roles of the field, partners,
# coordinators); a draft measure also for its reporters.
READ_DRAFT_GOAL = {"coordinator", "editor", "reviewer", "partner"}
READ_DRAFT_MEASURE = READ_DRAFT_GOAL | {"wg_member", "responsible"}


def table(allowed: set[str]) -> list[tuple[str, bool]]:
    return [(key, key in allowed) for key in PEOPLE]


# Creating and editing ----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), table(MANAGE))
def test_only_field_editors_and_coordinators_create_goals(role, allowed, person, field, measure):
    actor = person(role)
    kwargs = {"actor": actor, "action_field": field, "title": "Neues Ziel", "owner": measure.owner}

    if allowed:
        goal = services.goal_create(**kwargs)
        assert goal.pk and goal.state == DRAFT
    else:
        with pytest.raises(PermissionDenied):
            services.goal_create(**kwargs)
        assert not Goal.objects.filter(title="Neues Ziel").exists()


@pytest.mark.parametrize(("role", "allowed"), table(MANAGE))
def test_only_field_editors_and_coordinators_edit_goals(role, allowed, person, goal, measure):
    actor = person(role)

    if allowed:
        services.goal_update(actor=actor, goal=goal, title="Geänderter Titel")
    else:
        with pytest.raises(PermissionDenied):
            services.goal_update(actor=actor, goal=goal, title="Geänderter Titel")
    goal.refresh_from_db()
    assert (goal.title == "Geänderter Titel") is allowed


@pytest.mark.parametrize(("role", "allowed"), table(MANAGE))
def test_only_field_editors_and_coordinators_delete_goals(role, allowed, person, field, measure):
    empty = make_goal(field, measure.owner, title="Leeres Ziel")
    actor = person(role)

    if allowed:
        services.goal_delete(actor=actor, goal=empty)
    else:
        with pytest.raises(PermissionDenied):
            services.goal_delete(actor=actor, goal=empty)
    assert Goal.objects.filter(pk=empty.pk).exists() is not allowed


@pytest.mark.parametrize(("role", "allowed"), table(MANAGE))
def test_only_field_editors_and_coordinators_create_measures(role, allowed, person, goal, measure):
    actor = person(role)
    kwargs = {"actor": actor, "goal": goal, "title": "Neue Maßnahme", "owner": goal.owner}

    if allowed:
        created = services.measure_create(**kwargs)
        assert created.pk and created.state == DRAFT
    else:
        with pytest.raises(PermissionDenied):
            services.measure_create(**kwargs)
        assert not Measure.objects.filter(title="Neue Maßnahme").exists()


@pytest.mark.parametrize(("role", "allowed"), table(MANAGE))
def test_only_field_editors_and_coordinators_edit_measures(role, allowed, person, measure):
    actor = person(role)

    if allowed:
        services.measure_update(actor=actor, measure=measure, title="Geänderte Maßnahme")
    else:
        with pytest.raises(PermissionDenied):
            services.measure_update(actor=actor, measure=measure, title="Geänderte Maßnahme")
    measure.refresh_from_db()
    assert (measure.title == "Geänderte Maßnahme") is allowed


def test_editor_of_the_field_cannot_move_a_measure_into_another_field(editor, measure, other_field):
    foreign_goal = make_goal(other_field, measure.owner, title="Ziel im anderen Feld")

    with pytest.raises(PermissionDenied):
        services.measure_update(actor=editor, measure=measure, goal=foreign_goal)
    measure.refresh_from_db()
    assert measure.goal_id != foreign_goal.pk


def test_editor_cannot_publish_but_coordinator_can(editor, coordinator, field, organisation):
    with pytest.raises(PermissionDenied):
        services.goal_create(
            actor=editor, action_field=field, title="Sofort öffentlich", owner=organisation,
            state=PUBLISHED,
        )  # fmt: skip
    draft = services.goal_create(
        actor=editor, action_field=field, title="Erst Entwurf", owner=organisation
    )
    with pytest.raises(PermissionDenied):
        services.goal_publish(actor=editor, goal=draft)

    services.goal_publish(actor=coordinator, goal=draft)

    draft.refresh_from_db()
    assert draft.state == PUBLISHED


# Reporting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), table(REPORT))
def test_only_reporters_and_coordinators_report_status(role, allowed, person, measure):
    actor = person(role)
    report = {"status": Status.IN_PROGRESS, "progress": 30, "note": "Erster Workshop."}

    assert permissions.can_report_status(actor, measure) is allowed
    if allowed:
        services.measure_report_status(actor=actor, measure=measure, **report)
    else:
        with pytest.raises(PermissionDenied):
            services.measure_report_status(actor=actor, measure=measure, **report)
    measure.refresh_from_db()
    assert StatusUpdate.objects.filter(measure=measure).count() == (1 if allowed else 0)
    assert measure.progress == (30 if allowed else 0)


def test_wg_member_cannot_report_on_a_measure_of_another_group(person, goal, other_group):
    foreign = make_measure(goal, title="Maßnahme der AG Industrie", working_group=other_group)

    with pytest.raises(PermissionDenied):
        services.measure_report_status(
            actor=person("wg_member"), measure=foreign, status=Status.IN_PROGRESS, progress=10
        )
    assert not foreign.status_updates.exists()


def test_responsible_user_reports_only_on_their_own_measure(person, goal, measure):
    unrelated = make_measure(goal, title="Andere Maßnahme")

    with pytest.raises(PermissionDenied):
        services.measure_report_status(
            actor=person("responsible"), measure=unrelated, status=Status.DELAYED, progress=5
        )
    assert not unrelated.status_updates.exists()


def test_moving_a_measure_to_another_group_moves_the_right_to_report(
    coordinator, person, measure, other_group
):
    services.measure_update(actor=coordinator, measure=measure, working_group=other_group)

    assert not permissions.can_report_status(person("wg_member"), measure)


def test_removing_the_responsible_user_takes_their_right_to_report(coordinator, person, measure):
    services.measure_update(actor=coordinator, measure=measure, responsible=[])

    assert not permissions.can_report_status(person("responsible"), measure)


# Visibility --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "sees_draft"), table(READ_DRAFT_GOAL))
def test_draft_goals_are_visible_only_to_draft_readers(role, sees_draft, person, goal, draft_goal):
    visible = set(permissions.goals_visible_to(person(role)).values_list("pk", flat=True))

    assert goal.pk in visible
    assert (draft_goal.pk in visible) is sees_draft


@pytest.mark.parametrize(("role", "sees_draft"), table(READ_DRAFT_MEASURE))
def test_draft_measures_are_visible_to_draft_readers_and_their_reporters(
    role, sees_draft, person, measure, working_group, responsible
):
    draft = make_measure(
        measure.goal,
        state=DRAFT,
        title="Entwurf einer Maßnahme",
        working_group=working_group,
        responsible=[responsible],
    )

    visible = set(permissions.measures_visible_to(person(role)).values_list("pk", flat=True))

    assert measure.pk in visible
    assert (draft.pk in visible) is sees_draft


@pytest.mark.parametrize("role", PEOPLE)
def test_published_measure_of_a_draft_goal_is_not_public(role, person, draft_goal):
    hidden = make_measure(draft_goal, title="Öffentlich, aber Ziel im Entwurf")

    visible = permissions.measures_visible_to(person(role)).filter(pk=hidden.pk).exists()

    assert visible is (role in READ_DRAFT_GOAL)


@pytest.mark.parametrize(("role", "sees_draft"), table(READ_DRAFT_MEASURE))
def test_measure_page_answers_404_to_those_who_may_not_see_it(
    role, sees_draft, login, measure, working_group, responsible
):
    draft = make_measure(
        measure.goal,
        state=DRAFT,
        title="Entwurf einer Maßnahme",
        working_group=working_group,
        responsible=[responsible],
    )
    client = login(role)

    assert client.get(f"/massnahmen/{measure.pk}/").status_code == 200
    assert client.get(f"/massnahmen/{draft.pk}/").status_code == (200 if sees_draft else 404)


@pytest.mark.parametrize(("role", "sees_draft"), table(READ_DRAFT_GOAL))
def test_goal_page_answers_404_to_those_who_may_not_see_it(
    role, sees_draft, login, goal, draft_goal
):
    client = login(role)

    assert client.get(f"/massnahmen/ziele/{goal.pk}/").status_code == 200
    assert client.get(f"/massnahmen/ziele/{draft_goal.pk}/").status_code == (
        200 if sees_draft else 404
    )


@pytest.mark.parametrize(("role", "sees_draft"), table(READ_DRAFT_GOAL))
def test_field_page_shows_draft_goals_only_to_draft_readers(
    role, sees_draft, login, field, goal, draft_goal
):
    make_measure(draft_goal, title="Maßnahme unter dem Entwurfsziel")

    html = login(role).get(f"/handlungsfelder/{field.slug}/").content.decode()

    assert goal.title in html
    assert (draft_goal.title in html) is sees_draft
    assert ("Maßnahme unter dem Entwurfsziel" in html) is sees_draft


@pytest.mark.parametrize("query", ["", "?sortierung=titel", "?overdue=true", "?status=planned"])
def test_field_page_never_shows_a_draft_goal_to_anonymous_users(client, field, draft_goal, query):
    make_measure(draft_goal, title="Maßnahme unter dem Entwurfsziel")

    response = client.get(f"/handlungsfelder/{field.slug}/{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert draft_goal.title not in html
    assert "Maßnahme unter dem Entwurfsziel" not in html


@pytest.mark.parametrize("role", PEOPLE)
def test_report_form_post_is_accepted_only_from_reporters(role, login, measure):
    response = login(role).post(
        f"/massnahmen/{measure.pk}/bericht/", {"status": "in_progress", "progress": "20"}
    )

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/")
    elif role in REPORT:
        assert response.status_code == 302
        assert response["Location"] == f"/massnahmen/{measure.pk}/"
    else:
        assert response.status_code == 403
    assert measure.status_updates.exists() is (role in REPORT)


# System actions ----------------------------------------------------------------------------


def test_services_accept_a_system_action_without_actor(field, organisation):
    """``actor=None`` is documented as a system action (command line, demo data)."""
    goal = services.goal_create(
        actor=None, action_field=field, title="Vom System angelegt", owner=organisation
    )
    measure = services.measure_create(
        actor=None, goal=goal, title="Vom System angelegte Maßnahme", owner=organisation
    )

    assert goal.created_by is None
    assert measure.created_by is None


def test_goal_and_measure_stay_editable_after_their_creator_is_deleted(
    coordinator, field, organisation
):
    """created_by is SET_NULL on delete: the rows outlive their author and must stay editable."""
    creator = UserFactory(username="ehemals")
    role_grant(actor=None, role=RoleName.COORDINATOR, grantee=creator)
    creator = fresh(creator)
    goal = services.goal_create(
        actor=creator, action_field=field, title="Ziel von ehemals", owner=organisation
    )
    measure = services.measure_create(
        actor=creator, goal=goal, title="Maßnahme von ehemals", owner=organisation
    )
    creator.delete()
    goal.refresh_from_db()
    measure.refresh_from_db()

    services.goal_update(actor=coordinator, goal=goal, title="Ziel übernommen")
    services.measure_update(actor=coordinator, measure=measure, title="Maßnahme übernommen")

    goal.refresh_from_db()
    measure.refresh_from_db()
    assert (goal.title, measure.title) == ("Ziel übernommen", "Maßnahme übernommen")
