from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("", views.comment_create, name="create"),
    path("<int:pk>/status/", views.comment_state, name="state"),
    path("<int:pk>/bearbeiten/", views.comment_edit, name="edit"),
    path("<int:pk>/melden/", views.comment_report, name="report"),
    path("<int:pk>/ausblenden/", views.comment_hide, name="hide"),
]
