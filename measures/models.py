from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Organisation, WorkingGroup
from charta.models import ActionField, Revision
from comments.models import Comment
from core.validators import validate_date_range

from .indicators import Line, Reading, read
from .workflow import ImplementationStatus, Priority, PublicationState

# How much people may write, defined here once. A TextField's max_length reaches forms and
# API serializers by itself; the validator makes full_clean() in the services enforce it.
DESCRIPTION_MAX_LENGTH = 10_000
INDICATOR_MAX_LENGTH = 2_000
STATUS_NOTE_MAX_LENGTH = 5_000


class Goal(models.Model):
    """A Ziel of a Handlungsfeld, optionally citing the charta paragraph it comes from."""

    action_field = models.ForeignKey(
        ActionField, on_delete=models.PROTECT, related_name="goals", verbose_name=_("Handlungsfeld")
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    indicator = models.TextField(
        _("Indikator"),
        blank=True,
        max_length=INDICATOR_MAX_LENGTH,
        validators=[MaxLengthValidator(INDICATOR_MAX_LENGTH)],
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("Verantwortliche Organisation"),
    )
    target_date = models.DateField(
        _("Zieldatum"), null=True, blank=True, validators=[validate_date_range]
    )
    source_revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_by_goals",
        verbose_name=_("Zitierte Revision"),
    )
    source_paragraph = models.CharField(_("Zitierter Absatz"), max_length=80, blank=True)
    state = models.CharField(
        _("Veröffentlichung"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments = GenericRelation(Comment)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["action_field__number", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:goal", kwargs={"pk": self.pk})


class Measure(models.Model):
    """A Maßnahme that carries out a goal; its status comes from its latest status update."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="measures", verbose_name=_("Ziel")
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("Verantwortliche Organisation"),
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("Verantwortliche Personen"),
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("Arbeitsgruppe"),
    )
    start_date = models.DateField(
        _("Beginn"), null=True, blank=True, validators=[validate_date_range]
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True, validators=[validate_date_range])
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("Hängt ab von"),
    )
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    # Denormalised from the latest StatusUpdate, written only by the reporting service.
    status = models.CharField(
        _("Umsetzungsstand"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNED,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt (%)"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    last_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(
        _("Veröffentlichung"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments = GenericRelation(Comment)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["goal__action_field__number", "goal_id", "id"]
        permissions = [("report_status", _("Kann den Umsetzungsstand der Maßnahme berichten"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="measures_measure_progress_max_100"
            )
        ]
        indexes = [models.Index(fields=["deadline", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", kwargs={"pk": self.pk})


class MeasureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("Benutzerrecht an Maßnahme")
        verbose_name_plural = _("Benutzerrechte an Maßnahmen")


class MeasureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("Gruppenrecht an Maßnahme")
        verbose_name_plural = _("Gruppenrechte an Maßnahmen")


class StatusUpdate(models.Model):
    """An append-only progress report on a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(
        _("Umsetzungsstand"), max_length=20, choices=ImplementationStatus.choices
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(
        _("Bericht"),
        blank=True,
        max_length=STATUS_NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(STATUS_NOTE_MAX_LENGTH)],
    )
    note_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="status_updates",
        verbose_name=_("Autor*in"),
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    # Set once, by the acknowledgement service; the report itself stays as written.
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bestätigt von"),
    )
    acknowledged_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("An die Koordination gemeldet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Statusbericht")
        verbose_name_plural = _("Statusberichte")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="measures_statusupdate_progress_max_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_status_display()} ({self.progress} %)"


class MeasureParty(models.Model):
    """An organisation responsible for a measure: the lead (its owner) or a partner."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Federführung")
        PARTNER = "partner", _("Partnerorganisation")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measure_parties"
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("Beteiligte Organisation")
        verbose_name_plural = _("Beteiligte Organisationen")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation"], name="measures_party_unique_organisation"
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=models.Q(role="lead"),
                name="measures_party_single_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Milestone(models.Model):
    """A dated step of a measure; done with who and when."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_date = models.DateField(_("Fällig am"), validators=[validate_date_range])
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Erledigt von"),
    )

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ReminderLog(models.Model):
    """One deadline reminder per measure and period, so that reminders are sent once."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Fristerinnerung")
        verbose_name_plural = _("Fristerinnerungen")
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="measures_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period}"


# Indicators, reporting periods, snapshots --------------------------------------------------

INDICATOR_NOTE_MAX_LENGTH = 1_000
VALUE_DIGITS, VALUE_PLACES = 16, 3


class Indicator(models.Model):
    """A measurable figure of a goal, with a baseline and a target."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("steigend (mehr ist besser)")
        DECREASE = "decrease", _("fallend (weniger ist besser)")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("Ziel")
    )
    title = models.CharField(_("Titel"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_date = models.DateField(_("Stand des Ausgangswerts"), validators=[validate_date_range])
    target_value = models.DecimalField(
        _("Zielwert"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    target_date = models.DateField(_("Zieldatum"), validators=[validate_date_range])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["goal_id", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:goal", kwargs={"pk": self.goal_id}) + f"#indikator-{self.pk}"

    @property
    def line(self) -> Line:
        return Line(
            direction=self.direction,
            baseline_value=self.baseline_value,
            baseline_date=self.baseline_date,
            target_value=self.target_value,
            target_date=self.target_date,
        )

    @property
    def reading(self) -> Reading:
        """Latest value, expected value and status, from the (prefetched) values."""
        if not hasattr(self, "_reading"):
            self._reading = read(self.line, ((v.date, v.value) for v in self.values.all()))
        return self._reading


class IndicatorValue(models.Model):
    """An append-only measurement of an indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("Stichtag"), validators=[validate_date_range])
    value = models.DecimalField(_("Wert"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    note = models.TextField(
        _("Anmerkung"),
        blank=True,
        max_length=INDICATOR_NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(INDICATOR_NOTE_MAX_LENGTH)],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="indicator_values",
        verbose_name=_("Autor*in"),
    )
    created_at = models.DateTimeField(_("Erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Indikatorwert")
        verbose_name_plural = _("Indikatorwerte")
        ordering = ["indicator_id", "date", "id"]
        indexes = [models.Index(fields=["indicator", "date"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.date}: {self.value}"


class ReportingPeriod(models.Model):
    """A Berichtszeitraum, e.g. up to a congress; closing it freezes a snapshot."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        CLOSED = "closed", _("abgeschlossen")

    title = models.CharField(_("Titel"), max_length=200)
    start = models.DateField(_("Beginn"), validators=[validate_date_range])
    end = models.DateField(_("Ende"), validators=[validate_date_range])
    state = models.CharField(
        _("Zustand"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    closed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Berichtszeitraum")
        verbose_name_plural = _("Berichtszeiträume")
        ordering = ["end", "id"]
        permissions = [("manage_periods", _("Kann Berichtszeiträume anlegen und abschließen"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="measures_period_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:period", kwargs={"pk": self.pk})


class PeriodSnapshot(models.Model):
    """The frozen figures of a closed period: canonical JSON bytes and their SHA-256.

    Written once when the period closes and never changed; reopening and closing again adds
    a new snapshot and keeps the old ones.
    """

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("Fassung"))
    content = models.BinaryField(_("Inhalt"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("Eingefroren am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Stichtagsstand")
        verbose_name_plural = _("Stichtagsstände")
        ordering = ["period_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="measures_snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.number} {self.sha256[:12]}"
