"""A change invalidates what it changes, across processes, and nothing else.

Three separate server processes share one database and the stamp directory, as the workers of
a deployment do: one serves pages and API reads from its warm cache, one makes a change
through the services, one renders everything afresh with an empty cache. For every kind of
change: every answer of the warm process equals the fresh one (nothing stale), and the
answers that do not show what changed are still served from the cache (no query).
"""

import json
import os
import select
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
FIRST, OTHER = "industriepolitik", "qualifizierung-und-weiterbildung"


class Worker:
    def __init__(self, env: dict, log: Path):
        self.log = log
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.portal.process_worker"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )

    def ask(self, *words) -> dict:
        self.process.stdin.write(" ".join(str(w) for w in words) + "\n")
        self.process.stdin.flush()
        ready, _w, _x = select.select([self.process.stdout], [], [], 120)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"{words}: no answer\n" + self.log.read_text()[-3000:])
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)


def _scratch_database(tmp_path: Path) -> tuple[str, callable]:
    """A database of its own for the processes, on the engine the suite runs on."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{tmp_path / 'processes.sqlite3'}", lambda: None
    import psycopg

    db = settings.DATABASES["default"]
    name = f"itas_processes_{uuid.uuid4().hex[:10]}"
    dsn = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://{db['USER']}@{dsn['host']}:{dsn['port']}/{name}", drop


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("processes")
    url, drop = _scratch_database(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_TESTING", "CACHE_URL", "DATABASE_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "CACHE_STAMP_DIR": str(tmp_path / "stamps"),
        "DEMO_PASSWORD": "demo",
        "TASKS_IMMEDIATE": "1",
        "EMAIL_URL": "locmem://",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    for command in (["migrate", "-v0"], ["loaddemo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    workers = {name: Worker(env, tmp_path / f"{name}.log") for name in ("warm", "writer", "fresh")}
    try:
        yield workers
    finally:
        for worker in workers.values():
            worker.close()
        drop()


def addresses(ids: dict) -> dict[str, tuple[str, str]]:
    """Name → (reader, url): public pages, open data, the API as anonymous and as readers."""
    public = {
        "home": "/",
        "charta": "/charta/",
        "field first": f"/handlungsfelder/{FIRST}/",
        "field other": f"/handlungsfelder/{OTHER}/",
        "measures": "/massnahmen/",
        "measure first": f"/massnahmen/{ids['first_measure']}/",
        "measure other": f"/massnahmen/{ids['other_measure']}/",
        "goal first": f"/massnahmen/ziele/{ids['first_goal']}/",
        "goal other": f"/massnahmen/ziele/{ids['other_goal']}/",
        "section first": f"/charta/abschnitt/{ids['first_section']}/",
        "section other": f"/charta/abschnitt/{ids['other_section']}/",
        "dashboard": "/fortschritt/",
        "partners": "/partner/",
        "partner": "/partner/amz/",
        "search": "/suche/?q=Zulieferer",
        "report": "/bericht/",
        "measures.csv": "/offene-daten/massnahmen.csv",
        "deadlines other": f"/offene-daten/fristen/{OTHER}.ics",
        "news": "/offene-daten/neuigkeiten.atom",
        "indicators.csv": "/offene-daten/indikatoren.csv",
        "periods": "/berichtszeitraeume/",
        "comparison": "/berichtszeitraeume/vergleich/",
        "period report": f"/bericht/?zeitraum={ids['closed_period']}",
    }
    answers = {name: ("-", url) for name, url in public.items()}
    api = {
        "fields": "/api/v1/action-fields/",
        "api measures": "/api/v1/measures/",
        "api goals": "/api/v1/goals/",
        "api sections": "/api/v1/sections/",
        "api measure other": f"/api/v1/measures/{ids['other_measure']}/",
        "api goal other": f"/api/v1/goals/{ids['other_goal']}/",
        "api section other": f"/api/v1/sections/{ids['other_section']}/",
        "api indicators": "/api/v1/indicators/",
        "api periods": "/api/v1/reporting-periods/",
    }
    for reader in ("-", "redaktion-industrie", "partner"):
        for name, url in api.items():
            answers[f"{name} as {reader}"] = (reader, url)
    return answers


# What each change must leave cached: the answers that do not show it.
OTHER_FIELD = {"field other", "measure other", "goal other", "section other", "deadlines other"}
OTHER_FIELD_API = {
    f"api {kind} other as {reader}"
    for kind in ("measure", "goal", "section")
    for reader in ("-", "redaktion-industrie", "partner")
}
FIELD_NAMES = {f"fields as {reader}" for reader in ("-", "redaktion-industrie", "partner")}
IDS = ["first_measure", "other_measure", "first_goal", "other_goal", "first_section",
       "other_section", "closed_period"]  # fmt: skip
EVERYTHING_BUT_PARTNER = {
    name for name in addresses(dict.fromkeys(IDS, 0)) if not name.endswith("as partner")
}
# What shows reporting periods: their pages, the period report, the list of closed periods on
# the live report, the API's periods.
PERIOD_VIEWS = {"periods", "comparison", "period report", "report"} | {
    f"api periods as {reader}" for reader in ("-", "redaktion-industrie", "partner")
}
FIELD_CHANGE_UNTOUCHED = OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES | (PERIOD_VIEWS - {"report"})
UNTOUCHED = {
    "report": OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES,
    "rename_measure": OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES,
    "publish_measure": OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES,
    "milestone": OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES,
    "publish_text": OTHER_FIELD | OTHER_FIELD_API | FIELD_NAMES,
    # Both fields change; what shows neither (the field names) stays.
    "move_measure": FIELD_NAMES,
    "rename_organisation": set(),
    "rename_field": set(),
    "rename_person": set(),
    "grant_role": EVERYTHING_BUT_PARTNER,
    "revoke_role": EVERYTHING_BUT_PARTNER,
    "join_working_group": EVERYTHING_BUT_PARTNER,
    "comment": set(addresses(dict.fromkeys(IDS, 0))),
    # Tracking: values, targets, acknowledgements and dependencies are content of one field;
    # the frozen periods do not move with them.
    "indicator_value": FIELD_CHANGE_UNTOUCHED,
    "indicator_target": FIELD_CHANGE_UNTOUCHED,
    "acknowledge": FIELD_CHANGE_UNTOUCHED,
    "depend": FIELD_CHANGE_UNTOUCHED,
    # Closing or reopening a period changes the period views only.
    "close_period": set(addresses(dict.fromkeys(IDS, 0))) - PERIOD_VIEWS,
    "reopen_period": set(addresses(dict.fromkeys(IDS, 0))) - PERIOD_VIEWS,
}  # fmt: skip


@pytest.mark.parametrize("change", list(UNTOUCHED))
def test_a_change_leaves_no_stale_answer_and_keeps_the_untouched_ones_cached(deployment, change):
    warm, writer, fresh = deployment["warm"], deployment["writer"], deployment["fresh"]
    answers = addresses(warm.ask("info"))
    for reader, url in answers.values():  # fill the warm cache; the second read is a hit
        warm.ask("get", reader, url)
    # A hit costs no query, or only those that identify a reader by their token.
    hit_cost = {}
    for name, (reader, url) in answers.items():
        answer = warm.ask("get", reader, url)
        assert answer["status"] == 200, f"{name}: {answer['status']}"
        assert answer["queries"] <= (0 if reader == "-" else 2), f"{name} was not cached"
        hit_cost[name] = answer["queries"]

    assert writer.ask("change", change) == {"ok": True}

    stale, recomputed = [], []
    fresh.ask("clear")
    for name, (reader, url) in answers.items():
        served = warm.ask("get", reader, url)
        truth = fresh.ask("get", reader, url)
        if served["sha"] != truth["sha"] or served["status"] != truth["status"]:
            stale.append(name)
        if served["queries"] > hit_cost[name] and name in UNTOUCHED[change]:
            recomputed.append(name)
    assert not stale, f"stale after {change}: {stale}"
    assert not recomputed, f"invalidated without need after {change}: {recomputed}"
