from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# How much people may write about an organisation or a working group, defined here once:
# the admin's forms take it from the field, full_clean() from the validator.
DESCRIPTION_MAX_LENGTH = 5_000


class User(AbstractUser):
    """A person with an account. Logs in with username or e-mail address."""

    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # Set when the person deleted their account: the row stays as the author of history.
    is_anonymised = models.BooleanField(_("Anonymisiert"), default=False, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        ordering = ["username"]
        permissions = [("assign_roles", _("Kann Rollen vergeben und entziehen"))]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message=_("Diese E-Mail-Adresse wird bereits verwendet."),
            )
        ]

    def __str__(self) -> str:
        if self.is_anonymised:
            return str(_("gelöschtes Konto"))
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Organisation(models.Model):
    """A partner of the ITAS consortium."""

    class Kind(models.TextChoices):
        CHAMBER = "chamber", _("Kammer")
        UNION = "union", _("Gewerkschaft")
        COMPANY = "company", _("Unternehmen")
        UNIVERSITY = "university", _("Hochschule / Forschung")
        NETWORK = "network", _("Netzwerk / Verband")
        EDUCATION = "education", _("Bildungseinrichtung")
        DEVELOPMENT = "development", _("Wirtschaftsförderung")
        PUBLIC = "public", _("Öffentliche Verwaltung")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40)
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("Website"), blank=True)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    is_lead = models.BooleanField(_("Konsortialführer"), default=False)
    members = models.ManyToManyField(
        User, through="Membership", related_name="organisations", verbose_name=_("Mitglieder")
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_lead"],
                condition=models.Q(is_lead=True),
                name="accounts_organisation_single_lead",
                violation_error_message=_("Es kann nur einen Konsortialführer geben."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user belongs to a partner organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("Funktion"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class WorkingGroup(models.Model):
    """A working group; its auth group carries the object permissions of all its members."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="working_group", editable=False
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Federführende Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
    )

    class Meta:
        verbose_name = _("Arbeitsgruppe")
        verbose_name_plural = _("Arbeitsgruppen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who changed what, when and from where. Written by services; never edited."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Anmeldung")
        LOGIN_FAILED = "login_failed", _("Fehlgeschlagene Anmeldung")
        LOGOUT = "logout", _("Abmeldung")
        ROLE_GRANTED = "role_granted", _("Rolle vergeben")
        ROLE_REVOKED = "role_revoked", _("Rolle entzogen")
        REVISION_SAVED = "revision_saved", _("Revision gespeichert")
        TRANSITION = "transition", _("Arbeitsschritt")
        PUBLISHED = "published", _("Veröffentlicht")
        COMMENT_HIDDEN = "comment_hidden", _("Kommentar ausgeblendet")
        STATUS_REPORTED = "status_reported", _("Statusbericht")
        GOAL_SAVED = "goal_saved", _("Ziel gespeichert")
        MEASURE_SAVED = "measure_saved", _("Maßnahme gespeichert")
        ACCOUNT_DELETED = "account_deleted", _("Konto gelöscht (anonymisiert)")
        DATA_EXPORTED = "data_exported", _("Daten exportiert")
        COMMENT_WRITTEN = "comment_written", _("Kommentar geschrieben")
        COMMENT_EDITED = "comment_edited", _("Kommentar bearbeitet")
        COMMENT_STATE_CHANGED = "comment_state", _("Kommentar erledigt oder geöffnet")
        COMMENT_REPORTED = "comment_reported", _("Kommentar gemeldet")
        PREFERENCES_SAVED = "preferences_saved", _("Benachrichtigungs-Einstellungen gespeichert")
        DIGEST_SENT = "digest_sent", _("Sammel-E-Mail versendet")
        REMINDER_SENT = "reminder_sent", _("Fristerinnerung versendet")
        TOKEN_CREATED = "token_created", _("API-Token ausgestellt")
        TOKEN_REVOKED = "token_revoked", _("API-Token widerrufen")
        MILESTONE_SAVED = "milestone_saved", _("Meilenstein gespeichert")
        GOAL_DELETED = "goal_deleted", _("Ziel gelöscht")
        ACCOUNT_UNLOCKED = "account_unlocked", _("Anmeldesperre aufgehoben")
        SUGGESTION_MADE = "suggestion_made", _("Änderungsvorschlag gemacht")
        SUGGESTION_ACCEPTED = "suggestion_accepted", _("Änderungsvorschlag übernommen")
        SUGGESTION_REJECTED = "suggestion_rejected", _("Änderungsvorschlag abgelehnt")
        COMMENT_RESTORED = "comment_restored", _("Kommentar wieder eingeblendet")
        REPORT_DISMISSED = "report_dismissed", _("Meldung zurückgewiesen")
        PERSON_INVITED = "person_invited", _("Person eingeladen")
        INVITATION_ACCEPTED = "invitation_accepted", _("Einladung angenommen")
        PASSWORD_CHANGED = "password_changed", _("Passwort geändert")
        PASSWORD_RESET_REQUESTED = "password_reset", _("Passwort-Zurücksetzen angefordert")

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("Wer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept when the account is later anonymised or deleted.
    actor_name = models.CharField(_("Wer (Name)"), max_length=150, blank=True)
    action = models.CharField(_("Was"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("Objektart"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    details = models.JSONField(_("Einzelheiten"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("Von wo"), null=True, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()}"
