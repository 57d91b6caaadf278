from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Ziele und Maßnahmen")

    def ready(self) -> None:
        from accounts import privacy
        from accounts.models import Organisation, User, WorkingGroup
        from charta.selectors import field_change_tags
        from comments import targets
        from core import caching

        from . import permissions, services  # noqa: F401  (services registers its notices)
        from .models import (
            Goal,
            Measure,
            MeasureGroupObjectPermission,
            MeasureParty,
            MeasureUserObjectPermission,
            Milestone,
            StatusUpdate,
        )

        def field_of_measure(measure_id) -> int | None:
            return (
                Measure.objects.filter(pk=measure_id)
                .values_list("goal__action_field_id", flat=True)
                .first()
            )

        def measure_tags(measure):
            return field_change_tags(
                Goal.objects.filter(pk=measure.goal_id)
                .values_list("action_field_id", flat=True)
                .first()
            )

        caching.invalidate_on_change(
            Goal,
            tags=lambda goal: field_change_tags(goal.action_field_id),
            moves=("action_field",),
        )
        caching.invalidate_on_change(Measure, tags=measure_tags, moves=("goal",))
        caching.invalidate_on_change(
            MeasureParty,
            Milestone,
            StatusUpdate,
            tags=lambda row: field_change_tags(field_of_measure(row.measure_id)),
        )

        def responsibility_tags(instance, model, pk_set):
            # Responsible people are named on the measure and report on it.
            if isinstance(instance, Measure):
                measures, users = [instance.pk], list(pk_set or ())
            else:
                measures, users = list(pk_set or ()), [instance.pk]
            fields = (
                Measure.objects.filter(pk__in=measures)
                .values_list("goal__action_field_id", flat=True)
                .distinct()
            )
            return [*field_change_tags(*fields), *(caching.reader_tag(pk) for pk in users)]

        caching.invalidate_on_change(Measure.responsible.through, tags=responsibility_tags)
        # Names of organisations, groups and people (also after anonymisation): every page.
        caching.invalidate_on_change(Organisation, WorkingGroup, User)
        caching.invalidate_on_change(
            MeasureUserObjectPermission, tags=lambda row: [caching.reader_tag(row.user_id)]
        )
        caching.invalidate_on_change(
            MeasureGroupObjectPermission,
            tags=lambda row: caching.reader_tags_of_groups([row.group_id]),
        )

        privacy.register_exporter(
            "status_reports",
            lambda user: [
                {
                    "measure": u.measure.title,
                    "status": u.status,
                    "progress": u.progress,
                    "created_at": u.created_at.isoformat(),
                    "note": u.note,
                }
                for u in StatusUpdate.objects.filter(author=user).select_related("measure")
            ],
        )
        privacy.register_eraser(lambda user: user.responsible_for.clear())

        targets.register(
            targets.Target(
                kind="goal",
                model=Goal,
                scope=lambda goal: goal.action_field_id,
                visible_to=permissions.goals_visible_to,
            )
        )
        targets.register(
            targets.Target(
                kind="measure",
                model=Measure,
                scope=lambda measure: measure.goal.action_field_id,
                visible_to=lambda user: permissions.measures_visible_to(user).select_related(
                    "goal"
                ),
            )
        )
