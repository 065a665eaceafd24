from __future__ import annotations

import secrets

from django import forms

from tenants.forms import email_field, password_field, validate_new_password
from tenants.roles import Role
from tenants.workspace.models import ApiKey
from tenants.workspace.outbox import EVENT_TYPES

ROLE_CHOICES = [(Role.MEMBER, "Member"), (Role.ADMIN, "Admin"), (Role.OWNER, "Owner")]


class InviteForm(forms.Form):
    email = email_field(label="Email")
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.MEMBER)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class AcceptInvitationForm(forms.Form):
    password = password_field(label="Choose a password")

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        validate_new_password(self, "password", email=self.email)
        return cleaned


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=ApiKey._meta.get_field("name").max_length or 80)
    # One-time value: a reloaded (re-posted) form doesn't make a second key.
    nonce = forms.CharField(
        max_length=64,
        min_length=16,
        widget=forms.HiddenInput,
        initial=lambda: secrets.token_urlsafe(24),
    )
    scope = forms.ChoiceField(choices=ApiKey.Scope.choices, initial=ApiKey.Scope.READ)
    expires_in_days = forms.TypedChoiceField(
        label="Expires",
        choices=[("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")],
        coerce=int,
        empty_value=None,
        required=False,
    )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label="Endpoint URL", max_length=500, assume_scheme="https")
    description = forms.CharField(max_length=120, required=False)
    events = forms.MultipleChoiceField(
        choices=list(EVENT_TYPES.items()), widget=forms.CheckboxSelectMultiple
    )
