"""The API v1: every app's endpoints under /api/v1/, with schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import TokenView, UserTokenView
from charta.api import ActionFieldViewSet, SectionPresenceView, SectionViewSet, SuggestionViewSet
from comments.api import CommentViewSet
from measures.api import (
    GoalViewSet,
    IndicatorViewSet,
    MeasureViewSet,
    MilestoneViewSet,
    ReportingPeriodViewSet,
    StatusUpdateViewSet,
)
from portal.api import MyTasksView

router = DefaultRouter()
router.register("action-fields", ActionFieldViewSet, basename="action-field")
router.register("sections", SectionViewSet, basename="section")
router.register("goals", GoalViewSet, basename="goal")
router.register("measures", MeasureViewSet, basename="measure")
router.register("comments", CommentViewSet, basename="comment")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("status-updates", StatusUpdateViewSet, basename="status-update")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/<str:username>/", UserTokenView.as_view(), name="user-token"),
    path("me/tasks/", MyTasksView.as_view(), name="my-tasks"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("sections/<int:pk>/presence/", SectionPresenceView.as_view(), name="section-presence"),
    path("", include(router.urls)),
]
