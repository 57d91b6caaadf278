"""People and their roles, for coordinators, without a detour through the admin: the people
page, one person's roles (grant with an explicit choice, revoke, the log in words) and
inviting a new person by e-mail. Thin views over accounts' services."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import audit, roles, services
from accounts.forms import InviteForm, RoleGrantForm
from accounts.models import AuditEntry, Membership, User, WorkingGroup
from accounts.permissions import can_assign_roles
from charta.models import ActionField, ActionFieldUserObjectPermission
from core.forms import add_service_errors

ROLES_PLACE = "rollen"
LOG_SIZE = 50
RECENT_SIZE = 20


def _require_coordinator(request: HttpRequest) -> None:
    if not can_assign_roles(request.user):
        raise PermissionDenied(_("Nur die Koordination verwaltet Personen und Rollen."))


def _field_roles(user_ids=None) -> dict[int, list[dict]]:
    """Per user: the roles held on Handlungsfelder (one query)."""
    grants = ActionFieldUserObjectPermission.objects.select_related("permission", "content_object")
    if user_ids is not None:
        grants = grants.filter(user_id__in=user_ids)
    perms: dict[tuple[int, ActionField], set[str]] = defaultdict(set)
    for grant in grants:
        perms[(grant.user_id, grant.content_object)].add(f"charta.{grant.permission.codename}")
    held: dict[int, list[dict]] = defaultdict(list)
    for (user_id, field), codes in sorted(perms.items(), key=lambda item: item[0][1].number):
        for role in roles.ROLES.values():
            if role.scope == roles.Scope.ACTION_FIELD and role.permissions <= codes:
                held[user_id].append(
                    {"role": role, "target": field, "key": f"{role.name.value}:{field.pk}"}
                )
    return held


def _groups_roles(user: User) -> list[dict]:
    held = []
    for group in user.groups.all():
        name = group.name.removeprefix("role:")
        if group.name.startswith("role:") and name in roles.RoleName.values:
            role = roles.ROLES[roles.RoleName(name)]
            held.append({"role": role, "target": None, "key": f"{name}:"})
        working_group = getattr(group, "working_group", None)
        if working_group is not None:
            role = roles.ROLES[roles.RoleName.WORKING_GROUP_MEMBER]
            held.append(
                {
                    "role": role,
                    "target": working_group,
                    "key": f"{role.name.value}:{working_group.pk}",
                }
            )
    return held


def people_with_roles() -> list[User]:
    """Every (not anonymised) account with ``organisation_names`` and ``held`` (its roles):
    four queries however many people and roles."""
    people = list(
        User.objects.filter(is_anonymised=False)
        .prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("organisation")),
            Prefetch("groups", Group.objects.select_related("working_group")),
        )
        .order_by("last_name", "first_name", "username")
    )
    field_roles = _field_roles()
    for person in people:
        person.organisation_names = [m.organisation for m in person.memberships.all()]
        person.held = _groups_roles(person) + field_roles.get(person.pk, [])
        person.invitation_open = not person.has_usable_password() and person.last_login is None
    return people


def _role_log(person: User) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(
            Q(action__in=[AuditEntry.Action.ROLE_GRANTED, AuditEntry.Action.ROLE_REVOKED])
            & (Q(details__grantee_id=person.pk) | Q(details__grantee=person.username))
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:LOG_SIZE]
    )


@login_required
def people_page(request: HttpRequest) -> HttpResponse:
    """Everybody with an account: name, organisation, roles."""
    _require_coordinator(request)
    recent = (
        AuditEntry.objects.filter(
            action__in=[AuditEntry.Action.ROLE_GRANTED, AuditEntry.Action.ROLE_REVOKED]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:RECENT_SIZE]
    )
    names = _working_group_names()
    return render(
        request,
        "portal/people.html",
        {
            "people": people_with_roles(),
            "log": [(entry, audit.describe_role_change(entry, names)) for entry in recent],
        },
    )


def _working_group_names() -> dict[str, str]:
    """Auth group name -> working group name, for describing role changes of groups."""
    return dict(WorkingGroup.objects.values_list("group__name", "name"))


def _target(scope: roles.Scope, key: str):
    if scope == roles.Scope.GLOBAL:
        return None
    if scope == roles.Scope.ACTION_FIELD:
        return get_object_or_404(ActionField, pk=key) if key.isdigit() else None
    return get_object_or_404(WorkingGroup, pk=key) if key.isdigit() else None


def _revoke(request: HttpRequest, person: User, key: str) -> None:
    name, _sep, target_key = key.partition(":")
    try:
        spec = roles.ROLES[roles.RoleName(name)]
    except ValueError:
        raise Http404 from None
    obj = _target(spec.scope, target_key)
    if spec.scope != roles.Scope.GLOBAL and obj is None:
        raise Http404
    roles.role_revoke(actor=request.user, role=spec.name, grantee=person, obj=obj)


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's roles: grant (an explicit choice, coordinator rights confirmed), revoke,
    resend the invitation; the log of their roles in words."""
    _require_coordinator(request)
    person = get_object_or_404(User.objects.filter(is_anonymised=False), pk=pk)
    form = RoleGrantForm(
        request.POST if request.POST.get("action") == "grant" else None,
        action_fields=ActionField.objects.order_by("number"),
        working_groups=WorkingGroup.objects.order_by("name"),
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revoke":
                _revoke(request, person, request.POST.get("role", ""))
                done = _("Die Rolle ist entzogen.")
            elif action == "resend":
                services.invitation_resend(actor=request.user, user=person)
                done = _("Die Einladung ist noch einmal verschickt.")
            elif action == "grant" and form.is_valid():
                roles.role_grant(
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    grantee=person,
                    obj=form.cleaned_data["target"],
                )
                done = _("Die Rolle ist vergeben.")
            else:
                done = None
        except ValidationError as error:
            if action == "grant":
                add_service_errors(form, error)
            else:
                for message in error.messages:
                    messages.error(request, message, extra_tags=ROLES_PLACE)
            done = None
        if done:
            messages.success(request, done, extra_tags=ROLES_PLACE)
            return redirect(f"{request.path}#rollen")
        status = 400
    person.held = _groups_roles(
        User.objects.prefetch_related(
            Prefetch("groups", Group.objects.select_related("working_group"))
        ).get(pk=person.pk)
    ) + _field_roles([person.pk]).get(person.pk, [])
    names = _working_group_names()
    log = [(entry, audit.describe_role_change(entry, names)) for entry in _role_log(person)]
    return render(
        request,
        "portal/person.html",
        {
            "person": person,
            "organisations": [
                m.organisation for m in person.memberships.select_related("organisation")
            ],
            "invitation_open": not person.has_usable_password() and person.last_login is None,
            "form": form,
            "log": log,
            "message_places": [ROLES_PLACE],
        },
        status=status,
    )


@login_required
def invite_page(request: HttpRequest) -> HttpResponse:
    """Invite a new person by e-mail: the link in the mail sets the password."""
    _require_coordinator(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s ist verschickt. Vergeben Sie jetzt die Rollen.")
                % {"email": person.email},
                extra_tags=ROLES_PLACE,
            )
            return redirect("portal:person", pk=person.pk)
    return render(request, "portal/invite.html", {"form": form}, status=400 if form.errors else 200)
