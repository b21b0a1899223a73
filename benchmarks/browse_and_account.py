"""Load on the reading and after-sales endpoints over HTTP against a real gunicorn: catalog (API and
pages), a product page, "my orders", an order's detail, return declaration and assistant questions.

Each scenario runs alone at each concurrency level (C client threads, persistent connections), and one
markdown row is printed per (scenario, C): requests/s, p50/p95/p99 latency, errors, and SQL statements
per request (from `X-Comptoir-Queries`). Standard library only; only talks to 127.0.0.1.

The server start-up (fresh database, demo brands, gunicorn) is place_orders.py's, imported. On top, the
script seeds an order history with `comptoir seed-orders` (--seed 1: `--history` orders, a tenth as many
customers, so each has ~8 orders) and a pool of recently delivered orders to return (--seed 2). With
`--existing`, it uses the database of DATABASE_URL as it is (e.g. 1,000,000 orders seeded beforehand),
adding only the return pool when missing.

    PYTHONPATH=src .venv/bin/python benchmarks/browse_and_account.py --db postgres --workers 3 --duration 8
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import place_orders as server_kit  # noqa: E402  (the shared start-up helpers)
from place_orders import cpu_share, cpu_snapshot, mean, pcts, start_server, stop_server  # noqa: E402

if not server_kit.VENV_BIN.exists():  # a git worktree without its own .venv: the running interpreter's
    server_kit.VENV_BIN = Path(sys.executable).parent

QUERY_HEADER = "X-Comptoir-Queries"
SEED_PASSWORD = "comptoir-seed"  # comptoir.seeding.orders.SEED_PASSWORD
HISTORY_SEED, RETURNS_SEED = 1, 2
RATE_LIMITS = "sign_in_ip=0/60,sign_in_account=0/60,guest_lookup_ip=0/60,assistant_ip=0/60"
SCENARIOS = ["catalog_api", "catalog_page", "product_page", "my_orders", "order_detail", "return", "assistant"]


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/comptoir_ops_bench",
                   help="PostgreSQL database to DROP and create (with --db postgres, without --existing)")
    p.add_argument("--existing", action="store_true",
                   help="use DATABASE_URL as it is (no drop, no demo); it must hold the brand and --seed 1")
    p.add_argument("--history", type=int, default=1000, help="orders seeded as history (--seed 1)")
    p.add_argument("--return-pool", type=int, default=4000, help="recent delivered orders to return (--seed 2)")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--concurrency", default="1,8,32")
    p.add_argument("--duration", type=float, default=8.0, help="seconds per scenario and level")
    p.add_argument("--scenarios", default=",".join(SCENARIOS))
    p.add_argument("--brand", default="alme")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--server-log", action="store_true")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args(argv)
    args.levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    args.kinds = [s for s in args.scenarios.split(",") if s]
    unknown = set(args.kinds) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.url = None
    return args


# ---------------------------------------------------------------------------------------------
# Data


def comptoir(env: dict, workdir: Path, *arguments: str) -> str:
    result = subprocess.run([str(server_kit.VENV_BIN / "comptoir"), *arguments], env=env, cwd=workdir,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"failed: comptoir {shlex.join(arguments)}\n{result.stdout}{result.stderr}")
    return result.stdout


POOL_QUERY = """
import json
from comptoir.orders.models import OrderLine
rows = (OrderLine.objects.filter(order__brand__slug={brand!r}, order__checkout_key__startswith="seed:2:")
        .order_by("order__placed_at", "id").values_list("order__number", "order__access_token", "id"))
seen = set()
for number, token, line in rows:
    if number not in seen:
        seen.add(number)
        print(json.dumps([number, token, line]))
