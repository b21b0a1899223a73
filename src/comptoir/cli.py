"""The `comptoir` command line: demo, serve, worker, brands, payments, seed-orders, migrate (and Django's own
commands).

The CLI is an edge: it reads the wall clock, or `--now` when the test clock is enabled.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    import django
    from django.conf import settings

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    django.setup()


def _now(text: str | None):
    from django.conf import settings

    from comptoir.core.clock import parse_instant, wall_clock

    if text is None:
        return wall_clock()
    if not settings.TEST_CLOCK:
        sys.exit("--now needs the test clock: set COMPTOIR_TEST_CLOCK=1 (never in production).")
    try:
        return parse_instant(text)
    except ValueError:
        sys.exit(f"--now: not an ISO 8601 instant: {text!r}")


def migrate(args) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    return 0


def brands_load(args) -> int:
    from comptoir.brands.presets import PresetError, bundled_preset_folders, load_preset

    folders = [Path(p) for p in args.paths] or bundled_preset_folders()
    now = _now(args.now)
    for index, folder in enumerate(folders, start=1):
        try:
            brand = load_preset(folder, now=now)
        except PresetError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"[{index}/{len(folders)}] loaded {brand.slug}: {brand.products.count()} products, "
              f"{brand.faq_entries.count()} FAQ entries")
    return 0


def brands_list(args) -> int:
    from comptoir.brands.models import Brand

    for brand in Brand.objects.all():
        print(f"{brand.slug:20} {brand.name}")
    return 0


def demo_setup(args) -> int:
    """Migrate, load the bundled brands, create one shopper and one staff login per brand."""
    from comptoir.brands.demo import create_demo_accounts
    from comptoir.discounts.demo import create_demo_discounts
    from comptoir.brands.presets import bundled_preset_folders, load_preset, read_preset

    migrate(args)
    now = _now(None)
    print("Loading the demo brands…")
    for folder in bundled_preset_folders():
        brand = load_preset(folder, now=now)
        preset = read_preset(folder)
        logins = create_demo_accounts(brand, preset.demo, now=now) if preset.demo else []
        create_demo_discounts(brand, now)
        print(f"  {brand.name} ({brand.slug})")
        for line in logins:
            print(f"    {line}")
    print("  Back office superuser: admin / comptoir-admin (http://127.0.0.1:8000/admin/)")
    return 0


def _prepare_assistant(now) -> None:
    """With the assistant's dense encoder installed, encode the FAQ passages now (about 15 s of CPU the first
    time, then read back from COMPTOIR_VAR_DIR) rather than during the first shopper's question."""
    from comptoir.brands.models import Brand
    from comptoir.care.help_center import brand_index, notice_state
    from comptoir.care.hybrid import dense_enabled

    if not dense_enabled():
        return
    print("Preparing the assistant's index (dense vectors of the FAQ)…", flush=True)
    for brand in Brand.objects.order_by("slug"):
        brand_index(brand, notice_state(brand, now))
        print(f"  {brand.name}", flush=True)


def demo(args) -> int:
    code = demo_setup(args)
    if code:
        return code
    if args.no_serve:
        _prepare_assistant(_now(None))  # serve does it otherwise
        return 0
    return serve(argparse.Namespace(bind=args.bind, workers=2, with_worker=True))


