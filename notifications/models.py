from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class Notification(models.Model):
    """An entry in a user's inbox; e-mailed at once or in the daily digest by preference."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # One of the registered kinds (see kinds.py).
    kind = models.CharField(_("Art"), max_length=20)
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

    def get_kind_display(self) -> str:
        return str(kinds.label(self.kind))


class NotificationPreference(models.Model):
    """Per user and kind: in the inbox or not, e-mail off, at once or as a daily digest."""

    class Email(models.TextChoices):
        OFF = "off", _("keine E-Mail")
        IMMEDIATE = "immediate", _("sofort per E-Mail")
        DAILY = "daily", _("täglich gesammelt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20)
    in_app = models.BooleanField(_("im Postfach"), default=True)
    email = models.CharField(
        _("E-Mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    class Meta:
        verbose_name = _("Benachrichtigungs-Einstellung")
        verbose_name_plural = _("Benachrichtigungs-Einstellungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class Follow(models.Model):
    """A person follows an object (named by a reference such as ``section:12``) to hear of
    what happens to it. This app knows no domain: the reference is the domain's word."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target = models.CharField(_("Gegenstand"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Folgen")
        verbose_name_plural = _("Gefolgte Gegenstände")
        constraints = [
            models.UniqueConstraint(fields=["user", "target"], name="notifications_follow_unique")
        ]
        indexes = [models.Index(fields=["target"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"
