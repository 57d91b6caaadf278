"""Everything that changes the charta goes through these functions."""

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

from . import permissions
from .errors import EditConflict
from .models import ActionField, Charta, Revision, Section, SectionEvent
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
PUBLISH_REQUEST = notification_kinds.register(
    "publish_request", gettext_lazy("Freigegebene Abschnitte (Koordination)"), order=42
)
PUBLISHED = notification_kinds.register(
    "published",
    gettext_lazy("Veröffentlichte Abschnitte, an denen ich arbeite oder denen ich folge"),
    order=44,
)


def _locked(section: Section) -> Section:
    return (
        Section.objects.select_for_update(of=("self",))
        .select_related("current_revision", "action_field")
        .get(pk=section.pk)
    )


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


def section_save_draft(
    *, actor: User, section: Section, body: str, base_revision: int | None, message: str = ""
) -> Revision:
    """Save a new revision of the section's text and put the section back to draft.

    ``base_revision`` is the number of the revision the text was based on (None for the
    first text); if another revision landed meanwhile, EditConflict is raised and nothing
    is written.
    """
    try:
        with transaction.atomic():
            section = _locked(section)
            if not permissions.can_edit_section(actor, section):
                raise PermissionDenied(_("Sie dürfen den Text dieses Abschnitts nicht bearbeiten."))
            current = section.current_revision
            latest = current.number if current else None
            if base_revision != latest:
                raise EditConflict(
                    section=section, base_revision=base_revision, latest_revision=latest
                )
            if current is not None and current.body == body:
                raise ValidationError({"body": _("Der Text ist unverändert.")})
            rendered = rendering.render(body)
            revision = Revision(
                section=section,
                number=(latest or 0) + 1,
                body=body,
                body_html=rendered.html,
                paragraphs=[list(p) for p in rendered.paragraphs],
                message=message.strip(),
                author=actor,
            )
            revision.full_clean(exclude=["section"])
            if not body.strip():
                raise ValidationError({"body": _("Der Text darf nicht leer sein.")})
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
            comments_reanchor(target=section)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.REVISION_SAVED,
                target=section,
                details={"revision": revision.number, "base_revision": base_revision},
            )
    except IntegrityError:
        # A concurrent writer took the same revision number first (SQLite has no row lock).
        fresh = Section.objects.select_related("current_revision").get(pk=section.pk)
        raise EditConflict(
            section=fresh,
            base_revision=base_revision,
            latest_revision=fresh.current_revision.number if fresh.current_revision else None,
        ) from None
    return revision


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
