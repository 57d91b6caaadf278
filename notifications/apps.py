from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self) -> None:
        from accounts import privacy

        from .models import Notification, NotificationPreference

        privacy.register_exporter(
            "notifications",
            lambda user: list(
                Notification.objects.filter(recipient=user).values("kind", "title", "created_at")
            ),
        )
        privacy.register_eraser(lambda user: Notification.objects.filter(recipient=user).delete())
        privacy.register_eraser(
            lambda user: NotificationPreference.objects.filter(user=user).delete()
        )
