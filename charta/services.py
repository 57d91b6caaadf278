"""Everything that changes the charta goes through these functions."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import AuditEntry, User
from comments import selectors as comment_selectors
from comments.services import comment_url, comments_reanchor
from core import rendering
from notifications import kinds as notification_kinds
from notifications import selectors as notification_selectors
from notifications.services import follow_set, notify

from . import merging, permissions, selectors, suggesting
from .errors import EditConflict, MergeConflict, RemovalNeedsConfirmation, SuggestionConflict
from .models import (
    ActionField,
    Charta,
    EditingPresence,
    Revision,
    Section,
    SectionEvent,
    Suggestion,
)
from .workflow import STATUS_AFTER_SAVE, Action, TransitionError, check_transition

COMMENT = notification_kinds.register(
    "comment", gettext_lazy("Kommentare zu Abschnitten, die ich bearbeite oder prüfe"), order=20
)
REVIEW_REQUEST = notification_kinds.register(
    "review_request", gettext_lazy("Bitten um Prüfung"), order=30
)
WORKFLOW = notification_kinds.register(
    "workflow", gettext_lazy("Arbeitsschritte an meinen Abschnitten"), order=40
)
SUGGESTION = notification_kinds.register(
    "suggestion", gettext_lazy("Änderungsvorschläge zu Abschnitten, die ich bearbeite"), order=22
)
SUGGESTION_DECIDED = notification_kinds.register(
    "suggestion_decided", gettext_lazy("Entscheidungen über meine Änderungsvorschläge"), order=24
)
PUBLISH_REQUEST = notification_kinds.register(
    "publish_request", gettext_lazy("Freigegebene Abschnitte (Koordination)"), order=42
)
PUBLISHED = notification_kinds.register(
    "published",
    gettext_lazy("Veröffentlichte Abschnitte, an denen ich arbeite oder denen ich folge"),
    order=44,
)


def _locked(section: Section) -> Section:
    """The section, its row locked until the transaction ends, read after the lock.

    The lock is taken alone and the row read by a second statement: on PostgreSQL a
    locking SELECT that waited for another writer re-reads the locked row but not the rows
    joined to it, so a joined ``current_revision`` written by that writer would be missing.
    """
    list(Section.objects.select_for_update().filter(pk=section.pk).values_list("pk"))
    return Section.objects.select_related("current_revision", "action_field").get(pk=section.pk)


def section_create(
    *, actor: User | None, charta: Charta, action_field: ActionField, title: str = ""
) -> Section:
    """Open the section of a Handlungsfeld in an edition (coordinators; None: system)."""
    if actor is not None and not permissions.has_field_perm(
        actor, permissions.PUBLISH, action_field
    ):
        raise PermissionDenied(_("Nur die Koordination legt Abschnitte an."))
    section = Section(charta=charta, action_field=action_field, title=title or action_field.title)
    section.full_clean()
    section.save()
    return section


SAVE_ATTEMPTS = 3


def section_save_draft(
    *,
    actor: User,
    section: Section,
    body: str,
    base_revision: int | None,
    message: str = "",
    origin_revision: int | None = None,
    confirm_removals: bool = False,
) -> Revision:
    """Save a new revision of the section's text, merged with what others saved meanwhile,
    and put the section back to draft. Every write of section text goes through here (the
    editor page, the API, accepted suggestions, imports).

    ``base_revision`` is the number of the revision ``body`` was written on (None for a
    section that had no text yet). If later revisions landed meanwhile, the text is merged
    three-way (base = that revision, theirs = the latest, mine = ``body``, see
    charta/merging.py): changes to different passages give a new revision on top of the
    latest with ``merged=True`` and ``merged_with`` naming the revisions merged in; changes
    to the same passages raise ``MergeConflict`` with the chunks to settle. A base that
    does not exist raises ``EditConflict``.

    ``origin_revision`` is the revision the writer first started from, when ``body`` is
    already a settlement of a conflict based on a newer revision (the conflict page sends
    the latest revision as ``base_revision`` and the original one here; 0 when the writer
    started on a section without text); by default it is ``base_revision``. A save that
    would remove text that colleagues added since the origin raises
    ``RemovalNeedsConfirmation`` listing the passages, unless ``confirm_removals``.

    Nothing is written when any of these is raised. The section row is locked for the whole
    merge, so that two merges never interleave. The returned revision carries
    ``base_revision`` (the origin), ``merged`` and ``merged_with``.
    """
    body = merging.normalise(body)
    for attempt in range(SAVE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _save_merged(
                    actor=actor,
                    section=section,
                    body=body,
                    base_revision=base_revision,
                    # 0: the writer started before the first revision, from no text.
                    origin_revision=(
                        base_revision if origin_revision is None else origin_revision or None
                    ),
                    message=message,
                    confirm_removals=confirm_removals,
                )
        except IntegrityError:
            # A concurrent writer took the same revision number first: on databases
            # without row locks (SQLite) the merge is simply done again on the new latest.
            if attempt == SAVE_ATTEMPTS - 1:
                fresh = Section.objects.select_related("current_revision").get(pk=section.pk)
                raise EditConflict(
                    section=fresh,
                    base_revision=base_revision,
                    latest_revision=(
                        fresh.current_revision.number if fresh.current_revision else None
                    ),
                ) from None
    raise AssertionError("unreachable")


def _save_merged(
    *,
    actor: User,
    section: Section,
    body: str,
    base_revision: int | None,
    origin_revision: int | None,
    message: str,
    confirm_removals: bool,
) -> Revision:
    section = _locked(section)
    if not permissions.can_edit_section(actor, section):
        raise PermissionDenied(_("Sie dürfen den Text dieses Abschnitts nicht bearbeiten."))
    if not body.strip():
        raise ValidationError({"body": _("Der Text darf nicht leer sein.")})
    current = section.current_revision
    latest = current.number if current else None
    for number in (base_revision, origin_revision):
        if number is not None and (latest is None or number > latest):
            raise EditConflict(section=section, base_revision=number, latest_revision=latest)
    if origin_revision is not None and (base_revision is None or origin_revision > base_revision):
        raise ValidationError(
            {
                "origin_revision": _(
                    "Die Ausgangsrevision kann nicht neuer sein als die Grundlage der Fassung."
                )
            }
        )
    older = {
        revision.number: revision
        for revision in Revision.objects.filter(
            section=section, number__in=[n for n in (base_revision, origin_revision) if n]
        )
    }

    def text_of(number: int | None) -> str:
        return older[number].body if number is not None else ""

    text = body
    if current is not None and base_revision != latest:
        merged = merging.merge(text_of(base_revision), current.body, body)
        if not merged.is_clean:
            raise MergeConflict(
                section=section,
                base_revision=base_revision,
                latest_revision=latest,
                merge=merged,
            )
        text = merged.text
    merged_with = list(range((origin_revision or 0) + 1, (latest or 0) + 1))
    if merged_with and not confirm_removals:
        colleagues = (
            Revision.objects.filter(section=section, number__in=merged_with)
            .exclude(author=actor)
            .exists()
        )
        removals = (
            merging.removals(text_of(origin_revision), current.body, text) if colleagues else []
        )
        if removals:
            raise RemovalNeedsConfirmation(
                section=section,
                base_revision=origin_revision,
                latest_revision=latest,
                removals=removals,
                text=text,
            )
    if current is not None and merging.normalise(current.body) == text:
        raise ValidationError(
            {
                "body": _("Der Text ist unverändert.")
                if not merged_with
                else _(
                    "Ihre Änderungen sind bereits in Revision %(latest)s enthalten; es wurde "
                    "nichts gespeichert."
                )
                % {"latest": latest}
            }
        )
    rendered = rendering.render(text)
    revision = Revision(
        section=section,
        number=(latest or 0) + 1,
        body=text,
        body_html=rendered.html,
        paragraphs=[list(p) for p in rendered.paragraphs],
        message=message.strip(),
        author=actor,
        base_revision=origin_revision,
        merged=bool(merged_with),
        merged_with=merged_with,
    )
    revision.full_clean(exclude=["section"])
    revision.save()
    section.current_revision = revision
    section.status = STATUS_AFTER_SAVE
    # Reviewers approved the earlier text, not this one.
    section.approved_revision = None
    section.submitted_by = None
    section.save(
        update_fields=[
            "current_revision",
            "status",
            "approved_revision",
            "submitted_by",
            "updated_at",
        ]
    )
    # The writer has left the editor.
    EditingPresence.objects.filter(section=section, user=actor).delete()
    comments_reanchor(target=section)
    suggestions_carry_forward(section=section, revision=revision)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.REVISION_SAVED,
        target=section,
        details={
            "revision": revision.number,
            "base_revision": origin_revision,
            "merged_with": merged_with,
            "removals_confirmed": bool(merged_with and confirm_removals),
        },
    )
    return revision


def presence_heartbeat(*, actor: User, section: Section) -> None:
    """``actor`` has the section open in the editor (the page's heartbeat, every 20-30 s).

    A heartbeat after a pause longer than the presence window starts a new visit.
    """
    if not permissions.can_edit_section(actor, section):
        raise PermissionDenied(_("Sie dürfen den Text dieses Abschnitts nicht bearbeiten."))
    now = timezone.now()
    with transaction.atomic():
        presence, created = EditingPresence.objects.select_for_update().get_or_create(
            section=section, user=actor, defaults={"since": now, "seen_at": now}
        )
        if not created:
            if presence.seen_at < now - selectors.PRESENCE_WINDOW:
                presence.since = now
            presence.seen_at = now
            presence.save(update_fields=["since", "seen_at"])
        # Old visits of anybody are of no use to anyone.
        EditingPresence.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def section_transition(
    *,
    actor: User,
    section: Section,
    action: str,
    base_revision: int | None = None,
    note: str = "",
    override: bool = False,
) -> Section:
    """Take a workflow step (submit, request_changes, approve, publish) on the section.

    ``base_revision``, when given, must be the revision the actor looked at: nobody approves
    or publishes a text they have not seen. Approving a section with open comments needs
    ``override`` and a note that says why.
    """
    with transaction.atomic():
        section = _locked(section)
        if not permissions.can_view_section(actor, section):
            raise PermissionDenied(_("Sie dürfen diesen Abschnitt nicht sehen."))
        try:
            transition = check_transition(
                action,
                status=section.status,
                roles=permissions.section_roles(actor, section),
                is_submitter=section.submitted_by_id == actor.pk,
            )
        except TransitionError as error:
            raise ValidationError({"action": str(error)}) from None
        current = section.current_revision
        if current is None:
            raise ValidationError({"action": _("Der Abschnitt hat noch keinen Text.")})
        if base_revision is not None and base_revision != current.number:
            raise EditConflict(
                section=section,
                base_revision=base_revision,
                latest_revision=current.number,
                message=_(
                    "Der Text wurde inzwischen geändert (Revision %(latest)s), Sie haben "
                    "Revision %(base)s gesehen. Der Schritt „%(action)s“ wurde nicht "
                    "ausgeführt; bitte lesen Sie die neue Fassung und versuchen Sie es erneut."
                )
                % {
                    "latest": current.number,
                    "base": base_revision,
                    "action": transition.action.label,
                },
            )
        if transition.needs_note and not note.strip():
            raise ValidationError({"note": str(transition.note_prompt)})
        if transition.open_comments_need_override:
            open_comments = comment_selectors.open_comment_count(section)
            if open_comments and not override:
                raise ValidationError(
                    {
                        "action": _(
                            "Es gibt noch %(count)s offene Kommentare. Erledigen Sie sie oder "
                            "geben Sie trotzdem frei und begründen Sie das in der Anmerkung."
                        )
                        % {"count": open_comments}
                    }
                )
            if open_comments and not note.strip():
                raise ValidationError(
                    {
                        "note": _(
                            "Bitte begründen Sie, warum Sie trotz offener Kommentare freigeben."
                        )
                    }
                )
        from_status = section.status
        section.status = transition.target
        if transition.action == Action.SUBMIT:
            section.submitted_by = actor
        elif transition.action == Action.APPROVE:
            section.approved_revision = current
        elif transition.action == Action.PUBLISH:
            section.published_revision = section.approved_revision
            section.published_at = timezone.now()
        section.save()
        event = SectionEvent(
            section=section,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
            revision=current,
            actor=actor,
            note=note.strip(),
        )
        event.full_clean()
        event.save()
        audit.record(
            actor=actor,
            action=(
                AuditEntry.Action.PUBLISHED
                if transition.action == Action.PUBLISH
                else AuditEntry.Action.TRANSITION
            ),
            target=section,
            details={
                "action": transition.action.value,
                "from": from_status,
                "to": transition.target.value,
                "revision": current.number,
                "override": bool(override),
            },
        )
        _notify_transition(actor, section, transition.action, note.strip())
    return section


def follow_reference(section: Section) -> str:
    """How the notifications app names a section that people follow."""
    return f"section:{section.pk}"


def section_follow(*, actor: User, section: Section, follow: bool) -> bool:
    """Follow a section the actor may see (or stop): followers hear when it is published."""
    if not actor.is_authenticated or not permissions.can_view_section(actor, section):
        raise PermissionDenied(_("Sie dürfen diesen Abschnitt nicht sehen."))
    return follow_set(actor=actor, target=follow_reference(section), follow=follow)


def _notify_transition(actor: User, section: Section, action: str, note: str) -> None:
    """Every hand-over reaches the next person: submitted → the field's reviewers (the
    coordinators where the field has none); changes
    requested or approved → its editors and the submitter; approved → the coordinators;
    published → its editors, reviewers and the section's followers."""
    field_id = section.action_field_id

    def may_see(user):
        return permissions.can_read_drafts(user, field_id)

    title_args = {"title": section.title, "actor": actor}
    url = section.get_absolute_url()
    with_note = f": {note[:120]}" if note else ""
    if action == Action.SUBMIT:
        notify(
            kind=REVIEW_REQUEST,
            recipients=permissions.reviewers_of(field_id),
            title=_("Bitte prüfen: „%(title)s“ (eingereicht von %(actor)s)") % title_args
            + with_note,
            url=url,
            actor=actor,
            may_see=may_see,
        )
        return
    submitter = User.objects.filter(pk=section.submitted_by_id).first()
    if action == Action.PUBLISH:
        people = permissions.field_people(
            field_id, [permissions.EDIT_TEXT, permissions.REVIEW_TEXT]
        )
        notify(
            kind=PUBLISHED,
            recipients=[
                *people,
                submitter,
                *notification_selectors.followers(follow_reference(section)),
            ],
            title=_("„%(title)s“ wurde veröffentlicht (%(actor)s)") % title_args,
            url=url,
            actor=actor,
            may_see=lambda user: permissions.can_view_section(user, section),
        )
        return
    titles = {
        Action.REQUEST_CHANGES: _("Änderungen erbeten an „%(title)s“ (%(actor)s)"),
        Action.APPROVE: _("„%(title)s“ wurde freigegeben (%(actor)s)"),
    }
    editors = list(permissions.field_people(field_id, [permissions.EDIT_TEXT]))
    notify(
        kind=WORKFLOW,
        recipients=[*editors, submitter],
        title=titles[action] % title_args + with_note,
        url=url,
        actor=actor,
        may_see=may_see,
    )
    if action == Action.APPROVE:
        notify(
            kind=PUBLISH_REQUEST,
            recipients=permissions.global_people(permissions.PUBLISH),
            title=_("Bitte veröffentlichen: „%(title)s“ (freigegeben von %(actor)s)") % title_args,
            url=f"{url}#arbeitsschritte",
            actor=actor,
            may_see=lambda user: permissions.has_field_perm(user, permissions.PUBLISH, field_id),
        )


