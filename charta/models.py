from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .workflow import Action, SectionStatus

# How much people may write, defined here once. A TextField's max_length reaches forms and
# API serializers by itself; the validator makes full_clean() enforce it too.
PREAMBLE_MAX_LENGTH = 20_000
SUMMARY_MAX_LENGTH = 2_000
# A section is long (tables, footnotes) but not a book: about 30,000 words.
SECTION_BODY_MAX_LENGTH = 200_000
TRANSITION_NOTE_MAX_LENGTH = 2_000


class Charta(models.Model):
    """An edition of the ITAS-Charta, e.g. "ITAS-Charta 2024"."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    preamble = models.TextField(
        _("Präambel"),
        blank=True,
        max_length=PREAMBLE_MAX_LENGTH,
        validators=[MaxLengthValidator(PREAMBLE_MAX_LENGTH)],
    )
    is_current = models.BooleanField(_("Aktuelle Ausgabe"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Charta-Ausgabe")
        verbose_name_plural = _("Charta-Ausgaben")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="charta_charta_single_current",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionField(models.Model):
    """A Handlungsfeld of the charta. Editor and reviewer roles are granted on it."""

    number = models.PositiveSmallIntegerField(_("Nummer"), unique=True)
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    title = models.CharField(_("Titel"), max_length=200, unique=True)
    summary = models.TextField(
        _("Kurzbeschreibung"),
        blank=True,
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
    )
    reporting_interval_days = models.PositiveSmallIntegerField(
        _("Berichtsintervall (Tage)"), default=90
    )

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["number"]
        # Held per field (editors, reviewers) or globally (coordinators, partners);
        # accounts/roles.py says which role holds which.
        permissions = [
            ("view_drafts", _("Kann unveröffentlichte Inhalte des Handlungsfelds lesen")),
            ("comment", _("Kann im Handlungsfeld kommentieren")),
            ("edit_text", _("Kann den Charta-Text des Handlungsfelds bearbeiten")),
            ("review_text", _("Kann den Charta-Text des Handlungsfelds prüfen")),
            ("manage_measures", _("Kann Ziele und Maßnahmen des Handlungsfelds verwalten")),
            ("publish", _("Kann Inhalte des Handlungsfelds veröffentlichen")),
            ("moderate", _("Kann Kommentare im Handlungsfeld moderieren")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("field", kwargs={"slug": self.slug})


class ActionFieldUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ActionField, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("Benutzerrecht am Handlungsfeld")
        verbose_name_plural = _("Benutzerrechte an Handlungsfeldern")


class ActionFieldGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ActionField, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("Gruppenrecht am Handlungsfeld")
        verbose_name_plural = _("Gruppenrechte an Handlungsfeldern")


class Section(models.Model):
    """The charta text of one Handlungsfeld in one edition."""

    charta = models.ForeignKey(Charta, on_delete=models.CASCADE, related_name="sections")
    action_field = models.ForeignKey(ActionField, on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(_("Titel"), max_length=200)
    status = models.CharField(
        _("Status"), max_length=20, choices=SectionStatus.choices, default=SectionStatus.DRAFT
    )
    # Denormalised on write from the revisions (append-only) and the workflow.
    current_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")
        ordering = ["charta", "action_field__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["charta", "action_field"], name="charta_section_one_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.charta}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("charta:section", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_revision_id is not None


# The largest revision number any supported database stores (a PositiveIntegerField): a
# larger number in a request names no revision and is refused as bad input, before it
# reaches a query that the database could not even compare with it.
REVISION_NUMBER_MAX = 2**31 - 1


class Revision(models.Model):
    """An immutable Markdown snapshot of a section's text."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Nummer"))
    body = models.TextField(
        _("Text (Markdown)"),
        max_length=SECTION_BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(SECTION_BODY_MAX_LENGTH)],
    )
    # Sanitised HTML, rendered once when the revision is written (revisions never change).
    body_html = models.TextField(editable=False)
    # [[anchor, plain text], …] of the top-level blocks, for paragraph comments and citations.
    paragraphs = models.JSONField(default=list, editable=False)
    message = models.CharField(_("Änderungsnotiz"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="revisions",
        verbose_name=_("Autor*in"),
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Revision")
        verbose_name_plural = _("Revisionen")
        ordering = ["section", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], name="charta_revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section.title} – Revision {self.number}"


class SectionEvent(models.Model):
    """An append-only record of a workflow step on a section."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Aktion"), max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=SectionStatus.choices)
    to_status = models.CharField(max_length=20, choices=SectionStatus.choices)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(
        _("Anmerkung"),
        blank=True,
        max_length=TRANSITION_NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(TRANSITION_NOTE_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Arbeitsschritt")
        verbose_name_plural = _("Arbeitsschritte")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section.title}: {self.get_action_display()}"


COMMENT_MAX_LENGTH = 5000


class AnchorStatus(models.TextChoices):
    CURRENT = "current", _("Absatz unverändert")
    MOVED = "moved", _("Absatz geändert")
    ORPHANED = "orphaned", _("Absatz entfernt")


class Comment(models.Model):
    """A threaded comment on a section, goal or measure."""

    class State(models.TextChoices):
        OPEN = "open", _("Offen")
        RESOLVED = "resolved", _("Erledigt")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # Kept on every comment so that permission filters need no generic join.
    action_field = models.ForeignKey(ActionField, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    paragraph = models.CharField(_("Absatz"), max_length=80, blank=True)
    # The paragraph's text when the comment was written; shown when the paragraph changed.
    paragraph_text = models.TextField(_("Text des Absatzes"), blank=True)
    anchor_status = models.CharField(
        _("Verankerung"),
        max_length=10,
        choices=AnchorStatus.choices,
        blank=True,
    )
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
    hidden_reason = models.CharField(_("Grund der Ausblendung"), max_length=300, blank=True)
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


class CommentReport(models.Model):
    """A logged-in user flags a comment for the coordinators' attention."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar-Meldung")
        verbose_name_plural = _("Kommentar-Meldungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="charta_commentreport_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.comment_id}"


class Notification(models.Model):
    """An entry in a user's inbox; e-mailed at once or in the daily digest by preference."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Antworten auf meine Kommentare")
        COMMENT = "comment", _("Kommentare zu Abschnitten, die ich bearbeite oder prüfe")
        REVIEW_REQUEST = "review_request", _("Bitten um Prüfung")
        WORKFLOW = "workflow", _("Arbeitsschritte an meinen Abschnitten")
        HIDDEN = "hidden", _("Ausgeblendete eigene Kommentare")
        DEADLINE = "deadline", _("Fristen meiner Maßnahmen")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Betreff"), max_length=300)
    url = models.CharField(_("Adresse"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an e-mail (immediate or digest) has gone out for this entry.
    emailed_at = models.DateTimeField(null=True, blank=True)
    show_in_app = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Per user and kind: in the inbox or not, e-mail off, at once or as a daily digest."""

    class Email(models.TextChoices):
        OFF = "off", _("keine E-Mail")
        IMMEDIATE = "immediate", _("sofort per E-Mail")
        DAILY = "daily", _("täglich gesammelt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    in_app = models.BooleanField(_("im Postfach"), default=True)
    email = models.CharField(
        _("E-Mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    class Meta:
        verbose_name = _("Benachrichtigungs-Einstellung")
        verbose_name_plural = _("Benachrichtigungs-Einstellungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="charta_notificationpref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
