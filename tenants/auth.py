"""Signing in, on tenant hosts and on the operators' admin: throttled, enumeration-free, and
redirecting only where it should.

- Wrong passwords are counted per client address and per account (the email typed, whether
  or not it exists) in Redis; past the limit every attempt is refused with the same message,
  even a correct one, until the window ends. A success clears the account's counter.
- Password-reset requests are counted the same way, and answered the same way whether or not
  the email has an account.
- In path routing mode every tenant shares one origin, so a login's `next=` must stay inside
  the tenant's own `/t/<subdomain>/` prefix.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse

from tenants import conf, errors
from tenants.ratelimit import (
    client_ip,
    ratelimit_clear,
    ratelimit_count,
    ratelimit_exceeded,
)
from tenants.routing import absolute_url

THROTTLED = "throttled"
# Passwords are hashed, not stored, but hashing a megabyte costs a request: cap every password
# field in the kit (tenants.forms uses the same number).
PASSWORD_MAX_LENGTH = 128


def cap_password_fields(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        field.max_length = PASSWORD_MAX_LENGTH  # type: ignore[attr-defined]
        field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


def _login_limits(request: HttpRequest | None, account: str) -> list[tuple[str, str, Any]]:
    ip = client_ip(request) if request is not None else "unknown"
    return [
        ("login-ip", ip, conf.rate("login_failures_per_ip")),
        ("login-account", account, conf.rate("login_failures_per_account")),
    ]


class ThrottledLoginMixin:
    """For AuthenticationForm subclasses: refuse once too many attempts failed."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        account = str(self.cleaned_data.get("username") or "").strip().lower()
        limits = _login_limits(self.request, account)
        if any(ratelimit_exceeded(scope=s, key=k, rate=r) for s, k, r in limits):
            raise ValidationError(errors.LOGIN_THROTTLED, code=THROTTLED)
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            for scope, key, rate in limits:
                ratelimit_count(scope=scope, key=key, rate=rate)
            raise
        scope, key, rate = limits[1]
        ratelimit_clear(scope=scope, key=key, rate=rate)
        return cleaned


class EmailLoginForm(ThrottledLoginMixin, AuthenticationForm):
    """Tenant login by email; usernames are stored lowercased at signup."""

    username = UsernameField(
        label="Email",
        max_length=150,
        widget=forms.EmailInput(attrs={"autofocus": True, "maxlength": 150}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": errors.LOGIN_INVALID,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self, "password")

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """Both admin sites' login (operators on the public host, owners on a tenant's), throttled
    like the tenant login."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self, "password")


class CappedSetPasswordForm(SetPasswordForm):
    """The password-reset "choose a new password" form, with capped fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self, "new_password1", "new_password2")


class CappedPasswordChangeForm(PasswordChangeForm):
    """Settings' "change your password" form, with capped fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self, "old_password", "new_password1", "new_password2")


def safe_next_url(request: HttpRequest, url: str) -> str:
    """`url` if it stays inside the current tenant's path prefix (path mode), else ""."""
    if not url or conf.routing_mode() != "path":
        return url
    prefix = get_script_prefix()
    if prefix == "/":
        # The public site (operators): never into a tenant's prefix.
        return "" if url.startswith("/t/") else url
    return url if url.startswith(prefix) else ""


class TenantLoginView(auth_views.LoginView):
    authentication_form = EmailLoginForm

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return safe_next_url(self.request, super().get_redirect_url())

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 429 if form.has_error(NON_FIELD_ERRORS, THROTTLED) else 400
        return response


class TenantPasswordResetForm(PasswordResetForm):
    """Reset links are built by tenants.routing (scheme and port as the client sees them,
    the tenant's path prefix in path mode), not from the raw Host header."""

    email = forms.EmailField(label="Email", max_length=150, widget=forms.EmailInput())
    _request: HttpRequest | None = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._request = kwargs.get("request")
        super().save(*args, **kwargs)

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict,
                  *args: Any, **kwargs: Any) -> None:  # fmt: skip
        if self._request is not None:
            path = reverse(
                "password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
            context["reset_url"] = absolute_url(self._request, path)
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class TenantPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = CappedSetPasswordForm

    def form_invalid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class TenantPasswordResetView(auth_views.PasswordResetView):
    form_class = TenantPasswordResetForm

    def form_invalid(self, form: PasswordResetForm) -> HttpResponse:
        response = super().form_invalid(form)
        if response.status_code == 200:
            response.status_code = 400
        return response

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        limits = [
            ("reset-ip", client_ip(self.request), conf.rate("password_reset_per_ip")),
            ("reset-account", email, conf.rate("password_reset_per_account")),
        ]
        # Count first, then decide: the same answer whether or not the email has an account.
        within = [ratelimit_count(scope=s, key=k, rate=r) for s, k, r in limits]
        if not all(within):
            form.add_error(None, errors.PASSWORD_RESET_THROTTLED)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
