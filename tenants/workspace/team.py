"""A workspace's team: its users live in its own schema, each with a role (tenants.roles).

People join by invitation: a signed, single-use link that expires after 7 days; the invitee
chooses their own password on the workspace's host, or, if they already have an account here,
just gets the role. The plan's `max_members` counts members *and* pending invitations, checked
in billing's one locked place. A workspace always keeps at least one owner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from billing.services import plan_limit_hold
from tenants import errors
from tenants.db import current_schema_name, current_tenant
from tenants.directory import account_index_add, account_index_remove
from tenants.roles import Perm, Role, role_of, user_can
from tenants.workspace.models import Invitation, Membership
from tenants.workspace.models import Role as StoredRole

INVITATION_DAYS = 7


@dataclass(frozen=True)
class Member:
    id: int
    email: str
    role: Role
    joined: object


def member_list() -> list[Member]:
    users = get_user_model().objects.filter(is_active=True).select_related("membership")
    members = []
    for user in users.order_by("email"):
        membership = getattr(user, "membership", None)
        role = Role(membership.role) if membership else role_of(user)
        members.append(Member(user.pk, user.email, role or Role.MEMBER, user.date_joined))
    order = {Role.OWNER: 0, Role.ADMIN: 1, Role.MEMBER: 2}
    return sorted(members, key=lambda m: (order[m.role], m.email))


def invitations_pending() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def seats_hold(*, excluding: Invitation | None = None) -> None:
    """Inside a transaction: raise PlanLimitReached unless one more person (member or pending
    invitation) fits the plan; concurrent adds wait for this transaction."""
    pending = invitations_pending()
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)

    def count() -> int:
        return get_user_model().objects.filter(is_active=True).count() + pending.count()

    plan_limit_hold(tenant=current_tenant(), limit="max_members", count=count)


def _token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def _check_can_grant(actor: AbstractBaseUser, role: str) -> None:
    if not user_can(actor, Perm.MANAGE_TEAM):
        raise PermissionError(errors.TEAM_ADMINS_ONLY)
    if role == Role.OWNER and not user_can(actor, Perm.MANAGE_OWNERS):
        raise PermissionError(errors.OWNERS_ONLY)
    if role not in Role.__members__.values():
        raise ValidationError(f"Unknown role {role!r}.")


def _send(invitation: Invitation, token: str) -> None:
    from tenants.workspace.tasks import invitation_email_send

    schema_name = current_schema_name()
    transaction.on_commit(
        lambda: invitation_email_send.delay(
            schema_name=schema_name, invitation_id=invitation.pk, token=token
        )
    )


def invitation_create(*, email: str, role: str, actor: AbstractBaseUser) -> Invitation:
    email = email.strip().lower()
    _check_can_grant(actor, role)
    with transaction.atomic():
        existing = get_user_model().objects.filter(username=email, is_active=True).first()
        if existing is not None and role_of(existing) == role:
            raise ValidationError(errors.MEMBER_EXISTS)
        if invitations_pending().filter(email=email).exists():
            raise ValidationError(errors.INVITATION_PENDING)
        if existing is None:
            seats_hold()
        token, token_hash = _token()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            token_hash=token_hash,
            invited_by_id=actor.pk,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        _send(invitation, token)
    return invitation


def invitation_resend(*, invitation_id: int, actor: AbstractBaseUser) -> Invitation:
    """A fresh link (the old one stops working) and a fresh 7 days."""
    with transaction.atomic():
        invitation = invitations_pending().select_for_update().filter(pk=invitation_id).first()
        if invitation is None:
            raise ValidationError(errors.INVITATION_INVALID)
        _check_can_grant(actor, invitation.role)
        token, invitation.token_hash = _token()
        invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
        invitation.sent_at = timezone.now()
        invitation.send_count += 1
        invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "send_count"])
        _send(invitation, token)
    return invitation


def invitation_revoke(*, invitation_id: int, actor: AbstractBaseUser) -> None:
    with transaction.atomic():
        invitation = invitations_pending().select_for_update().filter(pk=invitation_id).first()
        if invitation is None:
            raise ValidationError(errors.INVITATION_INVALID)
        _check_can_grant(actor, invitation.role)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_for_token(*, token: str) -> Invitation | None:
    """The pending invitation this link is for, in this workspace, or None."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return invitations_pending().filter(token_hash=token_hash).first()


def _role_apply(user: User, role: str) -> None:
    """Owners are the superusers of the workspace's own Django admin; others aren't."""
    Membership.objects.update_or_create(user=user, defaults={"role": role})
    owner = role == Role.OWNER
    if user.is_staff != owner or user.is_superuser != owner:
        user.is_staff = user.is_superuser = owner
        user.save(update_fields=["is_staff", "is_superuser"])
    user._awan_role = Role(role)  # type: ignore[attr-defined]