def serve(args) -> int:
    """gunicorn for HTTP, plus a worker process for e-mails and sweeps when asked."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _prepare_assistant(_now(None))  # the first shopper's question does not wait for the FAQ's encoding
    children = []
    if args.with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "comptoir.cli", "worker"]))
    command = [sys.executable, "-m", "gunicorn", "comptoir.wsgi", "--bind", args.bind,
               "--workers", str(args.workers), "--access-logfile", "-"]
    print(f"Comptoir is serving on http://{args.bind}/ (API docs: http://{args.bind}/api/docs)")
    server = subprocess.Popen(command, env={**os.environ, "COMPTOIR_VAR_DIR": str(settings.VAR_DIR)})
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGTERM)
        return server.wait()
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=10)


def worker(args) -> int:
    from comptoir.worker.loop import run_worker
    from comptoir.worker.tasks import SLOW_SWEEPS, SWEEP_TASKS

    fixed_now = _now(args.now) if args.now else None
    rounds = run_worker(tasks=SWEEP_TASKS, once=args.once, fixed_now=fixed_now, poll_seconds=args.poll,
                        every=SLOW_SWEEPS)
    print(f"worker stopped after {rounds} round(s)")
    return 0


def seed_orders(args) -> int:
    """Seed a large order history for load tests, with a progress bar on stderr (issue #8)."""
    from comptoir.brands.models import Brand
    from comptoir.seeding.orders import SEED_PASSWORD, SeedRefused, seed_orders as seed
    from comptoir.seeding.progress import ProgressBar

    if args.orders < 0 or args.customers < 0 or args.batch < 1:
        sys.exit("--orders and --customers must be ≥ 0, --batch ≥ 1")
    brand = Brand.objects.filter(slug=args.brand).first()
    if brand is None:
        print(f"error: no brand {args.brand!r} (comptoir brands load first)", file=sys.stderr)
        return 2
    progress = ProgressBar(args.orders, "orders")
    try:
        report = seed(brand, orders=args.orders, customers=args.customers, seed=args.seed, now=_now(args.now),
                      days=args.days, batch_size=args.batch, progress=progress)
    except SeedRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    progress.finish()
    rows = report.orders + report.lines + report.events + report.payments + report.entries + report.customers
    print(f"seeded {brand.slug} (--seed {args.seed}): {report.orders:,} orders, {report.lines:,} lines, "
          f"{report.events:,} events, {report.payments:,} payments, {report.entries:,} ledger entries, "
          f"{report.customers:,} customers in {report.seconds:.1f} s "
          f"({report.orders / max(report.seconds, 1e-9):,.0f} orders/s, {rows / max(report.seconds, 1e-9):,.0f} rows/s)")
    print(f"customers sign in as seed{args.seed}-<0..{max(args.customers - 1, 0)}>@example.com "
          f"with the password {SEED_PASSWORD!r}")
    return 0


def payments_import_transfers(args) -> int:
    """Record the transfers of a bank statement CSV (AA-PAY-03); prints the report."""
    from comptoir.brands.services import get_brand
    from comptoir.core.errors import DomainError
    from comptoir.payments.transfers import import_transfers

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
        report = import_transfers(get_brand(args.brand), text, actor="cli", now=_now(args.now))
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"error: {error.message('en')}", file=sys.stderr)
        return 2
    for title, rows in (("matched", report.matched), ("already recorded", report.already_recorded),
                        ("unmatched", report.unmatched)):
        print(f"{title}: {len(rows)}")
        for row in rows:
            detail = row.get("reason") or f"{row['status']}, {row['remaining_minor']} still due (minor units)"
            print(f"  line {row['line']}: {row['date']} {row['amount_minor']} {row['reference']!r} "
                  f"-> {row['order'] or '-'} ({detail})")
    return 0


