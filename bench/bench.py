"""The Python half of bench/run: measure one scale, then print the table of all scales.

    bench.py measure --scale 1x --mode warm --base http://127.0.0.1:PORT --duration 10 --out FILE
        Gets API tokens from the running server (POST /api/v1/auth/token/), counts the
        queries per request in-process (Django's test client on the same database, settings
        from the environment), and runs wrk against every target. Writes JSON. ``--mode``
        says how the server was started: ``warm`` with its caches, ``cold`` with
        CACHE_URL=dummy:// (every request takes the uncached path).
    bench.py report FILE ...
        Prints one table with every scale, warm and cold side by side, the ratios to the
        floor and the targets.

Only 127.0.0.1 is ever contacted.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COORDINATOR, EDITOR = "bench-koordination", "bench-redaktion"
WHO = ("anon", "coord", "editor")

# (key, path, kind); kind decides which target applies. {measure} is filled in.
TARGETS = (
    ("static", "/static/css/site.css", "floor"),
    ("home", "/", "public"),
    ("field", "/handlungsfelder/industriepolitik/", "public"),
    ("list", "/massnahmen/", "public-list"),
    ("detail", "/massnahmen/{measure}/", "public"),
    ("dashboard", "/fortschritt/", "public"),
    ("api", "/api/v1/measures/", "api-list"),
    ("api-goals", "/api/v1/goals/", "api-list"),
)
# What wrk loads: every page anonymously, the API lists also with each account's token.
LOADS = [(key, "anon") for key, _path, _kind in TARGETS] + [
    (key, who) for key, _path, kind in TARGETS if kind == "api-list" for who in ("coord", "editor")
]
# Shares of the floor's throughput (a static file from the same processes) to reach.
WARM_TARGETS = {"public": 0.5, "public-list": 0.5, "api-list": 0.25}
COLD_TARGETS = {"public": 0.15, "public-list": 0.15, "api-list": 0.10}
# p50 latency without the cache at a larger scale, as a multiple of the 1x p50 at most.
COLD_GROWTH = {"10x": 1.3, "100x": 2.0}
WRK_TIMEOUT = 60  # seconds beyond the run's duration before wrk is given up


# --- measuring one scale ----------------------------------------------------------------------


def get_token(base: str, username: str, password: str) -> str:
    data = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base}/api/v1/auth/token/", data=data, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # 127.0.0.1 only
        return json.load(response)["token"]


def setup_django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def count_queries(paths: dict[str, str], tokens: dict[str, str]) -> dict:
    """Queries of the first (cold cache) and second (warm) request, per target and user."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    users = {
        "coord": User.objects.get(username=COORDINATOR),
        "editor": User.objects.get(username=EDITOR),
    }
    result: dict = {}
    for who in WHO:
        client = Client(HTTP_HOST="127.0.0.1")
        headers = {}
        if who != "anon":
            client.force_login(users[who])
        client.get("/healthz")  # process-wide caches (content types, …) are not per page
        for key, path in paths.items():
            if key == "static":
                continue
            if key.startswith("api") and who != "anon":
                headers = {"Authorization": f"Token {tokens[who]}"}
                client.logout()  # the API is measured as wrk loads it: by token
            counts, statuses = [], []
            for _attempt in range(2):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path, headers=headers)
                counts.append(len(captured.captured_queries))
                statuses.append(response.status_code)
            result.setdefault(key, {})[who] = {
                "cold": counts[0],
                "warm": counts[1],
                "status": statuses,
                "uncached_ms": uncached_ms(client, path, headers),
            }
    return result


