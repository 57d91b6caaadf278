"""Data protection: a person downloads their data, or deletes their account (anonymised).

Other apps register what they hold about a person (register_exporter); accounts imports
none of them.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermissionBase
from rest_framework.authtoken.models import Token

from . import audit
from .models import AuditEntry, Membership, User

Exporter = Callable[[User], list[dict]]
_EXPORTERS: dict[str, Exporter] = {}
# Callables that remove personal data other apps hold (e.g. inbox entries, responsibilities).
_ERASERS: list[Callable[[User], None]] = []


def register_exporter(name: str, exporter: Exporter) -> None:
    _EXPORTERS[name] = exporter


def register_eraser(eraser: Callable[[User], None]) -> None:
    _ERASERS.append(eraser)


def _profile(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "organisations": [
            {"name": m.organisation.name, "position": m.position}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def user_data_zip(*, actor: User, user: User) -> bytes:
    """A ZIP of everything the platform holds about ``user``: JSON and CSV files."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Sie können nur Ihre eigenen Daten herunterladen."))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = {"profile": _profile(user)}
        for name, exporter in _EXPORTERS.items():
            rows = exporter(user)
            data[name] = rows
            archive.writestr(f"{name}.csv", _csv(rows))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    audit.record(actor=actor, action=AuditEntry.Action.DATA_EXPORTED, target=user)
    return buffer.getvalue()


def user_anonymise(*, actor: User, user: User, password: str) -> None:
    """Delete a person's account: personal data goes, authorship of history stays anonymous."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Sie können nur Ihr eigenes Konto löschen."))
    if not user.check_password(password):
        raise ValidationError({"password": _("Das Passwort stimmt nicht.")})
    with transaction.atomic():
        placeholder = f"geloescht-{user.pk}"
        for model in apps.get_models():
            if issubclass(model, UserObjectPermissionBase):
                model.objects.filter(user=user).delete()
        for erase in _ERASERS:
            erase(user)
        Membership.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        user.groups.clear()
        user.user_permissions.clear()
        AuditEntry.objects.filter(actor=user).update(actor_name=placeholder)
        AuditEntry.objects.filter(actor_name=user.username).update(actor_name=placeholder)
        user.username = placeholder
        user.first_name = user.last_name = user.email = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.is_anonymised = True
        user.last_login = None
        user.date_joined = timezone.now()
        user.save()
        audit.record(
            actor=None,
            actor_name=placeholder,
            action=AuditEntry.Action.ACCOUNT_DELETED,
            target=user,
        )
