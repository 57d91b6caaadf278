"""Writes of accounts, organisations and working groups."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import audit, invitations, lockout
from .models import AuditEntry, Membership, Organisation, User, WorkingGroup
from .permissions import can_assign_roles, can_unlock_accounts
from .tasks import send_account_mail


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


def _unique_username(email: str) -> str:
    base = slugify(email.split("@", 1)[0])[:140] or "person"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def person_invite(
    *,
    actor: User,
    email: str,
    first_name: str = "",
    last_name: str = "",
    organisation: Organisation | None = None,
) -> User:
    """Invite a new person by e-mail (coordinators): the account is made without a password;
    the mailed link lets the person set one, expires and works once. Audited."""
    if not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination lädt neue Personen ein."))
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Für diese E-Mail-Adresse gibt es bereits ein Konto.")})
    with transaction.atomic():
        user = user_create(
            actor=actor,
            username=_unique_username(email),
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        if organisation is not None:
            membership_add(actor=actor, user=user, organisation=organisation)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.PERSON_INVITED,
            target=user,
            details={"email": email, "organisation": organisation.slug if organisation else None},
        )
        transaction.on_commit(lambda: _send_invitation(actor, user))
    return user


def invitation_resend(*, actor: User, user: User) -> None:
    """Send a new invitation link to a person who has not set a password yet."""
    if not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination lädt neue Personen ein."))
    if user.has_usable_password() or not user.email:
        raise ValidationError(_("Diese Person hat ihr Konto bereits eingerichtet."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.PERSON_INVITED,
            target=user,
            details={"email": user.email, "again": True},
        )
        transaction.on_commit(lambda: _send_invitation(actor, user))


def _send_invitation(actor: User, user: User) -> None:
    link = _absolute(reverse("accounts:invitation", args=[invitations.make_token(user)]))
    days = invitations.max_age().days
    send_account_mail.enqueue(
        _("[ITAS-Charta] Einladung zur Mitarbeit"),
        _(
            "Guten Tag %(name)s,\n\n%(actor)s lädt Sie ein, an der ITAS-Charta mitzuarbeiten.\n"
            "Ihr Benutzername: %(username)s\n\n"
            "Bitte legen Sie hier Ihr Passwort fest (der Link gilt %(days)s Tage und nur "
            "einmal):\n%(link)s\n"
        )
        % {
            "name": user.get_full_name() or user.username,
            "actor": actor.display_name,
            "username": user.username,
            "days": days,
            "link": link,
        },
        user.email,
    )


def invitation_accept(*, user: User, password: str) -> User:
    """The invited person sets their password; the link is used up by that. Audited."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=user, action=AuditEntry.Action.INVITATION_ACCEPTED, target=user)
    return user
