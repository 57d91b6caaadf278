from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartaConfig(AppConfig):
    name = "charta"
    verbose_name = _("Charta")

    def ready(self) -> None:
        from django.contrib.auth.models import Group
        from django.urls import reverse
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from accounts import privacy
        from accounts.models import Membership, User
        from comments import targets
        from core import caching
        from core.caching import (
            grant_readers,
            group_grant_readers,
            membership_readers,
            reader_tags_of_groups,
        )

        from . import permissions, selectors, services
        from .models import (
            ActionField,
            ActionFieldGroupObjectPermission,
            ActionFieldUserObjectPermission,
            Charta,
            EditingPresence,
            Revision,
            Section,
            Suggestion,
        )

        # Names of the fields and the edition: every page shows them.
        caching.invalidate_on_change(ActionField, Charta)
        caching.invalidate_on_change(
            Section, tags=lambda section: selectors.field_change_tags(section.action_field_id)
        )
        caching.invalidate_on_change(
            Revision,
            tags=lambda revision: selectors.field_change_tags(
                Section.objects.filter(pk=revision.section_id)
                .values_list("action_field_id", flat=True)
                .first()
            ),
        )
        # Suggestions show on the section's page and in its API answers.
        caching.invalidate_on_change(
            Suggestion,
            tags=lambda suggestion: selectors.field_change_tags(
                Section.objects.filter(pk=suggestion.section_id)
                .values_list("action_field_id", flat=True)
                .first()
            ),
        )
        # Who may see what: only the readers concerned lose their cached API copies.
        caching.invalidate_on_change(
            ActionFieldUserObjectPermission,
            UserObjectPermission,
            tags=lambda row: [caching.reader_tag(row.user_id)],
        )
        caching.invalidate_on_change(
            ActionFieldGroupObjectPermission,
            GroupObjectPermission,
            tags=lambda row: reader_tags_of_groups([row.group_id]),
        )
        caching.invalidate_on_change(User.groups.through, tags=membership_readers)
        caching.invalidate_on_change(User.user_permissions.through, tags=grant_readers)
        caching.invalidate_on_change(Group.permissions.through, tags=group_grant_readers)
        # Memberships show on the partner pages.
        caching.invalidate_on_change(Membership)

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

        # Who had which section open in the editor: short-lived, gone with the account.
        privacy.register_exporter(
            "editing_presence",
            lambda user: [
                {
                    "section": p.section.title,
                    "since": p.since.isoformat(),
                    "seen_at": p.seen_at.isoformat(),
                }
                for p in EditingPresence.objects.filter(user=user).select_related("section")
            ],
        )
        privacy.register_eraser(lambda user: EditingPresence.objects.filter(user=user).delete())

        privacy.register_exporter(
            "suggestions",
            lambda user: [
                {
                    "section": s.section.title,
                    "revision": s.base_revision,
                    "quote": s.quote,
                    "replacement": s.replacement,
                    "reason": s.reason,
                    "state": s.state,
                    "created_at": s.created_at.isoformat(),
                }
                for s in Suggestion.objects.filter(author=user).select_related("section")
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
                moderators=permissions.moderators,
                moderates_anywhere=permissions.moderates_anywhere,
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
                revision_url=lambda section, number: reverse(
                    "charta:revision", kwargs={"pk": section.pk, "number": number}
                ),
            )
        )
