"""Two coordinators decide on the same reported comment at the same moment: one decision wins,
the other is refused, and the log holds exactly one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import AuditEntry
from comments.models import CommentReport, ModerationDecision
from comments.services import comment_create, comment_hide, comment_report
from tests.conftest import fresh

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _row_locks():
    # SQLite has no row locks; the rule is checked where production runs (PostgreSQL).
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")


def test_two_concurrent_hides_make_one_decision(
    drafted_section, commenter, partner, coordinator, second_coordinator
):
    comment = comment_create(actor=fresh(commenter), target=drafted_section, body="Unsinn")
    comment_report(actor=fresh(partner), comment=comment, reason="Beleidigend")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def hide(user, reason):
        try:
            barrier.wait(timeout=10)
            comment_hide(actor=fresh(user), comment=comment, reason=reason)
            result = "hidden"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=hide, args=(coordinator, "Beleidigend")),
        threading.Thread(target=hide, args=(second_coordinator, "Persönlich")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["hidden", "refused"]
    decision = ModerationDecision.objects.get()
    assert CommentReport.objects.get().decision == decision
    assert AuditEntry.objects.filter(action=AuditEntry.Action.COMMENT_HIDDEN).count() == 1
