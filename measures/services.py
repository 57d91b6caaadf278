"""Everything that changes goals and measures goes through these functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry, Organisation, User, WorkingGroup
from accounts.roles import RoleName, role_grant, role_revoke
from charta.models import ActionField, Revision
from charta.rendering import render_note
from core.validators import date_range_message, is_sane_date

from . import permissions
from .models import Goal, Measure, MeasureParty, Milestone, StatusUpdate
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
    with transaction.atomic():
        goal.save()
        audit.record(
            actor=actor, action=AuditEntry.Action.GOAL_SAVED, target=goal, actor_name="system"
        )
    return goal


def _sync_reporters(
    measure: Measure,
    previous_group: WorkingGroup | None,
    old_users: set,
    *,
    editor: User | None,
) -> None:
    """Reporters hold report_status on the measure: its working group and responsible users.

    Only changes are granted or revoked; the audit log names the editor who made them.
    """
    role = RoleName.REPORTER
    if previous_group != measure.working_group:
        if previous_group is not None:
            role_revoke(
                actor=None, role=role, grantee=previous_group, obj=measure, on_behalf_of=editor
            )
        if measure.working_group is not None:
            role_grant(
                actor=None,
                role=role,
                grantee=measure.working_group,
                obj=measure,
                on_behalf_of=editor,
            )
    new_users = set(measure.responsible.all())
    for user in old_users - new_users:
        role_revoke(actor=None, role=role, grantee=user, obj=measure, on_behalf_of=editor)
    for user in new_users - old_users:
        role_grant(actor=None, role=role, grantee=user, obj=measure, on_behalf_of=editor)


GOAL_FIELDS = {
    "title", "description", "indicator", "owner", "target_date", "source_revision",
    "source_paragraph", "state",
}  # fmt: skip


def goal_update(*, actor: User, goal: Goal, **changes) -> Goal:
    """Change a goal's fields (editors of its field, coordinators)."""
    unknown = set(changes) - GOAL_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, goal.action_field)
    _require_publish_right(actor, goal.action_field, changes.get("state", ""))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        for name, value in changes.items():
            setattr(goal, name, value)
        if (
            goal.source_revision
            and goal.source_revision.section.action_field_id != goal.action_field_id
        ):
            raise ValidationError(
                {
                    "source_revision": _(
                        "Das Ziel kann nur Text seines eigenen Handlungsfelds zitieren."
                    )
                }
            )
        goal.full_clean()
        goal.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.GOAL_SAVED,
            target=goal,
            details={"changed": sorted(changes)},
        )
    return goal


def _check_dates(start_date, deadline) -> None:
    if start_date and deadline and deadline < start_date:
        raise ValidationError({"deadline": _("Die Frist liegt vor dem Beginn.")})


def _sync_parties(measure: Measure, partners) -> None:
    """The owner is the lead; ``partners`` (None: unchanged) are the partner organisations."""
    MeasureParty.objects.filter(measure=measure, role=MeasureParty.Role.LEAD).exclude(
        organisation=measure.owner
    ).delete()
    MeasureParty.objects.filter(measure=measure, organisation=measure.owner).exclude(
        role=MeasureParty.Role.LEAD
    ).delete()
    MeasureParty.objects.get_or_create(
        measure=measure, organisation=measure.owner, defaults={"role": MeasureParty.Role.LEAD}
    )
    if partners is None:
        return
    wanted = {org.pk for org in partners if org.pk != measure.owner_id}
    MeasureParty.objects.filter(measure=measure, role=MeasureParty.Role.PARTNER).exclude(
        organisation__in=wanted
    ).delete()
    existing = set(
        MeasureParty.objects.filter(measure=measure).values_list("organisation_id", flat=True)
    )
    MeasureParty.objects.bulk_create(
        MeasureParty(measure=measure, organisation_id=pk, role=MeasureParty.Role.PARTNER)
        for pk in wanted - existing
    )


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
    partners: list[Organisation] | tuple = (),
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
    _check_dates(start_date, deadline)
    with transaction.atomic():
        measure.save()
        measure.responsible.set(responsible)
        _sync_parties(measure, partners)
        _sync_reporters(measure, None, set(), editor=actor)
        audit.record(
            actor=actor, action=AuditEntry.Action.MEASURE_SAVED, target=measure, actor_name="system"
        )
    return measure


MEASURE_FIELDS = {
    "goal", "title", "description", "owner", "working_group", "start_date", "deadline",
    "priority", "state",
}  # fmt: skip


