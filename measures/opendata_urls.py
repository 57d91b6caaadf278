from django.urls import path

from . import opendata

app_name = "opendata"

urlpatterns = [
    path("", opendata.overview, name="overview"),
    path("ziele.csv", opendata.goals_export, {"fmt": "csv"}, name="goals_csv"),
    path("ziele.xlsx", opendata.goals_export, {"fmt": "xlsx"}, name="goals_xlsx"),
    path("massnahmen.csv", opendata.measures_export, {"fmt": "csv"}, name="measures_csv"),
    path("massnahmen.xlsx", opendata.measures_export, {"fmt": "xlsx"}, name="measures_xlsx"),
    path("fristen.ics", opendata.deadlines, name="deadlines"),
    path("fristen/<slug:slug>.ics", opendata.deadlines, name="field_deadlines"),
    path("neuigkeiten.atom", opendata.news, name="news"),
]
