from django.urls import path

from core.caching import public_page

from . import people, views

app_name = "portal"

urlpatterns = [
    path("aufgaben/", views.my_tasks, name="tasks"),
    path("personen/", people.people_page, name="people"),
    path("personen/einladen/", people.invite_page, name="invite"),
    path("personen/<int:pk>/", people.person_page, name="person"),
    path("fortschritt/", public_page(views.dashboard_page), name="dashboard"),
    path("berichtszeitraeume/", public_page(views.periods_page), name="periods"),
    path(
        "berichtszeitraeume/vergleich/",
        public_page(views.period_comparison),
        name="period_comparison",
    ),
    path(
        "berichtszeitraeume/vergleich.csv",
        public_page(views.period_comparison_export),
        {"fmt": "csv"},
        name="period_comparison_csv",
    ),
    path(
        "berichtszeitraeume/vergleich.xlsx",
        public_page(views.period_comparison_export),
        {"fmt": "xlsx"},
        name="period_comparison_xlsx",
    ),
    path("berichtszeitraeume/<int:pk>/", public_page(views.period_detail), name="period"),
    path("berichtszeitraeume/<int:pk>/abschliessen/", views.period_close, name="period_close"),
    path("berichtszeitraeume/<int:pk>/oeffnen/", views.period_reopen, name="period_reopen"),
    path("partner/", public_page(views.organisation_list), name="organisations"),
    path("partner/<slug:slug>/", public_page(views.organisation_detail), name="organisation"),
]
