from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartaConfig(AppConfig):
    name = "charta"
    verbose_name = _("Charta")

    def ready(self) -> None:
        from . import permissions, targets
        from .models import Section

        targets.register(
            targets.Target(
                kind="section",
                model=Section,
                action_field_id=lambda section: section.action_field_id,
                visible_to=permissions.sections_visible_to,
            )
        )
