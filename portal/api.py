"""The portal part of the API: what reads across the domains for the requester."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated

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


class MyTasksView(GenericAPIView):
    """The requester's open tasks, most urgent first within each kind; each names where it is
    done (``url``). A task disappears as soon as it is done."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer

    @extend_schema(responses=TaskSerializer(many=True))
    def get(self, request):
        tasks = worklist.tasks_for(request.user)
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)
