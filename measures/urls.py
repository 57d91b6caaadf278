from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("ziele/<int:pk>/", views.goal_detail, name="goal"),
]
