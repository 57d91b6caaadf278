"""Everything that changes goals and measures goes through these functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User, WorkingGroup
from accounts.roles import RoleName, role_grant, role_revoke
from charta.models import ActionField, Revision
from charta.rendering import render_html

from . import permissions
from .models import Goal, Measure, StatusUpdate
from .workflow import ImplementationStatus, Priority, PublicationState


def _require_manage(actor: User | None, action_field: ActionField) -> None:
    # actor None: a system action from the command line (loaddemo).
    if actor is not None and not permissions.can_manage(actor, action_field):
        raise PermissionDenied(
            _("Ziele und Maßnahmen dieses Handlungsfelds legt die Redaktion des Felds an.")
        )


def _require_publish_right(actor: User | None, action_field: ActionField, state: str) -> None:
    if (
        actor is not None
        and state == PublicationState.PUBLISHED
        and not permissions.can_publish(actor, action_field)
    ):
        raise PermissionDenied(_("Nur die Koordination veröffentlicht Ziele und Maßnahmen."))


def goal_create(
    *,
    actor: User | None,
    action_field: ActionField,
    title: str,
    owner: Organisation,
    description: str = "",
    indicator: str = "",
    target_date: datetime.date | None = None,
    source_revision: Revision | None = None,
    source_paragraph: str = "",
    state: str = PublicationState.DRAFT,
) -> Goal:
    """Create a goal in a Handlungsfeld (its editors and coordinators)."""
    _require_manage(actor, action_field)
    _require_publish_right(actor, action_field, state)
    if source_revision is not None and source_revision.section.action_field_id != action_field.pk:
        raise ValidationError(
            {"source_revision": _("Das Ziel kann nur Text seines eigenen Handlungsfelds zitieren.")}
        )
    goal = Goal(
        action_field=action_field,
        title=title,
        owner=owner,
        description=description,
        indicator=indicator,
        target_date=target_date,
        source_revision=source_revision,
        source_paragraph=source_paragraph,
        state=state,
        created_by=actor,
    )
    goal.full_clean()
    goal.save()
    return goal


def _sync_reporters(measure: Measure, previous_group: WorkingGroup | None, old_users: set) -> None:
    """Reporters hold report_status on the measure: its working group and responsible users."""
    if previous_group is not None and previous_group != measure.working_group:
        role_revoke(actor=None, role=RoleName.REPORTER, grantee=previous_group, obj=measure)
    if measure.working_group is not None:
        role_grant(actor=None, role=RoleName.REPORTER, grantee=measure.working_group, obj=measure)
    new_users = set(measure.responsible.all())
    for user in old_users - new_users:
        role_revoke(actor=None, role=RoleName.REPORTER, grantee=user, obj=measure)
    for user in new_users - old_users:
        role_grant(actor=None, role=RoleName.REPORTER, grantee=user, obj=measure)


def measure_create(
    *,
    actor: User | None,
    goal: Goal,
    title: str,
    owner: Organisation,
    description: str = "",
    responsible: list[User] | tuple = (),
    working_group: WorkingGroup | None = None,
    start_date: datetime.date | None = None,
    deadline: datetime.date | None = None,
    priority: str = Priority.MEDIUM,
    state: str = PublicationState.DRAFT,
) -> Measure:
    """Create a measure of a goal and make its working group and responsible users reporters."""
    _require_manage(actor, goal.action_field)
    _require_publish_right(actor, goal.action_field, state)
    measure = Measure(
        goal=goal,
        title=title,
        owner=owner,
        description=description,
        working_group=working_group,
        start_date=start_date,
        deadline=deadline,
        priority=priority,
        state=state,
        created_by=actor,
    )
    measure.full_clean()
    if start_date and deadline and deadline < start_date:
        raise ValidationError({"deadline": _("Die Frist liegt vor dem Beginn.")})
    with transaction.atomic():
        measure.save()
        measure.responsible.set(responsible)
        _sync_reporters(measure, None, set())
    return measure


def measure_report_status(
    *,
    actor: User,
    measure: Measure,
    status: str,
    progress: int,
    note: str = "",
    reported_at: datetime.datetime | None = None,
) -> StatusUpdate:
    """Append a status report; the measure's status and progress become the report's.

    ``reported_at`` back-dates a report (demo data, imports); it defaults to now.
    """
    if not permissions.can_report(actor, measure):
        raise PermissionDenied(_("Sie berichten nicht über diese Maßnahme."))
    errors = {}
    if status not in ImplementationStatus.values:
        errors["status"] = _("Unbekannter Umsetzungsstand: %(status)s") % {"status": status}
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        errors["progress"] = _("Der Fortschritt liegt zwischen 0 und 100 %.")
    elif status == ImplementationStatus.DONE and progress != 100:
        errors["progress"] = _("Eine abgeschlossene Maßnahme steht bei 100 %.")
    if status == ImplementationStatus.STOPPED and not note.strip():
        errors["note"] = _("Bitte begründen Sie, warum die Maßnahme eingestellt wird.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Concurrent reports serialise on the measure, so the latest report is its status.
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        update = StatusUpdate(
            measure=locked,
            status=status,
            progress=progress,
            note=note.strip(),
            note_html=render_html(note),
            author=actor,
        )
        update.full_clean()
        update.save()
        if reported_at is not None:
            StatusUpdate.objects.filter(pk=update.pk).update(created_at=reported_at)
            update.created_at = reported_at
        latest = locked.status_updates.order_by("-created_at", "-id").first()
        locked.status = latest.status
        locked.progress = latest.progress
        locked.last_reported_at = latest.created_at
        locked.save(update_fields=["status", "progress", "last_reported_at", "updated_at"])
    measure.status, measure.progress = locked.status, locked.progress
    measure.last_reported_at = locked.last_reported_at
    return update


def publish(*, actor: User | None, obj: Goal | Measure) -> Goal | Measure:
    """Make a goal or measure public (coordinators)."""
    field = obj.action_field if isinstance(obj, Goal) else obj.goal.action_field
    if actor is not None and not permissions.can_publish(actor, field):
        raise PermissionDenied(_("Nur die Koordination veröffentlicht Ziele und Maßnahmen."))
    obj.state = PublicationState.PUBLISHED
    obj.save(update_fields=["state", "updated_at"])
    return obj
