"""Everything that changes comments goes through these functions.

Comments know no domain: a target's registration (targets.py) supplies its scope, its
paragraphs and who else is told of a new comment; the policy says who may do what.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import AuditEntry, User
from core.rendering import normalise_text, render_note
from notifications import kinds as notification_kinds
from notifications.services import notify

from . import anchoring, permissions, targets
from .models import (
    QUOTE_CONTEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AnchorStatus,
    Comment,
    CommentEdit,
    CommentReport,
    ModerationDecision,
)

REPLY = notification_kinds.register(
    "reply", gettext_lazy("Antworten auf meine Kommentare"), order=10
)
HIDDEN = notification_kinds.register(
    "hidden", gettext_lazy("Moderation meiner Kommentare"), order=50
)
REPORTED = notification_kinds.register(
    "reported", gettext_lazy("Gemeldete Kommentare (Koordination)"), order=55
)


def comment_url(comment: Comment, target: models.Model | None = None) -> str:
    target = target if target is not None else comment.target
    return f"{target.get_absolute_url()}#kommentar-{comment.pk}"


def comment_create(
    *,
    actor: User,
    target: models.Model,
    body: str,
    parent: Comment | None = None,
    paragraph: str = "",
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
) -> Comment:
    """Comment on an object the actor may see; optionally reply, or point at a paragraph or
    at an exact quote in it (``prefix`` and ``suffix``, the text just before and after the
    quote, tell several places apart; without them the quote must occur once)."""
    spec = targets.target_of(target)
    scope = spec.scope(target)
    if not permissions.can_comment(actor, scope):
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
        scope=scope,
        parent=parent,
        body=body.strip(),
        body_html=render_note(body),
        author=actor,
    )
    if paragraph or quote.strip():
        errors.update(_anchor(comment, spec.anchorable(target), paragraph, quote, prefix, suffix))
    if not comment.body:
        errors["body"] = _("Der Kommentar darf nicht leer sein.")
    if errors:
        raise ValidationError(errors)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.COMMENT_WRITTEN,
            target=comment,
            details={"on": targets.reference(target), "reply_to": parent.pk if parent else None},
        )
        if parent is not None:
            notify(
                kind=REPLY,
                recipients=[parent.author],
                title=_("%(actor)s hat auf Ihren Kommentar geantwortet") % {"actor": actor},
                url=comment_url(comment, target),
                actor=actor,
                may_see=lambda user: permissions.can_read_comments(user, scope),
            )
        if spec.on_comment is not None:
            spec.on_comment(actor, target, comment)
    return comment


def _anchor(
    comment: Comment, text, paragraph: str, quote: str, prefix: str, suffix: str
) -> dict[str, str]:
    """Point ``comment`` at a paragraph (or a quote in it) of the target's current text;
    the reasons why not, by field."""
    texts = dict(map(tuple, text.paragraphs)) if text else {}
    quote = normalise_text(quote)
    if paragraph and paragraph not in texts:
        return {"paragraph": _("Diesen Absatz gibt es in der aktuellen Fassung nicht.")}
    if quote and not paragraph:
        # The quote names its paragraph when it occurs in one only.
        holders = [anchor for anchor, body in texts.items() if quote in body]
        if len(holders) != 1:
            return {
                "quote": _("Diese Stelle steht nicht im Text.")
                if not holders
                else _("Diese Stelle kommt in mehreren Absätzen vor; bitte wählen Sie den Absatz.")
            }
        paragraph = holders[0]
    comment.revision = text.revision
    comment.paragraph = paragraph
    comment.paragraph_text = texts[paragraph]
    comment.anchor_status = AnchorStatus.CURRENT
    if quote:
        selector = anchoring.Quote(
            quote,
            normalise_text(prefix, keep_edges=True)[-QUOTE_CONTEXT_MAX_LENGTH:],
            normalise_text(suffix, keep_edges=True)[:QUOTE_CONTEXT_MAX_LENGTH],
        )
        try:
            match = anchoring.anchor_new(texts[paragraph], selector)
        except anchoring.QuoteNotFound:
            return {"quote": _("Diese Stelle steht nicht in diesem Absatz.")}
        except anchoring.QuoteAmbiguous:
            return {
                "quote": _(
                    "Diese Stelle kommt im Absatz mehrmals vor; bitte markieren Sie etwas "
                    "mehr Text."
                )
            }
        comment.quote = quote
        comment.prefix, comment.suffix = anchoring.context(texts[paragraph], match.start, match.end)
        comment.quote_offset = comment.anchor_start = match.start
        comment.anchor_end = match.end
    return {}


def comments_reanchor(*, target: models.Model) -> int:
    """Place the anchored comments on ``target`` again, on its current text; after a save.

    Each is placed against the text it was written on (see anchoring.py). Returns how many
    comments changed their place or status.
    """
    text = targets.target_of(target).anchorable(target)
    if text is None:
        return 0
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(target)), object_id=target.pk
    ).exclude(paragraph="")
    changed = []
    fields = ["paragraph", "anchor_status", "anchor_start", "anchor_end"]
    placer = anchoring.Placer(text.paragraphs)
    for comment in comments:
        if comment.quote:
            placement = placer.place(
                anchoring.Quote(comment.quote, comment.prefix, comment.suffix),
                anchor=comment.paragraph,
                text=comment.paragraph_text,
                start=comment.quote_offset,
            )
        else:
            placement = placer.relocate(comment.paragraph, comment.paragraph_text)
        now = (placement.anchor, placement.status, placement.start, placement.end)
        if now != tuple(getattr(comment, name) for name in fields):
            comment.paragraph, comment.anchor_status, comment.anchor_start, comment.anchor_end = now
            changed.append(comment)
    Comment.objects.bulk_update(changed, fields, batch_size=500)
    return len(changed)


def comment_set_state(*, actor: User, comment: Comment, state: str) -> Comment:
    """Resolve or reopen: the author, and those the policy names (editors, coordinators)."""
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
        audit.record(
            actor=actor,
            action=AuditEntry.Action.COMMENT_STATE_CHANGED,
            target=comment,
            details={"state": state},
        )
    return comment


def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """The author edits their comment within the edit window, unless it was hidden; the old
    text is kept. Who may edit is decided by permissions.comment_edit_refusal alone, which
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
        comment.body_html = render_note(body)
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        audit.record(actor=actor, action=AuditEntry.Action.COMMENT_EDITED, target=comment)
    return comment


