from __future__ import annotations

from rest_framework import serializers

from core_app.forms import TEXT_MAX_LENGTH
from core_app.models import Project, Task


class ProjectSerializer(serializers.ModelSerializer):
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, default=""
    )
    open_tasks = serializers.IntegerField(source="open_count", read_only=True, default=0)
    done_tasks = serializers.IntegerField(source="done_count", read_only=True, default=0)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "open_tasks", "done_tasks", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]


class TaskSerializer(serializers.ModelSerializer):
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, default=""
    )
    done = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = Task
        fields = ["id", "project", "title", "notes", "done", "completed_at", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]

    def get_fields(self) -> dict:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["project"].read_only = True  # a task stays in its project
        return fields


class FeaturesSerializer(serializers.Serializer):
    channel = serializers.CharField()
    features = serializers.DictField(child=serializers.BooleanField())


class InsightsDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    created = serializers.IntegerField()
    completed = serializers.IntegerField()


class InsightsSerializer(serializers.Serializer):
    days = InsightsDaySerializer(many=True)
