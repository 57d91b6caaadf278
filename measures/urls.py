from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("meine/", views.my_measures, name="mine"),
    path("import/", views.status_import, name="import"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.measure_form, name="edit"),
    path("<int:pk>/bericht/", views.status_report_add, name="status_report"),
    path("<int:pk>/meilensteine/", views.milestone_add, name="milestone_add"),
    path("meilensteine/<int:pk>/", views.milestone_toggle, name="milestone_toggle"),
    path("ziele/<int:pk>/", views.goal_detail, name="goal"),
    path("ziele/<int:pk>/bearbeiten/", views.goal_form, name="goal_edit"),
    path("<int:pk>/veroeffentlichen/", views.publish, {"kind": "massnahme"}, name="publish"),
    path("ziele/<int:pk>/veroeffentlichen/", views.publish, {"kind": "ziel"}, name="goal_publish"),
    path("handlungsfeld/<slug:slug>/ziel/neu/", views.goal_form, name="goal_create"),
    path("handlungsfeld/<slug:slug>/neu/", views.measure_form, name="create"),
]
