"""A tenant's team: its users live in its own schema. The owner adds and removes members;
the plan's `max_members` caps the team size, checked in billing's one locked place."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from billing.services import plan_limit_hold
from tenants import errors
from tenants.db import current_tenant
from tenants.directory import account_index_add, account_index_remove
from tenants.roles import Perm, user_can


def member_list() -> QuerySet[User]:
    return get_user_model().objects.filter(is_active=True).order_by("-is_superuser", "email")


def member_seats_hold() -> None:
    """Inside a transaction: raise PlanLimitReached unless one more member fits the plan, and
    keep any concurrent add waiting until this transaction ends."""
    plan_limit_hold(tenant=current_tenant(), limit="max_members", count=member_list().count)


def member_add(*, email: str, password: str, actor: AbstractBaseUser) -> User:
    """Create a member in the current schema; raises ValidationError or PlanLimitReached."""
    if not user_can(actor, Perm.MANAGE_TEAM):
        raise PermissionError(errors.MEMBERS_OWNER_ONLY)
    email = email.strip().lower()
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(username=email).exists():
            raise ValidationError(errors.MEMBER_EXISTS)
        member_seats_hold()
        password_validation.validate_password(
            password, user=users.model(username=email, email=email)
        )
        user = users.create_user(username=email, email=email, password=password)
        account_index_add(tenant=current_tenant(), email=email)
        return user


def member_remove(*, member_id: int, actor: AbstractBaseUser) -> None:
    if not user_can(actor, Perm.MANAGE_TEAM):
        raise PermissionError(errors.MEMBERS_OWNER_ONLY)
    if member_id == actor.pk:
        raise ValidationError(errors.MEMBER_CANNOT_REMOVE_SELF)
    with transaction.atomic():
        member = get_user_model().objects.filter(pk=member_id, is_superuser=False).first()
        if member is None:
            return
        member.delete()
        account_index_remove(tenant=current_tenant(), email=member.email)
