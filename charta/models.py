from django.conf import settings
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
    # The revision the writer started from (None: the first text, or written on an empty
    # section), and the revisions that landed meanwhile and were merged in.
    base_revision = models.PositiveIntegerField(_("Grundlage (Revision)"), null=True, blank=True)
    merged = models.BooleanField(_("Zusammengeführt"), default=False)
    merged_with = models.JSONField(_("Zusammengeführt mit"), default=list, blank=True)

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

    def merge_description(self) -> str:
        """How the revision came about when it was merged, e.g. "zusammengeführt aus r5
        und r6" (the writer's base, and the revisions that had landed meanwhile)."""
        if not self.merged or not self.merged_with:
            return ""
        first, last = self.merged_with[0], self.merged_with[-1]
        others = f"r{first}" if first == last else f"r{first}–r{last}"
        if self.base_revision is None:
            return _("zusammengeführt mit %(others)s") % {"others": others}
        return _("zusammengeführt aus r%(base)s und %(others)s") % {
            "base": self.base_revision,
            "others": others,
        }


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


class EditingPresence(models.Model):
    """Who has a section open in the editor: refreshed by a heartbeat of the editor page.

    One row per person and section; ``since`` is when the current editing visit began,
    ``seen_at`` the last heartbeat. Rows are short-lived and carry no content.
    """

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing_presences"
    )
    since = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Anwesenheit im Editor")
        verbose_name_plural = _("Anwesenheiten im Editor")
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="charta_presence_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.section}"


SUGGESTION_QUOTE_MAX_LENGTH = 2_000
SUGGESTION_REPLACEMENT_MAX_LENGTH = 5_000
SUGGESTION_REASON_MAX_LENGTH = 2_000


class Suggestion(models.Model):
    """An Änderungsvorschlag: replace a quoted span of a revision (empty replacement: delete;
    empty quote between ``prefix`` and ``suffix``: insert), with a reason. Editors of the field
    accept it (a new revision carries it) or reject it; while it is open it is carried forward
    to each new revision that still holds its quote unchanged, and becomes outdated otherwise."""

    class State(models.TextChoices):
        OPEN = "open", _("Offen")
        ACCEPTED = "accepted", _("Übernommen")
        REJECTED = "rejected", _("Abgelehnt")
        OUTDATED = "outdated", _("Veraltet")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="suggestions")
    # The number of the revision the suggestion was made on.
    base_revision = models.PositiveIntegerField(_("Grundlage (Revision)"))
    # The latest revision that still holds the quote unchanged (carried forward to it).
    checked_revision = models.PositiveIntegerField(_("Geprüft bis Revision"))
    # The paragraph of that revision the quote stands in, for showing it beside the text.
    paragraph = models.CharField(_("Absatz"), max_length=80, blank=True)
    quote = models.TextField(
        _("Bisheriger Text"),
        blank=True,
        max_length=SUGGESTION_QUOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(SUGGESTION_QUOTE_MAX_LENGTH)],
    )
    prefix = models.CharField(_("Text davor"), max_length=64, blank=True)
    suffix = models.CharField(_("Text danach"), max_length=64, blank=True)
    # How many characters of that surrounding text must still agree where the quote is found
    # again (more than the same words elsewhere in the base revision already share).
    context_needed = models.PositiveSmallIntegerField(default=0, editable=False)
    replacement = models.TextField(
        _("Vorgeschlagener Text"),
        blank=True,
        max_length=SUGGESTION_REPLACEMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(SUGGESTION_REPLACEMENT_MAX_LENGTH)],
    )
    reason = models.TextField(
        _("Begründung"),
        max_length=SUGGESTION_REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(SUGGESTION_REASON_MAX_LENGTH)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="suggestions",
        verbose_name=_("Vorgeschlagen von"),
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    # The revision an accepted suggestion produced.
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_suggestions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        _("Begründung der Entscheidung"),
        blank=True,
        max_length=SUGGESTION_REASON_MAX_LENGTH,
        validators=[MaxLengthValidator(SUGGESTION_REASON_MAX_LENGTH)],
    )

    class Meta:
        verbose_name = _("Änderungsvorschlag")
        verbose_name_plural = _("Änderungsvorschläge")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["section", "state"])]

    def __str__(self) -> str:
        return f"{self.section.title}: „{self.quote[:40]}“ → „{self.replacement[:40]}“"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#vorschlag-{self.pk}"
