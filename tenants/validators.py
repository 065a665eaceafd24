"""Input rules: what a tenant may be called, which schema that name maps to, which names and
passwords are acceptable."""

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError

from tenants import conf, errors

SUBDOMAIN_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


def schema_name_for(subdomain: str) -> str:
    """`acme-co` → `t_acme_co`. Injective, because subdomains never contain underscores."""
    return conf.schema_prefix() + subdomain.replace("-", "_")


def validate_subdomain_format(subdomain: str) -> None:
    if not SUBDOMAIN_RE.match(subdomain) or "--" in subdomain:
        raise ValidationError(errors.SUBDOMAIN_FORMAT, code="format")


def validate_subdomain_not_reserved(subdomain: str) -> None:
    if subdomain in conf.reserved_subdomains():
        raise ValidationError(errors.SUBDOMAIN_RESERVED, code="reserved")


# Line and paragraph separators count as control characters here: they break email headers
# and log lines just like CR/LF.
_UNPRINTABLE = {"Cc", "Zl", "Zp"}


def validate_display_name(value: str) -> None:
    """Names shown in pages, email subjects and logs: printable characters only."""
    if any(unicodedata.category(ch) in _UNPRINTABLE for ch in value):
        raise ValidationError(errors.NAME_CONTROL_CHARACTERS, code="control_characters")


class EmailSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check (the email, first and last name), plus the whole part of the
    email before the "@": Django splits the email on punctuation, so "margarethe.oberhuber"
    would pass for margarethe.oberhuber@example.com. Users sign in by email, so no attribute
    called "username" is ever mentioned."""

    def __init__(self, max_similarity: float = 0.7) -> None:
        super().__init__(user_attributes=("email", "first_name", "last_name"),
                         max_similarity=max_similarity)  # fmt: skip

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        local = str(getattr(user, "email", "") or "").split("@", 1)[0].lower()
        if len(local) < 3:
            return
        if SequenceMatcher(a=password.lower(), b=local).quick_ratio() >= self.max_similarity:
            raise ValidationError(errors.PASSWORD_LIKE_EMAIL, code="password_too_similar")
