"""Kill -9 drill (issue #8, faults): gunicorn (several workers) and two `comptoir worker` processes on
PostgreSQL under order-placement load; in the middle, SIGKILL the whole app server and one worker, restart
them, let the load finish and the outbox drain, then check that nothing acknowledged was lost and nothing
moved twice. Prints the counts; exits 1 on any violation.

Checks:
- every order a client saw acknowledged (checkout 201) exists, confirmed and captured;
- stock: for every variant, units reserved (initial − current stock) == units on the lines of its live
  orders (not cancelled, refused or payment_failed);
- payments: a confirmed order's capture entries sum to its total; no payment has more than one capture
  or captures beyond its authorisations; the sandbox PSP captured exactly what the ledger says, once;
- gift cards and credit notes: balance == sum of entries, never negative;
- outbox: nothing pending or failed once drained; every sent e-mail reached the mailbox at least once,
  duplicates (a worker killed between sending and marking sent) carry the same idempotency key, so the
  receiver drops them — counted and printed.

Clients retry like a careful shop front: a checkout that got no answer (connection refused or reset,
503) is retried with the same Idempotency-Key until it answers.

    PYTHONPATH=src .venv/bin/python benchmarks/fault_kill9.py --pg-url postgres://postgres@127.0.0.1:5432/comptoir_ops_fault
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import place_orders as server_kit  # noqa: E402  (the shared start-up helpers)
from place_orders import ADDRESS, CARD, LARGE_STOCK, free_port, start_server, stop_server  # noqa: E402

if not server_kit.VENV_BIN.exists():  # a git worktree without its own .venv: the running interpreter's
    server_kit.VENV_BIN = Path(sys.executable).parent

CLAIM_LEASE = timedelta(minutes=2)  # read from comptoir.notifications.services once Django is set up
RELEASED = ("cancelled", "refused", "payment_failed")
PAID = ("confirmed", "delivered")  # delivered: an order of e-gift cards only, delivered by e-mail


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/comptoir_ops_fault",
                   help="PostgreSQL database to DROP and create")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    p.add_argument("--kill-at", type=float, default=8.0, help="seconds into the load when both are killed")
    p.add_argument("--down-for", type=float, default=2.0, help="seconds before they are restarted")
    p.add_argument("--drain-timeout", type=float, default=90.0, help="seconds to wait for the outbox to drain")
    p.add_argument("--brand", default="alme")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--server-log", action="store_true")
    args = p.parse_args(argv)
    args.db, args.worker_class, args.threads, args.url = "postgres", "sync", 1, None
    args.port = free_port()
    return args


# ---------------------------------------------------------------------------------------------
# Processes


def start_worker(env: dict, workdir: Path, log) -> subprocess.Popen:
    return subprocess.Popen([str(server_kit.VENV_BIN / "comptoir"), "worker", "--poll", "0.3"], env=env,
                            cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill9(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything in its session (gunicorn's master and its workers)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill9(process)


# ---------------------------------------------------------------------------------------------
# Load


class Shopper:
    """Places orders one after another; retries a checkout with the same key until it gets an answer."""

    def __init__(self, port: int, brand: str, rng: random.Random, stop: threading.Event):
        self.port, self.brand, self.rng, self.stop = port, brand, rng, stop
        self.acknowledged: list[str] = []
        self.outcomes: Counter = Counter()
        self.skus: list[str] = []

    def call(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=data, headers={"Content-Type": "application/json",
                                                                 "Accept": "application/json", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def persist(self, what: str, method: str, path: str, body=None, headers=None, give_up_at: float = 0.0):
        """Call until the server answers something other than 5xx (or the time is up): (status, body)."""
        while True:
            try:
                status, payload = self.call(method, path, body, headers)
                if status < 500:
                    return status, payload
                self.outcomes[f"{what} {status} (retried)"] += 1
            except (OSError, http.client.HTTPException):
                self.outcomes[f"{what} no answer (retried)"] += 1
            if time.monotonic() > give_up_at:
                return None, b""
            time.sleep(0.2)

    def run(self) -> None:
        while not self.stop.is_set():
            give_up_at = time.monotonic() + 60
            if not self.skus:
                status, payload = self.persist("browse", "GET", f"/api/brands/{self.brand}/products",
                                               give_up_at=give_up_at)
                if status != 200:
                    continue
                self.skus = [v["sku"] for p in json.loads(payload)["results"] for v in p["variants"]
                             if v["purchasable"] and not p.get("is_gift_card")]
            lines = [{"sku": sku, "quantity": self.rng.randint(1, 2)}
                     for sku in self.rng.sample(self.skus, self.rng.randint(1, 3))]
            status, payload = self.persist("cart", "POST", f"/api/brands/{self.brand}/carts", {"lines": lines},
                                           give_up_at=give_up_at)
            if status != 201:
                self.outcomes[f"cart {status}"] += 1
                continue
            cart_id = json.loads(payload)["id"]
            body = {"email": f"kill9-{uuid.uuid4().hex[:12]}@example.com", "shipping_address": ADDRESS,
                    "shipping_method": "colissimo_home", "payment": {"method": "card", "card": CARD},
                    "language": "en"}
            key = f"kill9-{uuid.uuid4()}"
            status, payload = self.persist("checkout", "POST", f"/api/brands/{self.brand}/carts/{cart_id}/checkout",
                                           body, {"Idempotency-Key": key}, give_up_at=give_up_at)
            self.outcomes[f"checkout {status}"] += 1
            if status in (200, 201):  # 200: a retry replayed by its key
                self.acknowledged.append(json.loads(payload)["number"])


# ---------------------------------------------------------------------------------------------
# Checks (run in this process, with Django pointed at the drill's database)


def setup_django(env: dict) -> None:
    for name in ("DATABASE_URL", "COMPTOIR_VAR_DIR"):
        os.environ[name] = env[name]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    global CLAIM_LEASE
    from comptoir.notifications.services import CLAIM_LEASE


def outbox_backlog() -> dict:
    from django.db.models import Count

    from comptoir.notifications.models import OutboxMessage

    return dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")))


def due_backlog() -> int:
    """Pending messages a running worker may send now (not leased to a dead worker)."""
    from comptoir.notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(status="pending", available_at__lte=datetime.now(timezone.utc)).count()


def check(acknowledged: list[str], brand_slug: str, mail_dir: Path) -> tuple[list[str], list[str]]:
    """(facts, violations)."""
    from django.db.models import Count, Q, Sum

    from comptoir.catalog.models import Variant
    from comptoir.giftcards.models import StoredValueCard
    from comptoir.notifications.models import OutboxMessage
    from comptoir.orders.models import Order, OrderLine
    from comptoir.payments.models import Payment, PaymentEntry
    from comptoir.psp_sandbox.models import SandboxOperation, SandboxTransaction

    facts, violations = [], []
    orders = Order.objects.filter(brand__slug=brand_slug)
    statuses = dict(orders.values_list("status").annotate(n=Count("id")))
    facts.append(f"orders in the database: {sum(statuses.values())} {statuses}")

    # 1. Acknowledged orders exist, confirmed and captured.
    found = dict(orders.filter(number__in=acknowledged).values_list("number", "status"))
    missing = [n for n in acknowledged if n not in found]
    not_confirmed = {n: s for n, s in found.items() if s not in PAID}  # e.g. stuck between placement and payment
    facts.append(f"acknowledged by the server: {len(acknowledged)} (distinct {len(set(acknowledged))}); "
                 f"found {len(found)}; not acknowledged but placed: {orders.exclude(number__in=acknowledged).count()}")
    if missing:
        violations.append(f"{len(missing)} acknowledged orders are missing, e.g. {missing[:3]}")
    if not_confirmed:
        violations.append(f"{len(not_confirmed)} acknowledged orders are not confirmed: {list(not_confirmed.items())[:3]}")

    # 2. Stock: reserved units == units on live orders' lines, variant by variant.
    held = dict(OrderLine.objects.filter(order__brand__slug=brand_slug).exclude(order__status__in=RELEASED)
                .values_list("variant_id").annotate(units=Sum("quantity")))
    wrong = []
    for variant_id, stock in Variant.objects.filter(brand__slug=brand_slug).values_list("id", "stock"):
        if LARGE_STOCK - stock != held.get(variant_id, 0):
            wrong.append((variant_id, LARGE_STOCK - stock, held.get(variant_id, 0)))
    facts.append(f"stock: {sum(held.values())} units held by live orders; variants out of balance: {len(wrong)}")
    if wrong:
        violations.append(f"stock out of balance (variant, reserved, on live lines): {wrong[:5]}")

    # 3. Payments: ledgers sum to totals; nothing captured twice, here or at the PSP.
    entries = PaymentEntry.objects.filter(payment__order__brand__slug=brand_slug)
    per_payment = {row["payment_id"]: row for row in entries.values("payment_id").annotate(
        captured=Sum("amount_minor", filter=Q(kind="capture"), default=0),
        authorised=Sum("amount_minor", filter=Q(kind="authorisation"), default=0),
        captures=Count("id", filter=Q(kind="capture")))}
    payments = Payment.objects.filter(order__brand__slug=brand_slug).select_related("order")
    amounts = dict(payments.values_list("pk", "amount_minor"))
    twice = [p for p, row in per_payment.items() if row["captures"] > 1 or row["captured"] > amounts[p]]
    if twice:
        violations.append(f"{len(twice)} payments captured twice or beyond their amount: {twice[:3]}")
    unpaid = []
    for payment in payments.filter(order__status__in=PAID):
        if per_payment.get(payment.pk, {}).get("captured", 0) != payment.order.total_minor:
            unpaid.append(payment.order.number)
    if unpaid:
        violations.append(f"{len(unpaid)} paid orders whose captures do not sum to the total: {unpaid[:3]}")
    ledger = {p.psp_reference: per_payment.get(p.pk, {}).get("captured", 0) for p in payments if p.psp_reference}
    psp = dict(SandboxTransaction.objects.filter(psp_reference__in=list(ledger))
               .values_list("psp_reference", "amount_captured_minor"))
    psp_mismatch = [ref for ref, amount in ledger.items() if psp.get(ref, 0) != amount]
    psp_twice = SandboxOperation.objects.filter(kind="capture", transaction__psp_reference__in=list(ledger)) \
        .values("transaction_id").annotate(n=Count("id")).filter(n__gt=1).count()
    facts.append(f"payments: {payments.count()}, ledger captures {sum(r['captured'] for r in per_payment.values())} "
                 f"minor units; PSP transactions differing from the ledger: {len(psp_mismatch)}; "
                 f"PSP transactions captured more than once: {psp_twice}")
    if psp_mismatch:
        violations.append(f"PSP captured amounts differ from the ledger for {psp_mismatch[:3]}")
    orphans = list(SandboxTransaction.objects.filter(amount_captured_minor__gt=0)
                   .exclude(psp_reference__in=list(ledger)).values_list("merchant_reference", "amount_captured_minor"))
    facts.append(f"PSP captures unknown to the shop's ledger: {len(orphans)} {orphans[:3]}")
    if orphans:
        violations.append(f"money captured at the PSP that no payment of the shop records: {orphans[:3]}")
    if psp_twice:
        violations.append(f"{psp_twice} PSP transactions captured more than once")

    # 4. Gift cards and credit notes: balance is the sum of entries, never negative.
    bad_cards = [c.pk for c in StoredValueCard.objects.annotate(total=Sum("entries__amount_minor", default=0))
                 if c.balance_minor != c.total or c.balance_minor < 0]
    facts.append(f"gift cards / credit notes: {StoredValueCard.objects.count()}, out of balance: {len(bad_cards)}")
    if bad_cards:
        violations.append(f"stored-value cards out of balance: {bad_cards[:5]}")

    # 5. Outbox: drained, each sent e-mail delivered at least once; duplicates share the key.
    backlog = outbox_backlog()
    delivered = Counter()
    for path in mail_dir.glob("*") if mail_dir.exists() else []:
        text = re.sub(r"\r?\n[ \t]+", " ", path.read_text(errors="replace"))  # unfold long headers
        delivered.update(re.findall(r"^X-Comptoir-Idempotency-Key:\s*(\S+)", text, re.M))
    sent = list(OutboxMessage.objects.filter(status="sent", channel="email").values_list("idempotency_key", flat=True))
    lost = [key for key in sent if delivered[key] == 0]
    duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    facts.append(f"outbox: {backlog}; e-mails delivered {sum(delivered.values())} for {len(delivered)} keys, "
                 f"duplicate deliveries (dropped by the receiver's key): {duplicates}; sent but never delivered: "
                 f"{len(lost)}")
    if backlog.get("pending") or backlog.get("failed"):
        violations.append(f"outbox not drained: {backlog}")
    if lost:
        violations.append(f"{len(lost)} e-mails marked sent were never delivered: {lost[:3]}")
    unknown = set(delivered) - set(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    if unknown:
        violations.append(f"{len(unknown)} deliveries with no outbox message: {sorted(unknown)[:3]}")
    return facts, violations


# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    print("Command: " + shlex.join([sys.executable, *(sys.argv if argv is None else [__file__, *argv])]))
    if urlsplit(args.pg_url).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("--pg-url: only 127.0.0.1")
    workdir = Path(tempfile.mkdtemp(prefix="comptoir-kill9-"))
    server, workers = None, []
    logs = open(workdir / "workers.log", "w")
    try:
        env = server_kit.prepare_database(args, workdir)
        env.pop("COMPTOIR_QUERY_COUNT_HEADER", None)
        # The sandbox PSP's webhooks (sent by the workers) must reach this server, as a real PSP's would.
        env["COMPTOIR_BASE_URL"] = f"http://127.0.0.1:{args.port}"
        server, base = start_server(args, env, workdir)
        workers = [start_worker(env, workdir, logs) for _ in range(2)]
        print(f"# gunicorn ({args.workers} workers) on {base}, 2 comptoir workers; {args.clients} shoppers for "
              f"{args.duration:.0f} s; kill -9 of the app server and worker 1 at {args.kill_at:.0f} s, "
              f"restart {args.down_for:.0f} s later", flush=True)
        stop = threading.Event()
        shoppers = [Shopper(args.port, args.brand, random.Random(args.seed * 100 + i), stop)
                    for i in range(args.clients)]
        threads = [threading.Thread(target=s.run, daemon=True) for s in shoppers]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.kill_at)
        acknowledged_before = sum(len(s.acknowledged) for s in shoppers)
        kill9(server)
        kill9(workers[0])
        print(f"# t={time.monotonic() - began:.1f} s: killed -9 gunicorn (pid {server.pid}, its group) and worker "
              f"{workers[0].pid}; {acknowledged_before} orders acknowledged so far", flush=True)
        time.sleep(args.down_for)
        server, _ = start_server(args, env, workdir)
        workers[0] = start_worker(env, workdir, logs)
        print(f"# t={time.monotonic() - began:.1f} s: restarted; answering again", flush=True)
        time.sleep(max(0.0, args.duration - (time.monotonic() - began)))
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        acknowledged = [n for s in shoppers for n in s.acknowledged]
        outcomes = Counter()
        for s in shoppers:
            outcomes.update(s.outcomes)
        print(f"# load over after {time.monotonic() - began:.1f} s: {len(acknowledged)} orders acknowledged; "
              f"client outcomes: {dict(sorted(outcomes.items()))}", flush=True)

        setup_django(env)
        deadline = time.monotonic() + args.drain_timeout
        while time.monotonic() < deadline and due_backlog():
            time.sleep(1)
        for worker in workers:
            stop_worker(worker)
        stop_server(server)
        server = None
        # Messages the killed worker had claimed stay out of sight for CLAIM_LEASE (2 min), then any
        # worker sends them again. Rather than wait, one last round runs with the clock moved past it.
        leased = outbox_backlog().get("pending", 0)
        if leased:
            later = datetime.now(timezone.utc) + CLAIM_LEASE + timedelta(minutes=1)
            print(f"# {leased} messages still leased to the killed worker: one round at {later:%H:%M:%S} "
                  f"(test clock, past the {CLAIM_LEASE} lease)", flush=True)
            result = subprocess.run([str(server_kit.VENV_BIN / "comptoir"), "worker", "--once", "--now",
                                     later.isoformat()], env={**env, "COMPTOIR_TEST_CLOCK": "1"}, cwd=workdir,
                                    capture_output=True, text=True)
            if result.returncode:
                print(f"# that round failed: {result.stderr[-500:]}")
        facts, violations = check(acknowledged, args.brand, Path(env["COMPTOIR_VAR_DIR"]) / "mail")
        print("\n".join(f"- {fact}" for fact in facts))
        if violations:
            print("\nVIOLATIONS:\n" + "\n".join(f"- {v}" for v in violations))
            return 1
        print("\nOK: no acknowledged order lost, stock and ledgers balance, each e-mail sent once per key, "
              "no money moved twice")
        return 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                kill9(worker)
        stop_server(server)
        logs.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
