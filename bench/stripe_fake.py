"""The fake Stripe API (tests/fakes/stripe_server.py) in a process of its own, so the load
generator never shares an interpreter with it: `python -m bench.stripe_fake OUT.json N`
creates a price and N customers with a subscription each, writes the server's URL and the
subscriptions to OUT.json, and serves until terminated."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

from tests.fakes.stripe_server import FakeStripeServer

PRICE = "price_bench_team"


def main(out: str, count: int) -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with FakeStripeServer() as server:
        state = server.state
        state.price(PRICE)
        subscriptions = []
        for _ in range(count):
            customer = state.new_id("cus")
            state.customers[customer] = {"id": customer, "object": "customer", "metadata": {}}
            subscriptions.append(state._new_subscription(customer, PRICE, {}))
        # Nothing reads the request log here; don't let it grow for the whole run.
        state.requests = _Discard()
        Path(out).write_text(
            json.dumps({"url": server.url, "price": PRICE, "subscriptions": subscriptions})
        )
        stopped.wait()


class _Discard(list):
    def append(self, _item: object) -> None:
        pass


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
