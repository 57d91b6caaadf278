"""Reads of the charta for a given user, filtered by permission and already joined."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from comments import selectors as comment_selectors
from comments.targets import Anchorable
from core.caching import depends_on

from . import permissions, suggesting
from .models import (
    ActionField,
    Charta,
    EditingPresence,
    Revision,
    Section,
    SectionEvent,
    Suggestion,
)
from .workflow import Action

# Cache tags (core/caching.py): the content of one Handlungsfeld, and of all of them. A change
# in a field bumps both; a page about one field depends on its own tag only.
FIELDS_TAG = "fields"


def field_tag(action_field_id: int) -> str:
    return f"field:{action_field_id}"


def field_change_tags(*action_field_ids: int | None) -> tuple[str, ...]:
    """The tags a change of content in these fields bumps."""
    return (FIELDS_TAG, *(field_tag(pk) for pk in action_field_ids if pk is not None))


def current_charta() -> Charta | None:
    return Charta.objects.filter(is_current=True).first() or Charta.objects.first()


def action_fields() -> QuerySet[ActionField]:
    return ActionField.objects.order_by("number")


@dataclass
class FieldOverview:
    field: ActionField
    section: Section | None


def field_overviews(user, charta: Charta | None) -> list[FieldOverview]:
    """Every Handlungsfeld with the section the user may see in ``charta`` (or None)."""
    sections = {}
    if charta is not None:
        visible = permissions.sections_visible_to(user).filter(charta=charta)
        sections = {s.action_field_id: s for s in visible.select_related("published_revision")}
    return [FieldOverview(field, sections.get(field.pk)) for field in action_fields()]


def section_in(user, charta: Charta, action_field: ActionField) -> Section | None:
    """The section of a field in an edition, if the user may see it."""
    return (
        permissions.sections_visible_to(user)
        .select_related("charta", "action_field", "current_revision", "published_revision")
        .filter(charta=charta, action_field=action_field)
        .first()
    )


def section_visible(user, **lookup) -> Section:
    """The section, or 404 when it does not exist or the user may not see it."""
    try:
        section = (
            permissions.sections_visible_to(user)
            .select_related(
                "charta",
                "action_field",
                "current_revision__author",
                "published_revision__author",
                "approved_revision",
                "submitted_by",
            )
            .get(**lookup)
        )
    except Section.DoesNotExist:
        raise Http404 from None
    depends_on(field_tag(section.action_field_id))
    return section


def readable_revision(user, section: Section) -> Revision | None:
    """What the user reads: the latest text for those who may read drafts, else the published."""
    if permissions.can_read_drafts(user, section.action_field_id):
        return section.current_revision
    return section.published_revision


def revisions_for(user, section: Section) -> QuerySet[Revision]:
    """The history a user may see: all revisions for draft readers, the published one else."""
    revisions = Revision.objects.filter(section=section).select_related("author")
    if permissions.can_read_drafts(user, section.action_field_id):
        return revisions.order_by("-number")
    return revisions.filter(pk=section.published_revision_id)


def revision_for(user, section: Section, number: int) -> Revision:
    try:
        return revisions_for(user, section).get(number=number)
    except Revision.DoesNotExist:
        raise Http404 from None


def revision_texts(user, section: Section, numbers: list[int | None]) -> dict[int | None, str]:
    """The texts of the numbered revisions (None: the empty text before the first), or 404
    when one does not exist or the user may not read it."""
    wanted = {number for number in numbers if number is not None}
    found = dict(
        revisions_for(user, section).filter(number__in=wanted).values_list("number", "body")
    )
    if wanted - found.keys():
        raise Http404
    return {None: "", **found}


def events_for(user, section: Section) -> QuerySet[SectionEvent]:
    if not permissions.can_read_drafts(user, section.action_field_id):
        return SectionEvent.objects.none()
    return section.events.select_related("actor", "revision").order_by("-created_at", "-id")


def published_sections(charta: Charta) -> QuerySet[Section]:
    return (
        Section.objects.filter(charta=charta, published_revision__isnull=False)
        .select_related("action_field", "published_revision")
        .order_by("action_field__number")
    )


def section_anchorable(section: Section) -> Anchorable | None:
    """The text comments on a section point at: its latest revision's paragraphs."""
    revision = section.current_revision
    if revision is None:
        return None
    return Anchorable(revision=revision.number, paragraphs=revision.paragraphs)


# Who else is writing ---------------------------------------------------------------------

# Heartbeats come every 20-30 seconds; a person missing two of them has left.
PRESENCE_WINDOW = timedelta(seconds=60)


def editors_present(user, section: Section) -> list[EditingPresence]:
    """The others who had the section open in the editor within the presence window,
    longest there first; only for those who may edit it themselves."""
    if not permissions.can_edit_section(user, section):
        return []
    return list(
        EditingPresence.objects.filter(
            section=section, seen_at__gte=timezone.now() - PRESENCE_WINDOW
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("since", "user__username")
    )


# What changed since a reader last looked -------------------------------------------------

LOOKED_AT = (Action.REQUEST_CHANGES, Action.APPROVE)


def last_looked_at(user, section: Section) -> Revision | None:
    """The revision ``user`` last reviewed (asked for changes or approved) or commented on,
    if it is older than the latest: the page offers the changes since then."""
    current = section.current_revision
    if current is None or not permissions.can_read_drafts(user, section.action_field_id):
        return None
    event = (
        SectionEvent.objects.filter(section=section, actor=user, action__in=LOOKED_AT)
        .select_related("revision")
        .order_by("-created_at", "-id")
        .first()
    )
    commented = (
        comment_selectors.comments_on(section)
        .filter(author=user)
        .aggregate(last=Max("created_at"))["last"]
    )
    looked = event.revision if event is not None else None
    if commented is not None and (event is None or commented > event.created_at):
        # The revision that was current when the comment was written.
        looked = (
            Revision.objects.filter(section=section, created_at__lte=commented)
            .order_by("-number")
            .first()
        )
    if looked is None or looked.number >= current.number:
        return None
    return looked


def suggestions_on(user, section: Section, *, states=None) -> QuerySet[Suggestion]:
    """The suggestions on a section the user may see, oldest first, with their people."""
    suggestions = (
        permissions.suggestions_visible_to(user)
        .filter(section=section)
        .select_related("author", "decided_by", "revision", "section")
        .order_by("created_at", "id")
    )
    if states:
        suggestions = suggestions.filter(state__in=states)
    return suggestions


def suggestions_outdated_by(user, section: Section, body: str) -> list[Suggestion]:
    """The open suggestions a text (an edit not yet saved) would make outdated."""
    return [
        suggestion
        for suggestion in suggestions_on(user, section, states=[Suggestion.State.OPEN])
        if suggesting.find(
            body,
            suggesting.Quote(suggestion.quote, suggestion.prefix, suggestion.suffix),
            needed=suggestion.context_needed,
        )
        is None
    ]
