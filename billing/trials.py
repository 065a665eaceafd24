"""The trial sweep: set-based statements on the public schema, never a loop over tenant schemas.

Run by beat (hourly by default). Safe to run twice or concurrently: reminders are claimed with
INSERT … ON CONFLICT DO NOTHING RETURNING, expiries with UPDATE … RETURNING, so each row is
claimed by exactly one sweep and each email is queued exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from billing import conf
from billing.models import Subscription, TrialReminder


@dataclass
class SweepResult:
    reminders: list[tuple[int, str, int]] = field(
        default_factory=list
    )  # (reminder id, schema, days)
    expired: list[tuple[int, str]] = field(default_factory=list)  # (subscription id, schema)


def _reminder_windows() -> list[tuple[int, int]]:
    """[(7, 3), (3, 1), (1, 0)]: the 7-day reminder is due while 3 < days left <= 7, and so on.
    A sweep that ran late sends only the reminder that is still relevant."""
    days = conf.reminder_days()
    return [(d, days[i + 1] if i + 1 < len(days) else 0) for i, d in enumerate(days)]


def trial_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    trialing = Subscription.Status.TRIALING
    with transaction.atomic(), connection.cursor() as cursor:
        for days, next_days in _reminder_windows():
            cursor.execute(
                f"""
                INSERT INTO {TrialReminder._meta.db_table} (subscription_id, days_before, created)
                SELECT s.id, %(days)s, %(now)s
                  FROM {Subscription._meta.db_table} s
                 WHERE s.status = %(trialing)s
                   AND s.trial_end > %(now)s + make_interval(days => %(next_days)s)
                   AND s.trial_end <= %(now)s + make_interval(days => %(days)s)
                ON CONFLICT DO NOTHING
                RETURNING id, subscription_id
                """,
                {"days": days, "next_days": next_days, "now": now, "trialing": trialing},
            )
            claimed = cursor.fetchall()
            schemas = _schemas_of([sub_id for _, sub_id in claimed])
            result.reminders += [(rid, schemas[sub_id], days) for rid, sub_id in claimed]
        cursor.execute(
            f"""
            UPDATE {Subscription._meta.db_table}
               SET status = %(expired)s, updated = %(now)s
             WHERE status = %(trialing)s AND trial_end <= %(now)s
            RETURNING id
            """,
            {"expired": Subscription.Status.EXPIRED, "trialing": trialing, "now": now},
        )
        expired_ids = [row[0] for row in cursor.fetchall()]
        schemas = _schemas_of(expired_ids)
        result.expired = [(sub_id, schemas[sub_id]) for sub_id in expired_ids]
        transaction.on_commit(lambda: _queue_emails(result))
    return result


def _schemas_of(subscription_ids: list[int]) -> dict[int, str]:
    return dict(
        Subscription.objects.filter(pk__in=subscription_ids).values_list(
            "pk", "tenant__schema_name"
        )
    )


EMAILS_PER_TASK = 250


def _queue_emails(result: SweepResult) -> None:
    """Enqueue the emails in batches: a catch-up sweep may find thousands due at once."""
    from billing.tasks import trial_emails_send

    reminders = [[schema, rid] for rid, schema, _days in result.reminders]
    ended = [[schema, sid] for sid, schema in result.expired]
    for start in range(0, len(reminders), EMAILS_PER_TASK):
        trial_emails_send.delay(reminders=reminders[start : start + EMAILS_PER_TASK])
    for start in range(0, len(ended), EMAILS_PER_TASK):
        trial_emails_send.delay(ended=ended[start : start + EMAILS_PER_TASK])
