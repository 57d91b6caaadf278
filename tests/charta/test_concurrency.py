"""Two editors save on the same base revision at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from charta.errors import EditConflict
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
