"""The coordinators' moderation queue: reported comments with their reports; hide with a reason
the author is told, dismiss, undo a hide; every decision audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from comments.models import Comment, CommentReport, ModerationDecision
from comments.services import (
    comment_create,
    comment_dismiss_reports,
    comment_hide,
    comment_report,
    comment_restore,
)
from tests.conftest import ROLE_KEYS, fresh

pytestmark = pytest.mark.django_db

QUEUE = "/kommentare/moderation/"


@pytest.fixture
def reported(drafted_section, commenter, partner) -> Comment:
    comment = comment_create(actor=fresh(commenter), target=drafted_section, body="Unsinn!")
    comment_report(actor=fresh(partner), comment=comment, reason="Beleidigend")
    return comment


QUEUE_ACCESS = {
    "coordinator": 200,
    "editor": 403,
    "other_editor": 403,
    "reviewer": 403,
    "partner": 403,
    "wg_member": 403,
    "outsider": 403,
    "anonymous": 302,
}


def test_the_queue_access_table_covers_every_role():
    assert set(QUEUE_ACCESS) == set(ROLE_KEYS)


@pytest.mark.parametrize(("role", "status"), list(QUEUE_ACCESS.items()))
def test_only_coordinators_open_the_moderation_queue(role, status, as_role, client, reported):
    user = as_role(role)
    if user.is_authenticated:
        client.force_login(user)

    assert client.get(QUEUE).status_code == status


def test_the_queue_shows_each_reported_comment_with_its_reports(
    client, reported, coordinator, reviewer
):
    comment_report(actor=fresh(reviewer), comment=reported, reason="Off-Topic")
    client.force_login(coordinator)

    page = client.get(QUEUE).content.decode()

    assert f'id="meldung-{reported.pk}"' in page
    assert "Unsinn!" in page
    assert "„Beleidigend“" in page
    assert "„Off-Topic“" in page
    assert "2 Meldungen" in page


@pytest.mark.parametrize("role", ["editor", "reviewer", "partner", "outsider"])
@pytest.mark.parametrize("decision", ["hide", "dismiss", "restore"])
def test_only_coordinators_decide(role, decision, as_role, reported, coordinator):
    if decision == "restore":
        comment_hide(actor=fresh(coordinator), comment=reported, reason="Beleidigend")
    service = {
        "hide": lambda user: comment_hide(actor=user, comment=reported, reason="x"),
        "dismiss": lambda user: comment_dismiss_reports(actor=user, comment=reported),
        "restore": lambda user: comment_restore(actor=user, comment=reported),
    }[decision]

    with pytest.raises(PermissionDenied):
        service(as_role(role))


def test_hiding_from_the_queue_settles_the_reports_and_is_audited(client, reported, coordinator):
    client.force_login(coordinator)

    response = client.post(
        f"/kommentare/{reported.pk}/ausblenden/",
        {"reason": "Persönlicher Angriff", "next": QUEUE},
        follow=True,
    )

    page = response.content.decode()
    assert "Der Kommentar ist ausgeblendet; die Verfasser*in erfährt den Grund." in page
    assert "Keine offenen Meldungen." in page
    reported.refresh_from_db()
    assert reported.is_hidden and reported.hidden_reason == "Persönlicher Angriff"
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.actor) == ("hide", coordinator)
    assert CommentReport.objects.get().decision == decision
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.COMMENT_HIDDEN).get()
    assert entry.details["reason"] == "Persönlicher Angriff"


def test_hiding_needs_a_reason_for_the_author(client, reported, coordinator):
    client.force_login(coordinator)

    response = client.post(f"/kommentare/{reported.pk}/ausblenden/", {"reason": " ", "next": QUEUE})

    assert response.status_code == 400
    reported.refresh_from_db()
    assert not reported.is_hidden


def test_dismissing_keeps_the_comment_settles_the_reports_and_is_audited(
    client, reported, coordinator
):
    client.force_login(coordinator)

    response = client.post(
        f"/kommentare/{reported.pk}/zurueckweisen/", {"reason": "", "next": QUEUE}, follow=True
    )

    assert "Die Meldung ist zurückgewiesen; der Kommentar bleibt sichtbar." in (
        response.content.decode()
    )
    reported.refresh_from_db()
    assert not reported.is_hidden
    assert CommentReport.objects.get().decision.action == "dismiss"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_DISMISSED).count() == 1


def test_dismissing_without_open_reports_is_refused(reported, coordinator):
    comment_dismiss_reports(actor=fresh(coordinator), comment=reported)

    with pytest.raises(ValidationError):
        comment_dismiss_reports(actor=fresh(coordinator), comment=reported)


def test_undoing_a_hide_shows_the_comment_again_and_is_audited(client, reported, coordinator):
    comment_hide(actor=fresh(coordinator), comment=reported, reason="Beleidigend")
    client.force_login(coordinator)
    assert f'id="ausgeblendet-{reported.pk}"' in client.get(QUEUE).content.decode()

    response = client.post(
        f"/kommentare/{reported.pk}/einblenden/", {"reason": "Versehen", "next": QUEUE}, follow=True
    )

    assert "Der Kommentar ist wieder sichtbar." in response.content.decode()
    reported.refresh_from_db()
    assert not reported.is_hidden and reported.hidden_reason == ""
    assert list(ModerationDecision.objects.order_by("id").values_list("action", flat=True)) == [
        "hide",
        "restore",
    ]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.COMMENT_RESTORED).count() == 1


def test_a_comment_reported_again_after_a_decision_returns_to_the_queue(
    reported, coordinator, partner
):
    comment_dismiss_reports(actor=fresh(coordinator), comment=reported)

    comment_report(actor=fresh(partner), comment=reported, reason="Immer noch beleidigend")

    assert CommentReport.objects.get().decision is None


def test_the_reporters_thank_you_is_true(client, reported, partner, coordinator, reviewer):
    client.force_login(reviewer)

    response = client.post(f"/kommentare/{reported.pk}/melden/", {"reason": "Spam"}, follow=True)

    assert "Danke, die Koordination sieht sich den Kommentar an." in response.content.decode()
    client.force_login(coordinator)
    assert "„Spam“" in client.get(QUEUE).content.decode()


def test_the_queue_asks_the_database_a_fixed_number_of_times(
    client, drafted_section, commenter, partner, reviewer, coordinator
):
    def grow(n: int) -> None:
        for i in range(n):
            comment = comment_create(actor=fresh(commenter), target=drafted_section, body=f"K{i}")
            comment_report(actor=fresh(partner), comment=comment, reason="a")
            comment_report(actor=fresh(reviewer), comment=comment, reason="b")
            hidden = comment_create(actor=fresh(commenter), target=drafted_section, body="H")
            comment_hide(actor=fresh(coordinator), comment=hidden, reason="c")

    def queries() -> int:
        client.force_login(fresh(coordinator))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured.captured_queries)

    grow(1)
    queries()  # warms the per-process caches (content types)
    small = queries()
    grow(4)

    assert queries() == small


@pytest.mark.parametrize(
    ("role", "status"), [("coordinator", 200), ("editor", 403), ("partner", 403)]
)
def test_the_api_dismisses_reports_for_coordinators_only(role, status, as_role, client, reported):
    client.force_login(as_role(role))

    response = client.post(
        f"/api/v1/comments/{reported.pk}/dismiss/",
        {"reason": "Sachlich"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert (CommentReport.objects.get().decision is not None) == (status == 200)


def test_the_api_shows_a_hidden_comment_again(client, reported, coordinator):
    comment_hide(actor=fresh(coordinator), comment=reported, reason="Beleidigend")
    client.force_login(coordinator)

    response = client.post(
        f"/api/v1/comments/{reported.pk}/restore/", {}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["is_hidden"] is False
    assert response.json()["body"] == "Unsinn!"
