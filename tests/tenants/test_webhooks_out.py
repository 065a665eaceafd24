"""Outgoing webhooks: recorded with the change (outbox), delivered signed to a real local
receiver, retried, given up after a day, disabled after repeated failure with an email to
admins, redeliverable, never sent to a private address, never across tenants."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from core_app.services import project_create
from tenants import errors
from tenants.models import WebhookDue
from tenants.workspace.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tenants.workspace.webhooks import DISABLE_AFTER_FAILURES, url_check
from tests.fakes.receiver import Receiver
from tests.queue import run_queued


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """Deliveries are queued when the change commits."""


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _endpoint(info, url, events=("project.created",)) -> WebhookEndpoint:
    response = info.client().post(
        "/developers/webhooks/", {"url": url, "events": list(events), "description": "test"}
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    with schema_context(info.schema):
        return WebhookEndpoint.objects.get(url=url)


def _verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's recipe from docs/api.md."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    signed = f"{parts['t']}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) <= tolerance
    return fresh and hmac.compare_digest(expected, parts["v1"])


def test_a_change_is_delivered_signed_to_the_endpoint(acme, receiver):
    endpoint = _endpoint(acme, receiver.url, events=["project.created", "task.created"])
    acme.client().post("/projects/new/", {"name": "Launch", "description": ""})
    run_queued(only="webhook_deliveries_send")

    (got,) = receiver.received
    assert got.headers["Awan-Event"] == "project.created"
    assert _verify(endpoint.secret, got.headers["Awan-Signature"], got.body)
    assert not _verify("whsec_wrong", got.headers["Awan-Signature"], got.body)
    payload = json.loads(got.body)
    assert payload["type"] == "project.created" and payload["data"]["name"] == "Launch"
    with schema_context(acme.schema):
        delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.last_status_code == 200 and delivery.last_response_ms is not None


def test_the_event_is_written_with_the_change_and_not_without_it(acme, receiver):
    _endpoint(acme, receiver.url)
    with schema_context(acme.schema):
        with pytest.raises(RuntimeError), transaction.atomic():
            project_create(name="Never", actor=None)
            assert WebhookEvent.objects.count() == 1  # inside the change's transaction
            raise RuntimeError("the change fails")
        assert WebhookEvent.objects.count() == 0
        assert WebhookDelivery.objects.count() == 0


def test_a_failing_receiver_is_retried_with_backoff_then_succeeds(acme, receiver):
    _endpoint(acme, receiver.url)
    receiver.answers = [500, 503]
    acme.client().post("/projects/new/", {"name": "Retry me"})
    run_queued(only="webhook_deliveries_send")
    with schema_context(acme.schema):
        delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.last_status_code == 500
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert WebhookDue.objects.get(schema_name=acme.schema).due_at == delivery.next_attempt_at

    for _ in range(2):  # beat finds it due; the worker tries again
        with schema_context(acme.schema):
            WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        WebhookDue.objects.update(due_at=timezone.now())
        run_queued()  # nothing queued yet: beat's sweep below queues it
        from tenants.workspace.tasks import webhook_deliveries_due

        assert webhook_deliveries_due.apply().get() == 1
        run_queued(only="webhook_deliveries_send")
    with schema_context(acme.schema):
        delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED and delivery.attempts == 3
    assert len(receiver.received) == 3
    assert not WebhookDue.objects.filter(schema_name=acme.schema).exists()


def test_after_a_day_of_failures_the_delivery_gives_up(acme, receiver):
    _endpoint(acme, receiver.url)
    receiver.answers = [500]
    acme.client().post("/projects/new/", {"name": "Old news"})
    with schema_context(acme.schema):
        WebhookEvent.objects.update(created=timezone.now() - timedelta(days=1, minutes=1))
    run_queued(only="webhook_deliveries_send")
    with schema_context(acme.schema):
        assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.GAVE_UP


def test_an_endpoint_that_keeps_failing_is_turned_off_and_admins_are_told(
    acme, receiver, mailoutbox
):
    endpoint = _endpoint(acme, receiver.url)
    receiver.answers = [500] * (DISABLE_AFTER_FAILURES + 5)
    with schema_context(acme.schema):
        for n in range(DISABLE_AFTER_FAILURES):
            project_create(name=f"P{n}", actor=None)
    run_queued(only="webhook_deliveries_send")
    with schema_context(acme.schema):
        endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert "failed deliveries in a row" in endpoint.disabled_reason
    run_queued(only="webhook_disabled_email_send")
    (mail,) = mailoutbox
    assert mail.to == [acme.owner_email] and "turned off" in mail.subject
    assert f"http://{acme.host}:8000/developers/webhooks/" in mail.body  # the page that exists


def test_redeliver_sends_it_again(acme, receiver):
    _endpoint(acme, receiver.url)
    acme.client().post("/projects/new/", {"name": "Again"})
    run_queued(only="webhook_deliveries_send")
    with schema_context(acme.schema):
        delivery = WebhookDelivery.objects.get()
    response = acme.client().post(f"/developers/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    run_queued(only="webhook_deliveries_send")
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
        "ftp://example.com/hook",
    ],
)
def test_endpoints_inside_private_networks_are_refused(acme, settings, url):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = acme.client().post(
        "/developers/webhooks/", {"url": url, "events": ["project.created"]}
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert errors.WEBHOOK_URL_PRIVATE in body or errors.WEBHOOK_URL_SCHEME in body
    with schema_context(acme.schema):
        assert not WebhookEndpoint.objects.exists()


def test_the_address_is_checked_again_at_every_delivery(acme, receiver, settings):
    _endpoint(acme, receiver.url)
    settings.WEBHOOKS_ALLOW_LOOPBACK = False  # as if the name now resolved somewhere private
    acme.client().post("/projects/new/", {"name": "Rebound"})
    run_queued(only="webhook_deliveries_send")
    assert receiver.received == []
    with schema_context(acme.schema):
        delivery = WebhookDelivery.objects.get()
    assert errors.WEBHOOK_URL_PRIVATE in delivery.last_error


def test_public_addresses_pass_the_check(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    from unittest import mock

    with mock.patch("socket.getaddrinfo", return_value=[(2, 1, 6, "", ("93.184.215.14", 443))]):
        url_check("https://example.com/hook")  # the network edge is stubbed: no DNS here


def test_one_tenants_changes_never_reach_anothers_endpoint(acme, globex, receiver):
    _endpoint(acme, receiver.url)
    globex.client().post("/projects/new/", {"name": "Globex only"})
    run_queued(only="webhook_deliveries_send")
    assert receiver.received == []
    with schema_context(globex.schema):
        assert WebhookDelivery.objects.count() == 0


def test_a_member_cannot_see_or_add_webhooks(acme):
    member = acme.client_as(acme.add_member())
    assert member.get("/developers/webhooks/").status_code == 403
    refused = member.post(
        "/developers/webhooks/", {"url": "http://127.0.0.1:9/x", "events": ["project.created"]}
    )
    assert refused.status_code == 403