def uncached_ms(client, path: str, headers: dict) -> float:
    """What rendering the response costs without the cache (best of three), in-process."""
    from django.core.cache import cache

    times = []
    for _attempt in range(3):
        cache.clear()
        started = time.perf_counter()
        client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def pick_measure() -> int:
    """A published measure anybody may see, from the middle of the list, with comments: the
    same kind of page at every scale (a page with comments runs a few more queries)."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.contenttypes.models import ContentType

    from comments.models import Comment
    from measures.models import Measure
    from measures.permissions import measures_visible_to

    commented = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Measure)
    ).values("object_id")
    visible = (
        measures_visible_to(AnonymousUser())
        .filter(pk__in=commented)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return visible[visible.count() // 2]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = re.search(r"(\d+) requests in", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": _ms(p50.group(1)) if p50 else None,
        "p99": _ms(p99.group(1)) if p99 else None,
        "requests": int(total.group(1)) if total else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def run_wrk(url: str, duration: int, token: str | None) -> dict:
    header = ["-H", f"Authorization: Token {token}"] if token else []
    # A short warm-up fills each worker's caches and connection; only the second run counts.
    for seconds in (1, duration):
        command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "10s"]
        completed = subprocess.run(
            [*command, *header, url],
            capture_output=True,
            text=True,
            timeout=seconds + WRK_TIMEOUT,
            check=True,
        )
    return parse_wrk(completed.stdout)


def measure(args) -> None:
    if urllib.parse.urlsplit(args.base).hostname != "127.0.0.1":
        sys.exit("bench.py: only 127.0.0.1 is benchmarked")
    tokens = {
        "coord": get_token(args.base, COORDINATOR, args.password),
        "editor": get_token(args.base, EDITOR, args.password),
    }
    queries_paths = {key: path for key, path, _kind in TARGETS}
    setup_django()
    measure_id = pick_measure()
    paths = {key: path.format(measure=measure_id) for key, path in queries_paths.items()}
    queries = count_queries(paths, tokens)
    loads = {}
    for key, who in LOADS:
        print(f"  wrk {args.scale} {paths[key]} ({who})", file=sys.stderr, flush=True)
        loads.setdefault(key, {})[who] = run_wrk(
            args.base + paths[key], args.duration, tokens.get(who)
        )
    Path(args.out).write_text(
        json.dumps(
            {
                "scale": args.scale,
                "mode": args.mode,
                "measures": args.measures,
                "duration": args.duration,
                "paths": paths,
                "queries": queries,
                "loads": loads,
            },
            indent=2,
        )
    )


# --- the table --------------------------------------------------------------------------------


def _fmt(value, spec: str = ".0f", missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def target_share(mode: str, kind: str, who: str) -> float | None:
    """The share of the floor a target must reach: warm, every loaded target (issue 9); cold,
    the public pages and the API lists of the editor and the coordinator (issue 19)."""
    if mode == "cold" and kind == "api-list" and who == "anon":
        return None
    return (COLD_TARGETS if mode == "cold" else WARM_TARGETS).get(kind)


def report(args) -> None:
    runs = [json.loads(Path(name).read_text()) for name in args.files]
    scales = list(dict.fromkeys(run["scale"] for run in runs))
    by = {(run["scale"], run.get("mode", "warm")): run for run in runs}
    modes = [mode for mode in ("warm", "cold") if any((s, mode) in by for s in scales)]
    floor = {key: run["loads"]["static"]["anon"]["rps"] for key, run in by.items()}
    failures: list[str] = []

    head = f"{'target':<32} {'who':<6}"
    for scale in scales:
        for mode in modes:
            head += f" | {scale + ' ' + mode:>11} {'p50':>6} {'/floor':>6}"
        head += f" {'queries':>7}"
    for scale in scales[1:]:
        head += f" | {'cold ' + scale + '/' + scales[0]:>12}"
    lines = [head, "-" * len(head)]
    first = scales[0]
    for key, _path, kind in TARGETS:
        for who in WHO:
            if key == "static" and who != "anon":
                continue
            if not any(by[run].get("loads", {}).get(key, {}).get(who) for run in by) and not any(
                by[run]["queries"].get(key, {}).get(who) for run in by
            ):
                continue
            row = f"{by[(first, modes[0])]['paths'][key]:<32} {who:<6}"
            for scale in scales:
                for mode in modes:
                    run = by.get((scale, mode))
                    load = run and run["loads"].get(key, {}).get(who)
                    ratio = load["rps"] / floor[(scale, mode)] if load else None
                    rps, p50 = _fmt(load and load["rps"]), _fmt(load and load["p50"], ".1f")
                    row += f" | {rps:>11} {p50:>6} {_fmt(ratio, '.2f'):>6}"
                    if load and (load["non2xx"] or load["socket_errors"]):
                        failures.append(
                            f"{scale} {mode} {key} {who}: {load['non2xx']} non-2xx/3xx, "
                            f"{load['socket_errors']} socket errors of {load['requests']}"
                        )
                    wanted = target_share(mode, kind, who)
                    if ratio is not None and wanted and ratio < wanted:
                        failures.append(
                            f"{scale} {mode} {key} {who}: {ratio:.2f} of the floor (≥ {wanted})"
                        )
                q = (
                    (by.get((scale, "warm")) or by[(scale, modes[0])])["queries"]
                    .get(key, {})
                    .get(who)
                )
                row += f" {(str(q['cold']) + '/' + str(q['warm'])) if q else '–':>7}"
                if q and any(code >= 400 for code in q["status"]):
                    failures.append(f"{scale} {key} {who}: status {q['status']} in-process")
            for scale in scales[1:]:
                a = by.get((first, "cold"), {}).get("loads", {}).get(key, {}).get(who)
                b = by.get((scale, "cold"), {}).get("loads", {}).get(key, {}).get(who)
                growth = b["p50"] / a["p50"] if a and b and a["p50"] else None
                row += f" | {_fmt(growth, '.2f'):>12}"
                limit = COLD_GROWTH.get(scale)
                if growth is not None and limit and key != "static" and growth > limit:
                    failures.append(
                        f"{key} {who}: cold p50 at {scale} is {growth:.2f}x of {first} (≤ {limit})"
                    )
            for scale in scales[1:]:
                qa = by[(first, modes[0])]["queries"].get(key, {}).get(who)
                qb = by[(scale, modes[0])]["queries"].get(key, {}).get(who)
                if qa and qb and (qa["cold"], qa["warm"]) != (qb["cold"], qb["warm"]):
                    failures.append(f"{key} {who}: queries differ, {first} {qa} vs {scale} {qb}")
            lines.append(row)
    print("\n".join(lines))
    print()
    print("req/s and p50 (ms) from wrk; /floor: throughput as a share of a static file's")
    print("warm: the server with its caches; cold: CACHE_URL=dummy://, nothing cached")
    print("queries: first request / second request (what a warm cache serves), in-process")
    for scale in scales:
        run = by.get((scale, "warm")) or by[(scale, modes[0])]
        line = []
        for key, _path, _kind in TARGETS[1:]:
            for who in WHO:
                q = run["queries"].get(key, {}).get(who)
                if q and "uncached_ms" in q:
                    line.append(f"{key} {who} {q['uncached_ms']:.0f}")
        print(f"uncached in-process, best of three (ms), {scale}: " + ", ".join(line))
    print()
    if failures:
        print("targets missed or errors:")
        for failure in failures:
            print(f"  - {failure}")
    else:
        print("all targets met")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("measure")
    m.add_argument("--scale", required=True)
    m.add_argument("--mode", choices=["warm", "cold"], default="warm")
    m.add_argument("--measures", type=int, required=True)
    m.add_argument("--base", required=True)
    m.add_argument("--duration", type=int, default=10)
    m.add_argument("--password", default="bench")
    m.add_argument("--out", required=True)
    r = commands.add_parser("report")
    r.add_argument("files", nargs="+")
    args = parser.parse_args()
    measure(args) if args.command == "measure" else report(args)


if __name__ == "__main__":
    main()
