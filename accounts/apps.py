from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konten und Organisationen")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit  # noqa: F401  (connects the login signal receivers)
        from .roles import sync_role_groups

        # Every app: the permissions of charta and measures exist only after their own pass.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