def measure_update(
    *, actor: User, measure: Measure, responsible=None, partners=None, **changes
) -> Measure:
    """Change a measure (editors of its field, and of the target field when moving it)."""
    unknown = set(changes) - MEASURE_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, measure.goal.action_field)
    if "goal" in changes and changes["goal"].action_field_id != measure.goal.action_field_id:
        _require_manage(actor, changes["goal"].action_field)
    target_field = changes["goal"].action_field if "goal" in changes else measure.goal.action_field
    _require_publish_right(actor, target_field, changes.get("state", ""))
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        previous_group = locked.working_group
        old_users = set(locked.responsible.all())
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        _check_dates(locked.start_date, locked.deadline)
        locked.save()
        if responsible is not None:
            locked.responsible.set(responsible)
        _sync_parties(locked, partners)
        _sync_reporters(locked, previous_group, old_users, editor=actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.MEASURE_SAVED,
            target=locked,
            details={
                "changed": sorted([*changes, *(["responsible"] if responsible is not None else [])])
            },
        )
    return locked


def milestone_add(
    *, actor: User, measure: Measure, title: str, due_date: datetime.date
) -> Milestone:
    """Add a milestone to a measure (editors of its field, coordinators)."""
    _require_manage(actor, measure.goal.action_field)
    milestone = Milestone(measure=measure, title=title.strip(), due_date=due_date)
    milestone.full_clean()
    milestone.save()
    return milestone


def milestone_set_done(*, actor: User, milestone: Milestone, done: bool = True) -> Milestone:
    """Mark a milestone done (or not done again): the measure's reporters and editors."""
    measure = milestone.measure
    if not (
        permissions.can_report(actor, measure)
        or permissions.can_manage(actor, measure.goal.action_field)
    ):
        raise PermissionDenied(_("Sie berichten nicht über diese Maßnahme."))
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        milestone.done_at = timezone.now() if done else None
        milestone.done_by = actor if done else None
        milestone.save(update_fields=["done_at", "done_by"])
    return milestone


def report_errors(*, status: str, progress, note: str) -> dict[str, str]:
    """The rules of a status report, by field; empty when the report is valid."""
    errors = {}
    if status not in ImplementationStatus.values:
        errors["status"] = _("Unbekannter Umsetzungsstand: „%(status)s“. Erlaubt: %(allowed)s.") % {
            "status": status,
            "allowed": ", ".join(ImplementationStatus.values),
        }
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        errors["progress"] = _("Der Fortschritt ist eine ganze Zahl zwischen 0 und 100.")
    elif status == ImplementationStatus.DONE and progress != 100:
        errors["progress"] = _("Eine abgeschlossene Maßnahme steht bei 100 %.")
    if status == ImplementationStatus.STOPPED and not (note or "").strip():
        errors["note"] = _("Bitte begründen Sie, warum die Maßnahme eingestellt wird.")
    return errors


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
    errors = report_errors(status=status, progress=progress, note=note)
    if reported_at is not None and not is_sane_date(reported_at.date()):
        errors["reported_at"] = date_range_message()
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
            note_html=render_note(note),
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
        audit.record(
            actor=actor,
            action=AuditEntry.Action.STATUS_REPORTED,
            target=locked,
            details={"status": status, "progress": progress},
        )
    measure.status, measure.progress = locked.status, locked.progress
    measure.last_reported_at = locked.last_reported_at
    return update


def publish(*, actor: User | None, obj: Goal | Measure) -> Goal | Measure:
    """Make a goal or measure public (coordinators)."""
    field = obj.action_field if isinstance(obj, Goal) else obj.goal.action_field
    if actor is not None and not permissions.can_publish(actor, field):
        raise PermissionDenied(_("Nur die Koordination veröffentlicht Ziele und Maßnahmen."))
    with transaction.atomic():
        obj.state = PublicationState.PUBLISHED
        obj.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=actor, action=AuditEntry.Action.PUBLISHED, target=obj, actor_name="system"
        )
    return obj


def goal_delete(*, actor: User, goal: Goal) -> None:
    """Delete a goal that has no measures (editors of its field, coordinators)."""
    _require_manage(actor, goal.action_field)
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        if goal.measures.exists():
            raise ValidationError(
                _("Das Ziel hat Maßnahmen. Verschieben oder löschen Sie zuerst die Maßnahmen.")
            )
        goal.delete()
