from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartaConfig(AppConfig):
    name = "charta"
    verbose_name = _("Charta")
