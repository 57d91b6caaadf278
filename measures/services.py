"""Everything that changes goals and measures goes through these functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import audit
from accounts.models import AuditEntry, Organisation, User, WorkingGroup
from accounts.roles import RoleName, role_grant, role_revoke
from charta.models import ActionField, Revision
from charta.workflow import TransitionError
from core.rendering import render_note
from core.validators import date_range_message, is_sane_date
from notifications import kinds as notification_kinds
from notifications.services import notify

from . import permissions, selectors, snapshots
from .models import (
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureParty,
    Milestone,
    PeriodSnapshot,
    ReminderLog,
    ReportingPeriod,
    StatusUpdate,
)
from .workflow import (
    FINISHED_STATUSES,
    WITHDRAW_REASON_MAX_LENGTH,
    ImplementationStatus,
    Priority,
    PublicationAction,
    PublicationState,
    check_publication,
)

DEADLINE = notification_kinds.register(
    "deadline", gettext_lazy("Fristen meiner Maßnahmen"), order=60
)
STATUS_REPORT = notification_kinds.register(
    "status_report", gettext_lazy("Statusberichte zu Zielen meiner Organisation"), order=65
)
ACKNOWLEDGED = notification_kinds.register(
    "acknowledged", gettext_lazy("Bestätigung meiner Statusberichte"), order=62
)
ACKNOWLEDGEMENT_OVERDUE = notification_kinds.register(
    "ack_overdue", gettext_lazy("Unbestätigte Statusberichte (Koordination)"), order=64
)


def _require_manage(actor: User | None, action_field: ActionField) -> None:
    # actor None: a system action from the command line (loaddemo).
    if actor is not None and not permissions.can_manage(actor, action_field):
        raise PermissionDenied(
            _("Ziele und Maßnahmen dieses Handlungsfelds legt die Redaktion des Felds an.")
        )


def _state_is_a_workflow() -> ValidationError:
    return ValidationError(
        {
            "state": _(
                "Die Veröffentlichung ist kein Feld zum Bearbeiten: Sie ändert sich nur mit den "
                "Schritten „Veröffentlichen“ und „Zurückziehen“."
            )
        }
    )


def _check_initial_state(state: str) -> None:
    if state not in PublicationState.values:
        raise ValidationError(
            {"state": _("Unbekannter Zustand: „%(state)s“.") % {"state": str(state)[:50]}}
        )


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
    """Create a goal in a Handlungsfeld (its editors and coordinators).

    A goal starts as a draft; ``state="published"`` publishes it in the same transaction,
    through the publication workflow (coordinators only).
    """
    _require_manage(actor, action_field)
    _check_initial_state(state)
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
        state=PublicationState.DRAFT,
        created_by=actor,
    )
    goal.full_clean()
    with transaction.atomic():
        goal.save()
        audit.record(
            actor=actor, action=AuditEntry.Action.GOAL_SAVED, target=goal, actor_name="system"
        )
        if state == PublicationState.PUBLISHED:
            goal = _publication_step(actor=actor, obj=goal, action=PublicationAction.PUBLISH)
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
    "source_paragraph",
}  # fmt: skip


def goal_update(*, actor: User, goal: Goal, **changes) -> Goal:
    """Change a goal's fields (editors of its field, coordinators); not its publication."""
    if "state" in changes:
        raise _state_is_a_workflow()
    unknown = set(changes) - GOAL_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, goal.action_field)
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
    depends_on: list[Measure] | tuple = (),
) -> Measure:
    """Create a measure of a goal and make its working group and responsible users reporters.

    A measure starts as a draft; ``state="published"`` publishes it in the same transaction,
    through the publication workflow (coordinators only).
    """
    _require_manage(actor, goal.action_field)
    _check_initial_state(state)
    measure = Measure(
        goal=goal,
        title=title,
        owner=owner,
        description=description,
        working_group=working_group,
        start_date=start_date,
        deadline=deadline,
        priority=priority,
        state=PublicationState.DRAFT,
        created_by=actor,
    )
    measure.full_clean()
    _check_dates(start_date, deadline)
    with transaction.atomic():
        measure.save()
        measure.responsible.set(responsible)
        _sync_parties(measure, partners)
        _sync_reporters(measure, None, set(), editor=actor)
        if depends_on:
            _set_dependencies(measure, depends_on)
        audit.record(
            actor=actor, action=AuditEntry.Action.MEASURE_SAVED, target=measure, actor_name="system"
        )
        if state == PublicationState.PUBLISHED:
            measure.state = _publication_step(
                actor=actor, obj=measure, action=PublicationAction.PUBLISH
            ).state
    return measure


