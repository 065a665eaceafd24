"""Over-long input is a form error, never a database error: every form in the kit, fed its
maximum + 1 in each field, answers 4xx with a message, and nothing is written.

`FORMS` lists every form a person can submit; `test_every_form_class_caps_its_text_fields`
guards the form classes themselves, so a new form without limits fails here first.
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
from dataclasses import dataclass, field

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD
from tests.factories import ProjectFactory, TaskFactory

EMAIL_MAX, NAME_MAX, SUBDOMAIN_MAX, PASSWORD_MAX, TEXT_MAX = 150, 100, 40, 128, 10_000


def too_long(kind: str, limit: int) -> str:
    if kind == "url":
        start = "https://example.com/"
        return start + "a" * (limit + 1 - len(start))
    if kind == "email":
        domain = "@example.test"
        return "a" * (limit + 1 - len(domain)) + domain
    return "a" * (limit + 1)


@dataclass(frozen=True)
class FormCase:
    name: str
    host: str  # "public" or "tenant"
    url: str
    valid: dict[str, str]
    limits: dict[str, tuple[str, int]]  # field → (kind, max length)
    logged_in: bool = True
    extra: dict = field(default_factory=dict)


def cases() -> list[FormCase]:
    pw = {"kind": "text"}
    del pw
    return [
        FormCase(
            "signup",
            "public",
            "/signup/",
            {
                "organization_name": "Long Co",
                "subdomain": "long-co",
                "email": "o@long.test",
                "password": PASSWORD,
            },
            {
                "organization_name": ("text", NAME_MAX),
                "subdomain": ("text", SUBDOMAIN_MAX),
                "email": ("email", EMAIL_MAX),
                "password": ("text", PASSWORD_MAX),
            },
            logged_in=False,
        ),
        FormCase(
            "find workspace",
            "public",
            "/login/",
            {"email": "o@long.test"},
            {"email": ("email", EMAIL_MAX)},
            logged_in=False,
        ),
        FormCase(
            "tenant login",
            "tenant",
            "/login/",
            {"username": "owner@acme.test", "password": PASSWORD},
            {"username": ("email", EMAIL_MAX), "password": ("text", PASSWORD_MAX)},
            logged_in=False,
        ),
        FormCase(
            "password reset",
            "tenant",
            "/password-reset/",
            {"email": "owner@acme.test"},
            {"email": ("email", EMAIL_MAX)},
            logged_in=False,
        ),
        FormCase(
            "choose a new password",
            "tenant",
            "RESET_CONFIRM",
            {"new_password1": "a-new-long-password-9", "new_password2": "a-new-long-password-9"},
            {"new_password1": ("text", PASSWORD_MAX), "new_password2": ("text", PASSWORD_MAX)},
            logged_in=False,
        ),
        FormCase(
            "team: invite",
            "tenant",
            "/members/invite/",
            {"email": "new@acme.test", "role": "member"},
            {"email": ("email", EMAIL_MAX)},
        ),
        FormCase(
            "new API key",
            "tenant",
            "/developers/api-keys/",
            {"name": "Zapier", "scope": "read", "expires_in_days": ""},
            {"name": ("text", 80)},
        ),
        FormCase(
            "new webhook endpoint",
            "tenant",
            "/developers/webhooks/",
            {"url": "http://127.0.0.1:9/hook", "description": "x", "events": "project.created"},
            {"url": ("url", 500), "description": ("text", 120)},
        ),
        FormCase(
            "new project",
            "tenant",
            "/projects/new/",
            {"name": "A project", "description": "About it"},
            {"name": ("text", 120), "description": ("text", TEXT_MAX)},
        ),
        FormCase(
            "edit project",
            "tenant",
            "/projects/{project}/edit/",
            {"name": "A project", "description": "About it"},
            {"name": ("text", 120), "description": ("text", TEXT_MAX)},
        ),
        FormCase(
            "add a task",
            "tenant",
            "/projects/{project}/tasks/",
            {"title": "A task", "notes": "Notes"},
            {"title": ("text", 200), "notes": ("text", TEXT_MAX)},
        ),
        FormCase(
            "edit a task",
            "tenant",
            "/projects/{project}/tasks/{task}/edit/",
            {"title": "A task", "notes": "Notes"},
            {"title": ("text", 200), "notes": ("text", TEXT_MAX)},
        ),
        FormCase(
            "rename the workspace",
            "tenant",
            "/settings/name/",
            {"name": "Acme Two"},
            {"name": ("text", NAME_MAX)},
        ),
        FormCase(
            "change your password",
            "tenant",
            "/settings/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-password-9",
                "new_password2": "a-new-long-password-9",
            },
            {
                "old_password": ("text", PASSWORD_MAX),
                "new_password1": ("text", PASSWORD_MAX),
                "new_password2": ("text", PASSWORD_MAX),
            },
        ),
        FormCase(
            "tenant admin: add user",
            "tenant",
            "/admin/auth/user/add/",
            {"email": "adm@acme.test", "password1": PASSWORD, "password2": PASSWORD},
            {
                "email": ("email", EMAIL_MAX),
                "password1": ("text", PASSWORD_MAX),
                "password2": ("text", PASSWORD_MAX),
            },
        ),
    ]


CASES = [(case, name) for case in cases() for name in case.limits]


def _client(case: FormCase, acme, public_client):
    if case.host == "public":
        return public_client
    return acme.client(logged_in=case.logged_in)


def _url(case: FormCase, acme, client) -> str:
    if case.url == "RESET_CONFIRM":
        with schema_context(acme.schema):
            user = get_user_model().objects.get(pk=acme.owner_id)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
        # The first GET swaps the token into the session and redirects to the form.
        return client.get(f"/reset/{uid}/{token}/")["Location"]
    with schema_context(acme.schema):
        project = ProjectFactory()
        task = TaskFactory(project=project)
    return case.url.format(project=project.pk, task=task.pk)


def _snapshot(acme) -> tuple:
    from core_app.models import Project, Task
    from tenants.models import Tenant

    with schema_context(acme.schema):
        users = sorted(get_user_model().objects.values_list("email", "password"))
        projects = sorted(Project.objects.values_list("name", "description"))
        tasks = sorted(Task.objects.values_list("title", "notes"))
    return users, projects, tasks, sorted(Tenant.objects.values_list("name", "subdomain"))


@pytest.mark.parametrize(("case", "field_name"), CASES, ids=[f"{c.name}:{f}" for c, f in CASES])
def test_each_field_at_its_limit_plus_one_is_a_4xx_with_a_message(
    acme, public_client, case, field_name
):
    client = _client(case, acme, public_client)
    url = _url(case, acme, client)
    before = _snapshot(acme)
    kind, limit = case.limits[field_name]
    data = {**case.valid, field_name: too_long(kind, limit)}

    response = client.post(url, data)

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = html.unescape(response.content.decode())
    assert re.search(r"at most \d+ characters|Enter a valid (email address|URL)", body), body[
        -2000:
    ]
    assert _snapshot(acme) == before


FORM_MODULES = [
    "tenants.forms",
    "tenants.auth",
    "core_app.forms",
    "tenants.admin",
    "tenants.workspace.forms",
]
UNCAPPED_OK = {"ChoiceField", "BooleanField", "TypedChoiceField", "ModelChoiceField"}


def test_every_form_class_caps_its_text_fields(acme):
    with schema_context(acme.schema):
        user = get_user_model().objects.get(pk=acme.owner_id)
        found = []
        for module_name in FORM_MODULES:
            module = importlib.import_module(module_name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if not issubclass(cls, forms.BaseForm) or cls.__module__ != module_name:
                    continue
                form = _instantiate(cls, user)
                if form is None:
                    continue
                for name, form_field in form.fields.items():
                    if isinstance(form_field, forms.CharField) and form_field.max_length is None:
                        found.append(f"{cls.__name__}.{name}")
    assert found == []


def _instantiate(cls, user):
    for args in ((), (user,), (None,)):
        try:
            return cls(*args)
        except TypeError:
            continue
    return None
