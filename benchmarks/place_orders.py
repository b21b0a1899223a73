"""Order placement over HTTP against a real gunicorn: browse → cart → checkout, at several concurrencies.

Unless `--url` is given, the script prepares a fresh database (SQLite in a temporary folder, or a
PostgreSQL database it drops and creates), loads the bundled brands, raises every stock of the brand
so the run never sells out, starts gunicorn with `COMPTOIR_QUERY_COUNT_HEADER=1` and the `comptoir
worker` processes (e-mails, invoices; with `--deliver-webhooks`, the sandbox PSP's webhooks posted to
this gunicorn as a real PSP posts them to the shop), and stops them at the end (also on Ctrl-C). Then, for each concurrency
level, C client threads with persistent connections loop: GET the products page, POST a cart of 1..N
lines of SKUs from that page, POST the checkout with a fresh Idempotency-Key (guest, card 4242…, FR
address).

It prints one markdown row per level: orders/s, latency percentiles of the placement (cart +
checkout) and of each request, errors by status, and SQL statements per order (the shop's own; the
sandbox PSP's beside them) and per browse (from the `X-Comptoir-Queries` response header). Standard
library only. Only talks to 127.0.0.1.

    .venv/bin/python benchmarks/place_orders.py --db postgres --workers 3 --concurrency 1,8,32 --duration 15
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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
QUERY_HEADER = "X-Comptoir-Queries"
SANDBOX_PSP_QUERY_HEADER = "X-Comptoir-Queries-Sandbox-PSP"  # of QUERY_HEADER's, the sandbox PSP's own
ADDRESS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
           "city": "Paris", "country": "FR", "phone": "+33 6 12 34 56 78"}
CARD = {"number": "4242424242424242", "expiry_month": 12, "expiry_year": 2030, "cvc": "123"}
LARGE_STOCK = 1_000_000_000
REQUEST_TIMEOUT = 60.0


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite",
                   help="database to prepare (ignored with --url)")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/comptoir_bench",
                   help="PostgreSQL database to DROP and create (with --db postgres)")
    p.add_argument("--url", help="benchmark an already running server (http://127.0.0.1:PORT); no setup")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    p.add_argument("--outbox-workers", type=int, default=2,
                   help="`comptoir worker` processes running during the load (e-mails, invoices), as in production")
    p.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    p.add_argument("--deliver-webhooks", action="store_true",
                   help="the workers post the sandbox PSP's webhooks to this gunicorn (by default they go to "
                        "COMPTOIR_BASE_URL, nobody there: the shop's side of a real PSP's webhooks is left out)")
    p.add_argument("--port", type=int, default=0, help="port for gunicorn (0: a free one)")
    p.add_argument("--concurrency", default="1,8,32", help="comma-separated client counts, one row each")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per concurrency level")
    p.add_argument("--orders", type=int, default=0, help="stop each level after this many iterations instead")
    p.add_argument("--max-seconds", type=float, default=300.0, help="hard time bound per level")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of unrecorded load after start")
    p.add_argument("--lines", default="1-3", help="lines per cart: N or MIN-MAX (random)")
    p.add_argument("--browse-every", type=int, default=1,
                   help="browse before every Nth order (1: every order; 0: once per client, to learn SKUs)")
    p.add_argument("--brand", default="alme")
    p.add_argument("--shipping-method", default="colissimo_home")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--wait-idle", type=float, default=0.0,
                   help="before each level, wait up to this many seconds for other processes to go quiet")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (and its SQLite file)")
    p.add_argument("--server-log", action="store_true", help="show gunicorn's output")
    args = p.parse_args(argv)
    args.levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    if not args.levels or min(args.levels) < 1 or max(args.levels) > 512:
        p.error("--concurrency: 1..512 clients per level")
    low, _, high = args.lines.partition("-")
    args.lines_range = (int(low), int(high or low))
    if not 1 <= args.lines_range[0] <= args.lines_range[1] <= 30:
        p.error("--lines: between 1 and 30")
    if args.url:
        host = urlsplit(args.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            p.error("--url: only 127.0.0.1 is allowed")
    if args.duration <= 0 or args.max_seconds <= 0:
        p.error("--duration and --max-seconds must be positive")
    return args


# ---------------------------------------------------------------------------------------------
# Database and server


def run(command: list[str], env: dict, cwd: Path, quiet: bool = True) -> None:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=quiet, text=True)
    if result.returncode:
        sys.exit(f"failed: {shlex.join(command)}\n{result.stdout or ''}{result.stderr or ''}")


def prepare_database(args, workdir: Path) -> dict:
    """A fresh database with the bundled brands and large stocks; returns the server environment."""
    env = {**os.environ, "COMPTOIR_VAR_DIR": str(workdir / "var"), "COMPTOIR_QUERY_COUNT_HEADER": "1"}
    env.pop("COMPTOIR_TEST_CLOCK", None)
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        url = urlsplit(args.pg_url)
        if url.hostname not in ("127.0.0.1", "localhost"):
            sys.exit("--pg-url: only 127.0.0.1 is allowed")
        name = url.path.lstrip("/")
        connection = ["-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        run(["dropdb", "--if-exists", *connection, name], env, workdir)
        run(["createdb", *connection, name], env, workdir)
        env["DATABASE_URL"] = args.pg_url
    print(f"# preparing {args.db} database: comptoir demo --no-serve", flush=True)
    run([str(VENV_BIN / "comptoir"), "demo", "--no-serve"], env, workdir)
    code = (
        "from comptoir.catalog.models import Variant; "
        f"n = Variant.objects.filter(brand__slug={args.brand!r}).update(stock={LARGE_STOCK}); "
        "print(n)"
    )
    result = subprocess.run([str(VENV_BIN / "comptoir"), "manage", "shell", "-c", code], env=env, cwd=workdir,
                            capture_output=True, text=True)
    last = (result.stdout.strip().splitlines() or [""])[-1]  # the shell may print a banner first
    if result.returncode or not last.isdigit() or int(last) == 0:
        sys.exit(f"could not reset the stock of {args.brand!r}:\n{result.stdout}{result.stderr}")
    print(f"# stock of {int(last)} variants of {args.brand} set to {LARGE_STOCK}", flush=True)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, env: dict, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = args.port or free_port()
    command = [str(VENV_BIN / "gunicorn"), "comptoir.wsgi", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--threads", str(args.threads),
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--backlog", "2048"]
    print(f"# server: {shlex.join(command)}", flush=True)
    output = None if args.server_log else subprocess.DEVNULL
    # Its own session: a Ctrl-C reaches the script only, which then stops the whole server group.
    server = subprocess.Popen(command, env=env, cwd=workdir, stdout=output, stderr=output, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode} (run with --server-log)")
        try:
            status, _, _ = request_once(base, "GET", f"/api/brands/{args.brand}/products?limit=1")
            if status == 200:
                return server, base
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def start_outbox_workers(args, env: dict, workdir: Path) -> list[subprocess.Popen]:
    """The `comptoir worker` processes that send the orders' e-mails and issue their invoices meanwhile."""
    output = None if args.server_log else subprocess.DEVNULL
    workers = [subprocess.Popen([str(VENV_BIN / "comptoir"), "worker", "--poll", "0.5"], env=env, cwd=workdir,
                                stdout=output, stderr=output, start_new_session=True)
               for _ in range(args.outbox_workers)]
    if workers:
        print(f"# {len(workers)} × comptoir worker --poll 0.5", flush=True)
    return workers


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    except ProcessLookupError:
        pass


