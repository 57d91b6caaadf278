from django.urls import path

from . import views

app_name = "charta"

urlpatterns = [
    path("", views.charta_document, name="document"),
    path("abschnitt/<int:pk>/", views.section_detail, name="section"),
    path("abschnitt/<int:pk>/bearbeiten/", views.section_edit, name="section_edit"),
    path("abschnitt/<int:pk>/aktion/", views.section_transition, name="section_transition"),
    path("abschnitt/<int:pk>/verlauf/", views.section_history, name="section_history"),
    path("abschnitt/<int:pk>/vergleich/", views.section_diff, name="section_diff"),
    path("kommentare/", views.comment_create, name="comment_create"),
    path("kommentare/<int:pk>/status/", views.comment_state, name="comment_state"),
    path("kommentare/<int:pk>/bearbeiten/", views.comment_edit, name="comment_edit"),
    path(
        "kommentare/<int:pk>/melden/",
        views.comment_moderate,
        {"what": "melden"},
        name="comment_report",
    ),
    path(
        "kommentare/<int:pk>/ausblenden/",
        views.comment_moderate,
        {"what": "ausblenden"},
        name="comment_hide",
    ),
    path(
        "abschnitt/<int:pk>/revision/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
]
