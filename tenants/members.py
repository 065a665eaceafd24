"""A tenant's team: its users live in its own schema. The owner adds and removes members;
the plan's `max_members` caps the team size."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from billing.services import plan_check_limit
from tenants import errors
from tenants.db import current_tenant


def member_list() -> QuerySet[User]:
    return get_user_model().objects.filter(is_active=True).order_by("-is_superuser", "email")


def member_add(*, email: str, password: str, actor: AbstractBaseUser) -> User:
    """Create a member in the current schema; raises ValidationError or PlanLimitReached."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionError(errors.MEMBERS_OWNER_ONLY)
    email = email.strip().lower()
    users = get_user_model().objects
    with transaction.atomic():
        plan_check_limit(
            tenant=current_tenant(), limit="max_members", current=member_list().count()
        )
        if users.filter(username=email).exists():
            raise ValidationError(errors.MEMBER_EXISTS)
        password_validation.validate_password(
            password, user=users.model(username=email, email=email)
        )
        return users.create_user(username=email, email=email, password=password)


def member_remove(*, member_id: int, actor: AbstractBaseUser) -> None:
    if not getattr(actor, "is_superuser", False):
        raise PermissionError(errors.MEMBERS_OWNER_ONLY)
    if member_id == actor.pk:
        raise ValidationError(errors.MEMBER_CANNOT_REMOVE_SELF)
    get_user_model().objects.filter(pk=member_id, is_superuser=False).delete()
