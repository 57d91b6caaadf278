from django.urls import path

from core.caching import public_page

from . import views

app_name = "portal"

urlpatterns = [
    path("fortschritt/", public_page(views.dashboard_page), name="dashboard"),
    path("partner/", public_page(views.organisation_list), name="organisations"),
    path("partner/<slug:slug>/", public_page(views.organisation_detail), name="organisation"),
]
