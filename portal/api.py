"""The portal part of the API: what reads across the domains for the requester."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from core.api import Pagination

from . import worklist


class TaskSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], help_text="review, revise, publish, reply, …")
    title = serializers.CharField()
    url = serializers.CharField()
    target = serializers.CharField(help_text="`section:ID`, `measure:ID`, `comment:ID` …")
    since = serializers.DateTimeField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    context = serializers.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [kind.code for kind in worklist.kinds()]


class TaskPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TaskSerializer(many=True)


class MyTasksView(APIView):
    """The requester's open tasks, most urgent first within each kind; each names where it is
    done (``url``). A task disappears as soon as it is done."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TaskPageSerializer)
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(worklist.tasks_for(request.user), request, view=self)
        return paginator.get_paginated_response(TaskSerializer(page, many=True).data)