def comment_report(*, actor: User, comment: Comment, reason: str) -> CommentReport:
    """Any logged-in user who sees a comment may flag it; the moderators of its scope (the
    coordinators) are told, and the report waits in their queue until they decide."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    with transaction.atomic():
        report, created = CommentReport.objects.get_or_create(
            comment=comment, reporter=actor, defaults={"reason": reason.strip()[:500]}
        )
        if not created and report.decision_id is not None:
            # Reported again after a decision: it goes back into the queue.
            report.reason = reason.strip()[:500]
            report.decision = None
            report.save(update_fields=["reason", "decision"])
            created = True
        if created:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.COMMENT_REPORTED,
                target=comment,
                details={"reason": report.reason},
            )
            scope = comment.scope
            notify(
                kind=REPORTED,
                recipients=targets.policy().moderators(scope),
                title=_("Kommentar gemeldet von %(actor)s: %(reason)s")
                % {"actor": actor, "reason": report.reason[:120]},
                url=moderation_url(comment),
                actor=actor,
                may_see=lambda user: permissions.can_moderate(user, scope),
            )
    return report


def moderation_url(comment: Comment) -> str:
    """Where the coordinators decide on a reported comment."""
    return f"{reverse('comments:moderation')}#meldung-{comment.pk}"


def _decide(
    *, actor: User, comment: Comment, action: str, reason: str, reason_required: bool
) -> ModerationDecision:
    if not permissions.can_moderate(actor, comment.scope):
        raise PermissionDenied(_("Nur die Koordination moderiert Kommentare."))
    reason = reason.strip()
    if reason_required and not reason:
        raise ValidationError(
            {"reason": _("Bitte geben Sie einen Grund an; die Verfasser*in erfährt ihn.")}
        )
    decision = ModerationDecision(
        comment=comment, action=action, reason=reason[:REASON_MAX_LENGTH], actor=actor
    )
    decision.full_clean(exclude=["comment"])
    decision.save()
    # Every open report on the comment is settled by this decision.
    CommentReport.objects.filter(comment=comment, decision__isnull=True).update(decision=decision)
    return decision


def _tell_author(actor: User, comment: Comment, title: str) -> None:
    scope = comment.scope
    notify(
        kind=HIDDEN,
        recipients=[comment.author],
        title=title,
        url=comment_url(comment),
        actor=actor,
        may_see=lambda user: permissions.can_read_comments(user, scope),
    )


def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Coordinators hide a comment with a reason, which its author is told; the comment stays
    in the database and its open reports are settled. Audited."""
    if not permissions.can_moderate(actor, comment.scope):
        raise PermissionDenied(_("Nur die Koordination blendet Kommentare aus."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_hidden:
            raise ValidationError({"reason": _("Der Kommentar ist bereits ausgeblendet.")})
        decision = _decide(
            actor=actor,
            comment=comment,
            action=ModerationDecision.Action.HIDE,
            reason=reason,
            reason_required=True,
        )
        comment.is_hidden = True
        comment.hidden_reason = decision.reason
        comment.hidden_by = actor
        comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.COMMENT_HIDDEN,
            target=comment,
            details={"reason": comment.hidden_reason, "decision": decision.pk},
        )
        _tell_author(
            actor,
            comment,
            _("Ihr Kommentar wurde ausgeblendet: %(reason)s") % {"reason": comment.hidden_reason},
        )
    return comment


def comment_dismiss_reports(*, actor: User, comment: Comment, reason: str = "") -> int:
    """Coordinators decide that a reported comment stays: its open reports are settled.
    Returns how many reports were settled; the author is told (with the reason, if any)."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        open_reports = CommentReport.objects.filter(comment=comment, decision__isnull=True)
        if not permissions.can_moderate(actor, comment.scope):
            raise PermissionDenied(_("Nur die Koordination moderiert Kommentare."))
        count = open_reports.count()
        if not count:
            raise ValidationError(
                {"reason": _("Zu diesem Kommentar liegt keine offene Meldung vor.")}
            )
        decision = _decide(
            actor=actor,
            comment=comment,
            action=ModerationDecision.Action.DISMISS,
            reason=reason,
            reason_required=False,
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.REPORT_DISMISSED,
            target=comment,
            details={"reason": decision.reason, "reports": count, "decision": decision.pk},
        )
        title = _("Eine Meldung zu Ihrem Kommentar wurde geprüft; er bleibt sichtbar.")
        if decision.reason:
            title += " " + decision.reason
        _tell_author(actor, comment, title)
    return count


def comment_restore(*, actor: User, comment: Comment, reason: str = "") -> Comment:
    """Coordinators undo a hide: the comment is shown again; the author is told. Audited."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not permissions.can_moderate(actor, comment.scope):
            raise PermissionDenied(_("Nur die Koordination moderiert Kommentare."))
        if not comment.is_hidden:
            raise ValidationError({"reason": _("Der Kommentar ist nicht ausgeblendet.")})
        decision = _decide(
            actor=actor,
            comment=comment,
            action=ModerationDecision.Action.RESTORE,
            reason=reason,
            reason_required=False,
        )
        comment.is_hidden = False
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.COMMENT_RESTORED,
            target=comment,
            details={"reason": decision.reason, "decision": decision.pk},
        )
        title = _("Ihr Kommentar ist wieder sichtbar.")
        if decision.reason:
            title += " " + decision.reason
        _tell_author(actor, comment, title)
    return comment
