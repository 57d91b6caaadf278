"""Stale edits answer 409, bad input 400 naming the field; every error is readable JSON and
nothing is half-written. Diffs between revisions."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from charta.models import Revision
from charta.services import section_save_draft
from tests.conftest import fresh

from .conftest import reload
from .helpers import assert_error, client_for, snapshot

pytestmark = pytest.mark.django_db

SECTIONS = "/api/v1/sections/"
MEASURES = "/api/v1/measures/"

OLD = "Die Region gestaltet die Transformation gemeinsam.\n\nKleine Zulieferer erhalten Hilfe."
NEW = "Die Region gestaltet den Wandel gemeinsam.\n\nKleine Zulieferer erhalten Hilfe."


@pytest.fixture
def two_revisions(section, editor):
    """The section with revision 1 (OLD) and revision 2 (NEW), in draft."""
    section_save_draft(actor=editor, section=section, body=OLD, base_revision=None)
    section_save_draft(actor=editor, section=reload(section), body=NEW, base_revision=1)
    return reload(section)


# Optimistic edits ------------------------------------------------------------------------


@pytest.mark.parametrize("stale_base", [1, None, 7])
def test_stale_base_revision_is_refused_with_409_and_nothing_is_saved(
    stale_base, two_revisions, editor
):
    before = snapshot()

    response = client_for(editor).patch(
        f"{SECTIONS}{two_revisions.pk}/",
        {"body": "Meine Fassung", "base_revision": stale_base, "message": "alt"},
    )

    data = assert_error(response, 409)
    assert (data["base_revision"], data["latest_revision"]) == (stale_base, 2)
    assert snapshot() == before
    assert reload(two_revisions).current_revision.body == NEW


def test_second_writer_on_the_same_base_gets_409(two_revisions, editor, coordinator):
    first = client_for(coordinator).patch(
        f"{SECTIONS}{two_revisions.pk}/", {"body": "Fassung der Koordination", "base_revision": 2}
    )
    second = client_for(editor).patch(
        f"{SECTIONS}{two_revisions.pk}/", {"body": "Fassung der Redaktion", "base_revision": 2}
    )

    assert first.status_code == 200
    assert assert_error(second, 409)["latest_revision"] == 3
    assert Revision.objects.filter(section=two_revisions).count() == 3
    assert reload(two_revisions).current_revision.body == "Fassung der Koordination"


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"base_revision": 2}, "body"),
        ({"body": "", "base_revision": 2}, "body"),
        ({"body": "   \n\n  ", "base_revision": 2}, "body"),
        ({"body": NEW, "base_revision": 2}, "body"),  # unchanged text
        ({"body": "Neu"}, "base_revision"),
        ({"body": "Neu", "base_revision": "zwei"}, "base_revision"),
        ({"body": "Neu", "base_revision": 10**20}, "base_revision"),
    ],
    ids=[
        "missing",
        "empty",
        "blank",
        "unchanged",
        "no-base",
        "base-not-a-number",
        "base-beyond-any-revision",
    ],
)
def test_bad_section_text_is_refused_naming_the_field(payload, named, two_revisions, editor):
    before = snapshot()

    response = client_for(editor).patch(f"{SECTIONS}{two_revisions.pk}/", payload)

    assert_error(response, 400, named)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("report", "named"),
    [
        ({"status": "in_progress", "progress": 150}, "progress"),
        ({"status": "in_progress", "progress": -1}, "progress"),
        ({"status": "in_progress", "progress": "viel"}, "progress"),
        ({"status": "in_progress"}, "progress"),
        ({"status": "finished", "progress": 50}, "status"),
        ({"progress": 50}, "status"),
        ({"status": "stopped", "progress": 30}, "note"),
        ({"status": "stopped", "progress": 30, "note": "   "}, "note"),
        ({"status": "done", "progress": 80}, "progress"),
    ],
    ids=[
        "progress-150",
        "progress-negative",
        "progress-not-a-number",
        "progress-missing",
        "unknown-status",
        "status-missing",
        "stopped-without-note",
        "stopped-with-blank-note",
        "done-at-80",
    ],
)
def test_bad_status_report_is_refused_naming_the_field(
    report, named, make_measure, working_group, wg_member
):
    measure = make_measure("draft", working_group=working_group)
    before = snapshot()

    response = client_for(wg_member).post(f"{MEASURES}{measure.pk}/status-updates/", report)

    assert_error(response, 400, named)
    assert snapshot() == before
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == ("planned", 0)


def test_stopped_with_a_note_and_done_at_100_are_accepted(make_measure, coordinator):
    measure = make_measure("draft")
    client = client_for(coordinator)
    url = f"{MEASURES}{measure.pk}/status-updates/"

    stopped = client.post(url, {"status": "stopped", "progress": 30, "note": "Keine Mittel."})
    done = client.post(url, {"status": "done", "progress": 100})

    assert (stopped.status_code, done.status_code) == (201, 201)
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == ("done", 100)


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"action": "freigeben"}, "action"),
        ({}, "action"),
        ({"action": "publish"}, "action"),  # not approved yet
        ({"action": "approve"}, "action"),  # not submitted yet
    ],
)
def test_impossible_workflow_steps_are_refused_naming_the_action(
    payload, named, two_revisions, coordinator
):
    before = snapshot()

    response = client_for(coordinator).post(f"{SECTIONS}{two_revisions.pk}/transition/", payload)

    assert_error(response, 400, named)
    assert snapshot() == before


def test_asking_for_changes_needs_a_note(two_revisions, editor, reviewer):
    client_for(editor).post(f"{SECTIONS}{two_revisions.pk}/transition/", {"action": "submit"})
    before = snapshot()

    response = client_for(reviewer).post(
        f"{SECTIONS}{two_revisions.pk}/transition/", {"action": "request_changes"}
    )

    assert_error(response, 400, "note")
    assert snapshot() == before
    assert reload(two_revisions).status == "in_review"


def test_transition_with_a_base_revision_beyond_any_revision_is_refused_naming_it(
    two_revisions, editor
):
    before = snapshot()

    response = client_for(editor).post(
        f"{SECTIONS}{two_revisions.pk}/transition/",
        {"action": "submit", "base_revision": 10**20},
    )

    assert_error(response, 400, "base_revision")
    assert snapshot() == before


def test_transition_with_a_stale_base_revision_is_refused_with_409(two_revisions, editor):
    response = client_for(editor).post(
        f"{SECTIONS}{two_revisions.pk}/transition/", {"action": "submit", "base_revision": 1}
    )

    assert assert_error(response, 409)["latest_revision"] == 2
    assert reload(two_revisions).status == "draft"


@pytest.mark.parametrize(
    ("method", "url", "payload", "code"),
    [
        ("get", "/api/v1/sections/999999/", None, 404),
        ("get", "/api/v1/goals/999999/", None, 404),
        ("get", "/api/v1/measures/999999/status-updates/", None, 404),
        ("post", "/api/v1/comments/999999/resolve/", None, 404),
        ("delete", "/api/v1/sections/{section}/", None, 405),
        ("put", "/api/v1/measures/{measure}/", {"title": "x"}, 405),
        ("delete", "/api/v1/measures/{measure}/", None, 405),
        ("post", "/api/v1/sections/", {"title": "x"}, 405),
        ("get", "/api/v1/comments/?target=nonsense", None, 400),
        ("get", "/api/v1/comments/?target=section:%C2%B2", None, 400),
        ("get", "/api/v1/comments/?target=goal:%D9%A1", None, 400),
        ("post", "/api/v1/comments/", {"target": "section:²", "body": "Hallo"}, 400),
        ("get", "/api/v1/measures/?status=fertig", None, 400),
        ("post", "/api/v1/goals/", {}, 400),
        ("post", "/api/v1/comments/", {"target": "section:{section}"}, 400),
    ],
)
def test_every_error_is_json_with_a_readable_detail(
    method, url, payload, code, two_revisions, make_measure, coordinator
):
    measure = make_measure("draft")
    url = url.format(section=two_revisions.pk, measure=measure.pk)
    if payload:
        payload = {key: value.format(section=two_revisions.pk) for key, value in payload.items()}

    response = getattr(client_for(coordinator), method)(url, payload)

    assert response["Content-Type"].startswith("application/json")
    assert_error(response, code)


def test_unauthenticated_write_is_json_with_a_readable_detail(two_revisions):
    response = APIClient().patch(f"{SECTIONS}{two_revisions.pk}/", {"body": "x"})

    assert_error(response, 401)
    assert response.has_header("WWW-Authenticate")


def test_goal_with_measures_is_not_deleted(make_measure, coordinator):
    measure = make_measure("draft")
    before = snapshot()

    response = client_for(coordinator).delete(f"/api/v1/goals/{measure.goal_id}/")

    assert_error(response, 400)
    assert snapshot() == before


# Diffs -----------------------------------------------------------------------------------


def words(chunks: list[tuple[str, str]], kind: str) -> list[str]:
    return " ".join(text for chunk_kind, text in chunks if chunk_kind == kind).split()


def test_compare_returns_a_word_diff_and_a_unified_diff(two_revisions, reviewer):
    response = client_for(reviewer).get(
        f"{SECTIONS}{two_revisions.pk}/revisions/", {"compare": "1,2"}
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["from_revision"], data["to_revision"]) == (1, 2)
    chunks = [(chunk["kind"], chunk["text"]) for chunk in data["changes"]]
    assert words(chunks, "delete") == ["die", "Transformation"]
    assert words(chunks, "insert") == ["den", "Wandel"]
    assert "".join(text for kind, text in chunks if kind != "insert") == OLD
    assert "".join(text for kind, text in chunks if kind != "delete") == NEW
    assert data["unified"].startswith("--- revision 1\n+++ revision 2\n")
    assert "-Die Region gestaltet die Transformation gemeinsam." in data["unified"]
    assert "+Die Region gestaltet den Wandel gemeinsam." in data["unified"]


def test_compare_backwards_swaps_insertions_and_deletions(two_revisions, editor):
    response = client_for(editor).get(
        f"{SECTIONS}{two_revisions.pk}/revisions/", {"compare": "2,1"}
    )

    chunks = [(chunk["kind"], chunk["text"]) for chunk in response.json()["changes"]]
    assert words(chunks, "insert") == ["die", "Transformation"]
    assert words(chunks, "delete") == ["den", "Wandel"]


@pytest.mark.parametrize(
    "compare",
    [
        "garbage",
        "1",
        "1,2,3",
        "1;2",
        "a,b",
        ",",
        "99999999999999999999,1",
        "1,99999999999999999999",
        "0,1",
        "-1,2",
        "1,²",
    ],
)
def test_compare_with_garbage_is_refused_naming_compare(compare, two_revisions, editor):
    response = client_for(editor).get(
        f"{SECTIONS}{two_revisions.pk}/revisions/", {"compare": compare}
    )

    assert_error(response, 400, "compare")


def test_compare_with_a_revision_that_does_not_exist_is_404(two_revisions, editor):
    response = client_for(editor).get(
        f"{SECTIONS}{two_revisions.pk}/revisions/", {"compare": "1,9"}
    )

    assert_error(response, 404)


def test_compare_does_not_reveal_draft_revisions_to_the_public(make_section):
    section = make_section("published")  # revision 1 published, revision 2 a draft

    response = APIClient().get(f"{SECTIONS}{section.pk}/revisions/", {"compare": "1,2"})

    assert_error(response, 404)
    assert "GEHEIMER" not in response.content.decode()


# Malformed JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        ("/api/v1/sections/{section}/transition/", b'{"action": "\\ud800"}'),
        ("/api/v1/comments/", b'{"target": "\\ud800:1", "body": "Hallo"}'),
        ("/api/v1/comments/", b'{"target": "section:1\\udfff", "body": "Hallo"}'),
        ("/api/v1/comments/", b'{"target": "section:{section}", "body": "Hallo \\ud800"}'),
    ],
    ids=["action", "target-kind", "target-id", "body"],
)
def test_lone_surrogates_in_json_are_refused_with_400(url, raw, two_revisions, editor):
    """JSON may escape half of a UTF-16 pair ("\\ud800"), which no UTF-8 text can hold; an
    error message that quotes it must still be sent."""
    client = Client()
    client.force_login(fresh(editor))
    before = snapshot()

    response = client.post(
        url.format(section=two_revisions.pk),
        raw.replace(b"{section}", str(two_revisions.pk).encode()),
        content_type="application/json",
    )

    assert_error(response, 400)
    assert snapshot() == before


def test_json_nested_too_deep_to_read_is_refused_with_400(two_revisions, editor):
    client = Client()
    client.force_login(fresh(editor))

    response = client.patch(
        f"{SECTIONS}{two_revisions.pk}/",
        b"[" * 100_000 + b"]" * 100_000,
        content_type="application/json",
    )

    assert_error(response, 400)
    assert reload(two_revisions).current_revision.number == 2