def notify_section_comment(actor: User, section: Section, comment) -> None:
    """A new comment on a section: its field's editors and reviewers are told (but the
    author of the comment replied to, who hears of it as a reply)."""
    people = permissions.field_people(
        section.action_field_id, [permissions.EDIT_TEXT, permissions.REVIEW_TEXT]
    )
    already = {comment.parent.author_id} if comment.parent is not None else set()
    notify(
        kind=COMMENT,
        recipients=[user for user in people if user.pk not in already],
        title=_("Neuer Kommentar von %(actor)s zu „%(title)s“")
        % {"actor": actor, "title": section.title},
        url=comment_url(comment, section),
        actor=actor,
        may_see=lambda user: permissions.can_read_drafts(user, section.action_field_id),
    )


def charta_create(
    *, actor: User | None, slug: str, title: str, year: int, preamble: str = ""
) -> Charta:
    """Start an edition of the charta (coordinators; None: the system). It becomes the
    current edition when there is none yet."""
    if actor is not None and not actor.has_perm(f"charta.{permissions.PUBLISH}"):
        raise PermissionDenied(_("Nur die Koordination legt Ausgaben der Charta an."))
    with transaction.atomic():
        charta = Charta(
            slug=slug,
            title=title,
            year=year,
            preamble=preamble,
            is_current=not Charta.objects.filter(is_current=True).exists(),
        )
        charta.full_clean()
        charta.save()
    return charta


