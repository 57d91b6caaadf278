from django.urls import path

from core.caching import public_page

from . import views

app_name = "opendata"

urlpatterns = [
    path("", public_page(views.overview), name="overview"),
    path("ziele.csv", public_page(views.goals_export), {"fmt": "csv"}, name="goals_csv"),
    path("ziele.xlsx", public_page(views.goals_export), {"fmt": "xlsx"}, name="goals_xlsx"),
    path("massnahmen.csv", public_page(views.measures_export), {"fmt": "csv"}, name="measures_csv"),
    path(
        "massnahmen.xlsx",
        public_page(views.measures_export),
        {"fmt": "xlsx"},
        name="measures_xlsx",
    ),
    path(
        "indikatoren.csv",
        public_page(views.indicators_export),
        {"fmt": "csv"},
        name="indicators_csv",
    ),
    path(
        "indikatoren.xlsx",
        public_page(views.indicators_export),
        {"fmt": "xlsx"},
        name="indicators_xlsx",
    ),
    path(
        "indikatorwerte.csv",
        public_page(views.indicator_values_export),
        {"fmt": "csv"},
        name="indicator_values_csv",
    ),
    path(
        "indikatorwerte.xlsx",
        public_page(views.indicator_values_export),
        {"fmt": "xlsx"},
        name="indicator_values_xlsx",
    ),
    path("fristen.ics", public_page(views.deadlines), name="deadlines"),
    path("fristen/<slug:slug>.ics", public_page(views.deadlines), name="field_deadlines"),
    path("neuigkeiten.atom", public_page(views.news, vary_on_accept=True), name="news"),
]
