"""Subdomain rules: what a tenant may be called and which schema that name maps to."""

import re
import unicodedata

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