MEASURE_FIELDS = {
    "goal", "title", "description", "owner", "working_group", "start_date", "deadline",
    "priority",
}  # fmt: skip


def measure_update(
    *, actor: User, measure: Measure, responsible=None, partners=None, depends_on=None, **changes
) -> Measure:
    """Change a measure (editors of its field, and of the target field when moving it);
    not its publication. ``depends_on`` (None: unchanged) replaces its predecessors; a
    cycle is refused naming the chain."""
    if "state" in changes:
        raise _state_is_a_workflow()
    unknown = set(changes) - MEASURE_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, measure.goal.action_field)
    if "goal" in changes and changes["goal"].action_field_id != measure.goal.action_field_id:
        _require_manage(actor, changes["goal"].action_field)
    with transaction.atomic():
        if depends_on is not None:
            # Before the row lock: linking writes reference (and so lock) other measures.
            _lock_dependencies()
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
        if depends_on is not None:
            # Predecessors the editor cannot see stay: they cannot have meant to remove them.
            hidden = locked.depends_on.exclude(
                pk__in=permissions.measures_visible_to(actor).values("pk")
            )
            _set_dependencies(locked, [*depends_on, *hidden])
        extra = [
            name
            for name, value in (("responsible", responsible), ("depends_on", depends_on))
            if value is not None
        ]
        audit.record(
            actor=actor,
            action=AuditEntry.Action.MEASURE_SAVED,
            target=locked,
            details={"changed": sorted([*changes, *extra])},
        )
    return locked


def milestone_add(
    *, actor: User, measure: Measure, title: str, due_date: datetime.date
) -> Milestone:
    """Add a milestone to a measure (editors of its field, coordinators)."""
    _require_manage(actor, measure.goal.action_field)
    milestone = Milestone(measure=measure, title=title.strip(), due_date=due_date)
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.MILESTONE_SAVED,
            target=measure,
            details={"milestone": milestone.pk, "title": milestone.title},
        )
    return milestone


