"""Public pages: cached for anonymous visitors, conditional GET, invalidated by every change."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from measures import services
from measures.workflow import PublicationState
from tests.portal.conftest import PUBLISHED, Status

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def running(three_measures):
    return three_measures["running"]


def page(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode() if response.status_code == 200 else ""


def test_anonymous_pages_carry_etag_and_last_modified(client, running):
    response = client.get(f"/massnahmen/{running.pk}/")

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in response["Vary"]


def test_a_current_etag_answers_304_without_a_body(client, running):
    etag = client.get(f"/massnahmen/{running.pk}/")["ETag"]

    response = client.get(f"/massnahmen/{running.pk}/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_repeated_anonymous_request_is_served_without_queries(
    client, running, django_assert_num_queries
):
    client.get(f"/massnahmen/{running.pk}/")

    with django_assert_num_queries(0):
        response = client.get(f"/massnahmen/{running.pk}/")

    assert response.status_code == 200


def test_a_status_report_invalidates_the_cached_measure_page(client, running, coordinator):
    url = f"/massnahmen/{running.pk}/"
    before, html = page(client, url)
    assert "40" in html and "73" not in html

    services.measure_report_status(
        actor=coordinator, measure=running, status=Status.IN_PROGRESS, progress=73
    )
    after, html = page(client, url)

    assert after["ETag"] != before["ETag"]
    assert "73" in html
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_publishing_a_measure_shows_it_on_the_cached_list(client, goal, make_measure, coordinator):
    hidden = make_measure(goal, state=PublicationState.DRAFT, title="Noch nicht öffentlich")
    _response, html = page(client, "/massnahmen/")
    assert "Noch nicht öffentlich" not in html

    services.measure_publish(actor=coordinator, measure=hidden)
    _response, html = page(client, "/massnahmen/")

    assert "Noch nicht öffentlich" in html
    assert hidden.state == PUBLISHED


def test_logged_in_users_never_get_the_anonymous_copy(client, goal, make_measure, editor):
    make_measure(goal, state=PublicationState.DRAFT, title="Entwurf der Redaktion")
    url = f"/handlungsfelder/{goal.action_field.slug}/"
    _response, html = page(client, url)
    assert "Entwurf der Redaktion" not in html

    client.force_login(editor)
    response, html = page(client, url)

    assert "Entwurf der Redaktion" in html
    assert "ETag" not in response


def test_the_anonymous_copy_never_keeps_what_a_logged_in_user_saw(
    client, goal, make_measure, editor
):
    make_measure(goal, state=PublicationState.DRAFT, title="Entwurf der Redaktion")
    url = f"/handlungsfelder/{goal.action_field.slug}/"
    client.force_login(editor)
    page(client, url)

    _response, html = page(Client(), url)

    assert "Entwurf der Redaktion" not in html


STAMP_SCRIPT = """
import django, json, sys
django.setup()
from core.caching import bump, stamps
if sys.argv[1] == "bump":
    bump("field:1")
print(json.dumps(stamps(["field:1", "field:2"]), sort_keys=True))
"""


def stamps_in_new_process(stamp_dir: Path, action: str = "read") -> dict:
    """The stamps of two fields as a separate server process (not a test process) sees them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_TESTING", "CACHE_URL", "DATABASE_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "CACHE_STAMP_DIR": str(stamp_dir),
        "DATABASE_URL": f"sqlite:///{stamp_dir / 'unused.sqlite3'}",
    }
    completed = subprocess.run(
        [sys.executable, "-c", STAMP_SCRIPT, action],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(completed.stdout)


def test_a_change_saved_by_one_process_invalidates_the_pages_of_every_process(tmp_path):
    # Each gunicorn worker keeps its own page cache; the stamps its pages are checked
    # against are shared by every process.
    first = stamps_in_new_process(tmp_path)
    assert stamps_in_new_process(tmp_path) == first

    bumped = stamps_in_new_process(tmp_path, "bump")

    assert bumped["field:1"] != first["field:1"]
    assert bumped["field:2"] == first["field:2"]
    assert stamps_in_new_process(tmp_path) == bumped
