from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Ziele und Maßnahmen")

    def ready(self) -> None:
        from charta import targets

        from . import permissions
        from .models import Goal, Measure

        targets.register(
            targets.Target(
                kind="goal",
                model=Goal,
                action_field_id=lambda goal: goal.action_field_id,
                visible_to=permissions.goals_visible_to,
            )
        )
        targets.register(
            targets.Target(
                kind="measure",
                model=Measure,
                action_field_id=lambda measure: measure.goal.action_field_id,
                visible_to=lambda user: permissions.measures_visible_to(user).select_related(
                    "goal"
                ),
            )
        )
