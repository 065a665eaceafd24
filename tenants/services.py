"""Writes to tenancy: signup, the public tenant, and the login handoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from billing.services import subscription_start_trial
from tenants import conf, errors
from tenants.directory import account_index_add
from tenants.models import Domain, LoginHandoff, Tenant
from tenants.provisioning import schema_provision
from tenants.selectors import subdomain_is_taken
from tenants.validators import schema_name_for

logger = logging.getLogger(__name__)
HANDOFF_SALT = "awan.tenants.handoff"


class SubdomainTaken(Exception):
    message = errors.SUBDOMAIN_TAKEN


@dataclass(frozen=True)
class SignupResult:
    tenant: Tenant
    owner_id: int
    handoff_token: str


def tenant_create(*, name: str, subdomain: str) -> Tenant:
    """Create a tenant row, its primary domain and its migrated schema, all or nothing.

    Must run inside a transaction (tenant_signup opens one). Two callers racing for one
    subdomain serialize on the unique index: the loser gets SubdomainTaken after the winner
    commits, and its rollback takes its half-built rows and schema with it.
    """
    schema_name = schema_name_for(subdomain)
    if subdomain_is_taken(subdomain=subdomain, schema_name=schema_name):
        raise SubdomainTaken()
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(name=name, subdomain=subdomain, schema_name=schema_name)
            Domain.objects.create(
                domain=f"{subdomain}.{conf.base_domain()}", tenant=tenant, is_primary=True
            )
    except IntegrityError as exc:
        raise SubdomainTaken() from exc
    schema_provision(tenant=tenant)
    return tenant


def tenant_signup(*, name: str, subdomain: str, owner_email: str, password: str) -> SignupResult:
    """Signup: tenant + domain + schema + owner user + login handoff, in one transaction."""
    from tenants.tasks import tenant_send_welcome_email

    with transaction.atomic():
        tenant = tenant_create(name=name, subdomain=subdomain)
        with schema_context(tenant.schema_name):
            owner = get_user_model().objects.create_user(
                username=owner_email.lower(),
                email=owner_email.lower(),
                password=password,
                is_staff=True,
                is_superuser=True,
            )
        account_index_add(tenant=tenant, email=owner.email)
        subscription_start_trial(tenant=tenant)
        token = handoff_create(tenant=tenant, user=owner)
        transaction.on_commit(
            lambda: tenant_send_welcome_email.delay(
                schema_name=tenant.schema_name, user_id=owner.pk
            )
        )
    logger.info("tenant signed up schema=%s subdomain=%s", tenant.schema_name, subdomain)
    return SignupResult(tenant=tenant, owner_id=owner.pk, handoff_token=token)


def handoff_create(*, tenant: Tenant, user: AbstractBaseUser) -> str:
    handoff = LoginHandoff.objects.create(tenant=tenant, user_id=user.pk)
    return signing.dumps(str(handoff.id), salt=HANDOFF_SALT, compress=False)


def handoff_redeem(*, tenant: Tenant, token: str) -> int | None:
    """The user id the token logs in on `tenant`'s host, or None. Each token works once,
    within HANDOFF_MAX_AGE_SECONDS, and only on the tenant it was issued for."""
    try:
        handoff_id = signing.loads(token, salt=HANDOFF_SALT, max_age=conf.handoff_max_age())
    except signing.BadSignature:
        return None
    now = timezone.now()
    claimed = LoginHandoff.objects.filter(
        id=handoff_id,
        tenant=tenant,
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
