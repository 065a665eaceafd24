from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError

from tenants import errors
from tenants.selectors import subdomain_is_taken
from tenants.validators import (
    schema_name_for,
    validate_subdomain_format,
    validate_subdomain_not_reserved,
)


class SignupForm(forms.Form):
    organization_name = forms.CharField(
        max_length=100,
        error_messages={"required": errors.ORGANIZATION_NAME_REQUIRED},
    )
    subdomain = forms.CharField(max_length=40, min_length=1, help_text="e.g. acme")
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    def clean_organization_name(self) -> str:
        name = self.cleaned_data["organization_name"].strip()
        if not name:
            raise ValidationError(errors.ORGANIZATION_NAME_REQUIRED)
        return name

    def clean_subdomain(self) -> str:
        subdomain = self.cleaned_data["subdomain"].strip()
        validate_subdomain_format(subdomain)
        validate_subdomain_not_reserved(subdomain)
        if subdomain_is_taken(subdomain=subdomain, schema_name=schema_name_for(subdomain)):
            raise ValidationError(errors.SUBDOMAIN_TAKEN, code="taken")
        return subdomain

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            email = cleaned.get("email", "")
            probe = get_user_model()(username=email, email=email)
            try:
                password_validation.validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class EmailLoginForm(AuthenticationForm):
    """Tenant login by email; usernames are stored lowercased at signup."""

    username = UsernameField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password don't match an account in this workspace.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class MemberForm(forms.Form):
    email = forms.EmailField()
    password = forms.CharField(
        widget=forms.PasswordInput, strip=False, help_text="An initial password to share with them."
    )
