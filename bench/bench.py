"""The Python half of bench/run: measure one scale, then print the table of all scales.

    bench.py measure --scale 1x --base http://127.0.0.1:PORT --duration 10 --out FILE
        Gets API tokens from the running server (POST /api/v1/auth/token/), counts the
        queries per request in-process (Django's test client on the same database, settings
        from the environment), and runs wrk against every target. Writes JSON.
    bench.py report FILE_1x FILE_10x
        Prints one table with both scales, the ratios and the targets of issue 9.

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
    ("api", "/api/v1/measures/", "api-list"),
)
# What wrk loads: every page anonymously, the API list also with each account's token.
LOADS = [(key, "anon") for key, _path, _kind in TARGETS] + [("api", "coord"), ("api", "editor")]
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
            if key == "api" and who != "anon":
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


def report(args) -> None:
    scales = [json.loads(Path(name).read_text()) for name in args.files]
    one, ten = scales[0], scales[-1]
    floor = {s["scale"]: s["loads"]["static"]["anon"]["rps"] for s in scales}
    head = f"{'target':<38} {'who':<6}"
    for s in scales:
        title = s["scale"] + " req/s"
        head += f" | {title:>10} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} {'/floor':>6}"
    head += f" | {'10x/1x p50':>10}"
    lines = [head, "-" * len(head)]
    failures: list[str] = []
    for key, _path, kind in TARGETS:
        for who in WHO:
            if key == "static" and who != "anon":
                continue
            row = f"{one['paths'][key]:<38} {who:<6}"
            for s in scales:
                load = s["loads"].get(key, {}).get(who)
                q = s["queries"].get(key, {}).get(who)
                queries = f"{q['cold']}/{q['warm']}" if q else ("0" if key == "static" else "–")
                ratio = load["rps"] / floor[s["scale"]] if load and floor[s["scale"]] else None
                row += (
                    f" | {_fmt(load and load['rps']):>10} {_fmt(load and load['p50'], '.1f'):>7}"
                    f" {_fmt(load and load['p99'], '.1f'):>7} {queries:>7} {_fmt(ratio, '.2f'):>6}"
                )
                if load and (load["non2xx"] or load["socket_errors"]):
                    failures.append(
                        f"{s['scale']} {key} {who}: {load['non2xx']} non-2xx/3xx, "
                        f"{load['socket_errors']} socket errors of {load['requests']}"
                    )
                if q and any(code >= 400 for code in q["status"]):
                    failures.append(f"{s['scale']} {key} {who}: status {q['status']} in-process")
                if ratio is not None and kind.startswith("public") and ratio < 0.5:
                    failures.append(f"{s['scale']} {key} {who}: {ratio:.2f} of the floor (≥ 0.5)")
                if ratio is not None and kind == "api-list" and ratio < 0.25:
                    failures.append(f"{s['scale']} {key} {who}: {ratio:.2f} of the floor (≥ 0.25)")
            a = one["loads"].get(key, {}).get(who)
            b = ten["loads"].get(key, {}).get(who)
            growth = b["p50"] / a["p50"] if a and b and a["p50"] else None
            row += f" | {_fmt(growth, '.2f'):>10}"
            if growth is not None and kind.endswith("list") and growth > 1.3:
                failures.append(f"{key} {who}: 10x costs {growth:.2f}x the p50 latency (≤ 1.3)")
            qa = one["queries"].get(key, {}).get(who)
            qb = ten["queries"].get(key, {}).get(who)
            if qa and qb and (qa["cold"], qa["warm"]) != (qb["cold"], qb["warm"]):
                failures.append(f"{key} {who}: queries differ between scales ({qa} vs {qb})")
            lines.append(row)
    print("\n".join(lines))
    print()
    print("queries: first request (cold cache) / second request (warm), counted in-process")
    print("uncached: rendering without the cache, in-process, best of three (ms)")
    for s in scales:
        line = []
        for key, _path, _kind in TARGETS[1:]:
            for who in WHO:
                q = s["queries"].get(key, {}).get(who)
                if q and "uncached_ms" in q:
                    line.append(f"{key} {who} {q['uncached_ms']:.0f}")
        print(f"  {s['scale']}: " + ", ".join(line))
    for s in scales:
        api = s["loads"]["api"]
        ratio = api["editor"]["p50"] / api["coord"]["p50"]
        uncached = s["queries"]["api"]
        print(
            f"{s['scale']} ({s['measures']} measures): API list p50 editor/coordinator = "
            f"{ratio:.2f} (target ≤ 1.5), p99 {api['editor']['p99'] / api['coord']['p99']:.2f}, "
            f"uncached {uncached['editor']['uncached_ms'] / uncached['coord']['uncached_ms']:.2f}"
        )
        if ratio > 1.5:
            failures.append(f"{s['scale']} api: editor/coordinator p50 {ratio:.2f} (≤ 1.5)")
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
