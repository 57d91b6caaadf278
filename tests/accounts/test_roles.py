"""Granting and revoking roles (accounts/roles.py), one rule per test."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import get_user_perms

from accounts.models import User
from accounts.roles import ROLES, RoleName, role_grant, role_revoke, roles_held
from charta.models import ActionFieldUserObjectPermission
from charta.permissions import field_permissions, forget_permissions
from tests.conftest import fresh
from tests.factories import MeasureFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

EDITOR_PERMS = ROLES[RoleName.EDITOR].permissions
REVIEWER_PERMS = ROLES[RoleName.REVIEWER].permissions


@pytest.fixture
def person():
    return UserFactory(username="neu")


@pytest.fixture
def target(request, field, working_group):
    """The object a role is granted on, by scope."""
    return {
        RoleName.COORDINATOR: None,
        RoleName.PARTNER: None,
        RoleName.EDITOR: field,
        RoleName.REVIEWER: field,
        RoleName.REPORTER: MeasureFactory(goal__action_field=field),
        RoleName.WORKING_GROUP_MEMBER: working_group,
    }[request.param]


def holds(user: User, role: RoleName, obj) -> bool:
    """Whether the user, read afresh, holds every permission (or the membership) of the role."""
    user = fresh(user)
    if role == RoleName.WORKING_GROUP_MEMBER:
        return user.groups.filter(pk=obj.group_id).exists()
    return all(user.has_perm(perm, obj) for perm in ROLES[role].permissions)


def holds_any(user: User, role: RoleName, obj) -> bool:
    user = fresh(user)
    if role == RoleName.WORKING_GROUP_MEMBER:
        return user.groups.filter(pk=obj.group_id).exists()
    return any(user.has_perm(perm, obj) for perm in ROLES[role].permissions)


ALL_ROLES = list(RoleName)


@pytest.mark.parametrize(("role", "target"), [(r, r) for r in ALL_ROLES], indirect=["target"])
def test_role_grant_gives_the_roles_permissions(role, target, person):
    assert not holds_any(person, role, target)

    role_grant(actor=None, role=role, grantee=person, obj=target)

    assert holds(person, role, target)
    assert role in roles_held(fresh(person), target)


@pytest.mark.parametrize(("role", "target"), [(r, r) for r in ALL_ROLES], indirect=["target"])
def test_role_revoke_takes_the_roles_permissions_away(role, target, person):
    role_grant(actor=None, role=role, grantee=person, obj=target)

    role_revoke(actor=None, role=role, grantee=fresh(person), obj=target)

    assert not holds_any(person, role, target)
    assert roles_held(fresh(person), target) == []


@pytest.mark.parametrize(("role", "target"), [(r, r) for r in ALL_ROLES], indirect=["target"])
def test_granting_a_role_twice_is_harmless(role, target, person):
    role_grant(actor=None, role=role, grantee=person, obj=target)
    groups_before = set(fresh(person).groups.all())
    rows_before = ActionFieldUserObjectPermission.objects.filter(user=person).count()

    role_grant(actor=None, role=role, grantee=fresh(person), obj=target)

    assert holds(person, role, target)
    assert set(fresh(person).groups.all()) == groups_before
    assert ActionFieldUserObjectPermission.objects.filter(user=person).count() == rows_before


def test_field_roles_apply_only_to_their_field(person, field, other_field):
    role_grant(actor=None, role=RoleName.EDITOR, grantee=person, obj=field)

    person = fresh(person)
    assert person.has_perm("charta.edit_text", field)
    assert not person.has_perm("charta.edit_text", other_field)
    assert not person.has_perm("charta.edit_text")


def test_revoking_editor_keeps_reviewer_permissions_on_the_same_field(person, field):
    role_grant(actor=None, role=RoleName.EDITOR, grantee=person, obj=field)
    role_grant(actor=None, role=RoleName.REVIEWER, grantee=person, obj=field)

    role_revoke(actor=None, role=RoleName.EDITOR, grantee=person, obj=field)

    person = fresh(person)
    assert roles_held(person, field) == [RoleName.REVIEWER]
    assert set(field_permissions(person, field)) == {p.split(".")[1] for p in REVIEWER_PERMS}
    for perm in REVIEWER_PERMS:
        assert person.has_perm(perm, field), perm
    for perm in EDITOR_PERMS - REVIEWER_PERMS:
        assert not person.has_perm(perm, field), perm


def test_revoking_reviewer_keeps_editor_permissions_on_the_same_field(person, field):
    role_grant(actor=None, role=RoleName.EDITOR, grantee=person, obj=field)
    role_grant(actor=None, role=RoleName.REVIEWER, grantee=person, obj=field)

    role_revoke(actor=None, role=RoleName.REVIEWER, grantee=person, obj=field)

    person = fresh(person)
    assert roles_held(person, field) == [RoleName.EDITOR]
    assert {f"charta.{p}" for p in get_user_perms(person, field)} == EDITOR_PERMS


def test_forget_permissions_drops_cached_permissions(person, field):
    assert not field_permissions(person, field)
    role_grant(actor=None, role=RoleName.EDITOR, grantee=person, obj=field)
    assert not field_permissions(person, field)  # still the cached answer

    forget_permissions(person)

    assert "edit_text" in field_permissions(person, field)


def test_coordinator_holds_every_field_permission_globally(coordinator, action_fields):
    for action_field in action_fields:
        perms = field_permissions(coordinator, action_field)
        assert {"view_drafts", "comment", "edit_text", "review_text", "publish"} <= perms


def test_granting_coordinator_gives_admin_access(person):
    role_grant(actor=None, role=RoleName.COORDINATOR, grantee=person)

    assert fresh(person).is_staff


def test_revoking_coordinator_takes_admin_access_away(person):
    role_grant(actor=None, role=RoleName.COORDINATOR, grantee=person)

    role_revoke(actor=None, role=RoleName.COORDINATOR, grantee=fresh(person))

    assert not fresh(person).is_staff


def test_reporter_role_granted_to_a_working_group_reaches_its_members(wg_member, working_group):
    measure = MeasureFactory()

    role_grant(actor=None, role=RoleName.REPORTER, grantee=working_group, obj=measure)

    assert fresh(wg_member).has_perm("measures.report_status", measure)
    assert roles_held(working_group, measure) == [RoleName.REPORTER]


# --- wrong scope -------------------------------------------------------------------------


@pytest.fixture
def wrong_target(request, field, working_group):
    return {
        "nothing": None,
        "field": field,
        "measure": MeasureFactory(goal__action_field=field),
        "working_group": working_group,
        "section": SectionFactory(action_field=field),
    }[request.param]


WRONG_SCOPES = [
    (RoleName.COORDINATOR, "field"),
    (RoleName.COORDINATOR, "measure"),
    (RoleName.PARTNER, "field"),
    (RoleName.PARTNER, "working_group"),
    (RoleName.EDITOR, "nothing"),
    (RoleName.EDITOR, "measure"),
    (RoleName.EDITOR, "working_group"),
    (RoleName.EDITOR, "section"),
    (RoleName.REVIEWER, "nothing"),
    (RoleName.REVIEWER, "measure"),
    (RoleName.REPORTER, "nothing"),
    (RoleName.REPORTER, "field"),
    (RoleName.WORKING_GROUP_MEMBER, "nothing"),
    (RoleName.WORKING_GROUP_MEMBER, "field"),
]


@pytest.mark.parametrize(("role", "wrong_target"), WRONG_SCOPES, indirect=["wrong_target"])
def test_granting_a_role_on_the_wrong_kind_of_object_is_refused(role, wrong_target, person):
    with pytest.raises(ValidationError):
        role_grant(actor=None, role=role, grantee=person, obj=wrong_target)

    person = fresh(person)
    assert not person.groups.exists()
    assert not ActionFieldUserObjectPermission.objects.filter(user=person).exists()


@pytest.mark.parametrize(("role", "wrong_target"), WRONG_SCOPES, indirect=["wrong_target"])
def test_revoking_a_role_on_the_wrong_kind_of_object_is_refused(role, wrong_target, person):
    with pytest.raises(ValidationError):
        role_revoke(actor=None, role=role, grantee=person, obj=wrong_target)


@pytest.mark.parametrize(
    ("role", "obj"),
    [
        (RoleName.EDITOR, "field"),
        (RoleName.REVIEWER, "field"),
        (RoleName.COORDINATOR, None),
        (RoleName.PARTNER, None),
    ],
)
def test_person_roles_are_not_granted_to_groups(role, obj, working_group, field):
    target = field if obj == "field" else None
    with pytest.raises(ValidationError):
        role_grant(actor=None, role=role, grantee=working_group, obj=target)
    with pytest.raises(ValidationError):
        role_grant(actor=None, role=role, grantee=Group.objects.create(name="lose"), obj=target)


def test_unknown_role_is_refused(person, field):
    with pytest.raises(ValueError):
        role_grant(actor=None, role="superhero", grantee=person, obj=field)


# --- who may grant -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "user_with_role",
    ["editor", "other_editor", "reviewer", "partner", "wg_member", "outsider", "anonymous"],
    indirect=True,
)
def test_only_coordinators_grant_roles(user_with_role, person, field):
    with pytest.raises(PermissionDenied):
        role_grant(actor=user_with_role, role=RoleName.EDITOR, grantee=person, obj=field)

    assert not fresh(person).has_perm("charta.edit_text", field)


@pytest.mark.parametrize("actor", ["editor", "reviewer", "partner", "wg_member", "outsider"])
def test_only_coordinators_revoke_roles(actor, as_role, reviewer, field):
    with pytest.raises(PermissionDenied):
        role_revoke(actor=as_role(actor), role=RoleName.REVIEWER, grantee=reviewer, obj=field)

    assert fresh(reviewer).has_perm("charta.review_text", field)


def test_editors_cannot_grant_themselves_more(editor, field):
    with pytest.raises(PermissionDenied):
        role_grant(actor=editor, role=RoleName.REVIEWER, grantee=editor, obj=field)


@pytest.mark.parametrize(("role", "target"), [(r, r) for r in ALL_ROLES], indirect=["target"])
def test_coordinator_may_grant_and_revoke_every_role(role, target, coordinator, person):
    role_grant(actor=coordinator, role=role, grantee=person, obj=target)
    assert holds(person, role, target)

    role_revoke(actor=coordinator, role=role, grantee=fresh(person), obj=target)
    assert not holds_any(person, role, target)


def test_superuser_may_grant_roles(person, field):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    role_grant(actor=admin, role=RoleName.EDITOR, grantee=person, obj=field)

    assert fresh(person).has_perm("charta.edit_text", field)


def test_inactive_coordinator_cannot_grant_roles(coordinator, person):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)

    with pytest.raises(PermissionDenied):
        role_grant(actor=fresh(coordinator), role=RoleName.PARTNER, grantee=person)
