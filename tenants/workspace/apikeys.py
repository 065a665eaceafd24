"""API keys: `awan_<prefix>_<secret>`, created and revoked by owners and admins, shown once.

Only a SHA-256 of the whole key is stored (the secret is 32 random bytes, so a fast hash is
as good as a slow one here), with its prefix to find it. A key lives in its tenant's schema, so a
key of one tenant presented on another tenant's host is simply not found there: 401, and it can
never select another schema. A key acts as the person who made it, within its scope: `read`
keys can only read, `write` keys can also change things; the person's own role still applies.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.utils import timezone

from tenants import errors
from tenants.roles import Perm, user_can
from tenants.workspace.models import ApiKey

KEY_PREFIX = "awan_"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # "last used" without a write on every request


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def apikey_create(
    *,
    name: str,
    scope: str,
    actor: AbstractBaseUser,
    expires_in_days: int | None = None,
) -> tuple[ApiKey, str]:
    """Returns the key and its raw value, which is never available again."""
    if not user_can(actor, Perm.MANAGE_API_KEYS):
        raise PermissionError(errors.ADMINS_ONLY)
    if scope not in ApiKey.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name.strip(),
        prefix=prefix,
        key_hash=_hash(raw),
        scope=scope,
        created_by_id=actor.pk,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return key, raw


def apikey_revoke(*, key_id: int, actor: AbstractBaseUser) -> None:
    if not user_can(actor, Perm.MANAGE_API_KEYS):
        raise PermissionError(errors.ADMINS_ONLY)
    ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def apikey_authenticate(raw: str) -> tuple[ApiKey, User] | None:
    """The active key this raw value is (in the current tenant's schema) and its person."""
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.select_related("created_by").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw)) or not key.active:
        return None
    user = key.created_by
    if user is None or not user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key, user
