"""States of goals and measures. Nothing here touches the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("Veröffentlicht")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Geplant")
    IN_PROGRESS = "in_progress", _("In Umsetzung")
    DELAYED = "delayed", _("Verzögert")
    DONE = "done", _("Abgeschlossen")
    STOPPED = "stopped", _("Eingestellt")


# A measure in one of these states is finished: it can no longer be overdue.
FINISHED_STATUSES = frozenset({ImplementationStatus.DONE, ImplementationStatus.STOPPED})


class Priority(models.TextChoices):
    HIGH = "high", _("Hoch")
    MEDIUM = "medium", _("Mittel")
    LOW = "low", _("Niedrig")
