"""A person's open work ("Meine Aufgaben"): a registry of task providers, one per kind.

A provider takes the person and returns their open tasks of its kind, read from the database
with a fixed number of queries however much data there is. A task is derived from the state
of the data, never stored: it disappears as soon as the work is done. A new kind of task is
one provider function and one ``register`` line.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import get_objects_for_user

from charta import permissions as charta_permissions
from charta.models import ActionField, Section, Suggestion
from charta.workflow import SectionStatus
from comments import permissions as comment_permissions
from comments import selectors as comment_selectors
from comments.models import Comment
from comments.services import comment_url, moderation_url
from measures import permissions as measure_permissions
from measures import selectors as measure_selectors
from measures.models import Measure


@dataclass(frozen=True)
class Task:
    """One piece of open work, linking straight to where it is done."""

    kind: str
    title: str
    url: str
    # What the task is about: ``section:ID``, ``measure:ID``, ``comment:ID`` …
    target: str
    since: datetime.datetime | None
    due: datetime.date | None = None
    # Where it belongs (a Handlungsfeld, a measure), shown under the title.
    context: str = ""


Provider = Callable[[object], Iterable[Task]]


@dataclass(frozen=True)
class TaskKind:
    code: str
    label: str | Promise
    provider: Provider
    order: int


_KINDS: dict[str, TaskKind] = {}


def register(code: str, label: str | Promise, provider: Provider, *, order: int = 100) -> None:
    """Register a kind of task: ``provider(person)`` yields that person's open tasks."""
    _KINDS[code] = TaskKind(code, label, provider, order)


