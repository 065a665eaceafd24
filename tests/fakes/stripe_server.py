"""A small Stripe-compatible HTTP server for tests: the real `stripe` SDK talks to it through
STRIPE_API_BASE. It keeps customers, prices, checkout sessions, billing portal sessions and
subscriptions in memory, honours Idempotency-Key like Stripe does, and records every request.

Tests drive the "customer side" (paying at Checkout, Stripe renewing or canceling) with plain
Python methods, which also build the events Stripe would send. Webhook payloads are then signed
with `sign_payload` exactly as Stripe signs them.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MONTH = 30 * 86400


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<ts>,v1=HMAC-SHA256(secret, "<ts>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _decode_form(body: str) -> dict[str, Any]:
    """`a[b][0][c]=1` → {"a": {"b": [{"c": "1"}]}} (Stripe's form encoding)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for part, nxt in zip(parts, [*parts[1:], None], strict=True):
            if nxt is None:
                node[part] = value
                break
            child = node.get(part) if isinstance(node, dict) else None
            if child is None:
                child = {}
                node[part] = child
            node = child
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None


@dataclass
class FakeStripe:
    customers: dict[str, dict] = field(default_factory=dict)
    prices: dict[str, dict] = field(default_factory=dict)
    sessions: dict[str, dict] = field(default_factory=dict)
    subscriptions: dict[str, dict] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    idempotent: dict[str, tuple[int, dict]] = field(default_factory=dict)
    slow_retrieve_seconds: float = 0.0
    fail_next: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    clock: int = field(default_factory=lambda: int(time.time()))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    # --- the customer's and Stripe's side, driven by tests -------------------------------

    def price(self, price_id: str, amount: int = 900) -> dict:
        with self.lock:
            self.prices[price_id] = {
                "id": price_id,
                "object": "price",
                "unit_amount": amount,
                "currency": "usd",
                "recurring": {"interval": "month"},
            }
            return self.prices[price_id]

    def complete_checkout(self, session_id: str) -> tuple[dict, dict]:
        """The customer paid: an active subscription exists. Returns (session, subscription)."""
        with self.lock:
            session = self.sessions[session_id]
            price_id = session["line_items"][0]["price"]
            sub = self._new_subscription(
                session["customer"],
                price_id,
                session.get("subscription_data", {}).get("metadata", {}),
            )
            session.update(status="complete", payment_status="paid", subscription=sub["id"])
            return dict(session), dict(sub)

    def _new_subscription(self, customer: str, price_id: str, metadata: dict) -> dict:
        self.clock += 1
        sub_id = self.new_id("sub")
        sub = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": "active",
            "cancel_at_period_end": False,
            "created": self.clock,
            "metadata": metadata,
            "current_period_end": self.clock + MONTH,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": self.new_id("si"),
                        "object": "subscription_item",
                        "price": self.prices.get(price_id, {"id": price_id, "object": "price"}),
                        "current_period_end": self.clock + MONTH,
                    }
                ],
            },
        }
        self.subscriptions[sub_id] = sub
        return sub

    def update_subscription(self, sub_id: str, **changes: Any) -> dict:
        with self.lock:
            self.clock += 1
            sub = self.subscriptions[sub_id]
            if "price" in changes:
                sub["items"]["data"][0]["price"] = self.prices[changes.pop("price")]
            sub.update(changes)
            return json.loads(json.dumps(sub))

    def event(self, event_type: str, obj: dict, *, created: int | None = None) -> dict:
        with self.lock:
            self.clock += 1
            return {
                "id": self.new_id("evt"),
                "object": "event",
                "type": event_type,
                "created": created or self.clock,
                "livemode": False,
                "api_version": "2025-09-30.clover",
                "data": {"object": json.loads(json.dumps(obj))},
            }

    def invoice(self, sub_id: str, *, paid: bool) -> dict:
        sub = self.subscriptions[sub_id]
        return {
            "id": self.new_id("in"),
            "object": "invoice",
            "customer": sub["customer"],
            "status": "paid" if paid else "open",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": sub_id},
            },
        }

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    # --- the HTTP API ----------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, key: str | None) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(Recorded(method, path, params, key))
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"error": {"type": "api_error", "message": "fake outage"}}
            if method == "POST" and key and key in self.idempotent:
                return self.idempotent[key]
        if method == "GET" and path.startswith("/v1/subscriptions/") and self.slow_retrieve_seconds:
            time.sleep(self.slow_retrieve_seconds)
        with self.lock:
            status, body = self._route(method, path, params)
            if method == "POST" and key:
                self.idempotent[key] = (status, body)
            return status, json.loads(json.dumps(body))

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        if method == "POST" and parts == ["customers"]:
            cid = self.new_id("cus")
            self.customers[cid] = {
                "id": cid,
                "object": "customer",
                "email": params.get("email"),
                "name": params.get("name"),
                "metadata": params.get("metadata", {}),
            }
            return 200, self.customers[cid]
        if method == "POST" and parts == ["checkout", "sessions"]:
            if params.get("customer") not in self.customers:
                return 400, {
                    "error": {"type": "invalid_request_error", "message": "No such customer"}
                }
            sid = self.new_id("cs")
            self.sessions[sid] = {
                "id": sid,
                "object": "checkout.session",
                "status": "open",
                "url": f"https://checkout.stripe.test/pay/{sid}",
                "subscription": None,
                **params,
            }
            return 200, self.sessions[sid]
        if method == "GET" and parts[:2] == ["checkout", "sessions"] and len(parts) == 3:
            session = self.sessions.get(parts[2])
            return (200, session) if session else _missing(parts[2])
        if method == "POST" and parts == ["billing_portal", "sessions"]:
            if params.get("customer") not in self.customers:
                return 400, {
                    "error": {"type": "invalid_request_error", "message": "No such customer"}
                }
            bid = self.new_id("bps")
            return 200, {
                "id": bid,
                "object": "billing_portal.session",
                "customer": params["customer"],
                "url": f"https://billing.stripe.test/session/{bid}",
                "return_url": params.get("return_url"),
            }
        if method == "GET" and parts == ["subscriptions"]:
            subs = sorted(self.subscriptions.values(), key=lambda s: s["id"])
            after = params.get("starting_after")
            if after:
                subs = [s for s in subs if s["id"] > after]
            limit = int(params.get("limit", 10))
            return 200, {
                "object": "list",
                "url": "/v1/subscriptions",
                "data": subs[:limit],
                "has_more": len(subs) > limit,
            }
        if method == "GET" and parts[:1] == ["subscriptions"] and len(parts) == 2:
            sub = self.subscriptions.get(parts[1])
            return (200, sub) if sub else _missing(parts[1])
        if method == "POST" and parts[:1] == ["subscriptions"] and len(parts) == 2:
            sub = self.subscriptions.get(parts[1])
            if sub is None:
                return _missing(parts[1])
            if "cancel_at_period_end" in params:
                sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
            return 200, sub
        if method == "DELETE" and parts[:1] == ["subscriptions"] and len(parts) == 2:
            sub = self.subscriptions.get(parts[1])
            if sub is None:
                return _missing(parts[1])
            sub["status"] = "canceled"
            return 200, sub
        if method == "GET" and parts[:1] == ["prices"] and len(parts) == 2:
            price = self.prices.get(parts[1])
            return (200, price) if price else _missing(parts[1])
        return 404, {
            "error": {"type": "invalid_request_error", "message": f"unknown {method} {path}"}
        }


def _missing(object_id: str) -> tuple[int, dict]:
    return 404, {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": f"No such object: '{object_id}'",
        }
    }


class FakeStripeServer:
    """Serves a FakeStripe on 127.0.0.1:<free port> from a background thread."""

    def __init__(self) -> None:
        self.state = FakeStripe()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else url.query
                status, payload = state.handle(
                    method, url.path, _decode_form(body), self.headers.get("Idempotency-Key")
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeStripeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        fresh = FakeStripe()
        for name in ("customers", "prices", "sessions", "subscriptions", "requests", "idempotent"):
            setattr(self.state, name, getattr(fresh, name))
        self.state.slow_retrieve_seconds = 0.0
        self.state.fail_next = 0
