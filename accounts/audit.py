"""The audit log: services record what changed; a middleware supplies where from."""

import contextvars

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import AuditEntry, User

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address; behind DJANGO_PROXY_COUNT proxies, from X-Forwarded-For."""
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append an entry; call it inside the service's transaction so both land or neither."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None and actor.pk else actor_name)[:150],
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        details=details or {},
        ip_address=_client_ip.get(),
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record(actor=user, action=AuditEntry.Action.LOGIN)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=AuditEntry.Action.LOGOUT)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        actor_name=str(credentials.get("username", ""))[:150],
    )


def describe_role_change(entry: AuditEntry, group_names: dict[str, str] | None = None) -> str:
    """A role grant or revocation in words: "Koordination hat Partner die Rolle Prüfung für
    Industriepolitik gegeben". ``group_names`` maps auth group names to the names people know
    (a working group's name) for entries written before the name was recorded."""
    from .roles import RoleName

    details = entry.details or {}
    try:
        role = RoleName(details.get("role")).label
    except ValueError:
        role = details.get("role", "")
    grantee = details.get("grantee_name") or details.get("grantee", "")
    actor = entry.actor.display_name if entry.actor is not None else _("Das System")
    args = {
        "actor": actor,
        "grantee": (group_names or {}).get(grantee, grantee),
        "role": role,
        "target": entry.object_repr,
    }
    granted = entry.action == AuditEntry.Action.ROLE_GRANTED
    if entry.object_repr:
        text = (
            _("%(actor)s hat %(grantee)s die Rolle %(role)s für %(target)s gegeben")
            if granted
            else _("%(actor)s hat %(grantee)s die Rolle %(role)s für %(target)s entzogen")
        )
    else:
        text = (
            _("%(actor)s hat %(grantee)s die Rolle %(role)s gegeben")
            if granted
            else _("%(actor)s hat %(grantee)s die Rolle %(role)s entzogen")
        )
    return text % args
