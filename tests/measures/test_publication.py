"""Publication of goals and measures is a workflow (measures/workflow.py), not a field.

Coordinators publish drafts and withdraw published ones (saying why); the API's
``transition/`` action and the pages' buttons and forms take the same steps through the
same services, and ``state`` can no longer be written as a plain field anywhere.

The tables have one row per (action, state before) and one column per role, in the order
of COLUMNS. 404 where the role may not see the object, 403 where it may see it but not take
the step, 400 for a step the state does not allow; the API answers 401 to anonymous
writes, the pages send anonymous visitors to the login.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from accounts.roles import RoleName as Role
from measures import services
from measures.models import Goal, Measure
from measures.workflow import (
    PUBLICATION_TRANSITIONS,
    PublicationAction,
    available_publication_actions,
)

from .conftest import DRAFT, PUBLISHED, make_goal, make_measure

pytestmark = pytest.mark.django_db

COLUMNS = (
    "coordinator",
    "editor",
    "other_editor",
    "reviewer",
    "partner",
    "wg_member",
    "outsider",
    "anonymous",
)
PUBLISH, WITHDRAW = PublicationAction.PUBLISH.value, PublicationAction.WITHDRAW.value
REASON = "Die Zahlen im Text sind veraltet; die Redaktion überarbeitet sie."
LOGIN = "login"  # the pages send anonymous visitors to the login form

#                               coord  edit  other  rev   partn  wg    outs  anon
GOAL_API = {
    (PUBLISH, DRAFT):           (200,  403,  404,   403,  403,   404,  404,  401),
    (PUBLISH, PUBLISHED):       (400,  403,  403,   403,  403,   403,  403,  401),
    (WITHDRAW, PUBLISHED):      (200,  403,  403,   403,  403,   403,  403,  401),
    (WITHDRAW, DRAFT):          (400,  403,  404,   403,  403,   404,  404,  401),
}  # fmt: skip
# A draft measure is visible to its working group too (they report on it).
MEASURE_API = {
    (PUBLISH, DRAFT):           (200,  403,  404,   403,  403,   403,  404,  401),
    (PUBLISH, PUBLISHED):       (400,  403,  403,   403,  403,   403,  403,  401),
    (WITHDRAW, PUBLISHED):      (200,  403,  403,   403,  403,   403,  403,  401),
    (WITHDRAW, DRAFT):          (400,  403,  404,   403,  403,   403,  404,  401),
}  # fmt: skip
# The pages: a step taken redirects to the object (302); a refused one shows the form again.
GOAL_HTML = {
    (PUBLISH, DRAFT):           (302,  403,  404,   403,  403,   404,  404,  LOGIN),
    (PUBLISH, PUBLISHED):       (400,  403,  403,   403,  403,   403,  403,  LOGIN),
    (WITHDRAW, PUBLISHED):      (302,  403,  403,   403,  403,   403,  403,  LOGIN),
    (WITHDRAW, DRAFT):          (400,  403,  404,   403,  403,   404,  404,  LOGIN),
}  # fmt: skip
MEASURE_HTML = {
    (PUBLISH, DRAFT):           (302,  403,  404,   403,  403,   403,  404,  LOGIN),
    (PUBLISH, PUBLISHED):       (400,  403,  403,   403,  403,   403,  403,  LOGIN),
    (WITHDRAW, PUBLISHED):      (302,  403,  403,   403,  403,   403,  403,  LOGIN),
    (WITHDRAW, DRAFT):          (400,  403,  404,   403,  403,   403,  404,  LOGIN),
}  # fmt: skip


def cases(tables: dict[str, dict]) -> list:
    """``{"goal": TABLE, …}`` → pytest parameters ``(kind, action, state, role, expected)``."""
    params = []
    for kind, rows in tables.items():
        for (action, state), codes in rows.items():
            assert len(codes) == len(COLUMNS), (kind, action, state)
            for role, code in zip(COLUMNS, codes, strict=True):
                params.append(
                    pytest.param(
                        kind, action, state, role, code, id=f"{kind}-{action}-{state}-{role}"
                    )
                )
    return params


@pytest.fixture
def make_target(field, organisation, working_group, responsible):
    """``make_target("goal" | "measure", state)``: a goal, or a measure (of a published goal)
    that wg_member's working group and ``responsible`` report on."""

    def make(kind: str, state: str) -> Goal | Measure:
        if kind == "goal":
            return make_goal(field, organisation, state=state, title="Sprechstunde für KMU")
        goal = make_goal(field, organisation, title="Zulieferer erschließen neue Märkte")
        return make_measure(
            goal,
            state=state,
            title="Strategie-Coaching für Zulieferer",
            working_group=working_group,
            responsible=[responsible],
        )

    return make