"""


def prepare(args, workdir: Path) -> dict:
    if args.existing:
        if "DATABASE_URL" not in os.environ:
            sys.exit("--existing needs DATABASE_URL")
        env = {**os.environ, "COMPTOIR_VAR_DIR": str(workdir / "var"), "COMPTOIR_QUERY_COUNT_HEADER": "1"}
    else:
        env = server_kit.prepare_database(args, workdir)
        print(f"# seeding the history: {args.history} orders", flush=True)
        print("# " + comptoir(env, workdir, "seed-orders", "--brand", args.brand, "--orders", str(args.history),
                              "--customers", str(max(1, args.history // 10)), "--seed", str(HISTORY_SEED)
                              ).strip().splitlines()[0], flush=True)
    env.pop("COMPTOIR_TEST_CLOCK", None)
    env["COMPTOIR_RATE_LIMITS"] = RATE_LIMITS
    env["COMPTOIR_QUERY_COUNT_HEADER"] = "1"
    if "return" in args.kinds:
        result = subprocess.run([str(server_kit.VENV_BIN / "comptoir"), "seed-orders", "--brand", args.brand,
                                 "--orders", str(args.return_pool), "--customers", "50", "--days", "7",
                                 "--seed", str(RETURNS_SEED)], env=env, cwd=workdir, capture_output=True, text=True)
        if result.returncode and "already holds" not in result.stderr:
            sys.exit(f"could not seed the return pool:\n{result.stderr}")
        print(f"# return pool: {(result.stdout.strip().splitlines() or ['already seeded'])[0]}", flush=True)
    return env


def load_pool(env: dict, workdir: Path, brand: str) -> list[tuple[str, str, int]]:
    """(number, access token, first line id) of every not-yet-returned order of the return pool."""
    out = comptoir(env, workdir, "manage", "shell", "-c", POOL_QUERY.format(brand=brand))
    return [tuple(json.loads(line)) for line in out.splitlines() if line.startswith("[")]


def assistant_questions(brand: str) -> list[str]:
    path = Path(__file__).resolve().parent / "assistant_questions.toml"
    with path.open("rb") as f:
        rows = tomllib.load(f)["brands"].get(brand, {}).get("questions", [])
    return [row[0] for row in rows] or ["how do I send something back"]


# ---------------------------------------------------------------------------------------------
# Load


class Connection:
    def __init__(self, base: str):
        url = urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.http = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method: str, path: str, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.http.request(method, path, body=data, headers=headers)
                response = self.http.getresponse()
                payload = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.http.close()  # a keep-alive connection the server closed: reopen once
                self.http = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - started
        if response.getheader("Connection", "").lower() == "close":
            self.http.close()
        queries = response.getheader(QUERY_HEADER)
        return response.status, payload, elapsed, int(queries) if queries and queries.isdigit() else None

    def close(self):
        self.http.close()


class Shared:
    """What the scenarios draw from: products, signed-in shoppers and their orders, the return pool."""

    def __init__(self, brand: str, slugs, shoppers, pool, questions):
        self.brand, self.slugs, self.shoppers, self.questions = brand, slugs, shoppers, questions
        self.pool = pool
        self.lock = threading.Lock()

    def next_return(self):
        with self.lock:
            return self.pool.pop() if self.pool else None


def sign_in_shoppers(base: str, brand: str, count: int) -> list[tuple[str, list[str]]]:
    """(token, order numbers) of `count` seeded customers who have orders."""
    connection = Connection(base)
    shoppers, index = [], 0
    while len(shoppers) < count and index < count * 5:
        email = f"seed{HISTORY_SEED}-{index}@example.com"
        index += 1
        status, payload, _, _ = connection.call("POST", f"/api/brands/{brand}/sessions",
                                                {"email": email, "password": SEED_PASSWORD})
        if status != 201:
            sys.exit(f"could not sign in {email}: {status} {payload[:200]!r}")
        token = json.loads(payload)["token"]
        status, payload, _, _ = connection.call("GET", f"/api/brands/{brand}/orders",
                                                headers={"Authorization": f"Bearer {token}"})
        numbers = [o["number"] for o in json.loads(payload)["results"]] if status == 200 else []
        if numbers:
            shoppers.append((token, numbers))
    connection.close()
    return shoppers


def one_request(kind: str, shared: Shared, rng: random.Random, index: int):
    """(method, path, body, headers, expected status) of one request of `kind`."""
    brand = shared.brand
    if kind == "catalog_api":
        return "GET", f"/api/brands/{brand}/products?limit=24", None, {}, 200
    if kind == "catalog_page":
        return "GET", f"/{brand}/products/", None, {"Accept": "text/html"}, 200
    if kind == "product_page":
        return "GET", f"/{brand}/products/{rng.choice(shared.slugs)}/", None, {"Accept": "text/html"}, 200
    token, numbers = shared.shoppers[index % len(shared.shoppers)]
    auth = {"Authorization": f"Bearer {token}"}
    if kind == "my_orders":
        return "GET", f"/api/brands/{brand}/orders", None, auth, 200
    if kind == "order_detail":
        return "GET", f"/api/brands/{brand}/orders/{rng.choice(numbers)}", None, auth, 200
    if kind == "assistant":
        return ("POST", f"/api/brands/{brand}/help/ask", {"question": rng.choice(shared.questions)}, {}, 200)
    if kind == "return":
        picked = shared.next_return()
        if picked is None:
            return None
        number, access, line = picked
        body = {"items": [{"line_id": line, "quantity": 1, "reason": "does_not_suit"}]}
        return "POST", f"/api/brands/{brand}/orders/{number}/returns?{urlencode({'token': access})}", body, {}, 201
    raise ValueError(kind)


def run_level(base: str, shared: Shared, kind: str, clients: int, seconds: float, seed: int):
    latencies, queries, errors, samples = [], [], Counter(), []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(index: int):
        rng = random.Random(seed * 1000 + index)
        connection = Connection(base)
        mine_latency, mine_queries, mine_errors = [], [], Counter()
        try:
            while not stop.is_set():
                spec = one_request(kind, shared, rng, index)
                if spec is None:
                    mine_errors["return pool exhausted"] += 1
                    break
                method, path, body, headers, expected = spec
                try:
                    status, payload, elapsed, count = connection.call(method, path, body, headers)
                except (OSError, http.client.HTTPException) as error:
                    mine_errors[f"exception {type(error).__name__}"] += 1
                    continue
                if status != expected:
                    mine_errors[str(status)] += 1
                    if len(samples) < 3:
                        samples.append(f"{kind} {status}: {payload[:200]!r}")
                    continue
                mine_latency.append(elapsed)
                if count is not None:
                    mine_queries.append(count)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine_latency)
                queries.extend(mine_queries)
                errors.update(mine_errors)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=65)
    return latencies, queries, errors, samples, time.perf_counter() - began


HEADER = "| DB | orders in DB | scenario | C | requests | req/s | p50/p95/p99 ms | errors | SQL/request avg (min–max) | CPU app/workers/pg/client/other |"


def main(argv=None) -> int:
    args = parse_args(argv)
    print("Command: " + shlex.join([sys.executable, *(sys.argv if argv is None else [__file__, *argv])]))
    print(f"# machine: {os.cpu_count()} CPUs shared by the load generator, gunicorn and the database")
    workdir = Path(tempfile.mkdtemp(prefix="comptoir-browse-"))
    server = None
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        env = prepare(args, workdir)
        url = env["DATABASE_URL"]
        label = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        database = urlsplit(url).path.lstrip("/") if label == "PostgreSQL" else None
        count = comptoir(env, workdir, "manage", "shell", "-c",
                         "from comptoir.orders.models import Order; print(Order.objects.count())").split()[-1]
        pool = load_pool(env, workdir, args.brand) if "return" in args.kinds else []
        server, base = start_server(args, env, workdir)
        print(f"# {int(count):,} orders in the database; return pool {len(pool)} orders", flush=True)
        status, payload, _, _ = Connection(base).call("GET", f"/api/brands/{args.brand}/products")
        slugs = [p["slug"] for p in json.loads(payload)["results"]]
        shoppers = sign_in_shoppers(base, args.brand, max(args.levels))
        random.Random(args.seed).shuffle(pool)
        shared = Shared(args.brand, slugs, shoppers, pool, assistant_questions(args.brand))
        for kind in args.kinds:  # warm every worker's caches and prepared statements, unrecorded
            run_level(base, shared, kind, 2, 0.5, args.seed + 99)
        print()
        print(HEADER)
        print("|" + "---|" * (HEADER.count("|") - 1))
        all_samples = []
        for kind in args.kinds:
            for clients in args.levels:
                before = cpu_snapshot(server.pid, database)
                latencies, queries, errors, samples, wall = run_level(base, shared, kind, clients, args.duration,
                                                                      args.seed + clients)
                cpu = cpu_share(before, cpu_snapshot(server.pid, database), wall)
                all_samples.extend(samples)
                sql = f"{mean(queries):.1f} ({min(queries)}–{max(queries)})" if queries else "–"
                error_text = ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "0"
                print(f"| {label} | {int(count):,} | {kind} | {clients} | {len(latencies)} | "
                      f"{len(latencies) / wall:.1f} | {pcts(latencies)} | {error_text} | {sql} | {cpu} |", flush=True)
        if all_samples:
            print("\nError samples:\n  " + "\n  ".join(all_samples[:5]))
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        stop_server(server)
        signal.signal(signal.SIGTERM, previous)
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
