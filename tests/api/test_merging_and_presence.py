"""Saving through the API on a stale base: merged answers, 409 with the conflicting chunks or
with the passages a save would remove, and who else is editing (sections/{id}/presence/)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charta.models import EditingPresence, Revision
from charta.services import section_save_draft
from tests.conftest import fresh

from .conftest import reload
from .helpers import ROLES, STATES, assert_error, client_for, snapshot, table, table_ids

pytestmark = pytest.mark.django_db

SECTIONS = "/api/v1/sections/"
BASE = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n"


@pytest.fixture
def on_base(section, editor, coordinator):
    """Revision 1 (BASE), and revision 2 by the coordinator, who rewrote the first paragraph."""
    section_save_draft(actor=fresh(editor), section=section, body=BASE, base_revision=None)
    section_save_draft(
        actor=fresh(coordinator),
        section=reload(section),
        body=BASE.replace("Erster Absatz.", "Erster Absatz, neu gefasst."),
        base_revision=1,
    )
    return reload(section)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_save_on_a_stale_base_is_merged_and_says_so(method, on_base, editor):
    response = getattr(client_for(editor), method)(
        f"{SECTIONS}{on_base.pk}/",
        {"body": BASE.replace("Dritter Absatz.", "Dritter, ergänzt."), "base_revision": 1},
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["merged"], data["merged_with"], data["current_revision"]) == (True, [2], 3)
    assert data["body"] == "Erster Absatz, neu gefasst.\n\nZweiter Absatz.\n\nDritter, ergänzt.\n"


def test_a_save_on_the_latest_revision_is_not_merged(on_base, editor):
    response = client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/", {"body": "Ganz neu.\n", "base_revision": 2}
    )

    assert (response.json()["merged"], response.json()["merged_with"]) == (False, [])


def test_overlapping_changes_answer_409_with_base_theirs_and_mine(on_base, editor):
    before = snapshot()

    response = client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/",
        {"body": BASE.replace("Erster Absatz.", "Erster Absatz, anders."), "base_revision": 1},
    )

    data = assert_error(response, 409)
    assert (data["base_revision"], data["latest_revision"]) == (1, 2)
    assert data["conflicts"] == [
        {
            "base": "Erster Absatz.",
            "theirs": "Erster Absatz, neu gefasst.",
            "mine": "Erster Absatz, anders.",
        }
    ]
    assert snapshot() == before


def test_removing_a_colleagues_text_answers_409_with_the_passages(on_base, editor):
    before = snapshot()

    response = client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/",
        {"body": BASE.replace("Zweiter", "2."), "base_revision": 2, "origin_revision": 1},
    )

    data = assert_error(response, 409)
    assert data["removed"] == [", neu gefasst"]
    assert data["removed_in_context"] == [
        {
            "before": "Erster Absatz",
            "text": ", neu gefasst",
            "after": ".\n\nZweiter Absatz.\n\nDritter Absatz.",
        }
    ]
    assert snapshot() == before


def test_confirmed_removals_are_saved(on_base, editor):
    response = client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/",
        {
            "body": BASE.replace("Zweiter", "2."),
            "base_revision": 2,
            "origin_revision": 1,
            "confirm_removals": True,
        },
    )

    assert response.status_code == 200
    assert (response.json()["merged"], response.json()["merged_with"]) == (True, [2])
    assert "neu gefasst" not in reload(on_base).current_revision.body


def test_an_origin_beyond_any_revision_is_refused_naming_it(on_base, editor):
    response = client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/",
        {"body": "Neu.\n", "base_revision": 2, "origin_revision": 10**20},
    )

    assert_error(response, 400, "origin_revision")


def test_revisions_carry_their_base_and_what_they_were_merged_with(on_base, editor):
    client_for(editor).patch(
        f"{SECTIONS}{on_base.pk}/",
        {"body": BASE.replace("Dritter Absatz.", "Dritter, ergänzt."), "base_revision": 1},
    )

    response = client_for(editor).get(f"{SECTIONS}{on_base.pk}/revisions/")

    rows = [
        (r["number"], r["base_revision"], r["merged"], r["merged_with"])
        for r in response.json()["results"]
    ]
    assert rows == [(3, 1, True, [2]), (2, 1, False, []), (1, None, False, [])]


# Presence ----------------------------------------------------------------------------------


def presence_url(section) -> str:
    return f"{SECTIONS}{section.pk}/presence/"


def test_a_heartbeat_lists_the_other_editors_of_the_last_minute(on_base, editor, coordinator):
    client_for(coordinator).post(presence_url(on_base))

    response = client_for(editor).post(presence_url(on_base))

    assert response.status_code == 200
    data = response.json()
    assert [e["user"] for e in data["editors"]] == ["koordination"]
    assert data["editors"][0]["since"]
    assert data["latest_revision"] == 2
    assert response["Cache-Control"] == "no-store"


def test_the_requester_is_not_listed_among_the_others(on_base, editor):
    client_for(editor).post(presence_url(on_base))

    assert client_for(editor).get(presence_url(on_base)).json()["editors"] == []


def test_editors_silent_for_more_than_a_minute_are_gone(on_base, editor, coordinator):
    client_for(coordinator).post(presence_url(on_base))
    EditingPresence.objects.update(seen_at=timezone.now() - timedelta(seconds=61))

    assert client_for(editor).get(presence_url(on_base)).json()["editors"] == []


def test_a_heartbeat_keeps_the_start_of_the_visit(on_base, editor, coordinator):
    client_for(coordinator).post(presence_url(on_base))
    started = timezone.now() - timedelta(seconds=40)
    EditingPresence.objects.update(since=started, seen_at=timezone.now() - timedelta(seconds=25))

    client_for(coordinator).post(presence_url(on_base))

    presence = EditingPresence.objects.get()
    assert presence.since == started
    assert presence.seen_at > started + timedelta(seconds=30)


def test_a_heartbeat_after_a_pause_starts_a_new_visit(on_base, coordinator):
    client_for(coordinator).post(presence_url(on_base))
    long_ago = timezone.now() - timedelta(hours=2)
    EditingPresence.objects.update(since=long_ago, seen_at=long_ago)

    client_for(coordinator).post(presence_url(on_base))

    assert EditingPresence.objects.get().since > long_ago + timedelta(hours=1)


def test_saving_ends_the_writers_presence(on_base, editor, coordinator):
    client_for(editor).post(presence_url(on_base))

    client_for(editor).patch(f"{SECTIONS}{on_base.pk}/", {"body": "Neu.\n", "base_revision": 2})

    assert client_for(coordinator).get(presence_url(on_base)).json()["editors"] == []


def test_reading_presence_asks_the_database_a_fixed_number_of_times(
    on_base, coordinator, django_assert_max_num_queries, field
):
    from accounts.roles import RoleName
    from tests.conftest import user_with

    for n in range(6):
        client_for(user_with(f"schreibende-{n}", RoleName.EDITOR, field)).post(
            presence_url(on_base)
        )
    client = client_for(coordinator)
    client.get(presence_url(on_base))

    with django_assert_max_num_queries(8):
        response = client.get(presence_url(on_base))

    assert len(response.json()["editors"]) == 6


# Who may see and send presence: those who may edit the section's text.
PRESENCE = table(
    {
        #           anon coord edit other rev  part wg   resp
        "draft": (401, 200, 200, 404, 403, 403, 404, 404),
        "published": (401, 200, 200, 403, 403, 403, 403, 403),
    }
)


@pytest.mark.parametrize(("role", "state", "expected"), PRESENCE, ids=table_ids(PRESENCE))
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_those_who_may_edit_see_and_send_presence(
    method, role, state, expected, request, make_section
):
    section = make_section(state)
    user = None if role == "anonymous" else request.getfixturevalue(role)

    response = getattr(client_for(user), method)(presence_url(section))

    if expected == 200:
        assert response.status_code == 200
    else:
        assert_error(response, expected)
    written = EditingPresence.objects.exists()
    assert written == (method == "post" and expected == 200)


def test_presence_of_a_section_that_does_not_exist_is_404(editor):
    assert_error(client_for(editor).get(f"{SECTIONS}999999/presence/"), 404)
    assert_error(client_for(editor).post(f"{SECTIONS}{10**20}/presence/"), 404)


def test_the_roles_of_the_presence_table_are_every_role():
    assert {role for role, _, _ in PRESENCE} == set(ROLES)
    assert {state for _, state, _ in PRESENCE} == set(STATES)


def test_revision_rows_are_untouched_by_presence(on_base, editor):
    before = list(Revision.objects.values())

    client_for(editor).post(presence_url(on_base))

    assert list(Revision.objects.values()) == before


def test_deleting_an_account_removes_its_presence(on_base, coordinator):
    from accounts.privacy import user_anonymise
    from tests.factories import PASSWORD

    client_for(coordinator).post(presence_url(on_base))

    user_anonymise(actor=fresh(coordinator), user=fresh(coordinator), password=PASSWORD)

    assert not EditingPresence.objects.exists()


def test_an_origin_of_zero_means_the_writer_started_from_no_text(section, editor, coordinator):
    section_save_draft(
        actor=fresh(coordinator),
        section=section,
        body="Text der Koordination.\n",
        base_revision=None,
    )

    response = client_for(editor).patch(
        f"{SECTIONS}{section.pk}/",
        {"body": "Text der Redaktion.\n", "base_revision": 1, "origin_revision": 0},
    )

    assert assert_error(response, 409)["removed"] == ["Koordination"]
