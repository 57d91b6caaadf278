from django.urls import path

from . import views
from .workflow import PublicationAction

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("meine/", views.my_measures, name="mine"),
    path("import/", views.status_import, name="import"),
    path(
        "import/vorlage.csv",
        views.status_import_template,
        {"extension": "csv"},
        name="import_template_csv",
    ),
    path(
        "import/vorlage.xlsx",
        views.status_import_template,
        {"extension": "xlsx"},
        name="import_template_xlsx",
    ),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.measure_form, name="edit"),
    path("<int:pk>/bericht/", views.status_report_add, name="status_report"),
    path("<int:pk>/meilensteine/", views.milestone_add, name="milestone_add"),
    path("meilensteine/<int:pk>/", views.milestone_toggle, name="milestone_toggle"),
    path("ziele/<int:pk>/", views.goal_detail, name="goal"),
    path("ziele/<int:goal>/indikator/neu/", views.indicator_form, name="indicator_create"),
    path("indikatoren/<int:pk>/bearbeiten/", views.indicator_form, name="indicator_edit"),
    path("indikatoren/<int:pk>/werte/", views.indicator_value_add, name="indicator_value_add"),
    path(
        "berichte/<int:pk>/bestaetigen/",
        views.status_update_acknowledge,
        name="status_update_acknowledge",
    ),
    path("ziele/<int:pk>/bearbeiten/", views.goal_form, name="goal_edit"),
    path("ziele/<int:pk>/loeschen/", views.goal_delete, name="goal_delete"),
    path(
        "<int:pk>/veroeffentlichen/",
        views.publication,
        {"kind": "massnahme", "action": PublicationAction.PUBLISH},
        name="publish",
    ),
    path(
        "<int:pk>/zurueckziehen/",
        views.publication,
        {"kind": "massnahme", "action": PublicationAction.WITHDRAW},
        name="withdraw",
    ),
    path(
        "ziele/<int:pk>/veroeffentlichen/",
        views.publication,
        {"kind": "ziel", "action": PublicationAction.PUBLISH},
        name="goal_publish",
    ),
    path(
        "ziele/<int:pk>/zurueckziehen/",
        views.publication,
        {"kind": "ziel", "action": PublicationAction.WITHDRAW},
        name="goal_withdraw",
    ),
    path("handlungsfeld/<slug:slug>/ziel/neu/", views.goal_form, name="goal_create"),
    path("handlungsfeld/<slug:slug>/neu/", views.measure_form, name="create"),
]