def milestone_set_done(*, actor: User, milestone: Milestone, done: bool = True) -> Milestone:
    """Mark a milestone done (or not done again): the measure's reporters and editors."""
    measure = milestone.measure
    if not (
        permissions.can_report_status(actor, measure)
        or permissions.can_manage(actor, measure.goal.action_field)
    ):
        raise PermissionDenied(_("Sie berichten nicht über diese Maßnahme."))
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        milestone.done_at = timezone.now() if done else None
        milestone.done_by = actor if done else None
        milestone.save(update_fields=["done_at", "done_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.MILESTONE_SAVED,
            target=measure,
            details={"milestone": milestone.pk, "done": done},
        )
    return milestone


def status_report_errors(*, status: str, progress, note: str) -> dict[str, str]:
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
    limit = StatusUpdate._meta.get_field("note").max_length
    if len(note or "") > limit:
        errors["note"] = _(
            "Der Bericht hat höchstens %(limit)s Zeichen (dieser hat %(length)s)."
        ) % {"limit": limit, "length": len(note)}
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
    if not permissions.can_report_status(actor, measure):
        raise PermissionDenied(_("Sie berichten nicht über diese Maßnahme."))
    errors = status_report_errors(status=status, progress=progress, note=note)
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
        goal = Goal.objects.select_related("action_field").get(pk=locked.goal_id)
        notify(
            kind=STATUS_REPORT,
            recipients=permissions.goal_owner_editors(goal),
            title=_("Neuer Statusbericht zu „%(title)s“: %(status)s, %(progress)s %% (%(actor)s)")
            % {
                "title": locked.title,
                "status": ImplementationStatus(status).label,
                "progress": progress,
                "actor": actor,
            },
            url=f"{locked.get_absolute_url()}#statusberichte",
            actor=actor,
            may_see=lambda user: (
                permissions.measures_visible_to(user).filter(pk=locked.pk).exists()
            ),
        )
    measure.status, measure.progress = locked.status, locked.progress
    measure.last_reported_at = locked.last_reported_at
    return update


# Publication ------------------------------------------------------------------------------

_EVERY_ROLE = frozenset(RoleName)


def _publication_step(
    *, actor: User | None, obj: Goal | Measure, action: str, reason: str = ""
) -> Goal | Measure:
    """Take a step of the publication table (measures/workflow.py) on a goal or measure.

    ``actor`` None: a system action from the command line (loaddemo), which may take any step.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        field_id = locked.action_field_id if model is Goal else locked.goal.action_field_id
        roles = _EVERY_ROLE if actor is None else permissions.publication_roles(actor, field_id)
        try:
            transition = check_publication(action, state=locked.state, roles=roles)
        except TransitionError as error:
            raise ValidationError({"action": str(error)}) from None
        reason = (reason or "").strip()
        if transition.needs_reason and not reason:
            raise ValidationError(
                {"reason": _("Bitte sagen Sie, warum Sie die Veröffentlichung zurückziehen.")}
            )
        if len(reason) > WITHDRAW_REASON_MAX_LENGTH:
            raise ValidationError(
                {
                    "reason": _("Der Grund hat höchstens %(limit)s Zeichen.")
                    % {"limit": WITHDRAW_REASON_MAX_LENGTH}
                }
            )
        from_state = locked.state
        locked.state = transition.target
        locked.save(update_fields=["state", "updated_at"])
        details = {"action": transition.action.value, "from": from_state, "to": locked.state}
        if reason:
            details["reason"] = reason
        audit.record(
            actor=actor,
            action=(
                AuditEntry.Action.PUBLISHED
                if transition.action == PublicationAction.PUBLISH
                else AuditEntry.Action.TRANSITION
            ),
            target=locked,
            details=details,
            actor_name="system",
        )
    obj.state = locked.state
    return locked


def goal_transition(*, actor: User | None, goal: Goal, action: str, reason: str = "") -> Goal:
    """Publish a goal or withdraw it from the public site (``action``: publish | withdraw).

    Coordinators only; a withdrawal needs a reason, which the audit log keeps.
    """
    return _publication_step(actor=actor, obj=goal, action=action, reason=reason)


def goal_publish(*, actor: User | None, goal: Goal) -> Goal:
    """Make a draft goal public (coordinators)."""
    return goal_transition(actor=actor, goal=goal, action=PublicationAction.PUBLISH)


def goal_withdraw(*, actor: User | None, goal: Goal, reason: str) -> Goal:
    """Take a published goal off the public site, saying why (coordinators)."""
    return goal_transition(actor=actor, goal=goal, action=PublicationAction.WITHDRAW, reason=reason)


def measure_transition(
    *, actor: User | None, measure: Measure, action: str, reason: str = ""
) -> Measure:
    """Publish a measure or withdraw it from the public site (``action``: publish | withdraw).

    Coordinators only; a withdrawal needs a reason, which the audit log keeps.
    """
    return _publication_step(actor=actor, obj=measure, action=action, reason=reason)


def measure_publish(*, actor: User | None, measure: Measure) -> Measure:
    """Make a draft measure public (coordinators)."""
    return measure_transition(actor=actor, measure=measure, action=PublicationAction.PUBLISH)


def measure_withdraw(*, actor: User | None, measure: Measure, reason: str) -> Measure:
    """Take a published measure off the public site, saying why (coordinators)."""
    return measure_transition(
        actor=actor, measure=measure, action=PublicationAction.WITHDRAW, reason=reason
    )


# Deletion -------------------------------------------------------------------------------


def goal_deletion_blockers(goal: Goal) -> list[str]:
    """Why ``goal`` may not be deleted, for people; empty when it may.

    Nothing anybody wrote disappears with a goal: not its measures (with their status
    history), not the discussion on it. Withdrawing it takes it off the public site instead.
    """
    reasons = []
    if goal.measures.exists():
        reasons.append(
            _("Das Ziel hat Maßnahmen. Verschieben oder löschen Sie zuerst die Maßnahmen.")
        )
    comments = goal.comments.count()
    if comments:
        reasons.append(
            ngettext(
                "Zum Ziel gibt es %(count)s Kommentar; ein Ziel mit Diskussion wird nicht "
                "gelöscht. Ziehen Sie es stattdessen zurück.",
                "Zum Ziel gibt es %(count)s Kommentare; ein Ziel mit Diskussion wird nicht "
                "gelöscht. Ziehen Sie es stattdessen zurück.",
                comments,
            )
            % {"count": comments}
        )
    return reasons


def goal_delete(*, actor: User, goal: Goal) -> None:
    """Delete a goal without measures and without comments (editors of its field,
    coordinators); see goal_deletion_blockers."""
    _require_manage(actor, goal.action_field)
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        blockers = goal_deletion_blockers(goal)
        if blockers:
            raise ValidationError(blockers)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.GOAL_DELETED,
            target=goal,
            details={"title": goal.title},
        )
        goal.delete()


def deadline_reminders_send(*, days: int = 14) -> int:
    """Remind the reporters of measures due within ``days`` or overdue, once per measure and
    calendar week (safe to run repeatedly and concurrently); returns how many measures."""
    today = selectors.today()
    year, week, _weekday = today.isocalendar()
    period = f"{year}-W{week:02d}"
    due = (
        Measure.objects.filter(deadline__lte=today + datetime.timedelta(days=days))
        .exclude(status__in=FINISHED_STATUSES)
        .select_related("working_group__group")
        .prefetch_related("responsible")
        .order_by("deadline", "id")
    )
    sent = 0
    for measure in due:
        try:
            with transaction.atomic():
                ReminderLog.objects.create(measure=measure, period=period)
                members = (
                    list(User.objects.filter(groups=measure.working_group.group))
                    if measure.working_group
                    else []
                )
                overdue = measure.deadline < today
                notify(
                    kind=DEADLINE,
                    recipients=[*measure.responsible.all(), *members],
                    title=(
                        _("Überfällig seit %(date)s: „%(title)s“")
                        if overdue
                        else _("Frist am %(date)s: „%(title)s“")
                    )
                    % {"date": measure.deadline.strftime("%d.%m.%Y"), "title": measure.title},
                    url=measure.get_absolute_url(),
                )
                audit.record(
                    actor=None,
                    actor_name="system",
                    action=AuditEntry.Action.REMINDER_SENT,
                    target=measure,
                    details={"period": period, "overdue": overdue},
                )
            sent += 1
        except IntegrityError:
            continue  # reminded in this period already (or by a concurrent run)
    return sent


# Dependencies ------------------------------------------------------------------------------

# Two editors linking A → B and B → A at the same moment would each see no cycle; on
# PostgreSQL every change of dependencies takes this transaction lock first (SQLite writes
# one at a time anyway).
DEPENDENCY_LOCK = 0x1754_D0E5


def _lock_dependencies() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEPENDENCY_LOCK])


def dependency_cycle(measure: Measure, predecessors) -> list[Measure] | None:
    """The chain ``measure → … → measure`` that making it wait for ``predecessors`` would
    close, or None. Reads every dependency once (one query)."""
    edges: dict[int, list[int]] = {}
    links = Measure.depends_on.through.objects.exclude(from_measure=measure)
    for source, target in links.values_list("from_measure_id", "to_measure_id"):
        edges.setdefault(source, []).append(target)
    edges[measure.pk] = [p.pk for p in predecessors]
    # Depth-first from the measure along "waits for"; the path back to it is the chain.
    parents: dict[int, int] = {}
    stack, seen = [measure.pk], set()
    while stack:
        current = stack.pop()
        for after in edges.get(current, []):
            if after == measure.pk:
                chain = [current]
                while chain[-1] != measure.pk:
                    chain.append(parents[chain[-1]])
                ids = [measure.pk, *reversed(chain[:-1]), measure.pk]
                names = dict(Measure.objects.filter(pk__in=ids).values_list("pk", "title"))
                return [Measure(pk=pk, title=names.get(pk, "")) for pk in ids]
            if after not in seen:
                seen.add(after)
                parents[after] = current
                stack.append(after)
    return None


def _set_dependencies(measure: Measure, predecessors) -> None:
    _lock_dependencies()
    predecessors = list(predecessors)
    if any(p.pk == measure.pk for p in predecessors):
        raise ValidationError(
            {"depends_on": _("Eine Maßnahme kann nicht von sich selbst abhängen.")}
        )
    chain = dependency_cycle(measure, predecessors)
    if chain is not None:
        raise ValidationError(
            {
                "depends_on": _("Diese Abhängigkeit ergäbe einen Kreis: %(chain)s.")
                % {"chain": " → ".join(f"„{m.title}“ (#{m.pk})" for m in chain)}
            }
        )
    measure.depends_on.set(predecessors)


# Indicators --------------------------------------------------------------------------------

INDICATOR_FIELDS = {
    "title", "unit", "direction", "baseline_value", "baseline_date", "target_value",
    "target_date",
}  # fmt: skip


def _check_indicator(indicator: Indicator) -> None:
    indicator.full_clean()
    errors = {}
    if indicator.target_date <= indicator.baseline_date:
        errors["target_date"] = _("Das Zieldatum liegt nach dem Stand des Ausgangswerts.")
    if indicator.target_value == indicator.baseline_value:
        errors["target_value"] = _(
            "Zielwert und Ausgangswert sind gleich: Es gibt nichts zu messen."
        )
    elif (indicator.target_value > indicator.baseline_value) != (
        indicator.direction == Indicator.Direction.INCREASE
    ):
        errors["direction"] = (
            _("Der Zielwert liegt über dem Ausgangswert: Die Richtung ist „steigend“.")
            if indicator.target_value > indicator.baseline_value
            else _("Der Zielwert liegt unter dem Ausgangswert: Die Richtung ist „fallend“.")
        )
    if errors:
        raise ValidationError(errors)


def indicator_create(*, actor: User | None, goal: Goal, **fields) -> Indicator:
    """Add an indicator to a goal (editors of its field, coordinators)."""
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, goal.action_field)
    indicator = Indicator(goal=goal, created_by=actor, **fields)
    _check_indicator(indicator)
    with transaction.atomic():
        indicator.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.GOAL_SAVED,
            target=goal,
            details={"indicator": indicator.pk, "created": indicator.title},
            actor_name="system",
        )
    return indicator


def indicator_update(*, actor: User, indicator: Indicator, **changes) -> Indicator:
    """Change an indicator's title, unit, direction, baseline or target (editors of the
    goal's field, coordinators); its values stay as they were recorded."""
    unknown = set(changes) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(_("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(unknown)})
    _require_manage(actor, indicator.goal.action_field)
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        _check_indicator(locked)
        locked.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.GOAL_SAVED,
            target=locked.goal,
            details={"indicator": locked.pk, "changed": sorted(changes)},
        )
    return locked


def indicator_record_value(
    *,
    actor: User,
    indicator: Indicator,
    date: datetime.date,
    value,
    note: str = "",
) -> IndicatorValue:
    """Append a value of an indicator: whoever reports on one of the goal's measures, the
    editors of its field and coordinators. Values are never edited or deleted; a correction
    is a new value."""
    if not permissions.can_record_indicator_value(actor, indicator):
        raise PermissionDenied(
            _("Werte tragen die Berichtenden der Maßnahmen dieses Ziels und die Redaktion ein.")
        )
    if date > selectors.today():
        raise ValidationError({"date": _("Der Stichtag liegt in der Zukunft.")})
    row = IndicatorValue(
        indicator=indicator, date=date, value=value, note=(note or "").strip(), author=actor
    )
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.STATUS_REPORTED,
            target=indicator.goal,
            details={"indicator": indicator.pk, "date": date.isoformat(), "value": str(value)},
        )
    return row


# Acknowledgement ---------------------------------------------------------------------------


def status_update_acknowledge(*, actor: User, update: StatusUpdate) -> StatusUpdate:
    """Acknowledge a status report: the editors of the goal's field or a coordinator, never
    its author. Each report is acknowledged once; its author is told."""
    if update.author_id is not None and update.author_id == actor.pk:
        raise PermissionDenied(_("Den eigenen Statusbericht bestätigt jemand anderes."))
    if not permissions.can_acknowledge(actor, update):
        raise PermissionDenied(
            _("Statusberichte bestätigen die Redaktion des Handlungsfelds und die Koordination.")
        )
    with transaction.atomic():
        locked = (
            StatusUpdate.objects.select_for_update().select_related("measure").get(pk=update.pk)
        )
        if locked.acknowledged_at is not None:
            raise ValidationError(
                _("Dieser Bericht wurde bereits am %(date)s bestätigt.")
                % {"date": timezone.localtime(locked.acknowledged_at).strftime("%d.%m.%Y")}
            )
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            target=locked.measure,
            details={"action": "acknowledge", "status_update": locked.pk},
        )
        notify(
            kind=ACKNOWLEDGED,
            recipients=[locked.author],
            actor=actor,
            title=_("Ihr Statusbericht zu „%(title)s“ wurde bestätigt.")
            % {"title": locked.measure.title},
            url=locked.measure.get_absolute_url() + f"#bericht-{locked.pk}",
        )
    return locked


