from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The one limit of a comment's text: the model, forms, API and pages all take it from here.
COMMENT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 300


# How much of the text around a quote is kept to find it again (see anchoring.py).
QUOTE_MAX_LENGTH = 2000
QUOTE_CONTEXT_MAX_LENGTH = 64


class AnchorStatus(models.TextChoices):
    CURRENT = "current", _("Stelle unverändert")
    MOVED = "moved", _("Stelle verschoben")
    CHANGED = "changed", _("Stelle geändert")
    ORPHANED = "orphaned", _("Stelle nicht mehr im Text")


class Comment(models.Model):
    """A threaded comment on any registered target (see targets.py)."""

    class State(models.TextChoices):
        OPEN = "open", _("Offen")
        RESOLVED = "resolved", _("Erledigt")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The permission scope of the target (for the charta: its Handlungsfeld), kept on every
    # comment so that visibility filters need no generic join.
    scope = models.PositiveIntegerField(_("Bereich"), db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The number of the target's revision the anchor was placed on (None: no anchor).
    revision = models.PositiveIntegerField(_("Revision"), null=True, blank=True)
    paragraph = models.CharField(_("Absatz"), max_length=80, blank=True)
    # The paragraph's text when the comment was written; shown when the paragraph changed.
    paragraph_text = models.TextField(_("Text des Absatzes"), blank=True)
    # A quote in the paragraph (empty: the whole paragraph), with the text just before and
    # after it, as written; never changed afterwards.
    quote = models.TextField(_("Zitat"), blank=True, max_length=QUOTE_MAX_LENGTH)
    prefix = models.CharField(_("Text davor"), max_length=QUOTE_CONTEXT_MAX_LENGTH, blank=True)
    suffix = models.CharField(_("Text danach"), max_length=QUOTE_CONTEXT_MAX_LENGTH, blank=True)
    # Where the quote was in the paragraph it was written on (to tell two equal places apart).
    quote_offset = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_status = models.CharField(
        _("Verankerung"),
        max_length=10,
        choices=AnchorStatus.choices,
        blank=True,
    )
    # Where the quote (or its edited form) stands now in the paragraph ``paragraph``'s text.
    anchor_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A TextField's max_length reaches forms and the API; the validator makes full_clean() see it.
    body = models.TextField(
        _("Kommentar"),
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments"
    )
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("Ausgeblendet"), default=False)
    hidden_reason = models.CharField(
        _("Grund der Ausblendung"), max_length=REASON_MAX_LENGTH, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    edited_at = models.DateTimeField(_("Bearbeitet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class CommentEdit(models.Model):
    """The text a comment had before its author edited it (append-only history)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(_("Früherer Text"))
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar-Änderung")
        verbose_name_plural = _("Kommentar-Änderungen")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class ModerationDecision(models.Model):
    """A moderator's decision on a comment (append-only): hide it, dismiss its reports, or
    undo a hide. The reports it settled point at it."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Ausgeblendet")
        DISMISS = "dismiss", _("Meldung zurückgewiesen")
        RESTORE = "restore", _("Wieder eingeblendet")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("Entscheidung"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("Begründung"), max_length=REASON_MAX_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Moderationsentscheidung")
        verbose_name_plural = _("Moderationsentscheidungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.comment_id}"


class CommentReport(models.Model):
    """A logged-in user flags a comment for the coordinators' attention."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # The decision that settled the report; None while the moderators have not decided.
    decision = models.ForeignKey(
        ModerationDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        verbose_name = _("Kommentar-Meldung")
        verbose_name_plural = _("Kommentar-Meldungen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["comment"],
                condition=models.Q(decision__isnull=True),
                name="comments_report_undecided",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comments_report_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.comment_id}"
