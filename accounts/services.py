"""Writes of accounts, organisations and working groups."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import audit, lockout
from .models import AuditEntry, Membership, Organisation, User, WorkingGroup
from .permissions import can_assign_roles, can_unlock_accounts


def working_group_create(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    description: str = "",
    organisation: Organisation | None = None,
) -> WorkingGroup:
    """Create a working group together with the auth group that carries its permissions."""
    if actor is not None and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination legt Arbeitsgruppen an."))
    slug = slug or slugify(name)
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=f"working-group:{slug}")
        working_group = WorkingGroup(
            name=name, slug=slug, description=description, organisation=organisation, group=group
        )
        working_group.full_clean()
        working_group.save()
    return working_group


def membership_add(
    *, actor: User | None, user: User, organisation: Organisation, position: str = ""
) -> Membership:
    """Make a user a member of a partner organisation (idempotent)."""
    if actor is not None and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination verwaltet Mitgliedschaften."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"position": position}
    )
    if not created and position and membership.position != position:
        membership.position = position
        membership.save(update_fields=["position"])
    return membership


def account_unlock(*, actor: User, user: User) -> int:
    """Lift the login lock of ``user`` before the cool-off ends (coordinators), recorded in
    the audit log; returns the number of failure records forgotten (0: was not locked)."""
    if not can_unlock_accounts(actor):
        raise PermissionDenied(_("Nur die Koordination hebt Anmeldesperren auf."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        was_locked = lockout.is_locked(user)
        cleared = lockout.clear_failures(user)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.ACCOUNT_UNLOCKED,
            target=user,
            details={"was_locked": was_locked, "failure_records": cleared},
        )
    return cleared