def acknowledgements_escalate(*, days: int | None = None) -> int:
    """Tell the coordinators about status reports nobody acknowledged within ``days``
    (default: the ACKNOWLEDGEMENT_ESCALATION_DAYS setting), once per report; returns how many
    reports were escalated. Safe to run repeatedly and concurrently."""
    from django.conf import settings

    days = settings.ACKNOWLEDGEMENT_ESCALATION_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    due = StatusUpdate.objects.filter(
        acknowledged_at__isnull=True, escalated_at__isnull=True, created_at__lt=cutoff
    ).order_by("created_at", "id")
    recipients = list(permissions.coordinators())
    escalated = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            update = (
                StatusUpdate.objects.select_for_update(skip_locked=True)
                .select_related("measure")
                .filter(pk=pk, acknowledged_at__isnull=True, escalated_at__isnull=True)
                .first()
            )
            if update is None:
                continue  # acknowledged or escalated meanwhile
            update.escalated_at = timezone.now()
            update.save(update_fields=["escalated_at"])
            notify(
                kind=ACKNOWLEDGEMENT_OVERDUE,
                recipients=recipients,
                title=_(
                    "Seit %(days)s Tagen unbestätigt: Statusbericht zu „%(title)s“ vom %(date)s"
                )
                % {
                    "days": days,
                    "title": update.measure.title,
                    "date": timezone.localtime(update.created_at).strftime("%d.%m.%Y"),
                },
                url=update.measure.get_absolute_url() + f"#bericht-{update.pk}",
            )
            audit.record(
                actor=None,
                actor_name="system",
                action=AuditEntry.Action.REMINDER_SENT,
                target=update.measure,
                details={"acknowledgement_overdue": update.pk},
            )
        escalated += 1
    return escalated