def api_url(obj) -> str:
    return f"/api/v1/{'goals' if isinstance(obj, Goal) else 'measures'}/{obj.pk}/"


def page_url(obj, action: str) -> str:
    step = "veroeffentlichen" if action == PUBLISH else "zurueckziehen"
    if isinstance(obj, Goal):
        return f"/massnahmen/ziele/{obj.pk}/{step}/"
    return f"/massnahmen/{obj.pk}/{step}/"


def api_client(user) -> APIClient:
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


def state_of(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).state


def target_state(action: str) -> str:
    return PUBLISHED if action == PUBLISH else DRAFT


def last_entry_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def step_entries(obj, since: int = 0) -> list[AuditEntry]:
    """The publication steps the audit log holds for ``obj`` (after entry ``since``)."""
    return list(
        AuditEntry.objects.filter(
            id__gt=since,
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            action__in=[AuditEntry.Action.PUBLISHED, AuditEntry.Action.TRANSITION],
        )
    )


# The table ------------------------------------------------------------------------------


def test_coordinators_publish_drafts_and_withdraw_published_entries():
    coordinator = frozenset({Role.COORDINATOR})

    assert [t.action for t in available_publication_actions(state=DRAFT, roles=coordinator)] == [
        PublicationAction.PUBLISH
    ]
    assert [
        t.action for t in available_publication_actions(state=PUBLISHED, roles=coordinator)
    ] == [PublicationAction.WITHDRAW]


@pytest.mark.parametrize("state", [DRAFT, PUBLISHED])
def test_editors_and_reviewers_take_no_publication_step(state):
    roles = frozenset({Role.EDITOR, Role.REVIEWER})

    assert available_publication_actions(state=state, roles=roles) == []


def test_withdrawing_needs_a_reason_and_publishing_does_not():
    assert PUBLICATION_TRANSITIONS[PublicationAction.WITHDRAW].needs_reason
    assert not PUBLICATION_TRANSITIONS[PublicationAction.PUBLISH].needs_reason


# API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "action", "state", "role", "expected"),
    cases({"goal": GOAL_API, "measure": MEASURE_API}),
)
def test_publication_steps_through_the_api_by_role_and_state(
    kind, action, state, role, expected, make_target, person
):
    obj = make_target(kind, state)
    entries_before = len(step_entries(obj))

    response = api_client(person(role)).post(
        f"{api_url(obj)}transition/", {"action": action, "reason": REASON}
    )

    assert response.status_code == expected, response.content[:300]
    if expected == 200:
        assert state_of(obj) == target_state(action)
        assert response.json()["state"] == target_state(action)
        assert len(step_entries(obj)) == entries_before + 1
    else:
        assert state_of(obj) == state
        assert len(step_entries(obj)) == entries_before
        assert response.json()["detail"].strip()
        if expected == 400:
            assert "action" in response.json()["errors"]


@pytest.mark.parametrize("kind", ["goal", "measure"])
@pytest.mark.parametrize(
    ("state", "asked"), [(DRAFT, PUBLISHED), (PUBLISHED, DRAFT), (DRAFT, "archived")]
)
@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_patching_the_state_is_refused_and_points_to_the_transition_action(
    kind, state, asked, role, make_target, person
):
    """The hole this closes: an editor PATCHed ``{"state": "draft"}`` on a published goal
    and took it off the public site, which the pages forbid."""
    obj = make_target(kind, state)

    response = api_client(person(role)).patch(api_url(obj), {"state": asked})

    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    assert list(errors) == ["state"]
    assert f"{api_url(obj)}transition/" in errors["state"][0]
    assert state_of(obj) == state


