from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.health import healthz
from config.language import switch_language
from measures import views as measures_views

admin.site.site_header = _("ITAS-Charta – Verwaltung")
admin.site.site_title = _("ITAS-Charta")
admin.site.index_title = _("Rollen, Partner und Protokoll")

urlpatterns = [
    path("", measures_views.home, name="home"),
    path("konto/", include("accounts.urls")),
    path("charta/", include("charta.urls")),
    path("handlungsfelder/<slug:slug>/", measures_views.action_field_page, name="field"),
    path("suche/", measures_views.search_page, name="search"),
    path("bericht/", measures_views.progress_report, name="report"),
    path("bericht.pdf", measures_views.progress_report_pdf, name="report_pdf"),
    path("massnahmen/", include("measures.urls")),
    path("benachrichtigungen/", include("charta.notification_urls")),
    path("offene-daten/", include("measures.opendata_urls")),
    path("", include("measures.portal_urls")),
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
