"""Writes of accounts, organisations and working groups."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Membership, Organisation, User, WorkingGroup
from .permissions import can_assign_roles


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