# Suggestions (Änderungsvorschläge) ---------------------------------------------------------


def _quote_of(suggestion: Suggestion) -> suggesting.Quote:
    return suggesting.Quote(suggestion.quote, suggestion.prefix, suggestion.suffix)


def _find(body: str, suggestion: Suggestion) -> suggesting.Span | None:
    return suggesting.find(body, _quote_of(suggestion), needed=suggestion.context_needed)


def _paragraph_of(revision: Revision, quote: suggesting.Quote) -> str:
    """The paragraph of ``revision`` the quote stands in (for showing it there), or ""."""
    for anchor, text in revision.paragraphs:
        if quote.text and quote.text in text:
            return anchor
        if not quote.text and (quote.prefix.strip() and quote.prefix.strip() in text):
            return anchor
    return ""


def suggestion_create(
    *,
    actor: User,
    section: Section,
    base_revision: int,
    quote: str,
    replacement: str,
    reason: str,
    prefix: str = "",
    suffix: str = "",
) -> Suggestion:
    """Propose to replace ``quote`` (as a reader sees it in revision ``base_revision``) with
    ``replacement``; an empty replacement deletes, an empty quote between ``prefix`` and
    ``suffix`` inserts. Whoever may comment on the section may suggest; its editors are told.
    A quote that changed since the base revision is refused as a conflict."""
    quote = rendering.normalise_text(quote)
    selector = suggesting.Quote(
        quote,
        rendering.normalise_text(prefix, keep_edges=True)[-32:],
        rendering.normalise_text(suffix, keep_edges=True)[:32],
    )
    replacement = replacement.strip("\r\n")
    with transaction.atomic():
        section = _locked(section)
        if not permissions.can_suggest(actor, section):
            raise PermissionDenied(_("Sie dürfen zu diesem Abschnitt nichts vorschlagen."))
        latest = section.current_revision
        if latest is None:
            raise ValidationError({"quote": _("Der Abschnitt hat noch keinen Text.")})
        base = Revision.objects.filter(section=section, number=base_revision).first()
        if base is None:
            raise ValidationError(
                {"base_revision": _("Diese Revision gibt es in diesem Abschnitt nicht.")}
            )
        errors = {}
        if not reason.strip():
            errors["reason"] = _("Bitte begründen Sie Ihren Vorschlag.")
        if not quote and not (selector.prefix or selector.suffix):
            errors["quote"] = _("Bitte geben Sie die Stelle an, die geändert werden soll.")
        elif quote == rendering.normalise_text(replacement):
            errors["replacement"] = _("Der Vorschlag ändert nichts am Text.")
        if not errors:
            try:
                found = suggesting.find_new(base.body, selector)
            except suggesting.QuoteNotFound:
                errors["quote"] = _(
                    "Diese Stelle steht so nicht im Text von Revision %(number)s. Markieren Sie "
                    "bitte Text ohne Formatierung (Hervorhebungen, Links) dazwischen."
                ) % {"number": base.number}
            except suggesting.QuoteAmbiguous:
                errors["quote"] = _(
                    "Diese Stelle kommt im Text mehrmals vor; bitte markieren Sie etwas mehr Text."
                )
        if errors:
            raise ValidationError(errors)
        selector = found.quote
        if (
            base.number != latest.number
            and suggesting.find(latest.body, selector, needed=found.needed) is None
        ):
            raise EditConflict(
                section=section,
                base_revision=base.number,
                latest_revision=latest.number,
                message=_(
                    "Die Stelle wurde inzwischen geändert (Revision %(latest)s); Ihr Vorschlag "
                    "beruht auf Revision %(base)s und wurde nicht gespeichert. Bitte lesen Sie "
                    "die neue Fassung."
                )
                % {"latest": latest.number, "base": base.number},
            )
        suggestion = Suggestion(
            section=section,
            base_revision=base.number,
            checked_revision=latest.number,
            paragraph=_paragraph_of(latest, selector),
            quote=selector.text,
            prefix=selector.prefix,
            suffix=selector.suffix,
            context_needed=found.needed,
            replacement=replacement,
            reason=reason.strip(),
            author=actor,
        )
        suggestion.full_clean()
        suggestion.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.SUGGESTION_MADE,
            target=section,
            details={"suggestion": suggestion.pk, "revision": base.number},
        )
        notify(
            kind=SUGGESTION,
            recipients=permissions.field_people(section.action_field_id, [permissions.EDIT_TEXT]),
            title=_("Neuer Änderungsvorschlag von %(actor)s zu „%(title)s“")
            % {"actor": actor, "title": section.title},
            url=suggestion.get_absolute_url(),
            actor=actor,
            may_see=lambda user: permissions.can_decide_suggestions(user, section),
        )
    return suggestion


