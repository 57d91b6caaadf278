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
from notifications.services import notify

from . import merging, permissions, selectors
from .errors import EditConflict, MergeConflict, RemovalNeedsConfirmation
from .models import ActionField, Charta, EditingPresence, Revision, Section, SectionEvent
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


def _notify_transition(actor: User, section: Section, action: str, note: str) -> None:
    def may_see(user):
        return permissions.can_read_drafts(user, section.action_field_id)

    title_args = {"title": section.title, "actor": actor}
    if action == Action.SUBMIT:
        notify(
            kind=REVIEW_REQUEST,
            recipients=permissions.field_people(section.action_field_id, [permissions.REVIEW_TEXT]),
            title=_("Bitte prüfen: „%(title)s“ (eingereicht von %(actor)s)") % title_args,
            url=section.get_absolute_url(),
            actor=actor,
            may_see=may_see,
        )
        return
    titles = {
        Action.REQUEST_CHANGES: _("Änderungen erbeten an „%(title)s“ (%(actor)s)"),
        Action.APPROVE: _("„%(title)s“ wurde freigegeben (%(actor)s)"),
        Action.PUBLISH: _("„%(title)s“ wurde veröffentlicht (%(actor)s)"),
    }
    editors = list(permissions.field_people(section.action_field_id, [permissions.EDIT_TEXT]))
    submitter = User.objects.filter(pk=section.submitted_by_id).first()
    notify(
        kind=WORKFLOW,
        recipients=[*editors, submitter],
        title=titles[action] % title_args + (f": {note[:120]}" if note else ""),
        url=section.get_absolute_url(),
        actor=actor,
        may_see=may_see,
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
