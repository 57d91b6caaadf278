from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. Logs in with username or e-mail address."""

    email = models.EmailField(_("E-Mail-Adresse"), blank=True)

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
    description = models.TextField(_("Beschreibung"), blank=True)
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
    description = models.TextField(_("Beschreibung"), blank=True)
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
