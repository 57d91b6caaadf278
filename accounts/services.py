"""Writes of accounts, organisations and working groups."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

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


def token_issue(*, user: User) -> Token:
    """The user's API token, made on first use; a new token is audited."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit.record(actor=user, action=AuditEntry.Action.TOKEN_CREATED, target=user)
    return token


def token_revoke(*, actor: User, user: User) -> bool:
    """Revoke a user's API token: their own, or anyone's for coordinators; audited."""
    if actor.pk != user.pk and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination widerruft Schlüssel anderer Personen."))
    with transaction.atomic():
        deleted, _rows = Token.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=actor, action=AuditEntry.Action.TOKEN_REVOKED, target=user)
    return bool(deleted)


def organisation_create(
    *,
    actor: User | None,
    slug: str,
    name: str,
    short_name: str = "",
    kind: str = Organisation.Kind.OTHER,
    website: str = "",
    description: str = "",
    is_lead: bool = False,
) -> Organisation:
    """Add a partner organisation (coordinators; None: the system)."""
    if actor is not None and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination legt Partnerorganisationen an."))
    organisation = Organisation(
        slug=slug,
        name=name,
        short_name=short_name,
        kind=kind,
        website=website,
        description=description,
        is_lead=is_lead,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an account (coordinators; None: the system); without a password it cannot log
    in until one is set."""
    if actor is not None and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination legt Konten an."))
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a password: the person themselves, or the system (None) for demo accounts."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("Nur die Person selbst setzt ihr Passwort."))
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


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
