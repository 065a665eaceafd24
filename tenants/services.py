"""Writes to tenancy: signup, the public tenant, and the login handoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from billing.services import subscription_start_trial
from config import kv
from tenants import conf, errors
from tenants.directory import account_index_add
from tenants.models import Domain, LoginHandoff, PendingOwner, Tenant
from tenants.selectors import subdomain_is_taken
from tenants.validators import schema_name_for

logger = logging.getLogger(__name__)
HANDOFF_SALT = "awan.tenants.handoff"


class SubdomainTaken(Exception):
    message = errors.SUBDOMAIN_TAKEN


@dataclass(frozen=True)
class SignupResult:
    tenant: Tenant
    owner_id: int | None  # None while the tenant is provisioning (the worker creates the owner)
    handoff_token: str

    @property
    def ready(self) -> bool:
        return self.tenant.status == Tenant.Status.ACTIVE


def _tenant_rows(*, name: str, subdomain: str) -> Tenant:
    """The tenant and its primary domain, `provisioning` until it has a schema. Two callers
    racing for one subdomain serialize on the unique index: the loser gets SubdomainTaken."""
    schema_name = schema_name_for(subdomain)
    if subdomain_is_taken(subdomain=subdomain, schema_name=schema_name):
        raise SubdomainTaken()
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(
                name=name,
                subdomain=subdomain,
                schema_name=schema_name,
                status=Tenant.Status.PROVISIONING,
            )
            Domain.objects.create(
                domain=f"{subdomain}.{conf.base_domain()}", tenant=tenant, is_primary=True
            )
    except IntegrityError as exc:
        raise SubdomainTaken() from exc
    return tenant


def owner_create(*, tenant: Tenant, email: str, password_hash: str) -> AbstractBaseUser:
    """The workspace's first user (its owner), in the tenant's schema, from a hashed password."""
    from tenants.workspace.models import Membership, Role

    with schema_context(tenant.schema_name):
        owner = get_user_model()(
            username=email, email=email, password=password_hash, is_staff=True, is_superuser=True
        )
        owner.save()
        Membership.objects.create(user=owner, role=Role.OWNER)
    account_index_add(tenant=tenant, email=email)
    return owner


def tenant_signup(*, name: str, subdomain: str, owner_email: str, password: str) -> SignupResult:
    """Signup: tenant + domain + schema + owner + trial + login handoff, in one transaction.

    The schema is a pre-built spare claimed from the pool (tenants.fleet.pool), so no migration
    runs here. With the pool empty the tenant starts `provisioning`: the worker builds its
    schema and creates the owner (tenant_provision), and the handoff link shows a progress page
    until then. The password is hashed before the transaction, so the slow part holds no lock.
    """
    from tenants.fleet.pool import pool_claim
    from tenants.tasks import schema_pool_refill, tenant_provision, tenant_send_welcome_email

    email = owner_email.lower()
    password_hash = make_password(password)
    with transaction.atomic():
        tenant = _tenant_rows(name=name, subdomain=subdomain)
        owner_id: int | None = None
        if pool_claim(schema_name=tenant.schema_name):
            owner_id = owner_create(tenant=tenant, email=email, password_hash=password_hash).pk
            Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE)
            tenant.status = Tenant.Status.ACTIVE
            transaction.on_commit(
                lambda: tenant_send_welcome_email.delay(
                    schema_name=tenant.schema_name, user_id=owner_id
                )
            )
        else:
            PendingOwner.objects.create(tenant=tenant, email=email, password_hash=password_hash)
            transaction.on_commit(lambda: tenant_provision.delay(schema_name=tenant.schema_name))
        subscription_start_trial(tenant=tenant)
        token = handoff_create(tenant=tenant, user_id=owner_id)
        transaction.on_commit(schema_pool_refill.delay)
    logger.info(
        "tenant signed up schema=%s subdomain=%s from_pool=%s",
        tenant.schema_name,
        subdomain,
        owner_id is not None,
    )
    return SignupResult(tenant=tenant, owner_id=owner_id, handoff_token=token)


def tenant_provision_complete(*, schema_name: str) -> Tenant | None:
    """Finish a `provisioning` tenant: build its schema if it has none yet, create its owner,
    point its sign-in link at the owner, and make it active. Idempotent (the worker's task may
    run twice); returns the tenant, or None if there is nothing to do."""
    from tenants.provisioning import schema_build
    from tenants.selectors import schema_exists
    from tenants.tasks import tenant_send_welcome_email

    tenant = Tenant.objects.filter(schema_name=schema_name).first()
    if tenant is None or tenant.status != Tenant.Status.PROVISIONING:
        return None
    if not schema_exists(schema_name=schema_name):
        provisioning_progress_set(schema_name=schema_name, stage="building")
        schema_build(schema_name=schema_name)
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.status != Tenant.Status.PROVISIONING:
            return None
        pending = PendingOwner.objects.filter(tenant=tenant).first()
        if pending is not None:
            owner = owner_create(
                tenant=tenant, email=pending.email, password_hash=pending.password_hash
            )
            # The sign-in link's clock starts now that there is something to sign in to.
            LoginHandoff.objects.filter(tenant=tenant, user_id__isnull=True).update(
                user_id=owner.pk, created=timezone.now()
            )
            pending.delete()
            owner_id = owner.pk
            transaction.on_commit(
                lambda: tenant_send_welcome_email.delay(schema_name=schema_name, user_id=owner_id)
            )
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE)
        tenant.status = Tenant.Status.ACTIVE
    provisioning_progress_set(schema_name=schema_name, stage="ready")
    logger.info("tenant provisioned by the worker schema=%s", schema_name)
    return tenant


PROVISIONING_STAGES = {
    "queued": "Waiting for a worker",
    "building": "Creating your workspace's database",
    "ready": "Ready",
}


def provisioning_progress_set(*, schema_name: str, stage: str) -> None:
    kv.client().set(f"awan:provisioning:{schema_name}", stage, ex=3600)


def provisioning_progress(*, schema_name: str) -> str:
    value = kv.client().get(f"awan:provisioning:{schema_name}")
    if not value:
        return "queued"
    return value.decode() if isinstance(value, bytes) else str(value)


def handoff_create(*, tenant: Tenant, user_id: int | None) -> str:
    handoff = LoginHandoff.objects.create(tenant=tenant, user_id=user_id)
    return signing.dumps(str(handoff.id), salt=HANDOFF_SALT, compress=False)


def handoff_redeem(*, tenant: Tenant, token: str) -> int | None:
    """The user id the token logs in on `tenant`'s host, or None. Each token works once,
    within HANDOFF_MAX_AGE_SECONDS, and only on the tenant it was issued for."""
    # The signature may be as old as a provisioning wait; the row's `created` (reset when the
    # workspace became ready) holds the real, short window.
    max_age = conf.handoff_max_age() + conf.provisioning_grace_seconds()
    try:
        handoff_id = signing.loads(token, salt=HANDOFF_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    now = timezone.now()
    claimed = LoginHandoff.objects.filter(
        id=handoff_id,
        tenant=tenant,
        user_id__isnull=False,
        used_at__isnull=True,
        created__gte=now - timedelta(seconds=conf.handoff_max_age()),
    ).update(used_at=now)
    if claimed != 1:
        return None
    return LoginHandoff.objects.get(id=handoff_id).user_id


def tenant_public_ensure() -> Tenant:
    """The public tenant and its domain (BASE_DOMAIN), created once; safe to run every deploy."""
    tenant, _ = Tenant.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Awan (public)", "subdomain": "public"},
    )
    Domain.objects.get_or_create(
        domain=conf.base_domain(), defaults={"tenant": tenant, "is_primary": True}
    )
    return tenant


def tenant_rename(*, tenant: Tenant, name: str, actor: str) -> Tenant:
    """The owner renames their workspace (the subdomain and schema stay)."""
    Tenant.objects.filter(pk=tenant.pk).update(name=name)
    logger.info("tenant renamed schema=%s by %s", tenant.schema_name, actor)
    tenant.name = name
    return tenant
