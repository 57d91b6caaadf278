from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Ziele und Maßnahmen")

    def ready(self) -> None:
        from accounts import privacy
        from accounts.models import Organisation, User, WorkingGroup
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

        caching.invalidate_on_change(
            Goal,
            Measure,
            Measure.responsible.through,
            MeasureParty,
            Milestone,
            StatusUpdate,
            Organisation,
            WorkingGroup,
            User,  # names of authors and responsible people, also after anonymisation
            MeasureUserObjectPermission,
            MeasureGroupObjectPermission,
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