def kinds() -> list[TaskKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def _oldest_first(task: Task):
    return (
        task.due or datetime.date.max,
        task.since or datetime.datetime.max.replace(tzinfo=datetime.UTC),
    )


def tasks_for(user) -> list[Task]:
    """Every open task of ``user``, by kind (in registry order), the most urgent first."""
    return [task for _kind, tasks in tasks_by_kind(user) for task in tasks]


def tasks_by_kind(user) -> list[tuple[TaskKind, list[Task]]]:
    """The kinds with open tasks for ``user`` and their tasks."""
    if not user.is_authenticated or not user.is_active:
        return []
    result = []
    for kind in kinds():
        tasks = sorted(kind.provider(user), key=_oldest_first)
        if tasks:
            result.append((kind, tasks))
    return result


# Providers ---------------------------------------------------------------------------------


def _fields_held(user, perm: str) -> QuerySet[ActionField]:
    """The Handlungsfelder on which ``user`` holds ``perm`` as a role of the field (in person
    or through a group), not the global grants: reviewing and revising are the field's work."""
    return get_objects_for_user(
        user,
        f"charta.{perm}",
        klass=ActionField,
        accept_global_perms=False,
        with_superuser=False,
    )


def _fields_of_role(user, perm: str, path: str) -> Q:
    """A filter on ``path`` (a Handlungsfeld) for the fields where ``user`` holds ``perm`` as
    the field's role, and, for coordinators (who hold it globally), the fields where nobody
    holds it: there they stand in."""
    fields = Q(**{f"{path}__in": _fields_held(user, perm).values("pk")})
    if user.has_perm(f"charta.{perm}"):
        fields |= Q(**{f"{path}__in": charta_permissions.fields_without_holders(perm).values("pk")})
    return fields


def _section_task(kind: str, title: str, section: Section) -> Task:
    return Task(
        kind=kind,
        title=title % {"title": section.title},
        url=f"{section.get_absolute_url()}#arbeitsschritte",
        target=f"section:{section.pk}",
        since=section.updated_at,
        context=f"{section.action_field.number}. {section.action_field.title}",
    )


def review_tasks(user) -> Iterable[Task]:
    """Reviewers: sections in review in their fields that they did not submit. Coordinators
    review in the fields that have no reviewers of their own."""
    fields = _fields_of_role(user, charta_permissions.REVIEW_TEXT, "action_field")
    sections = (
        Section.objects.filter(fields, status=SectionStatus.IN_REVIEW)
        .exclude(submitted_by=user)
        .select_related("action_field")
    )
    return [_section_task("review", _("„%(title)s“ prüfen"), s) for s in sections]


def revise_tasks(user) -> Iterable[Task]:
    """Editors: sections of their fields on which the reviewers asked for changes; and the
    person who submitted the text, who may edit it too."""
    edited = _fields_held(user, charta_permissions.EDIT_TEXT).values("pk")
    submitted = Q(
        submitted_by=user,
        action_field__in=charta_permissions.fields_with_perm(
            user, charta_permissions.EDIT_TEXT
        ).values("pk"),
    )
    sections = Section.objects.filter(
        Q(action_field__in=edited) | submitted, status=SectionStatus.CHANGES_REQUESTED
    ).select_related("action_field")
    return [_section_task("revise", _("„%(title)s“ überarbeiten"), s) for s in sections]


def publish_tasks(user) -> Iterable[Task]:
    """Coordinators: approved sections waiting to be published."""
    sections = Section.objects.filter(
        status=SectionStatus.APPROVED,
        action_field__in=charta_permissions.fields_with_perm(
            user, charta_permissions.PUBLISH
        ).values("pk"),
    ).select_related("action_field")
    return [_section_task("publish", _("„%(title)s“ veröffentlichen"), s) for s in sections]


def reply_tasks(user) -> Iterable[Task]:
    """Open comment threads on the sections the person edits and on the measures they report
    on, where the last word is not theirs."""
    content_types = ContentType.objects.get_for_models(Section, Measure)
    edited = Section.objects.filter(
        action_field__in=_fields_held(user, charta_permissions.EDIT_TEXT).values("pk")
    )
    reported = measure_permissions.measures_reportable_by(user)
    thread = Comment.objects.filter(
        Q(pk=OuterRef("pk")) | Q(parent=OuterRef("pk")) | Q(parent__parent=OuterRef("pk")),
        is_hidden=False,
    ).order_by("-created_at", "-id")
    roots = (
        comment_permissions.comments_visible_to(user)
        .filter(parent__isnull=True, state=Comment.State.OPEN, is_hidden=False)
        .filter(
            Q(content_type=content_types[Section], object_id__in=edited.values("pk"))
            | Q(content_type=content_types[Measure], object_id__in=reported.values("pk"))
        )
        .annotate(
            last_author=Subquery(thread.values("author_id")[:1]),
            last_at=Subquery(thread.values("created_at")[:1]),
        )
        .exclude(last_author=user.pk)
        .select_related("author", "content_type")
        .prefetch_related("target")
    )
    tasks = []
    for comment in roots:
        target = comment.target
        tasks.append(
            Task(
                kind="reply",
                title=_("Auf den Kommentar von %(author)s antworten")
                % {"author": comment.author or _("gelöschtes Konto")},
                url=comment_url(comment, target),
                target=f"comment:{comment.pk}",
                since=comment.last_at,
                context=str(getattr(target, "title", target)),
            )
        )
    return tasks


def report_tasks(user) -> Iterable[Task]:
    """Measures the person reports on whose report is due or whose deadline passed."""
    measures = (
        measure_selectors.with_flags(measure_permissions.measures_reportable_by(user))
        .filter(Q(is_overdue=True) | Q(is_report_due=True))
        .select_related("goal__action_field")
    )
    tasks = []
    for measure in measures:
        last = measure.last_reported_at or measure.created_at
        interval = datetime.timedelta(days=measure.goal.action_field.reporting_interval_days)
        due = measure.deadline if measure.is_overdue else last.date() + interval
        tasks.append(
            Task(
                kind="report",
                title=(
                    _("Stand berichten (Frist überschritten): „%(title)s“")
                    if measure.is_overdue
                    else _("Stand berichten: „%(title)s“")
                )
                % {"title": measure.title},
                url=f"{measure.get_absolute_url()}#bericht",
                target=f"measure:{measure.pk}",
                since=last,
                due=due,
                context=measure.goal.action_field.title,
            )
        )
    return tasks


def moderate_tasks(user) -> Iterable[Task]:
    """Coordinators: reported comments not yet decided."""
    if not comment_permissions.can_moderate_anywhere(user):
        return []
    queue = (
        comment_selectors.moderation_queue(user)
        .prefetch_related(None)
        .annotate(
            open_reports_count=Count("reports", filter=Q(reports__decision=None), distinct=True)
        )
    )
    return [
        Task(
            kind="moderate",
            title=_("Gemeldeten Kommentar von %(author)s prüfen (%(count)s Meldungen)")
            % {"author": c.author or _("gelöschtes Konto"), "count": c.open_reports_count},
            url=moderation_url(c),
            target=f"comment:{c.pk}",
            since=c.first_reported,
            context=c.body[:80],
        )
        for c in queue
    ]


def suggestion_tasks(user) -> Iterable[Task]:
    """Editors of a field: open suggestions on its sections by others, to accept or reject.
    Coordinators decide in the fields that have no editors of their own."""
    fields = _fields_of_role(user, charta_permissions.EDIT_TEXT, "section__action_field")
    suggestions = (
        Suggestion.objects.filter(fields, state=Suggestion.State.OPEN)
        .exclude(author=user)
        .select_related("section__action_field", "author")
    )
    return [
        Task(
            kind="suggestion",
            title=_("Änderungsvorschlag von %(author)s zu „%(title)s“ entscheiden")
            % {"author": s.author or _("gelöschtes Konto"), "title": s.section.title},
            url=s.get_absolute_url(),
            target=f"suggestion:{s.pk}",
            since=s.created_at,
            context=f"{s.section.action_field.number}. {s.section.action_field.title}",
        )
        for s in suggestions
    ]


def acknowledge_tasks(user) -> Iterable[Task]:
    """Editors of a goal's field and coordinators: status reports nobody has acknowledged."""
    return [
        Task(
            kind="acknowledge",
            title=_("Statusbericht von %(author)s zu „%(title)s“ bestätigen")
            % {"author": update.author or _("gelöschtes Konto"), "title": update.measure.title},
            url=f"{update.measure.get_absolute_url()}#bericht-{update.pk}",
            target=f"status-update:{update.pk}",
            since=update.created_at,
            context=update.measure.goal.action_field.title,
        )
        for update in measure_selectors.status_updates_to_acknowledge(user)
    ]


register("review", gettext_lazy("Prüfen"), review_tasks, order=10)
register("revise", gettext_lazy("Überarbeiten"), revise_tasks, order=20)
register("publish", gettext_lazy("Veröffentlichen"), publish_tasks, order=30)
register("reply", gettext_lazy("Antworten"), reply_tasks, order=40)
register("report", gettext_lazy("Berichten"), report_tasks, order=50)
register("moderate", gettext_lazy("Moderieren"), moderate_tasks, order=60)
register("suggestion", gettext_lazy("Vorschläge entscheiden"), suggestion_tasks, order=25)
register("acknowledge", gettext_lazy("Berichte bestätigen"), acknowledge_tasks, order=55)
