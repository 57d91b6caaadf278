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
        from comments import targets
        from core import caching

        from . import permissions, selectors, services
        from .models import (
            ActionField,
            ActionFieldGroupObjectPermission,
            ActionFieldUserObjectPermission,
            Charta,
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

        # Comments live in the Handlungsfelder: the field's permissions decide who may
        # read, write and moderate them, on sections as on goals and measures.
        targets.register_policy(
            targets.Policy(
                read_filter=permissions.draft_filter,
                may_read=permissions.can_read_drafts,
                may_comment=permissions.can_comment,
                may_resolve=permissions.can_resolve_comments,
                may_moderate=permissions.can_moderate,
            )
        )
        targets.register(
            targets.Target(
                kind="section",
                model=Section,
                scope=lambda section: section.action_field_id,
                visible_to=permissions.sections_visible_to,
                anchorable=selectors.section_anchorable,
                on_comment=services.notify_section_comment,
            )
        )
