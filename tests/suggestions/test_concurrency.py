"""Two editors accept suggestions at the same moment (PostgreSQL, with row locks): neither
change is lost, and one suggestion is never accepted twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from charta.models import Revision, Suggestion
from charta.services import section_save_draft, suggestion_create, suggestions_accept
from tests.conftest import fresh

from .conftest import TEXT, reload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")


def run_together(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            result = "accepted"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def two_suggestions(section, editor, partner):
    section_save_draft(actor=editor, section=section, body=TEXT, base_revision=None)
    section = reload(section)
    return [
        suggestion_create(
            actor=fresh(partner), section=section, base_revision=1, quote=quote,
            replacement=replacement, reason="Genauer.",
        )
        for quote, replacement in (("Brücken", "Wege"), ("eine Sprechstunde", "eine Beratung"))
    ]  # fmt: skip


def test_two_editors_accepting_different_suggestions_keep_both_changes(
    section, editor, coordinator, two_suggestions
):
    first, second = two_suggestions

    outcomes = run_together(
        lambda: suggestions_accept(actor=fresh(editor), section=section, ids=[first.pk]),
        lambda: suggestions_accept(actor=fresh(coordinator), section=section, ids=[second.pk]),
    )

    assert outcomes == ["accepted", "accepted"]
    latest = reload(section).current_revision
    assert latest.number == 3
    assert "bauen Wege für" in latest.body and "erhalten eine Beratung und" in latest.body


def test_one_suggestion_accepted_twice_at_once_is_accepted_once(
    section, editor, coordinator, two_suggestions
):
    first, _second = two_suggestions

    outcomes = run_together(
        lambda: suggestions_accept(actor=fresh(editor), section=section, ids=[first.pk]),
        lambda: suggestions_accept(actor=fresh(coordinator), section=section, ids=[first.pk]),
    )

    assert outcomes == ["accepted", "refused"]
    assert Revision.objects.filter(section=section).count() == 2
    assert Suggestion.objects.get(pk=first.pk).state == "accepted"
