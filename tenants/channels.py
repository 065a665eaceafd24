"""Release channels: every tenant is on `stable` or `beta`. Every move is recorded."""

from __future__ import annotations

import logging

from django.db import transaction

from tenants import errors
from tenants.flags import REGISTRY
from tenants.models import ChannelChange, Tenant

logger = logging.getLogger(__name__)


class ChannelPinned(Exception):
    message = errors.CHANNEL_PINNED


def _locked(tenant: Tenant) -> Tenant:
    return Tenant.objects.select_for_update().get(pk=tenant.pk)


def _record(row: Tenant, *, to: str, actor: str, reason: str) -> None:
    ChannelChange.objects.create(
        tenant=row,
        from_channel=row.channel,
        to_channel=to,
        pinned=row.channel_pinned,
        actor=actor,
        reason=reason,
    )


def channel_set(*, tenant: Tenant, channel: str, actor: str, reason: str = "") -> Tenant:
    """Move a tenant to `channel`. A tenant pinned to stable can't go to beta, whoever asks:
    an operator lifts the pin first (channel_pin). Moving to the current channel records
    nothing."""
    if channel not in Tenant.Channel.values:
        raise ValueError(errors.CHANNEL_UNKNOWN.format(channel=channel))
    with transaction.atomic():
        row = _locked(tenant)
        if row.channel_pinned and channel == Tenant.Channel.BETA:
            raise ChannelPinned()
        if row.channel != channel:
            _record(row, to=channel, actor=actor, reason=reason)
            Tenant.objects.filter(pk=row.pk).update(channel=channel)
            logger.info(
                "channel changed tenant=%s %s->%s by %s",
                row.schema_name,
                row.channel,
                channel,
                actor,
            )
    tenant.channel = channel
    return tenant


def channel_pin(*, tenant: Tenant, pinned: bool, actor: str, reason: str = "") -> Tenant:
    """Pin to stable (e.g. a regulated customer) or lift the pin. Pinning moves a beta tenant
    back to stable."""
    with transaction.atomic():
        row = _locked(tenant)
        target = Tenant.Channel.STABLE if pinned else row.channel
        if row.channel_pinned != pinned or row.channel != target:
            ChannelChange.objects.create(
                tenant=row,
                from_channel=row.channel,
                to_channel=target,
                pinned=pinned,
                actor=actor,
                reason=reason or ("pinned to stable" if pinned else "unpinned"),
            )
            Tenant.objects.filter(pk=row.pk).update(channel=target, channel_pinned=pinned)
    tenant.channel, tenant.channel_pinned = target, pinned
    return tenant


def feature_override_set(*, tenant: Tenant, key: str, enabled: bool | None, actor: str) -> Tenant:
    """Force a feature on or off for one tenant (None removes the override)."""
    if key not in REGISTRY:
        raise ValueError(f"unknown feature {key!r}")
    with transaction.atomic():
        row = _locked(tenant)
        overrides = dict(row.feature_overrides or {})
        if enabled is None:
            overrides.pop(key, None)
        else:
            overrides[key] = enabled
        Tenant.objects.filter(pk=row.pk).update(feature_overrides=overrides)
    logger.info("feature override tenant=%s %s=%s by %s", tenant.schema_name, key, enabled, actor)
    tenant.feature_overrides = overrides
    return tenant