def request_once(base: str, method: str, path: str) -> tuple[int, dict, bytes]:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# CPU accounting (Linux /proc): who used the machine during a level


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds used so far)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICK)
    return table


def _postgres_backends(table, database: str | None) -> set[int]:
    """The PostgreSQL backends serving `database` (their title reads "postgres: user db host …")."""
    found = set()
    if not database:
        return found
    for pid, (_, name, _) in table.items():
        if name != "postgres":
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                title = f.read().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        words = title[1:] if title[:1] == ["postgres:"] else []
        if words and words[0].endswith(":"):  # Debian adds the cluster: "postgres: 15/main: user db …"
            words = words[1:]
        if len(words) >= 2 and words[1] == database:
            found.add(pid)
    return found


def cpu_snapshot(server_pid: int | None, database: str | None = None, worker_pids: tuple[int, ...] = ()) -> dict | None:
    """Machine busy seconds, and CPU seconds per process of gunicorn, of the outbox workers and of our
    PostgreSQL backends."""
    try:
        with open("/proc/stat") as f:
            values = [int(x) for x in f.readline().split()[1:]]
        table = _process_table()
    except OSError:
        return None
    idle = values[3] + values[4]
    server = set()
    if server_pid is not None:
        server.add(server_pid)
        for _ in range(3):  # the master and its workers
            server |= {pid for pid, (ppid, _, _) in table.items() if ppid in server}
    return {
        "busy": (sum(values[:8]) - idle) / TICK,
        "server": {pid: table[pid][2] for pid in server if pid in table},
        "workers": {pid: table[pid][2] for pid in worker_pids if pid in table},
        "postgres": {pid: table[pid][2] for pid in _postgres_backends(table, database)},
        "client": time.process_time(),
    }