def invitation_accept_new(*, token: str, password: str) -> User:
    """The invitee has no account here: they choose a password and join with the role."""
    with transaction.atomic():
        invitation = _locked_invitation(token)
        users = get_user_model().objects
        if users.filter(username=invitation.email).exists():
            raise ValidationError(errors.MEMBER_EXISTS)
        password_validation.validate_password(password, user=users.model(email=invitation.email))
        seats_hold(excluding=invitation)
        user = users.create(
            username=invitation.email, email=invitation.email, password=make_password(password)
        )
        _role_apply(user, invitation.role)
        account_index_add(tenant=current_tenant(), email=user.email)
        _accepted(invitation, user)
    return user


def invitation_accept_existing(*, token: str, user: User) -> User:
    """The invitee already has an account here (they are signed in as it): they get the role
    (never a lower one than they have)."""
    with transaction.atomic():
        invitation = _locked_invitation(token)
        if user.username != invitation.email:
            raise ValidationError(errors.INVITATION_INVALID)
        rank = {Role.MEMBER: 0, Role.ADMIN: 1, Role.OWNER: 2}
        current = role_of(user) or Role.MEMBER
        if rank[Role(invitation.role)] > rank[current]:
            _role_apply(user, invitation.role)
        _accepted(invitation, user, joined=False)
    return user


def _locked_invitation(token: str) -> Invitation:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    invitation = invitations_pending().select_for_update().filter(token_hash=token_hash).first()
    if invitation is None:
        raise ValidationError(errors.INVITATION_INVALID)
    return invitation


def _accepted(invitation: Invitation, user: User, *, joined: bool = True) -> None:
    from tenants.workspace.outbox import event_record

    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if joined:
        event_record("member.joined", {"id": user.pk, "email": user.email, "role": invitation.role})


def member_add(*, email: str, password: str, actor: AbstractBaseUser, role: str = "member") -> User:
    """Add a member with a password chosen for them: for commands, scripts and tests (people
    join by invitation in the UI)."""
    email = email.strip().lower()
    _check_can_grant(actor, role)
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(username=email).exists():
            raise ValidationError(errors.MEMBER_EXISTS)
        seats_hold()
        password_validation.validate_password(password, user=users.model(email=email))
        user = users.create(username=email, email=email, password=make_password(password))
        _role_apply(user, role)
        account_index_add(tenant=current_tenant(), email=email)
    return user


def _owners_count() -> int:
    return Membership.objects.filter(role=StoredRole.OWNER, user__is_active=True).count()


def _member(member_id: int) -> User:
    user = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if user is None:
        raise ValidationError(errors.MEMBER_NOT_FOUND)
    return user


def member_role_set(*, member_id: int, role: str, actor: AbstractBaseUser) -> User:
    with transaction.atomic():
        Membership.objects.select_for_update().filter(role=StoredRole.OWNER).exists()
        user = _member(member_id)
        current = role_of(user)
        _check_can_grant(actor, role)
        if current == Role.OWNER and not user_can(actor, Perm.MANAGE_OWNERS):
            raise PermissionError(errors.OWNERS_ONLY)
        if current == Role.OWNER and role != Role.OWNER and _owners_count() <= 1:
            raise ValidationError(errors.LAST_OWNER)
        _role_apply(user, role)
    return user


def member_remove(*, member_id: int, actor: AbstractBaseUser) -> None:
    if member_id == actor.pk:
        raise ValidationError(errors.MEMBER_CANNOT_REMOVE_SELF)
    if not user_can(actor, Perm.MANAGE_TEAM):
        raise PermissionError(errors.TEAM_ADMINS_ONLY)
    with transaction.atomic():
        Membership.objects.select_for_update().filter(role=StoredRole.OWNER).exists()
        user = _member(member_id)
        if role_of(user) == Role.OWNER:
            if not user_can(actor, Perm.MANAGE_OWNERS):
                raise PermissionError(errors.OWNERS_ONLY)
            if _owners_count() <= 1:
                raise ValidationError(errors.LAST_OWNER)
        _gone(user)


def member_leave(*, actor: User) -> None:
    """Leave the workspace (the account here is deleted). The last owner can't."""
    with transaction.atomic():
        Membership.objects.select_for_update().filter(role=StoredRole.OWNER).exists()
        if role_of(actor) == Role.OWNER and _owners_count() <= 1:
            raise ValidationError(errors.LAST_OWNER)
        _gone(get_user_model().objects.get(pk=actor.pk))


def _gone(user: User) -> None:
    from tenants.workspace.outbox import event_record

    email, user_id = user.email, user.pk
    user.delete()
    account_index_remove(tenant=current_tenant(), email=email)
    event_record("member.left", {"id": user_id, "email": email})


def ownership_transfer(*, member_id: int, actor: User) -> User:
    """Make another member the owner; the current owner becomes an admin."""
    if not user_can(actor, Perm.MANAGE_OWNERS):
        raise PermissionError(errors.OWNERS_ONLY)
    with transaction.atomic():
        user = _member(member_id)
        if user.pk == actor.pk:
            raise ValidationError(errors.MEMBER_NOT_FOUND)
        _role_apply(user, Role.OWNER)
        _role_apply(get_user_model().objects.get(pk=actor.pk), Role.ADMIN)
    return user
