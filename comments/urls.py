from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("", views.comment_create, name="create"),
    path("<int:pk>/status/", views.comment_state, name="state"),
    path("<int:pk>/bearbeiten/", views.comment_edit, name="edit"),
    path("<int:pk>/melden/", views.comment_report, name="report"),
    path("<int:pk>/ausblenden/", views.comment_hide, name="hide"),
    path("<int:pk>/zurueckweisen/", views.comment_dismiss, name="dismiss"),
    path("<int:pk>/einblenden/", views.comment_restore, name="restore"),
    path("moderation/", views.moderation_queue, name="moderation"),
]