def ask(args) -> int:
    """Ask the help-center assistant a question, as a guest (ALL-CARE-04); --json prints the API body."""
    import json

    from comptoir.brands.services import get_brand
    from comptoir.care.services import ask as ask_assistant
    from comptoir.core.errors import DomainError

    try:
        brand = get_brand(args.brand)
    except DomainError as error:
        print(f"error: {error.message('en')}", file=sys.stderr)
        return 2
    result = ask_assistant(brand, args.question, language=args.language, customer=None, now=_now(args.now))
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
        return 0
    for answer in result.answers:
        print(f"[{answer.score:.2f}] {answer.question}\n  {answer.answer}\n  {answer.url}\n")
    if result.handover is not None:
        handover = result.handover
        contact = handover.contact
        when = "open now" if handover.open_now else f"next opening {handover.next_opening:%Y-%m-%d %H:%M %Z}" \
            if handover.next_opening else "no opening hours published"
        print(f"No answer in the help center ({handover.reason}). Contact: {contact['email']} "
              f"{contact['phone']}".rstrip() + f" ({when})")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="comptoir", description="Orders, after-sales and customer care.")
    commands = root.add_subparsers(dest="command", required=True)

    p = commands.add_parser("demo", help="set up the demo (SQLite, four brands) and serve on 127.0.0.1:8000")
    p.add_argument("--bind", default="127.0.0.1:8000")
    p.add_argument("--no-serve", action="store_true", help="set up only")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(handler=demo)

    p = commands.add_parser("serve", help="serve HTTP with gunicorn")
    p.add_argument("--bind", default="127.0.0.1:8000")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--with-worker", action="store_true", help="also run a background worker")
    p.set_defaults(handler=serve)

    p = commands.add_parser("worker", help="run due sweeps and send the outbox (e-mails, webhooks)")
    p.add_argument("--once", action="store_true", help="one round, then exit")
    p.add_argument("--now", help="ISO 8601 instant (test clock only)")
    p.add_argument("--poll", type=float, default=1.0, help="seconds to wait when idle")
    p.set_defaults(handler=worker)

    p = commands.add_parser("migrate", help="create or upgrade the database schema")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(handler=migrate)

    brands = commands.add_parser("brands", help="brand presets").add_subparsers(dest="action", required=True)
    p = brands.add_parser("load", help="add or update brands from preset folders (default: the bundled ones)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--now", help="ISO 8601 instant (test clock only)")
    p.set_defaults(handler=brands_load)
    p = brands.add_parser("list", help="list the brands")
    p.set_defaults(handler=brands_list)

    p = commands.add_parser(
        "seed-orders", help="seed a large history of delivered orders (load tests)",
        description="Writes delivered orders with their lines, events, card payments and ledger entries, and "
                    "the customers who placed them, in batches of one transaction each (COPY on PostgreSQL). "
                    "Stock is not touched. Running twice with one --seed is refused; another --seed appends.",
    )
    p.add_argument("--brand", required=True, help="brand slug")
    p.add_argument("--orders", type=int, default=1000, help="orders to write")
    p.add_argument("--customers", type=int, default=100, help="customers to create (a fifth of orders are guests)")
    p.add_argument("--seed", type=int, default=1, help="random seed; also marks the data set")
    p.add_argument("--days", type=int, default=730, help="orders are spread over this many days before now")
    p.add_argument("--batch", type=int, default=5000, help="orders per transaction")
    p.add_argument("--now", help="ISO 8601 instant (test clock only)")
    p.set_defaults(handler=seed_orders)

    payments = commands.add_parser("payments", help="payments back office").add_subparsers(dest="action",
                                                                                        required=True)
    p = payments.add_parser(
        "import-transfers", help="record the bank transfers of a statement CSV",
        description="CSV with a header naming the columns date, amount, reference (',' or ';' separated); "
                    "dates YYYY-MM-DD or DD/MM/YYYY; amounts in euros with '.' or ',' decimals. Each credit is "
                    "matched to the order whose number its reference carries; importing twice records nothing twice.",
    )
    p.add_argument("file")
    p.add_argument("--brand", required=True, help="brand slug")
    p.add_argument("--now", help="ISO 8601 instant (test clock only)")
    p.set_defaults(handler=payments_import_transfers)

    p = commands.add_parser("ask", help="ask the help-center assistant a question")
    p.add_argument("question")
    p.add_argument("--brand", required=True, help="brand slug")
    p.add_argument("--language", choices=["en", "fr"], help="answer language (default: detected)")
    p.add_argument("--json", action="store_true", help="print the API's JSON body")
    p.add_argument("--now", help="ISO 8601 instant (test clock only)")
    p.set_defaults(handler=ask)

    p = commands.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=None)
    return root


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    _setup()
    if args.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["comptoir manage", *args.rest])
        return 0
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