def suggestions_carry_forward(*, section: Section, revision: Revision) -> int:
    """After a new revision: each open suggestion whose quote still stands unchanged is
    carried forward to it; the others become outdated (never applied silently). Returns how
    many became outdated."""
    outdated = []
    carried = []
    for suggestion in Suggestion.objects.filter(section=section, state=Suggestion.State.OPEN):
        quote = _quote_of(suggestion)
        if _find(revision.body, suggestion) is None:
            suggestion.state = Suggestion.State.OUTDATED
            outdated.append(suggestion)
        else:
            suggestion.checked_revision = revision.number
            suggestion.paragraph = _paragraph_of(revision, quote)
            carried.append(suggestion)
    Suggestion.objects.bulk_update(outdated, ["state"])
    Suggestion.objects.bulk_update(carried, ["checked_revision", "paragraph"])
    return len(outdated)


def _credit(suggestions: list[Suggestion]) -> str:
    """The revision message that credits the suggesters."""
    names = list(dict.fromkeys(str(s.author) if s.author else _("unbekannt") for s in suggestions))
    numbers = ", ".join(f"#{s.pk}" for s in suggestions)
    message = (
        _("Änderungsvorschlag %(numbers)s von %(names)s übernommen")
        if len(suggestions) == 1
        else _("Änderungsvorschläge %(numbers)s von %(names)s übernommen")
    ) % {"numbers": numbers, "names": ", ".join(names)}
    return message[:300]


