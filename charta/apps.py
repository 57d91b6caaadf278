from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartaConfig(AppConfig):
    name = "charta"
    verbose_name = _("Charta")

    def ready(self) -> None:
        from django.contrib.auth.models import Group
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from accounts import privacy
        from accounts.models import Membership, User

        from . import caching, permissions, targets
        from .models import (
            ActionField,
            ActionFieldGroupObjectPermission,
            ActionFieldUserObjectPermission,
            Charta,
            Comment,
            Notification,
            NotificationPreference,
            Revision,
            Section,
        )

        caching.invalidate_on_change(ActionField, Charta, Section, Revision)
        # Cached API reads are per user: any change of who may see what invalidates them.
        caching.invalidate_on_change(
            ActionFieldUserObjectPermission,
            ActionFieldGroupObjectPermission,
            UserObjectPermission,
            GroupObjectPermission,
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
            Membership,
        )

        privacy.register_exporter(
            "revisions",
            lambda user: [
                {
                    "section": r.section.title,
                    "revision": r.number,
                    "message": r.message,
                    "created_at": r.created_at.isoformat(),
                    "body": r.body,
                }
                for r in Revision.objects.filter(author=user).select_related("section")
            ],
        )
        privacy.register_exporter(
            "comments",
            lambda user: [
                {
                    "target": f"{c.content_type.model}:{c.object_id}",
                    "created_at": c.created_at.isoformat(),
                    "state": c.state,
                    "body": c.body,
                }
                for c in Comment.objects.filter(author=user).select_related("content_type")
            ],
        )
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

        targets.register(
            targets.Target(
                kind="section",
                model=Section,
                action_field_id=lambda section: section.action_field_id,
                visible_to=permissions.sections_visible_to,
            )
        )