def cpu_share(before, after, wall: float) -> str:
    """CPU used during the level, in cores: server, its PostgreSQL backends, client, everything else."""
    if not before or not after:
        return "–"

    def grown(key):
        return sum(cpu - before[key].get(pid, 0.0) for pid, cpu in after[key].items()) / wall

    used = {"busy": (after["busy"] - before["busy"]) / wall, "server": grown("server"), "workers": grown("workers"),
            "postgres": grown("postgres"), "client": (after["client"] - before["client"]) / wall}
    other = max(0.0, used["busy"] - used["server"] - used["workers"] - used["postgres"] - used["client"])
    return f"{used['server']:.2f}/{used['workers']:.2f}/{used['postgres']:.2f}/{used['client']:.2f}/{other:.2f}"


def wait_until_idle(limit: float) -> str:
    """Before a level, wait up to `limit` s for the machine to be idle (other work < 0.15 core for 3 s)."""
    if limit <= 0:
        return ""
    deadline = time.monotonic() + limit
    quiet = 0
    busy = float("nan")
    while time.monotonic() < deadline:
        before = cpu_snapshot(None)
        time.sleep(1.0)
        after = cpu_snapshot(None)
        if not before or not after:
            return ""
        busy = after["busy"] - before["busy"]
        quiet = quiet + 1 if busy < 0.15 else 0
        if quiet >= 3:
            return ""
    return f" (machine still busy: {busy:.2f} core used by others when the level started)"


# ---------------------------------------------------------------------------------------------
# Load


