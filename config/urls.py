"""The URLs of every app, wired together; the apps know nothing of this module."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.health import healthz
from config.language import switch_language
from portal import views as portal_views

admin.site.site_header = _("ITAS-Charta – Verwaltung")
admin.site.site_title = _("ITAS-Charta")
admin.site.index_title = _("Rollen, Partner und Protokoll")

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("konto/", include("accounts.urls")),
    path("charta/", include("charta.urls")),
    path("kommentare/", include("comments.urls")),
    path("handlungsfelder/<slug:slug>/", portal_views.action_field_page, name="field"),
    path("suche/", portal_views.search_page, name="search"),
    path("bericht/", portal_views.progress_report_page, name="progress_report"),
    path("bericht.pdf", portal_views.progress_report_pdf, name="progress_report_pdf"),
    path("massnahmen/", include("measures.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
    path("offene-daten/", include("portal.opendata.urls")),
    path("", include("portal.urls")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("sprache/<str:code>/", switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("datenschutz/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
