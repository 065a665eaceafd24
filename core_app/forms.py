"""Product forms: ModelForms, so each field carries its column's limit; free text is capped too,
so a pasted novel is a form error rather than a slow request."""

from django import forms

from core_app.models import Project, Task

TEXT_MAX_LENGTH = 10_000


class ProjectForm(forms.ModelForm):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=TEXT_MAX_LENGTH
    )

    class Meta:
        model = Project
        fields = ("name", "description")


class TaskForm(forms.ModelForm):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=TEXT_MAX_LENGTH
    )

    class Meta:
        model = Task
        fields = ("title", "notes")
