"""Writers save on the same base revision at the same moment: different paragraphs all merge
without a lost word, the same sentence lets exactly one win; merges never interleave."""

import threading

import pytest
from django.db import connection

from charta.errors import EditConflict, MergeConflict
from charta.models import Revision
from charta.services import section_save_draft
from tests.conftest import fresh

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_saves_on_the_same_base_cannot_both_win(section, editor, coordinator):
    first = section_save_draft(
        actor=fresh(editor), section=section, body="Basis.", base_revision=None
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(user, body):
        try:
            barrier.wait(timeout=10)
            section_save_draft(
                actor=fresh(user), section=section, body=body, base_revision=first.number
            )
            result = "saved"
        except EditConflict:
            result = "conflict"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=write, args=(editor, "Fassung der Redaktion.")),
        threading.Thread(target=write, args=(coordinator, "Fassung der Koordination.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "saved"]
    numbers = list(Revision.objects.filter(section=section).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2]
    section.refresh_from_db()
    assert section.current_revision.number == 2


# Many writers on one base revision -----------------------------------------------------------

WRITERS = 40


def needs_postgresql():
    """Row locks are what this proves; SQLite has none (CI runs these on PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def paragraphs(changed: dict[int, str] | None = None) -> str:
    changed = changed or {}
    return "\n\n".join(changed.get(n, f"Absatz {n} im Wortlaut der Basis.") for n in range(WRITERS))


def run_writers(section, writers, bodies, base: int) -> list[object]:
    """Every writer saves its body on ``base`` at the same moment; the outcomes, in order."""
    barrier = threading.Barrier(len(writers))
    outcomes: list[object] = [None] * len(writers)

    def write(index, user, body):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = section_save_draft(
                actor=user, section=section, body=body, base_revision=base
            )
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(index, user, body))
        for index, (user, body) in enumerate(zip(writers, bodies, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def writers(field):
    from accounts.roles import RoleName
    from tests.conftest import user_with

    return [fresh(user_with(f"redaktion-{n}", RoleName.EDITOR, field)) for n in range(WRITERS)]


def test_many_writers_changing_different_paragraphs_all_save_and_no_word_is_lost(section, writers):
    needs_postgresql()
    first = section_save_draft(
        actor=writers[0], section=section, body=paragraphs(), base_revision=None
    )
    bodies = [paragraphs({n: f"Absatz {n} geändert von Person {n}."}) for n in range(WRITERS)]

    outcomes = run_writers(section, writers, bodies, first.number)

    assert all(isinstance(outcome, Revision) for outcome in outcomes), outcomes
    section.refresh_from_db()
    final = section.current_revision
    assert final.number == WRITERS + 1
    for n in range(WRITERS):
        assert f"Absatz {n} geändert von Person {n}." in final.body
    assert "im Wortlaut der Basis" not in final.body
    # Merges never interleave: each revision was merged with exactly all revisions before it.
    for revision in Revision.objects.filter(section=section, number__gt=1):
        assert revision.base_revision == 1
        assert revision.merged_with == list(range(2, revision.number))
        assert revision.merged == (revision.number > 2)
        # and holds the change of every earlier writer.
        earlier = [r for r in outcomes if r.number < revision.number]
        for other in earlier:
            writer = writers.index(other.author)
            assert f"Absatz {writer} geändert von Person {writer}." in revision.body


def test_many_writers_changing_the_same_sentence_one_wins_the_others_conflict(section, writers):
    needs_postgresql()
    first = section_save_draft(
        actor=writers[0], section=section, body=paragraphs(), base_revision=None
    )
    bodies = [paragraphs({7: f"Absatz 7 in der Fassung von Person {n}."}) for n in range(WRITERS)]

    outcomes = run_writers(section, writers, bodies, first.number)

    saved = [outcome for outcome in outcomes if isinstance(outcome, Revision)]
    conflicts = [outcome for outcome in outcomes if isinstance(outcome, MergeConflict)]
    assert len(saved) == 1
    assert len(conflicts) == WRITERS - 1
    assert all(conflict.latest_revision == 2 for conflict in conflicts)
    assert Revision.objects.filter(section=section).count() == 2
    section.refresh_from_db()
    assert section.current_revision == saved[0]
