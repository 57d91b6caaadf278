"""Which permissions each role holds, and the services that grant and revoke roles.

This is the one place that ties roles to django-guardian permissions. Roles are held
globally (coordinator, partner), on a Handlungsfeld (editor, reviewer), on a measure
(reporter: a responsible user or a working group) or on a working group (member).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, get_perms, get_user_perms, remove_perm

from . import audit
from .models import AuditEntry, User, WorkingGroup
from .permissions import can_assign_roles


class Scope(StrEnum):
    GLOBAL = "global"
    ACTION_FIELD = "charta.ActionField"
    MEASURE = "measures.Measure"
    WORKING_GROUP = "accounts.WorkingGroup"


class RoleName(models.TextChoices):
    COORDINATOR = "coordinator", _("Koordination")
    PARTNER = "partner", _("Partner")
    EDITOR = "editor", _("Redaktion")
    REVIEWER = "reviewer", _("Prüfung")
    REPORTER = "reporter", _("Berichtende")
    WORKING_GROUP_MEMBER = "working_group_member", _("Arbeitsgruppe")


@dataclass(frozen=True)
class Role:
    name: RoleName
    scope: Scope
    permissions: frozenset[str]
    description: str

    @property
    def label(self) -> str:
        return self.name.label


READ_AND_COMMENT = frozenset({"charta.view_drafts", "charta.comment"})

ROLES: dict[RoleName, Role] = {
    role.name: role
    for role in (
        Role(
            RoleName.COORDINATOR,
            Scope.GLOBAL,
            READ_AND_COMMENT
            | {
                "charta.edit_text",
                "charta.review_text",
                "charta.manage_measures",
                "charta.publish",
                "charta.moderate",
                "measures.manage_periods",
                "measures.report_status",
                "accounts.assign_roles",
                # The admin pages where coordinators manage partners and working groups.
                "accounts.view_user",
                "accounts.view_organisation",
                "accounts.add_organisation",
                "accounts.change_organisation",
                "accounts.view_membership",
                "accounts.add_membership",
                "accounts.change_membership",
                "accounts.delete_membership",
                "accounts.view_workinggroup",
                "accounts.add_workinggroup",
                "accounts.change_workinggroup",
                "accounts.view_auditentry",
            },
            _("führt die Charta: vergibt Rollen, veröffentlicht, moderiert"),
        ),
        Role(
            RoleName.PARTNER,
            Scope.GLOBAL,
            READ_AND_COMMENT,
            _("liest alle Entwürfe und kommentiert"),
        ),
        Role(
            RoleName.EDITOR,
            Scope.ACTION_FIELD,
            READ_AND_COMMENT | {"charta.edit_text", "charta.manage_measures"},
            _("schreibt den Charta-Text eines Handlungsfelds, legt Ziele und Maßnahmen an"),
        ),
        Role(
            RoleName.REVIEWER,
            Scope.ACTION_FIELD,
            READ_AND_COMMENT | {"charta.review_text"},
            _("kommentiert, erbittet Änderungen und gibt Texte eines Handlungsfelds frei"),
        ),
        Role(
            RoleName.REPORTER,
            Scope.MEASURE,
            frozenset({"measures.report_status"}),
            _("berichtet den Umsetzungsstand einer Maßnahme"),
        ),
        Role(
            RoleName.WORKING_GROUP_MEMBER,
            Scope.WORKING_GROUP,
            # Members hold what the group's auth.Group holds; the role is the membership.
            frozenset(),
            _("Mitglied einer Arbeitsgruppe"),
        ),
    )
}

Grantee = User | Group | WorkingGroup


def _scope_of(obj: models.Model | None) -> Scope:
    if obj is None:
        return Scope.GLOBAL
    try:
        return Scope(obj._meta.label)
    except ValueError:
        raise ValidationError(
            _("Auf %(kind)s werden keine Rollen vergeben.") % {"kind": obj._meta.verbose_name}
        ) from None


def _check_grant(actor: User | None, role: Role, grantee: Grantee, obj) -> User | Group:
    # actor None: a system action from the command line (migrations, loaddemo).
    if actor is not None and not can_assign_roles(actor):
        raise PermissionDenied(_("Nur die Koordination vergibt und entzieht Rollen."))
    if _scope_of(obj) != role.scope:
        raise ValidationError(
            _("Die Rolle „%(role)s“ gilt nicht für dieses Objekt.") % {"role": role.label}
        )
    if isinstance(grantee, WorkingGroup):
        grantee = grantee.group
    if isinstance(grantee, Group) and role.scope != Scope.MEASURE:
        raise ValidationError(
            _("Die Rolle „%(role)s“ wird Personen vergeben, nicht Gruppen.") % {"role": role.label}
        )
    return grantee


def _group_name(name: RoleName) -> str:
    # Fixed, language-independent names: the label is translated, the group name is data.
    return f"role:{name.value}"


def role_group(name: RoleName) -> Group:
    """The auth group that carries a global role's permissions, kept in step with ROLES."""
    spec = ROLES[name]
    group, _created = Group.objects.get_or_create(name=_group_name(name))
    wanted = Permission.objects.none()
    for perm in spec.permissions:
        app_label, codename = perm.split(".")
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group.permissions.set(wanted)
    return group


