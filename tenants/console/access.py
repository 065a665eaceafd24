"""Who may use the operators' console: active staff users of the public schema who passed a
TOTP second factor in this session (CONSOLE_REQUIRE_2FA; always on in production).

The console's URLs exist in the public site's URLconf only, so no tenant host (and no
/t/<subdomain>/ path) can reach them; tenant users live in tenant schemas and can't sign in
here. Signing in is throttled like every login; codes are throttled by django-otp (a growing
delay after each wrong one) and by a per-operator limit; POSTs are CSRF-checked and
rate-limited per operator (CONSOLE_ACTION_RATE_LIMIT).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import conf
from tenants.auth import AdminLoginForm
from tenants.ratelimit import ratelimit_hit, retry_after_seconds

CODE_RATE = "10/15m"  # second-factor attempts per operator, on top of django-otp's own delay


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=8,
        label="6-digit code from your authenticator app",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("console:dashboard")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_operator(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def second_factor_passed(request: HttpRequest) -> bool:
    if not conf.console_requires_2fa():
        return True
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def operator_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed-in staff, second factor passed; POSTs limited per operator."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                f"{reverse('console:login')}?{urlencode({'next': request.get_full_path()})}"
            )
        if not is_operator(user):
            return render(request, "console/refused.html", status=403)
        if not second_factor_passed(request):
            step = "console:verify" if has_confirmed_device(user) else "console:setup"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(step)}?{query}")
        if request.method == "POST":
            rate = conf.console_action_rate()
            if not ratelimit_hit(
                scope="console-action",
                key=str(user.pk),
                limit=rate.limit,
                window_seconds=rate.window,
            ):
                response = render(request, "console/throttled.html", status=429)
                response["Retry-After"] = str(retry_after_seconds(rate))
                return response
        return view(request, *args, **kwargs)

    return guarded


@require_http_methods(["GET", "POST"])
def console_login(request: HttpRequest) -> HttpResponse:
    form = AdminLoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            auth_login(request, form.get_user())
            if not conf.console_requires_2fa() and not has_confirmed_device(form.get_user()):
                return HttpResponseRedirect(_next(request))
            step = "console:verify" if has_confirmed_device(form.get_user()) else "console:setup"
            return HttpResponseRedirect(_with_next(step, request))
        return render(
            request, "console/login.html", {"form": form, "next": _next(request)}, status=400
        )
    return render(request, "console/login.html", {"form": form, "next": _next(request)})


CODE_WAIT = "After a wrong code, wait a few seconds before the next one (it doubles each time)."


def _devices_locked(user: Any) -> bool:
    """django-otp waits longer after each wrong code; say so instead of "wrong code"."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    return all(not device.verify_is_allowed()[0] for device in devices)


def _code_allowed(request: HttpRequest) -> bool:
    from tenants.ratelimit import Rate

    rate = Rate.parse(CODE_RATE)
    return ratelimit_hit(
        scope="console-code", key=str(request.user.pk), limit=rate.limit, window_seconds=rate.window
    )


@require_http_methods(["GET", "POST"])
def console_verify(request: HttpRequest) -> HttpResponse:
    """Second step: a code from the operator's authenticator app."""
    if not is_operator(request.user):
        return HttpResponseRedirect(_with_next("console:login", request))
    if not has_confirmed_device(request.user):
        return HttpResponseRedirect(_with_next("console:setup", request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not _code_allowed(request):
            form.add_error(None, "Too many codes tried. Wait a few minutes, then try again.")
            status = 429
        elif _devices_locked(request.user):
            form.add_error(None, CODE_WAIT)
            status = 429
        elif form.is_valid():
            device = django_otp.match_token(request.user, form.cleaned_data["code"])
            if device is not None:
                django_otp.login(request, device)
                return HttpResponseRedirect(_next(request))
            form.add_error("code", "That code is not right (or has expired). Try the current one.")
    context = {"form": form, "next": _next(request)}
    return render(request, "console/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def console_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: add an authenticator app (scan the QR code), confirm with a code."""
    if not is_operator(request.user):
        return HttpResponseRedirect(_with_next("console:login", request))
    if has_confirmed_device(request.user):
        return HttpResponseRedirect(_with_next("console:verify", request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="console", confirmed=False)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not _code_allowed(request):
            form.add_error(None, "Too many codes tried. Wait a few minutes, then try again.")
            status = 429
        elif not device.verify_is_allowed()[0]:
            form.add_error(None, CODE_WAIT)
            status = 429
        elif form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                django_otp.login(request, device)
                return HttpResponseRedirect(_next(request))
            form.add_error("code", "That code is not right: check the app's clock, then retry.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next(request),
        "qr_svg": mark_safe(qr.svg_inline(scale=4, dark="#111827")),
        "secret": _base32(device),
    }
    return render(request, "console/setup.html", context, status=status)


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
def console_logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("console:login")