# Reporting periods -------------------------------------------------------------------------

PERIOD_REASON_MAX_LENGTH = 500


def _require_periods(actor: User | None) -> None:
    if actor is not None and not permissions.can_manage_periods(actor):
        raise PermissionDenied(_("Berichtszeiträume verwaltet die Koordination."))


def period_create(
    *, actor: User | None, title: str, start: datetime.date, end: datetime.date
) -> ReportingPeriod:
    """Create an open reporting period (coordinators)."""
    _require_periods(actor)
    period = ReportingPeriod(title=(title or "").strip(), start=start, end=end, created_by=actor)
    period.full_clean()
    if end < start:
        raise ValidationError({"end": _("Das Ende liegt vor dem Beginn.")})
    with transaction.atomic():
        period.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            target=period,
            details={"action": "create", "start": start.isoformat(), "end": end.isoformat()},
            actor_name="system",
        )
    return period


def period_close(*, actor: User | None, period: ReportingPeriod) -> PeriodSnapshot:
    """Close a period (coordinators): freeze its figures as of its last day into a new
    snapshot, whose bytes and hash never change afterwards."""
    _require_periods(actor)
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.state != ReportingPeriod.State.OPEN:
            raise ValidationError(
                {"state": _("Der Berichtszeitraum „%(title)s“ ist bereits abgeschlossen.")
                 % {"title": locked.title}}
            )  # fmt: skip
        now = timezone.now()
        number = locked.snapshots.count() + 1
        content = snapshots.build(locked, number=number, closed_at=now)
        snapshot = PeriodSnapshot.objects.create(
            period=locked,
            number=number,
            content=content,
            sha256=snapshots.sha256(content),
            created_by=actor,
        )
        locked.state = ReportingPeriod.State.CLOSED
        locked.closed_at = now
        locked.closed_by = actor
        locked.save(update_fields=["state", "closed_at", "closed_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            target=locked,
            details={"action": "close", "snapshot": number, "sha256": snapshot.sha256},
            actor_name="system",
        )
    period.state, period.closed_at, period.closed_by = locked.state, now, actor
    return snapshot


def period_reopen(*, actor: User, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Reopen a closed period (coordinators, with a reason for the audit log). Its snapshots
    are kept; closing it again adds a new one."""
    _require_periods(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Bitte sagen Sie, warum Sie den Zeitraum wieder öffnen.")}
        )
    if len(reason) > PERIOD_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Der Grund hat höchstens %(limit)s Zeichen.")
             % {"limit": PERIOD_REASON_MAX_LENGTH}}
        )  # fmt: skip
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.state != ReportingPeriod.State.CLOSED:
            raise ValidationError({"state": _("Der Berichtszeitraum ist offen.")})
        locked.state = ReportingPeriod.State.OPEN
        locked.closed_at = None
        locked.closed_by = None
        locked.save(update_fields=["state", "closed_at", "closed_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            target=locked,
            details={"action": "reopen", "reason": reason},
        )
    period.state, period.closed_at, period.closed_by = locked.state, None, None
    return locked
