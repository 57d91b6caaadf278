from django.urls import path

from charta.caching import public_page

from . import portal_views

app_name = "portal"

urlpatterns = [
    path("fortschritt/", public_page(portal_views.dashboard_page), name="dashboard"),
    path("partner/", public_page(portal_views.organisation_list), name="organisations"),
    path(
        "partner/<slug:slug>/", public_page(portal_views.organisation_detail), name="organisation"
    ),
]