@pytest.mark.parametrize("kind", ["goal", "measure"])
@pytest.mark.parametrize("state", [DRAFT, PUBLISHED])
def test_the_state_stays_readable_and_may_be_sent_back_unchanged(kind, state, make_target, editor):
    """Clients that send back what they read (state included) keep working."""
    obj = make_target(kind, state)
    client = api_client(editor)
    data = client.get(api_url(obj)).json()
    assert data["state"] == state

    response = client.patch(api_url(obj), {"title": "Neuer Titel", "state": data["state"]})

    assert response.status_code == 200, response.content[:300]
    assert response.json()["state"] == state
    assert type(obj).objects.get(pk=obj.pk).title == "Neuer Titel"


@pytest.mark.parametrize("url", ["/api/v1/goals/", "/api/v1/measures/"])
def test_a_new_entry_cannot_be_created_published(url, coordinator, field, organisation):
    goal = make_goal(field, organisation, title="Ziel für neue Maßnahmen")
    payload = {"title": "Gleich öffentlich", "owner": organisation.slug, "state": PUBLISHED}
    payload |= {"action_field": field.slug} if "goals" in url else {"goal": goal.pk}

    response = api_client(coordinator).post(url, payload)

    assert response.status_code == 400, response.content[:300]
    assert "state" in response.json()["errors"]
    assert not Goal.objects.filter(title="Gleich öffentlich").exists()
    assert not Measure.objects.filter(title="Gleich öffentlich").exists()


