"""Platform operators: users of the public schema, who run the whole service."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import transaction


def operator_delete(*, user: User) -> None:
    """Delete an operator account.

    Django's cascading delete would also look for the user's rows in the product's tables
    (a project's `created_by`), which exist only in tenant schemas, and fail in public. An
    operator owns nothing there, so delete exactly what the public schema holds for them.
    """
    from django_otp import devices_for_user

    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        LogEntry.objects.filter(user_id=user.pk).delete()
        user.groups.clear()
        user.user_permissions.clear()
        User.objects.filter(pk=user.pk)._raw_delete(User.objects.db)
