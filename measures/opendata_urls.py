from django.urls import path

from charta.caching import public_page

from . import opendata

app_name = "opendata"

urlpatterns = [
    path("", public_page(opendata.overview), name="overview"),
    path("ziele.csv", public_page(opendata.goals_export), {"fmt": "csv"}, name="goals_csv"),
    path("ziele.xlsx", public_page(opendata.goals_export), {"fmt": "xlsx"}, name="goals_xlsx"),
    path(
        "massnahmen.csv", public_page(opendata.measures_export), {"fmt": "csv"}, name="measures_csv"
    ),
    path(
        "massnahmen.xlsx",
        public_page(opendata.measures_export),
        {"fmt": "xlsx"},
        name="measures_xlsx",
    ),
    path("fristen.ics", public_page(opendata.deadlines), name="deadlines"),
    path("fristen/<slug:slug>.ics", public_page(opendata.deadlines), name="field_deadlines"),
    path("neuigkeiten.atom", public_page(opendata.news), name="news"),
]