@pytest.mark.parametrize("kind", ["goal", "measure"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_withdrawing_through_the_api_needs_a_reason(kind, reason, make_target, coordinator):
    obj = make_target(kind, PUBLISHED)
    mark = last_entry_id()
    payload = {"action": WITHDRAW} | ({} if reason is None else {"reason": reason})

    response = api_client(coordinator).post(f"{api_url(obj)}transition/", payload)

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert state_of(obj) == PUBLISHED
    assert step_entries(obj, mark) == []


def test_an_unknown_step_is_a_400_naming_the_action(make_target, coordinator):
    obj = make_target("goal", DRAFT)

    response = api_client(coordinator).post(f"{api_url(obj)}transition/", {"action": "archive"})

    assert response.status_code == 400
    assert "action" in response.json()["errors"]


@pytest.mark.parametrize("kind", ["goal", "measure"])
def test_withdrawal_is_audited_with_its_reason(kind, make_target, coordinator):
    obj = make_target(kind, PUBLISHED)
    mark = last_entry_id()

    api_client(coordinator).post(
        f"{api_url(obj)}transition/", {"action": WITHDRAW, "reason": f"  {REASON} "}
    )

    [entry] = step_entries(obj, mark)
    assert entry.action == AuditEntry.Action.TRANSITION
    assert (entry.actor, entry.actor_name) == (coordinator, coordinator.username)
    assert entry.details == {"action": WITHDRAW, "from": PUBLISHED, "to": DRAFT, "reason": REASON}


@pytest.mark.parametrize("kind", ["goal", "measure"])
def test_a_withdrawn_entry_leaves_the_public_api(kind, make_target, coordinator):
    obj = make_target(kind, PUBLISHED)
    assert APIClient().get(api_url(obj)).status_code == 200

    if kind == "goal":
        services.goal_withdraw(actor=coordinator, goal=obj, reason=REASON)
    else:
        services.measure_withdraw(actor=coordinator, measure=obj, reason=REASON)

    assert APIClient().get(api_url(obj)).status_code == 404


# Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "action", "state", "role", "expected"),
    cases({"goal": GOAL_HTML, "measure": MEASURE_HTML}),
)
def test_publication_steps_on_the_pages_by_role_and_state(
    kind, action, state, role, expected, make_target, login
):
    obj = make_target(kind, state)
    entries_before = len(step_entries(obj))

    response = login(role).post(page_url(obj, action), {"reason": REASON})

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/")
    else:
        assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == obj.get_absolute_url()
        assert state_of(obj) == target_state(action)
        assert len(step_entries(obj)) == entries_before + 1
    else:
        assert state_of(obj) == state
        assert len(step_entries(obj)) == entries_before
    if expected == 400:
        assert "nicht möglich" in response.content.decode()


@pytest.mark.parametrize("kind", ["goal", "measure"])
def test_the_withdraw_form_asks_coordinators_for_a_reason(kind, make_target, login):
    obj = make_target(kind, PUBLISHED)
    client = login("coordinator")

    form = client.get(page_url(obj, WITHDRAW))
    refused = client.post(page_url(obj, WITHDRAW), {"reason": "  "})

    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    assert refused.status_code == 400
    assert "Bitte sagen Sie, warum" in refused.content.decode()
    assert state_of(obj) == PUBLISHED


@pytest.mark.parametrize("kind", ["goal", "measure"])
def test_a_withdrawal_on_the_page_is_audited_with_its_reason(kind, make_target, login, coordinator):
    obj = make_target(kind, PUBLISHED)
    mark = last_entry_id()

    response = login("coordinator").post(page_url(obj, WITHDRAW), {"reason": REASON})

    assert response.status_code == 302
    [entry] = step_entries(obj, mark)
    assert entry.actor == coordinator
    assert entry.details["reason"] == REASON


@pytest.mark.parametrize("kind", ["goal", "measure"])
@pytest.mark.parametrize(
    ("role", "state", "shown"),
    [
        ("coordinator", PUBLISHED, {WITHDRAW}),
        ("coordinator", DRAFT, {PUBLISH}),
        ("editor", PUBLISHED, set()),
        ("editor", DRAFT, set()),
    ],
)
def test_the_detail_page_offers_the_steps_the_user_may_take(
    kind, role, state, shown, make_target, login
):
    obj = make_target(kind, state)

    html = login(role).get(obj.get_absolute_url()).content.decode()

    offered = {action for action in (PUBLISH, WITHDRAW) if page_url(obj, action) in html}
    assert offered == shown


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_the_goal_form_no_longer_changes_the_publication(role, make_target, login, organisation):
    """The edit forms have no state field; one posted anyway changes nothing."""
    goal = make_target("goal", PUBLISHED)

    response = login(role).post(
        f"/massnahmen/ziele/{goal.pk}/bearbeiten/",
        {"title": "Sprechstunde für KMU ausbauen", "owner": organisation.pk, "state": DRAFT},
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.state) == ("Sprechstunde für KMU ausbauen", PUBLISHED)


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_the_measure_form_no_longer_changes_the_publication(role, make_target, login):
    measure = make_target("measure", PUBLISHED)

    page = login(role).get(f"/massnahmen/{measure.pk}/bearbeiten/").content.decode()
    response = login(role).post(
        f"/massnahmen/{measure.pk}/bearbeiten/",
        {
            "goal": measure.goal_id,
            "title": "Strategie-Coaching, zweite Runde",
            "owner": measure.owner_id,
            "priority": "medium",
            "state": DRAFT,
        },
    )

    assert 'name="state"' not in page
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.state) == ("Strategie-Coaching, zweite Runde", PUBLISHED)


# Services -------------------------------------------------------------------------------


def test_services_refuse_a_state_change_passed_as_a_field(make_target, coordinator):
    goal = make_target("goal", PUBLISHED)

    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=coordinator, goal=goal, state=DRAFT)

    assert "state" in refused.value.message_dict
    assert state_of(goal) == PUBLISHED


def test_creating_an_entry_published_takes_the_publish_step(field, organisation, coordinator):
    goal = services.goal_create(
        actor=coordinator, action_field=field, title="Öffentlich", owner=organisation,
        state=PUBLISHED,
    )  # fmt: skip

    assert state_of(goal) == PUBLISHED
    [entry] = step_entries(goal)
    assert entry.action == AuditEntry.Action.PUBLISHED


def test_anonymous_users_are_no_actor_of_a_step(make_target):
    """Only ``None`` (the command line) is a system actor; an anonymous request is nobody."""
    goal = make_target("goal", DRAFT)

    with pytest.raises(PermissionDenied):
        services.goal_publish(actor=AnonymousUser(), goal=goal)
    assert state_of(goal) == DRAFT
