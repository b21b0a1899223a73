"""cProfile of order placement in one process (Django test client, no HTTP server): where the time goes.

Needs a prepared database in DATABASE_URL (e.g. `benchmarks/place_orders.py --keep`, or `comptoir demo
--no-serve` then raise the stock). Runs N iterations of browse → cart → checkout, prints the top
functions by cumulative and by own time, and the per-request wall time.

    DATABASE_URL=sqlite:////tmp/x/bench.sqlite3 .venv/bin/python benchmarks/profile_placement.py -n 300
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
os.environ.setdefault("COMPTOIR_QUERY_COUNT_HEADER", "1")

ADDRESS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
           "city": "Paris", "country": "FR", "phone": "+33 6 12 34 56 78"}
CARD = {"number": "4242424242424242", "expiry_month": 12, "expiry_year": 2030, "cvc": "123"}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--lines", type=int, default=0, help="lines per cart (0: random 1-3)")
    p.add_argument("--brand", default="alme")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--only", choices=["browse", "cart", "checkout"], help="profile one request kind")
    p.add_argument("--no-profile", action="store_true", help="time only (the profiler roughly doubles times)")
    p.add_argument("--save", help="write the raw profile here (for pstats or snakeviz)")
    args = p.parse_args()

    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(1)
    timings: dict[str, list[float]] = {"browse": [], "cart": [], "checkout": []}
    queries: dict[str, list[int]] = {"browse": [], "cart": [], "checkout": []}
    profiler = cProfile.Profile()

    def call(kind, method, *a, **kw):
        on = not args.no_profile and args.only in (None, kind)
        started = time.perf_counter()
        if on:
            profiler.enable()
        response = getattr(client, method)(*a, **kw)
        if on:
            profiler.disable()
        timings[kind].append(time.perf_counter() - started)
        queries[kind].append(int(response.headers.get("X-Comptoir-Queries", -1)))
        return response

    def iteration():
        r = call("browse", "get", f"/api/brands/{args.brand}/products")
        assert r.status_code == 200, r.content
        skus = [v["sku"] for x in r.json()["results"] for v in x["variants"] if v["purchasable"]]
        count = args.lines or rng.randint(1, 3)
        lines = [{"sku": s, "quantity": 1} for s in rng.sample(skus, count)]
        r = call("cart", "post", f"/api/brands/{args.brand}/carts", json.dumps({"lines": lines}),
                 content_type="application/json")
        assert r.status_code == 201, r.content
        body = {"email": f"p-{uuid.uuid4().hex[:10]}@example.com", "shipping_address": ADDRESS,
                "shipping_method": "colissimo_home", "payment": {"method": "card", "card": CARD}, "language": "en"}
        r = call("checkout", "post", f"/api/brands/{args.brand}/carts/{r.json()['id']}/checkout", json.dumps(body),
                 content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        assert r.status_code == 201, r.content

    for _ in range(10):  # warm caches and imports, unprofiled
        iteration()
    profiler = cProfile.Profile()
    for kind in timings:
        timings[kind].clear()
        queries[kind].clear()
    cpu_started = time.process_time()
    for _ in range(args.n):
        iteration()
    cpu_per_iteration = (time.process_time() - cpu_started) / args.n

    for kind, values in timings.items():
        values.sort()
        print(f"{kind:9} mean {sum(values) / len(values) * 1000:6.2f} ms  p50 {values[len(values) // 2] * 1000:6.2f} ms"
              f"  queries {sum(queries[kind]) / len(queries[kind]):.1f}")
    if args.no_profile:
        print(f"CPU of this process per iteration (browse + cart + checkout): {cpu_per_iteration * 1000:.2f} ms")
        return
    if args.save:
        profiler.dump_stats(args.save)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
