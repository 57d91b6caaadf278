from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Kommentare")

    def ready(self) -> None:
        from accounts import privacy

        from . import services  # noqa: F401  (registers the kinds of notice comments send)
        from .models import Comment

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
