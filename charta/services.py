"""Everything that changes the charta goes through these functions."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry, User

from . import anchoring, notifications, permissions, rendering, targets
from .errors import EditConflict
from .models import (
    ActionField,
    AnchorStatus,
    Charta,
    Comment,
    CommentEdit,
    CommentReport,
    Revision,
    Section,
    SectionEvent,
)
from .workflow import STATUS_AFTER_SAVE, Action, TransitionError, check_transition


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
            _reanchor_comments(section, revision)
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
        if transition.action == Action.REQUEST_CHANGES and not note.strip():
            raise ValidationError({"note": _("Bitte sagen Sie, was geändert werden soll.")})
        if transition.action == Action.APPROVE:
            open_comments = _open_comments(section).count()
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
        notifications.notify(
            kind=notifications.Kind.REVIEW_REQUEST,
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
    notifications.notify(
        kind=notifications.Kind.WORKFLOW,
        recipients=[*editors, submitter],
        title=titles[action] % title_args + (f": {note[:120]}" if note else ""),
        url=section.get_absolute_url(),
        actor=actor,
        may_see=may_see,
    )


# Comments ------------------------------------------------------------------------------

COMMENT_EDIT_WINDOW = permissions.COMMENT_EDIT_WINDOW


def _open_comments(section: Section):
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Section),
        object_id=section.pk,
        state=Comment.State.OPEN,
        is_hidden=False,
    )


def _reanchor_comments(section: Section, revision: Revision) -> None:
    """Move paragraph comments of the section onto the new revision's paragraphs."""
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Section), object_id=section.pk
    ).exclude(paragraph="")
    for comment in comments:
        placement = anchoring.relocate(
            comment.paragraph, comment.paragraph_text, revision.paragraphs
        )
        if (placement.anchor, placement.status) != (comment.paragraph, comment.anchor_status):
            comment.paragraph, comment.anchor_status = placement.anchor, placement.status
            comment.save(update_fields=["paragraph", "anchor_status"])


def comment_create(
    *,
    actor: User,
    target: models.Model,
    body: str,
    parent: Comment | None = None,
    paragraph: str = "",
) -> Comment:
    """Comment on a section, goal or measure the actor may see; optionally reply or anchor."""
    spec = targets.target_for_model(type(target))
    field_id = spec.action_field_id(target)
    if not permissions.can_comment(actor, field_id):
        raise PermissionDenied(_("Sie dürfen hier nicht kommentieren."))
    content_type = ContentType.objects.get_for_model(type(target))
    errors = {}
    if parent is not None and (
        parent.content_type_id != content_type.pk or parent.object_id != target.pk
    ):
        errors["parent"] = _("Die Antwort muss zum selben Gegenstand gehören wie der Kommentar.")
    comment = Comment(
        content_type=content_type,
        object_id=target.pk,
        action_field_id=field_id,
        parent=parent,
        body=body.strip(),
        body_html=rendering.render_note(body),
        author=actor,
    )
    if paragraph:
        revision = getattr(target, "current_revision", None)
        texts = dict(map(tuple, revision.paragraphs)) if revision else {}
        if paragraph not in texts:
            errors["paragraph"] = _("Diesen Absatz gibt es in der aktuellen Fassung nicht.")
        else:
            comment.revision = revision
            comment.paragraph = paragraph
            comment.paragraph_text = texts[paragraph]
            comment.anchor_status = AnchorStatus.CURRENT
    if not comment.body:
        errors["body"] = _("Der Kommentar darf nicht leer sein.")
    if errors:
        raise ValidationError(errors)
    comment.full_clean()
    comment.save()
    _notify_comment(actor, comment, target, spec.kind)
    return comment


