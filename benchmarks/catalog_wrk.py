"""Catalog throughput with an efficient load generator: wrk (C, from Debian's `wrk` package) against a real
gunicorn, so that the figure measures the server rather than a Python client sharing its two cores.

Prepares the database and starts gunicorn as place_orders.py does (imported), then, for each page and
concurrency level, runs `wrk --latency -t2 -cC -dD` and prints one markdown row: requests/s, latency
percentiles, non-2xx answers, and the CPU cores used by gunicorn, PostgreSQL and everything else (wrk).
Only talks to 127.0.0.1.

    PYTHONPATH=src .venv/bin/python benchmarks/catalog_wrk.py --db postgres --workers 3 --duration 10
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import place_orders as server_kit

PAGES = {
    "catalog API (24 products)": "/api/brands/{brand}/products",
    "product list page (HTML)": "/{brand}/products/",
    "product page (HTML)": "/{brand}/products/{product}/",
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/comptoir_wrk_bench",
                   help="PostgreSQL database to DROP and create")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    p.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread: keeps connections open)")
    p.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    p.add_argument("--concurrency", default="32", help="comma-separated connection counts")
    p.add_argument("--duration", type=int, default=10, help="seconds per page and level")
    p.add_argument("--brand", default="alme")
    p.add_argument("--wait-idle", type=float, default=0.0, help="wait up to this long for a quiet machine")
    p.add_argument("--server-log", action="store_true")
    args = p.parse_args(argv)
    args.levels = [int(x) for x in args.concurrency.split(",")]
    # What place_orders.start_server reads.
    args.port = 0
    return args


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str, clients: int, seconds: int) -> dict:
    threads = max(1, min(2, clients))
    result = subprocess.run(["wrk", "--latency", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", url],
                            capture_output=True, text=True, check=True)
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": milliseconds(percentiles["50"]), "p90": milliseconds(percentiles["90"]),
        "p99": milliseconds(percentiles["99"]),
        "errors": (f"non-2xx {non_2xx.group(1)}" if non_2xx else "") + (f" sockets {errors.group(1)}" if errors else ""),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="comptoir-wrk-"))
    server = None
    try:
        env = server_kit.prepare_database(args, workdir)
        server, base = server_kit.start_server(args, env, workdir)
        database = urlsplit(args.pg_url).path.lstrip("/") if args.db == "postgres" else None
        _, _, body = server_kit.request_once(base, "GET", f"/api/brands/{args.brand}/products?limit=1")
        product = json.loads(body)["results"][0]["slug"]
        print(f"# gunicorn {args.workers} {args.worker_class} workers, wrk on the same {os.cpu_count()}-core machine")
        print("\n| page | C | req/s | p50 / p90 / p99 ms | errors | CPU cores app/workers/pg/wrk+other |")
        print("|---|---|---|---|---|---|")
        for label, path in PAGES.items():
            url = base + path.format(brand=args.brand, product=product)
            server_kit.request_once(base, "GET", urlsplit(url).path)  # warm this page's caches
            for clients in args.levels:
                note = server_kit.wait_until_idle(args.wait_idle)
                before = server_kit.cpu_snapshot(server.pid, database)
                measured = run_wrk(url, clients, args.duration)
                cpu = server_kit.cpu_share(before, server_kit.cpu_snapshot(server.pid, database), args.duration)
                app, workers, pg, _, other = cpu.split("/")
                print(f"| {label} | {clients} | {measured['rps']:.0f} | {measured['p50']:.1f} / {measured['p90']:.1f} / "
                      f"{measured['p99']:.1f} | {measured['errors'] or 0} | {app}/{workers}/{pg}/{other} |{note}",
                      flush=True)
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        server_kit.stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
