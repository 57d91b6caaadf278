from django.urls import path

from core.caching import public_page

from . import people, views

app_name = "portal"

urlpatterns = [
    path("aufgaben/", views.my_tasks, name="tasks"),
    path("personen/", people.people_page, name="people"),
    path("personen/einladen/", people.invite_page, name="invite"),
    path("personen/<int:pk>/", people.person_page, name="person"),
    path("fortschritt/", public_page(views.dashboard_page), name="dashboard"),
    path("partner/", public_page(views.organisation_list), name="organisations"),
    path("partner/<slug:slug>/", public_page(views.organisation_detail), name="organisation"),
]