def _notify_comment(actor: User, comment: Comment, target: models.Model, kind: str) -> None:
    def may_see(user):
        return permissions.can_read_drafts(user, comment.action_field_id)

    url = f"{target.get_absolute_url()}#kommentar-{comment.pk}"
    if comment.parent is not None:
        notifications.notify(
            kind=notifications.Kind.REPLY,
            recipients=[comment.parent.author],
            title=_("%(actor)s hat auf Ihren Kommentar geantwortet") % {"actor": actor},
            url=url,
            actor=actor,
            may_see=may_see,
        )
    if kind == "section":
        people = permissions.field_people(
            comment.action_field_id, [permissions.EDIT_TEXT, permissions.REVIEW_TEXT]
        )
        already = {comment.parent.author_id} if comment.parent is not None else set()
        notifications.notify(
            kind=notifications.Kind.COMMENT,
            recipients=[user for user in people if user.pk not in already],
            title=_("Neuer Kommentar von %(actor)s zu „%(title)s“")
            % {"actor": actor, "title": target.title},
            url=url,
            actor=actor,
            may_see=may_see,
        )


def comment_set_state(*, actor: User, comment: Comment, state: str) -> Comment:
    """Resolve or reopen: the author, the field's editors and the coordinators."""
    if state not in Comment.State.values:
        raise ValidationError({"state": _("Unbekannter Status: %(state)s") % {"state": state}})
    if not permissions.can_resolve_comment(actor, comment):
        raise PermissionDenied(
            _("Erledigen dürfen die Verfasser*in, die Redaktion und die Koordination.")
        )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.state = state
        resolved = state == Comment.State.RESOLVED
        comment.resolved_by = actor if resolved else None
        comment.resolved_at = timezone.now() if resolved else None
        comment.save(update_fields=["state", "resolved_by", "resolved_at"])
    return comment


def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """The author edits their comment within COMMENT_EDIT_WINDOW, unless it was hidden; the
    old text is kept. Who may edit is decided by permissions.can_edit_comment alone, which
    also decides whether the pages offer the edit form."""
    with transaction.atomic():
        # Checked on the locked row: a moderator may hide the comment meanwhile.
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        refusal = permissions.comment_edit_refusal(actor, comment)
        if refusal == permissions.CommentEditRefusal.NOT_THE_AUTHOR:
            raise PermissionDenied(_("Nur die Verfasser*in kann einen Kommentar bearbeiten."))
        if refusal == permissions.CommentEditRefusal.HIDDEN:
            raise PermissionDenied(
                _(
                    "Die Koordination hat diesen Kommentar ausgeblendet; er kann nicht mehr "
                    "bearbeitet werden."
                )
            )
        if refusal == permissions.CommentEditRefusal.WINDOW_CLOSED:
            raise ValidationError(
                {"body": _("Kommentare können nur in den ersten 30 Minuten bearbeitet werden.")}
            )
        if not body.strip():
            raise ValidationError({"body": _("Der Kommentar darf nicht leer sein.")})
        CommentEdit.objects.create(comment=comment, body=comment.body)
        comment.body = body.strip()
        comment.body_html = rendering.render_note(body)
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_report(*, actor: User, comment: Comment, reason: str) -> CommentReport:
    """Any logged-in user who sees a comment may flag it for the coordinators."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    report, _created = CommentReport.objects.get_or_create(
        comment=comment, reporter=actor, defaults={"reason": reason.strip()[:500]}
    )
    return report


def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Coordinators hide a comment with a reason; it stays in the database."""
    if not permissions.can_moderate(actor, comment.action_field_id):
        raise PermissionDenied(_("Nur die Koordination blendet Kommentare aus."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.is_hidden = True
        comment.hidden_reason = reason.strip()[:300]
        comment.hidden_by = actor
        comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.COMMENT_HIDDEN,
            target=comment,
            details={"reason": comment.hidden_reason},
        )
        notifications.notify(
            kind=notifications.Kind.HIDDEN,
            recipients=[comment.author],
            title=_("Ihr Kommentar wurde ausgeblendet: %(reason)s")
            % {"reason": comment.hidden_reason},
            url=f"{comment.target.get_absolute_url()}#kommentar-{comment.pk}",
            actor=actor,
        )
    return comment