def _save_accepted(*, actor: User, section: Section, body: str, message: str) -> Revision:
    """The one place where accepting suggestions writes the section: through its save
    service, based on the latest revision (the section is locked by the caller)."""
    return section_save_draft(
        actor=actor,
        section=section,
        body=body,
        base_revision=section.current_revision.number,
        message=message,
    )


def suggestions_accept(*, actor: User, section: Section, ids: list[int]) -> Revision:
    """Accept several suggestions on a section at once, all or nothing: a new revision on top
    of the latest carries them all and credits their authors, who are told. Outdated or
    overlapping suggestions raise SuggestionConflict and nothing is written."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ValidationError({"ids": _("Bitte wählen Sie mindestens einen Vorschlag.")})
    with transaction.atomic():
        section = _locked(section)
        if not permissions.can_decide_suggestions(actor, section):
            raise PermissionDenied(
                _("Vorschläge übernehmen oder ablehnen darf nur die Redaktion des Handlungsfelds.")
            )
        found = {
            s.pk: s
            for s in Suggestion.objects.select_for_update(of=("self",))
            .filter(section=section, pk__in=ids)
            .select_related("author")
        }
        unknown = [pk for pk in ids if pk not in found]
        if unknown:
            raise ValidationError(
                {
                    "ids": _("Diese Vorschläge gibt es in diesem Abschnitt nicht: %(ids)s.")
                    % {"ids": ", ".join(f"#{pk}" for pk in unknown)}
                }
            )
        suggestions = [found[pk] for pk in ids]
        decided = [s for s in suggestions if s.state in (s.State.ACCEPTED, s.State.REJECTED)]
        if decided:
            raise ValidationError(
                {
                    "ids": _("Über diese Vorschläge ist schon entschieden: %(ids)s.")
                    % {"ids": ", ".join(f"#{s.pk}" for s in decided)}
                }
            )
        body = section.current_revision.body
        spans, outdated = {}, []
        for suggestion in suggestions:
            span = (
                None if suggestion.state == Suggestion.State.OUTDATED else _find(body, suggestion)
            )
            if span is None:
                outdated.append(suggestion.pk)
            else:
                spans[suggestion.pk] = span
        overlapping = suggesting.overlapping(spans)
        if outdated or overlapping:
            raise SuggestionConflict(outdated=outdated, overlapping=overlapping)
        new_body = suggesting.apply(body, [(spans[s.pk], s.replacement) for s in suggestions])
        now = timezone.now()
        for suggestion in suggestions:
            # Decided before the save, so that carrying forward passes them over.
            suggestion.state = Suggestion.State.ACCEPTED
            suggestion.decided_by = actor
            suggestion.decided_at = now
            suggestion.save(update_fields=["state", "decided_by", "decided_at"])
        revision = _save_accepted(
            actor=actor, section=section, body=new_body, message=_credit(suggestions)
        )
        for suggestion in suggestions:
            suggestion.revision = revision
            suggestion.save(update_fields=["revision"])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.SUGGESTION_ACCEPTED,
                target=section,
                details={"suggestion": suggestion.pk, "revision": revision.number},
            )
            notify(
                kind=SUGGESTION_DECIDED,
                recipients=[suggestion.author],
                title=_(
                    "Ihr Änderungsvorschlag zu „%(title)s“ wurde übernommen (Revision %(number)s)"
                )
                % {"title": section.title, "number": revision.number},
                url=suggestion.get_absolute_url(),
                actor=actor,
                may_see=lambda user: permissions.can_read_drafts(user, section.action_field_id),
            )
    return revision


def suggestion_reject(*, actor: User, suggestion: Suggestion, reason: str) -> Suggestion:
    """Editors of the field reject a suggestion (open or outdated) with a reason, which its
    author is told."""
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update(of=("self",))
            .select_related("section", "author")
            .get(pk=suggestion.pk)
        )
        section = suggestion.section
        if not permissions.can_decide_suggestions(actor, section):
            raise PermissionDenied(
                _("Vorschläge übernehmen oder ablehnen darf nur die Redaktion des Handlungsfelds.")
            )
        if suggestion.state in (Suggestion.State.ACCEPTED, Suggestion.State.REJECTED):
            raise ValidationError({"reason": _("Über diesen Vorschlag ist schon entschieden.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Bitte begründen Sie die Ablehnung.")})
        suggestion.state = Suggestion.State.REJECTED
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.decision_reason = reason.strip()
        suggestion.full_clean()
        suggestion.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.SUGGESTION_REJECTED,
            target=section,
            details={"suggestion": suggestion.pk, "reason": suggestion.decision_reason[:300]},
        )
        notify(
            kind=SUGGESTION_DECIDED,
            recipients=[suggestion.author],
            title=_("Ihr Änderungsvorschlag zu „%(title)s“ wurde abgelehnt: %(reason)s")
            % {"title": section.title, "reason": suggestion.decision_reason[:150]},
            url=suggestion.get_absolute_url(),
            actor=actor,
            may_see=lambda user: permissions.can_read_drafts(user, section.action_field_id),
        )
    return suggestion
