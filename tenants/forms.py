"""Forms for the tenancy pages. Every field that lands in a column is capped at that column's
length (read from the model), so over-long input is a form error, never a database error."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from tenants import errors
from tenants.auth import PASSWORD_MAX_LENGTH
from tenants.models import Tenant
from tenants.selectors import subdomain_is_taken
from tenants.validators import (
    schema_name_for,
    validate_display_name,
    validate_subdomain_format,
    validate_subdomain_not_reserved,
)

# Users sign in by email, stored as their username: the username column bounds both.
EMAIL_MAX_LENGTH = User._meta.get_field("username").max_length or 150
NAME_MAX_LENGTH = Tenant._meta.get_field("name").max_length or 100
SUBDOMAIN_MAX_LENGTH = Tenant._meta.get_field("subdomain").max_length or 40


def email_field(**kwargs: object) -> forms.EmailField:
    return forms.EmailField(max_length=EMAIL_MAX_LENGTH, **kwargs)  # type: ignore[arg-type]


def password_field(**kwargs: object) -> forms.CharField:
    return forms.CharField(
        widget=forms.PasswordInput,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        **kwargs,  # type: ignore[arg-type]
    )


def validate_new_password(form: forms.BaseForm, field: str, *, email: str) -> None:
    """Run the password validators against a user with this email (no username in sight)."""
    password = form.cleaned_data.get(field)
    if not password:
        return
    try:
        password_validation.validate_password(password, user=get_user_model()(email=email))
    except ValidationError as exc:
        form.add_error(field, exc)


class WorkspaceNameField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            max_length=NAME_MAX_LENGTH,
            validators=[validate_display_name],
            error_messages={"required": errors.ORGANIZATION_NAME_REQUIRED},
            **kwargs,  # type: ignore[arg-type]
        )


class SignupForm(forms.Form):
    organization_name = WorkspaceNameField()
    subdomain = forms.CharField(max_length=SUBDOMAIN_MAX_LENGTH, help_text="e.g. acme")
    email = email_field()
    password = password_field()

    def clean_subdomain(self) -> str:
        # People type "UpperCo"; hosts are case-insensitive, so take it as "upperco".
        subdomain = self.cleaned_data["subdomain"].strip().lower()
        validate_subdomain_format(subdomain)
        validate_subdomain_not_reserved(subdomain)
        if subdomain_is_taken(subdomain=subdomain, schema_name=schema_name_for(subdomain)):
            raise ValidationError(errors.SUBDOMAIN_TAKEN, code="taken")
        return subdomain

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        validate_new_password(self, "password", email=cleaned.get("email", ""))
        return cleaned


class WorkspaceRenameForm(forms.Form):
    name = WorkspaceNameField(label="Workspace name")


class FindWorkspaceForm(forms.Form):
    email = email_field(label="Your email")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


REASON_MAX_LENGTH = 300


class ReasonField(forms.CharField):
    def __init__(self, *, required: bool = True, **kwargs: object) -> None:
        super().__init__(
            max_length=REASON_MAX_LENGTH,
            required=required,
            validators=[validate_display_name],
            error_messages={"required": errors.LIFECYCLE_REASON_REQUIRED},
            **kwargs,  # type: ignore[arg-type]
        )


class DeletionRequestForm(forms.Form):
    """The owner deletes their workspace: type its address, give the password."""

    confirm = forms.CharField(max_length=SUBDOMAIN_MAX_LENGTH, label="Type the workspace address")
    password = password_field(label="Your password")
    reason = ReasonField(required=False, label="Why are you leaving? (optional)")

    def __init__(self, *args: object, tenant: Tenant, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.tenant, self.user = tenant, user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.tenant.subdomain:
            raise ValidationError(
                errors.DELETION_CONFIRM_MISMATCH.format(subdomain=self.tenant.subdomain)
            )
        return value

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(errors.PASSWORD_INCORRECT)
        return password