@dataclass
class Samples:
    """What one client thread saw during one level."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))  # kind -> [seconds]
    queries: dict = field(default_factory=lambda: defaultdict(list))  # kind -> [statements]
    placement: list = field(default_factory=list)  # seconds, cart + checkout of placed orders
    order_queries: dict = field(default_factory=lambda: defaultdict(list))  # lines -> [cart + checkout]
    sandbox_psp_queries: list = field(default_factory=list)  # per order, not in order_queries
    errors: Counter = field(default_factory=Counter)  # "checkout 409" -> n
    error_samples: list = field(default_factory=list)
    orders: int = 0


class Client:
    """One shopper at a time over one persistent connection (reopened when the server closes it)."""

    def __init__(self, base: str, args, rng: random.Random):
        url = urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.args = args
        self.rng = rng
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        self.skus: list[str] = []
        self.iterations = 0
        self.sandbox_psp_queries = 0  # of the current iteration

    def close(self) -> None:
        self.connection.close()

    def call(self, method: str, path: str, body: dict | None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            # A keep-alive connection the server had closed: one retry on a fresh connection is
            # safe (checkout carries its Idempotency-Key; a duplicate cart is harmless).
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
            started = time.perf_counter()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        elapsed = time.perf_counter() - started
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        queries = response.getheader(QUERY_HEADER)
        if not (queries and queries.isdigit()):
            return response.status, payload, elapsed, None
        # The shop's own statements; the sandbox PSP's (a real PSP's are in its own database) apart.
        sandbox_psp = int(response.getheader(SANDBOX_PSP_QUERY_HEADER) or 0)
        self.sandbox_psp_queries += sandbox_psp
        return response.status, payload, elapsed, int(queries) - sandbox_psp

    def iteration(self, samples: Samples, record: bool) -> None:
        brand = self.args.brand
        every = self.args.browse_every
        self.iterations += 1
        self.sandbox_psp_queries = 0
        # 1. Browse.
        if not self.skus or (every and self.iterations % every == 0):
            status, payload, elapsed, queries = self.call("GET", f"/api/brands/{brand}/products", None)
            if not self._note(samples, record, "browse", status, 200, payload, elapsed, queries):
                return
            self.skus = [v["sku"] for p in json.loads(payload)["results"] for v in p["variants"] if v["purchasable"]]
            if not self.skus:
                samples.errors["browse: no purchasable SKU"] += 1
                return
        skus = self.skus
        count = min(len(skus), self.rng.randint(*self.args.lines_range))
        lines = [{"sku": sku, "quantity": self.rng.randint(1, 2)} for sku in self.rng.sample(skus, count)]
        # 2. Cart.
        status, payload, cart_elapsed, cart_queries = self.call(
            "POST", f"/api/brands/{brand}/carts", {"lines": lines})
        if not self._note(samples, record, "cart", status, 201, payload, cart_elapsed, cart_queries):
            return
        cart_id = json.loads(payload)["id"]
        # 3. Checkout.
        body = {"email": f"bench-{uuid.uuid4().hex[:12]}@example.com", "shipping_address": ADDRESS,
                "shipping_method": self.args.shipping_method,
                "payment": {"method": "card", "card": CARD}, "language": "en"}
        status, payload, checkout_elapsed, checkout_queries = self.call(
            "POST", f"/api/brands/{brand}/carts/{cart_id}/checkout", body,
            {"Idempotency-Key": f"bench-{uuid.uuid4()}"})
        if not self._note(samples, record, "checkout", status, 201, payload, checkout_elapsed, checkout_queries):
            return
        if record:
            samples.orders += 1
            samples.placement.append(cart_elapsed + checkout_elapsed)
            if cart_queries is not None and checkout_queries is not None:
                samples.order_queries[count].append(cart_queries + checkout_queries)
                samples.sandbox_psp_queries.append(self.sandbox_psp_queries)

    @staticmethod
    def _note(samples, record, kind, status, expected, payload, elapsed, queries) -> bool:
        if record:
            samples.latencies[kind].append(elapsed)
            if queries is not None and status == expected:
                samples.queries[kind].append(queries)
        if status != expected:
            samples.errors[f"{kind} {status}"] += 1
            if len(samples.error_samples) < 3:
                samples.error_samples.append(f"{kind} {status}: {payload[:300]!r}")
            return False
        return True


def run_level(base: str, args, clients: int, *, seconds: float, orders: int, record: bool, seed: int):
    """C threads loop until the time is up (or `orders` iterations have started); returns (samples, wall)."""
    stop = threading.Event()
    started_iterations = iter(range(10**12))
    lock = threading.Lock()
    per_thread = [Samples() for _ in range(clients)]
    crashes: list[str] = []

    def worker(index: int) -> None:
        client = Client(base, args, random.Random(seed * 1000 + index))
        try:
            while not stop.is_set():
                if orders:
                    with lock:
                        if next(started_iterations) >= orders:
                            return
                try:
                    client.iteration(per_thread[index], record)
                except (OSError, http.client.HTTPException, ValueError) as error:
                    per_thread[index].errors[f"exception {type(error).__name__}"] += 1
                    if len(crashes) < 3:
                        crashes.append(repr(error))
                    client.close()
                    time.sleep(0.05)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    limit = began + (args.max_seconds if orders else min(seconds, args.max_seconds))
    try:
        for thread in threads:
            thread.join(timeout=max(0.0, limit - time.perf_counter()))
    finally:
        stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    wall = time.perf_counter() - began
    merged = Samples()
    for s in per_thread:
        for kind, values in s.latencies.items():
            merged.latencies[kind].extend(values)
        for kind, values in s.queries.items():
            merged.queries[kind].extend(values)
        for lines, values in s.order_queries.items():
            merged.order_queries[lines].extend(values)
        merged.sandbox_psp_queries.extend(s.sandbox_psp_queries)
        merged.placement.extend(s.placement)
        merged.errors.update(s.errors)
        merged.error_samples.extend(s.error_samples)
        merged.orders += s.orders
    merged.error_samples.extend(crashes)
    return merged, wall


# ---------------------------------------------------------------------------------------------
# Report


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


def pcts(values: list[float]) -> str:
    if not values:
        return "–"
    return " / ".join(f"{percentile(values, q) * 1000:.0f}" for q in (50, 95, 99))


def mean(values) -> float:
    return sum(values) / len(values) if values else float("nan")


HEADER = ("| DB | workers | C | orders | orders/s | placement p50/p95/p99 ms | browse p50/p95/p99 ms "
          "| cart p50/p95/p99 ms | checkout p50/p95/p99 ms | errors | SQL/order avg (max) + sandbox PSP | SQL/browse "
          "| CPU cores app/workers/pg/client/other |")


def row(label: str, workers: str, clients: int, s: Samples, wall: float, cpu: str) -> str:
    order_queries = [q for values in s.order_queries.values() for q in values]
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(s.errors.items())) or "0"
    sql_order = f"{mean(order_queries):.1f} ({max(order_queries)})" if order_queries else "–"
    if s.sandbox_psp_queries:
        sql_order += f" + {mean(s.sandbox_psp_queries):.1f} PSP"
    sql_browse = f"{mean(s.queries['browse']):.1f}" if s.queries["browse"] else "–"
    return (f"| {label} | {workers} | {clients} | {s.orders} | {s.orders / wall:.1f} | {pcts(s.placement)} "
            f"| {pcts(s.latencies['browse'])} | {pcts(s.latencies['cart'])} | {pcts(s.latencies['checkout'])} "
            f"| {errors} | {sql_order} | {sql_browse} | {cpu} |")


def queries_by_lines(all_samples: list[Samples]) -> list[str]:
    by_lines: dict[int, list[int]] = defaultdict(list)
    cart, checkout = [], []
    for s in all_samples:
        for lines, values in s.order_queries.items():
            by_lines[lines].extend(values)
        cart.extend(s.queries["cart"])
        checkout.extend(s.queries["checkout"])
    out = ["| lines | orders | SQL per order (cart + checkout) avg | min | max |", "|---|---|---|---|---|"]
    for lines in sorted(by_lines):
        values = by_lines[lines]
        out.append(f"| {lines} | {len(values)} | {mean(values):.1f} | {min(values)} | {max(values)} |")
    if cart and checkout:
        out.append(f"\ncart request: {mean(cart):.1f} statements on average (max {max(cart)}); "
                   f"checkout request: {mean(checkout):.1f} (max {max(checkout)})")
    return out


# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    print("Command: " + shlex.join([sys.executable, *(sys.argv if argv is None else [__file__, *argv])]))
    print(f"# machine: {os.cpu_count()} CPUs; load generator and server share them")
    workdir = Path(tempfile.mkdtemp(prefix="comptoir-bench-"))
    server = None
    outbox_workers: list[subprocess.Popen] = []
    previous_sigterm = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if args.url:
            base, label, workers = args.url.rstrip("/"), "url", "?"
        else:
            env = prepare_database(args, workdir)
            if args.deliver_webhooks:
                # The sandbox PSP's webhooks (two per order: authorised, captured) reach this server, as a real
                # PSP's reach the shop: the workers post them and the app checks each against its ledger.
                args.port = args.port or free_port()
                env["COMPTOIR_BASE_URL"] = f"http://127.0.0.1:{args.port}"
            server, base = start_server(args, env, workdir)
            outbox_workers = start_outbox_workers(args, env, workdir)
            label = "SQLite" if args.db == "sqlite" else "PostgreSQL"
            workers = f"{args.workers} {args.worker_class}" + (f"×{args.threads}" if args.threads > 1 else "")
        database = urlsplit(args.pg_url).path.lstrip("/") if args.db == "postgres" and not args.url else None
        if args.warmup > 0:
            warm, _ = run_level(base, args, max(2, min(args.levels)), seconds=args.warmup, orders=0,
                                record=False, seed=args.seed + 7)
            if warm.errors:
                print(f"# warm-up errors: {dict(warm.errors)}; e.g. {warm.error_samples[:1]}")
        results = []
        print()
        print(HEADER)
        print("|" + "---|" * (HEADER.count("|") - 1))
        for clients in args.levels:
            note = wait_until_idle(args.wait_idle)
            worker_pids = tuple(worker.pid for worker in outbox_workers)
            before = cpu_snapshot(server.pid if server else None, database, worker_pids)
            samples, wall = run_level(base, args, clients, seconds=args.duration, orders=args.orders,
                                      record=True, seed=args.seed + clients)
            cpu = cpu_share(before, cpu_snapshot(server.pid if server else None, database, worker_pids), wall)
            results.append(samples)
            print(row(label, workers, clients, samples, wall, cpu) + note, flush=True)
        print()
        print("\n".join(queries_by_lines(results)))
        samples = [e for s in results for e in s.error_samples][:3]
        if samples:
            print("\nError samples:\n  " + "\n  ".join(samples))
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        for worker in outbox_workers:
            stop_server(worker)
        stop_server(server)
        signal.signal(signal.SIGTERM, previous_sigterm)
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
