from django.urls import path

from . import views

app_name = "charta"

urlpatterns = [
    path("", views.charta_document, name="document"),
    path("abschnitt/<int:pk>/", views.section_detail, name="section"),
    path("abschnitt/<int:pk>/bearbeiten/", views.section_edit, name="section_edit"),
    path("abschnitt/<int:pk>/aktion/", views.section_transition, name="section_transition"),
    path("abschnitt/<int:pk>/folgen/", views.section_follow, name="section_follow"),
    path("abschnitt/<int:pk>/verlauf/", views.section_history, name="section_history"),
    path("abschnitt/<int:pk>/vergleich/", views.section_diff, name="section_diff"),
    path(
        "abschnitt/<int:pk>/vorschlaege/",
        views.section_suggestions,
        name="section_suggestions",
    ),
    path(
        "abschnitt/<int:pk>/vorschlaege/neu/",
        views.suggestion_create,
        name="suggestion_create",
    ),
    path(
        "abschnitt/<int:pk>/vorschlaege/uebernehmen/",
        views.suggestions_accept,
        name="suggestions_accept",
    ),
    path("vorschlag/<int:pk>/ablehnen/", views.suggestion_reject, name="suggestion_reject"),
    path(
        "abschnitt/<int:pk>/revision/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
]
