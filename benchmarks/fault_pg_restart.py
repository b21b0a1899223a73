"""PostgreSQL restart drill (issue #8, faults): gunicorn and one `comptoir worker` under a mixed load
(catalog API, a shop page, cart + checkout) while the PostgreSQL cluster is stopped and started again.

Every answer must be a success or a typed 503 (`{"code": "service_unavailable", "message", "rule": null}`
with `Retry-After` on the API; a 503 page with `Retry-After` for pages), never a 500; the service must
recover by itself (no restart of gunicorn or of the worker), and the worker must still be alive and
sending the outbox afterwards. Prints the counts and the recovery time; exits 1 on any violation.

It restarts a whole cluster, so it refuses the shared one: give it a cluster of its own, e.g.
    pg_createcluster 15 drill -p 5433 && pg_ctlcluster --skip-systemctl-redirect 15 drill start
    PYTHONPATH=src .venv/bin/python benchmarks/fault_pg_restart.py \\
        --pg-url postgres://postgres@127.0.0.1:5433/comptoir_ops_drill --cluster 15/drill
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import place_orders as server_kit  # noqa: E402  (the shared start-up helpers)
from place_orders import ADDRESS, CARD, free_port, start_server, stop_server  # noqa: E402

if not server_kit.VENV_BIN.exists():  # a git worktree without its own .venv: the running interpreter's
    server_kit.VENV_BIN = Path(sys.executable).parent

SHARED_PORT = 5432


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5433/comptoir_ops_drill",
                   help="database to DROP and create, on the cluster that will be restarted")
    p.add_argument("--cluster", default="15/drill", help="VERSION/NAME of that cluster (pg_ctlcluster)")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    p.add_argument("--stop-at", type=float, default=8.0, help="seconds into the load when PostgreSQL stops")
    p.add_argument("--down-for", type=float, default=4.0, help="seconds PostgreSQL stays down")
    p.add_argument("--brand", default="alme")
    p.add_argument("--server-log", action="store_true")
    args = p.parse_args(argv)
    url = urlsplit(args.pg_url)
    if url.hostname not in ("127.0.0.1", "localhost"):
        p.error("--pg-url: only 127.0.0.1")
    if (url.port or 5432) == SHARED_PORT or args.cluster.endswith("/main"):
        p.error("refusing to restart the shared cluster on 5432: create one of your own (see --help)")
    args.db, args.worker_class, args.threads, args.url = "postgres", "sync", 1, None
    args.port = free_port()
    return args


def pg_ctl(cluster: str, action: str) -> None:
    version, name = cluster.split("/")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]  # what a restart or failover does to open connections
    subprocess.run(command, check=True, capture_output=True)


class Tally:
    """Every answer, classified, with when it came."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.events: list[tuple[float, str]] = []  # (monotonic time, "ok" | "503" | other)
        self.samples: list[str] = []

    def add(self, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.counts[outcome] += 1
            self.events.append((time.monotonic(), outcome))
            if detail and len(self.samples) < 5:
                self.samples.append(detail)


def classify(kind: str, status: int, headers, payload: bytes) -> tuple[str, str]:
    if 200 <= status < 300:
        return "ok", ""
    if status == 503:
        retry = headers.get("Retry-After")
        if kind == "page":
            return ("503", "") if retry else ("503 without Retry-After", f"{kind}: {payload[:200]!r}")
        try:
            body = json.loads(payload)
        except ValueError:
            body = {}
        typed = body.get("code") == "service_unavailable" and "message" in body and body.get("rule", 1) is None
        return ("503", "") if typed and retry else ("503 untyped", f"{kind}: {payload[:200]!r}")
    return f"{kind} {status}", f"{kind} {status}: {payload[:300]!r}"


def call(port: int, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={"Content-Type": "application/json",
                                                             "Accept": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, response, response.read()
    finally:
        connection.close()


def shopper(port: int, brand: str, tally: Tally, stop: threading.Event, rng: random.Random) -> None:
    skus: list[str] = []
    while not stop.is_set():
        choice = rng.random()
        try:
            if choice < 0.4 or not skus:
                status, response, payload = call(port, "GET", f"/api/brands/{brand}/products")
                outcome, detail = classify("api", status, response.headers, payload)
                if outcome == "ok":
                    skus = [v["sku"] for p in json.loads(payload)["results"] for v in p["variants"] if v["purchasable"]]
            elif choice < 0.6:
                status, response, payload = call(port, "GET", f"/{brand}/products/", headers={"Accept": "text/html"})
                outcome, detail = classify("page", status, response.headers, payload)
            else:
                lines = [{"sku": sku, "quantity": 1} for sku in rng.sample(skus, min(len(skus), 2))]
                status, response, payload = call(port, "POST", f"/api/brands/{brand}/carts", {"lines": lines})
                outcome, detail = classify("api", status, response.headers, payload)
                if outcome == "ok":
                    tally.add(outcome)
                    cart = json.loads(payload)["id"]
                    body = {"email": f"drill-{uuid.uuid4().hex[:10]}@example.com", "shipping_address": ADDRESS,
                            "shipping_method": "colissimo_home", "payment": {"method": "card", "card": CARD},
                            "language": "en"}
                    status, response, payload = call(port, "POST", f"/api/brands/{brand}/carts/{cart}/checkout",
                                                     body, {"Idempotency-Key": f"drill-{uuid.uuid4()}"})
                    outcome, detail = classify("api", status, response.headers, payload)
            tally.add(outcome, detail)
        except (OSError, http.client.HTTPException) as error:
            tally.add(f"no answer ({type(error).__name__})", repr(error))
            time.sleep(0.1)
        if tally.counts.get("503") and tally.events and tally.events[-1][1] == "503":
            time.sleep(0.05)  # a shop front would honour Retry-After; a short pause keeps the tally readable


def outbox_pending(env: dict, workdir: Path) -> int:
    code = ("from comptoir.notifications.models import OutboxMessage; "
            "print(OutboxMessage.objects.filter(status='pending').count())")
    result = subprocess.run([str(server_kit.VENV_BIN / "comptoir"), "manage", "shell", "-c", code], env=env,
                            cwd=workdir, capture_output=True, text=True)
    return int(result.stdout.split()[-1]) if result.returncode == 0 and result.stdout.split() else -1


def main(argv=None) -> int:
    args = parse_args(argv)
    print("Command: " + shlex.join([sys.executable, *(sys.argv if argv is None else [__file__, *argv])]))
    workdir = Path(tempfile.mkdtemp(prefix="comptoir-pgdrill-"))
    server = worker = None
    log = open(workdir / "worker.log", "w")
    restarted = False
    try:
        env = server_kit.prepare_database(args, workdir)
        env.pop("COMPTOIR_QUERY_COUNT_HEADER", None)
        env["COMPTOIR_BASE_URL"] = f"http://127.0.0.1:{args.port}"
        server, base = start_server(args, env, workdir)
        worker = subprocess.Popen([str(server_kit.VENV_BIN / "comptoir"), "worker", "--poll", "0.3"], env=env,
                                  cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        print(f"# gunicorn ({args.workers} workers) on {base} and 1 worker; {args.clients} clients for "
              f"{args.duration:.0f} s; PostgreSQL ({args.cluster}) stopped at {args.stop_at:.0f} s for "
              f"{args.down_for:.0f} s", flush=True)
        tally, stop = Tally(), threading.Event()
        threads = [threading.Thread(target=shopper, args=(args.port, args.brand, tally, stop, random.Random(i)),
                                    daemon=True) for i in range(args.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.stop_at)
        stopped_at = time.monotonic()
        pg_ctl(args.cluster, "stop")
        print(f"# t={stopped_at - began:.1f} s: PostgreSQL stopping (fast), down at "
              f"t={time.monotonic() - began:.1f} s", flush=True)
        time.sleep(args.down_for)
        pg_ctl(args.cluster, "start")
        started_at = time.monotonic()
        restarted = True
        print(f"# t={started_at - began:.1f} s: PostgreSQL started", flush=True)
        time.sleep(max(0.0, args.duration - (time.monotonic() - began)))
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        events = sorted(tally.events)
        failures = [t for t, outcome in events if outcome != "ok"]
        first_ok_after = next((t for t, outcome in events if t >= started_at and outcome == "ok"), None)
        last_failure = max(failures) if failures else None
        recovered = last_failure is None or any(t > last_failure and o == "ok" for t, o in events)
        deadline = time.monotonic() + 60  # the worker catches up with the backlog of the load
        while (pending := outbox_pending(env, workdir)) and time.monotonic() < deadline:
            time.sleep(2)
        worker_alive = worker.poll() is None

        print("\n| outcome | answers |\n|---|---|")
        for outcome, count in sorted(tally.counts.items(), key=lambda item: -item[1]):
            print(f"| {outcome} | {count} |")
        window = f"{(last_failure - stopped_at):.1f} s after the stop" if last_failure else "none"
        print(f"\n- failures from {((min(failures) - stopped_at) if failures else 0):.1f} s to {window} "
              f"(PostgreSQL down {started_at - stopped_at:.1f} s)")
        print(f"- first success {((first_ok_after - started_at) if first_ok_after else float('nan')):.2f} s after "
              f"PostgreSQL was back; last failure {((last_failure - started_at) if last_failure else 0):.2f} s after it")
        print(f"- worker still running: {worker_alive}; outbox pending after the drill: {pending} "
              f"(all sent by the same worker process)")
        if tally.samples:
            print("- samples: " + "; ".join(tally.samples[:5]))
        bad = {k: v for k, v in tally.counts.items() if k not in ("ok", "503")}
        violations = []
        if bad:
            violations.append(f"answers other than success or typed 503: {bad}")
        if not recovered or first_ok_after is None:
            violations.append("the service did not recover by itself")
        if not worker_alive:
            violations.append("the worker died")
        if pending:
            violations.append(f"{pending} outbox messages still pending after the drill")
        if violations:
            print("\nVIOLATIONS:\n" + "\n".join(f"- {v}" for v in violations))
            return 1
        print("\nOK: only successes and typed 503s with Retry-After; recovered without restarting anything")
        return 0
    finally:
        if not restarted:
            try:
                pg_ctl(args.cluster, "start")
            except subprocess.CalledProcessError:
                pass
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        stop_server(server)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
