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
            Indicator,
            IndicatorValue,
            Measure,
            MeasureGroupObjectPermission,
            MeasureParty,
            MeasureUserObjectPermission,
            Milestone,
            PeriodSnapshot,
            ReportingPeriod,
            StatusUpdate,
        )
        from .selectors import PERIODS_TAG

        def field_of_measure(measure_id) -> int | None:
            return (
                Measure.objects.filter(pk=measure_id)
                .values_list("goal__action_field_id", flat=True)
                .first()
            )

        def field_of_goal(goal_id) -> int | None:
            return Goal.objects.filter(pk=goal_id).values_list("action_field_id", flat=True).first()

        def with_successors(measure_id, own_field_id) -> tuple[str, ...]:
            # A measure's status and dates decide whether its successors are at risk, which
            # their pages (perhaps in other fields) show.
            others = Measure.objects.filter(depends_on=measure_id).values_list(
                "goal__action_field_id", flat=True
            )
            return field_change_tags(own_field_id, *set(others))

        def measure_tags(measure):
            return with_successors(measure.pk, field_of_goal(measure.goal_id))

        caching.invalidate_on_change(
            Goal,
            tags=lambda goal: field_change_tags(goal.action_field_id),
            moves=("action_field",),
        )
        caching.invalidate_on_change(Measure, tags=measure_tags, moves=("goal",))
        caching.invalidate_on_change(
            MeasureParty,
            Milestone,
            tags=lambda row: field_change_tags(field_of_measure(row.measure_id)),
        )
        caching.invalidate_on_change(
            StatusUpdate,
            tags=lambda row: with_successors(row.measure_id, field_of_measure(row.measure_id)),
        )

        caching.invalidate_on_change(
            Indicator, tags=lambda row: field_change_tags(field_of_goal(row.goal_id))
        )
        caching.invalidate_on_change(
            IndicatorValue,
            tags=lambda row: field_change_tags(
                Indicator.objects.filter(pk=row.indicator_id)
                .values_list("goal__action_field_id", flat=True)
                .first()
            ),
        )
        # Periods and their snapshots are shown on the period pages and in the reports.
        caching.invalidate_on_change(
            ReportingPeriod, PeriodSnapshot, tags=lambda row: [PERIODS_TAG]
        )

        def dependency_tags(instance, model, pk_set):
            # A predecessor is named on its successors' pages and the other way round.
            measures = [instance.pk, *(pk_set or ())]
            fields = (
                Measure.objects.filter(pk__in=measures)
                .values_list("goal__action_field_id", flat=True)
                .distinct()
            )
            return field_change_tags(*fields)

        caching.invalidate_on_change(Measure.depends_on.through, tags=dependency_tags)

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
        privacy.register_exporter(
            "indicator_values",
            lambda user: [
                {
                    "indicator": v.indicator.title,
                    "date": v.date.isoformat(),
                    "value": str(v.value),
                    "note": v.note,
                    "created_at": v.created_at.isoformat(),
                }
                for v in IndicatorValue.objects.filter(author=user).select_related("indicator")
            ],
        )
        privacy.register_exporter(
            "acknowledged_reports",
            lambda user: [
                {
                    "measure": u.measure.title,
                    "report_of": u.created_at.isoformat(),
                    "acknowledged_at": u.acknowledged_at.isoformat(),
                }
                for u in StatusUpdate.objects.filter(acknowledged_by=user).select_related("measure")
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