def sync_role_groups(**kwargs) -> None:
    """post_migrate hook: the global roles' groups hold exactly the permissions in ROLES."""
    for role in ROLES.values():
        if role.scope == Scope.GLOBAL:
            role_group(role.name)


def _audit(actor, action: str, spec: Role, grantee: User | Group, obj) -> None:
    audit.record(
        actor=actor,
        actor_name="system",
        action=action,
        target=obj,
        details={
            "role": spec.name.value,
            "grantee": grantee.get_username() if isinstance(grantee, User) else grantee.name,
            "grantee_id": grantee.pk if isinstance(grantee, User) else None,
            "grantee_name": _grantee_label(grantee),
        },
    )


def _grantee_label(grantee: User | Group) -> str:
    """How a grantee is named to people: a person's name, a working group's name."""
    if isinstance(grantee, User):
        return grantee.display_name
    working_group = getattr(grantee, "working_group", None)
    return working_group.name if working_group is not None else grantee.name


def role_grant(
    *,
    actor: User | None,
    role: RoleName | str,
    grantee: Grantee,
    obj: models.Model | None = None,
    on_behalf_of: User | None = None,
) -> None:
    """Give ``grantee`` the role on ``obj`` (None for global roles). Granting twice is harmless.

    ``actor`` None is the system acting; ``on_behalf_of`` names the person whose action made
    the system grant the role (e.g. an editor naming a measure's responsible users), for
    the audit log.
    """
    spec = ROLES[RoleName(role)]
    target = _check_grant(actor, spec, grantee, obj)
    with transaction.atomic():
        _audit(actor or on_behalf_of, AuditEntry.Action.ROLE_GRANTED, spec, target, obj)
        if spec.scope == Scope.WORKING_GROUP:
            target.groups.add(obj.group)
        elif spec.scope == Scope.GLOBAL:
            target.groups.add(role_group(spec.name))
            if spec.name == RoleName.COORDINATOR and not target.is_staff:
                # Coordinators assign roles in the admin.
                target.is_staff = True
                target.save(update_fields=["is_staff"])
        else:
            for perm in spec.permissions:
                assign_perm(perm, target, obj)


def role_revoke(
    *,
    actor: User | None,
    role: RoleName | str,
    grantee: Grantee,
    obj: models.Model | None = None,
    on_behalf_of: User | None = None,
) -> None:
    """Take the role away, keeping the permissions that other held roles still need."""
    spec = ROLES[RoleName(role)]
    target = _check_grant(actor, spec, grantee, obj)
    with transaction.atomic():
        if actor is not None and spec.name == RoleName.COORDINATOR:
            # Somebody must be left who can give roles, or nobody could give them again.
            others = User.objects.filter(groups=role_group(spec.name), is_active=True).exclude(
                pk=target.pk
            )
            if not others.select_for_update().exists():
                raise ValidationError(_("Die letzte Person mit der Rolle Koordination behält sie."))
        _audit(actor or on_behalf_of, AuditEntry.Action.ROLE_REVOKED, spec, target, obj)
        if spec.scope == Scope.WORKING_GROUP:
            target.groups.remove(obj.group)
        elif spec.scope == Scope.GLOBAL:
            target.groups.remove(role_group(spec.name))
            if spec.name == RoleName.COORDINATOR and not target.is_superuser:
                target.is_staff = False
                target.save(update_fields=["is_staff"])
        else:
            others = [ROLES[name] for name in roles_held(target, obj) if name != spec.name]
            still_needed = frozenset().union(*(r.permissions for r in others))
            for perm in spec.permissions - still_needed:
                remove_perm(perm, target, obj)


def _direct_permissions(grantee: User | Group, obj: models.Model) -> set[str]:
    app_label = obj._meta.app_label
    if isinstance(grantee, User):
        # Only the user's own grants: roles held through a group are the group's.
        return {f"{app_label}.{code}" for code in get_user_perms(grantee, obj)}
    return {f"{app_label}.{code}" for code in get_perms(grantee, obj)}


def roles_held(grantee: User | Group | WorkingGroup, obj: models.Model | None = None) -> list[str]:
    """The roles that ``grantee`` holds directly on ``obj`` (None: the global roles)."""
    if isinstance(grantee, WorkingGroup):
        grantee = grantee.group
    scope = _scope_of(obj)
    if scope == Scope.GLOBAL:
        names = (
            set(grantee.groups.values_list("name", flat=True))
            if isinstance(grantee, User)
            else set()
        )
        return [
            role.name
            for role in ROLES.values()
            if role.scope == Scope.GLOBAL and _group_name(role.name) in names
        ]
    if scope == Scope.WORKING_GROUP:
        held = isinstance(grantee, User) and grantee.groups.filter(pk=obj.group_id).exists()
        return [RoleName.WORKING_GROUP_MEMBER] if held else []
    perms = _direct_permissions(grantee, obj)
    return [
        role.name
        for role in ROLES.values()
        if role.scope == scope and role.permissions and role.permissions <= perms
    ]
