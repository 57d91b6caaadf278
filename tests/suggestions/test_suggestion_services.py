"""Suggestions (Änderungsvorschläge) through the services: made by whoever may comment,
accepted (alone or several at once, all or nothing) or rejected by the field's editors,
carried forward while their quote stands, outdated otherwise and never applied silently."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from charta.errors import EditConflict, SuggestionConflict
from charta.models import Revision, Suggestion
from charta.services import suggestion_reject, suggestions_accept
from notifications.models import Notification
from tests.conftest import fresh

from .conftest import FIRST, SECOND, TEXT, THIRD, new_revision, reload, suggest

pytestmark = pytest.mark.django_db


def accept(section, editor, *suggestions) -> Revision:
    return suggestions_accept(
        actor=fresh(editor), section=reload(section), ids=[s.pk for s in suggestions]
    )


def test_a_suggestion_records_the_quote_with_its_surroundings(drafted_section, partner):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    assert suggestion.state == Suggestion.State.OPEN
    assert (suggestion.base_revision, suggestion.checked_revision) == (1, 1)
    assert suggestion.prefix.endswith("Zulieferer erhalten ")
    assert suggestion.suffix.startswith(" und ein Strategie")
    assert suggestion.paragraph == drafted_section.current_revision.paragraphs[1][0]


def test_accepting_writes_a_revision_on_the_latest_that_carries_the_change(
    drafted_section, partner, editor
):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    revision = accept(drafted_section, editor, suggestion)

    assert revision.number == 2
    assert revision.body == TEXT.replace("eine Sprechstunde", "eine Beratung")
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.revision, suggestion.decided_by) == (
        Suggestion.State.ACCEPTED,
        revision,
        editor,
    )


def test_accepting_credits_the_suggester_in_the_revision_message(drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    revision = accept(drafted_section, editor, suggestion)

    assert f"#{suggestion.pk}" in revision.message
    assert str(partner) in revision.message
    assert revision.author == editor


def test_accepting_notifies_the_suggester(
    drafted_section, partner, editor, django_capture_on_commit_callbacks
):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    with django_capture_on_commit_callbacks(execute=True):
        accept(drafted_section, editor, suggestion)

    notice = Notification.objects.get(recipient=partner, kind="suggestion_decided")
    assert "übernommen" in notice.title
    assert notice.url.endswith(f"#vorschlag-{suggestion.pk}")


def test_a_new_suggestion_notifies_the_editors_of_the_field(
    drafted_section, partner, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    assert Notification.objects.filter(recipient=editor, kind="suggestion").count() == 1


def test_rejecting_needs_a_reason(drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    with pytest.raises(ValidationError) as refused:
        suggestion_reject(actor=fresh(editor), suggestion=suggestion, reason="  ")

    assert "reason" in refused.value.message_dict
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.OPEN


def test_rejecting_notifies_the_suggester_with_the_reason(
    drafted_section, partner, editor, django_capture_on_commit_callbacks
):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    with django_capture_on_commit_callbacks(execute=True):
        suggestion_reject(actor=fresh(editor), suggestion=suggestion, reason="Zu ungenau.")

    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decision_reason) == ("rejected", "Zu ungenau.")
    notice = Notification.objects.get(recipient=partner, kind="suggestion_decided")
    assert "Zu ungenau." in notice.title


def test_decisions_are_audited(drafted_section, partner, editor):
    first = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    second = suggest(drafted_section, partner, "Brücken", "Wege")

    accept(drafted_section, editor, first)
    suggestion_reject(actor=fresh(editor), suggestion=second, reason="Bleibt.")

    actions = list(
        AuditEntry.objects.filter(action__startswith="suggestion_")
        .order_by("id")
        .values_list("action", "details")
    )
    assert actions == [
        ("suggestion_made", {"suggestion": first.pk, "revision": 1}),
        ("suggestion_made", {"suggestion": second.pk, "revision": 1}),
        ("suggestion_accepted", {"suggestion": first.pk, "revision": 2}),
        ("suggestion_rejected", {"suggestion": second.pk, "reason": "Bleibt."}),
    ]


def test_several_suggestions_are_accepted_in_one_revision(
    drafted_section, partner, reviewer, editor
):
    first = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    second = suggest(drafted_section, reviewer, "Brücken", "Wege")
    deletion = suggest(drafted_section, partner, " gemeinsam", "")

    revision = accept(drafted_section, editor, first, second, deletion)

    assert revision.number == 2
    assert revision.body == (
        TEXT.replace("eine Sprechstunde", "eine Beratung")
        .replace("Brücken", "Wege")
        .replace(" gemeinsam", "")
    )
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"accepted"}
    assert str(reviewer) in revision.message and str(partner) in revision.message


def test_an_insertion_goes_between_its_surroundings(drafted_section, partner, editor):
    insertion = suggest(
        drafted_section,
        partner,
        "",
        " wöchentliche",
        prefix="Zulieferer erhalten eine",
        suffix=" Sprechstunde und",
    )

    revision = accept(drafted_section, editor, insertion)

    assert "erhalten eine wöchentliche Sprechstunde und" in revision.body


def test_overlapping_suggestions_are_refused_together_and_named(
    drafted_section, partner, reviewer, editor
):
    wide = suggest(drafted_section, partner, "eine Sprechstunde und ein", "eine Beratung und ein")
    narrow = suggest(drafted_section, reviewer, "Sprechstunde", "Sprechzeit")
    apart = suggest(drafted_section, reviewer, "Brücken", "Wege")

    with pytest.raises(SuggestionConflict) as refused:
        accept(drafted_section, editor, wide, narrow, apart)

    assert refused.value.overlapping == [(wide.pk, narrow.pk)]
    assert refused.value.outdated == []
    assert Revision.objects.count() == 1
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"open"}


def test_an_outdated_suggestion_is_never_applied(drafted_section, partner, editor):
    outdated = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    fine = suggest(drafted_section, partner, "Brücken", "Wege")
    new_revision(drafted_section, editor, TEXT.replace("eine Sprechstunde", "ein Helpdesk"))

    with pytest.raises(SuggestionConflict) as refused:
        accept(drafted_section, editor, fine, outdated)

    assert refused.value.outdated == [outdated.pk]
    assert Revision.objects.count() == 2
    fine.refresh_from_db()
    assert fine.state == Suggestion.State.OPEN


def test_a_suggestion_is_carried_forward_while_its_quote_is_unchanged(
    drafted_section, partner, editor
):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    # Another paragraph changes, and even the words around the quote a little.
    new_revision(
        drafted_section,
        editor,
        "\n\n".join([FIRST + " Neu.", SECOND.replace("damit sie", "damit die Betriebe"), THIRD]),
    )

    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.checked_revision) == ("open", 2)
    revision = accept(drafted_section, editor, suggestion)
    assert "erhalten eine Beratung und ein Strategie-Coaching" in revision.body


def test_a_suggestion_becomes_outdated_when_its_quote_changes(drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    new_revision(drafted_section, editor, TEXT.replace("eine Sprechstunde", "ein Helpdesk"))

    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.checked_revision) == ("outdated", 1)


def test_a_suggestion_on_one_of_two_equal_quotes_is_outdated_not_moved_to_the_other(
    section, editor, partner
):
    body = (
        "Kleine Zulieferer erhalten eine Sprechstunde am Montag. "
        "Große Zulieferer erhalten eine Sprechstunde nur auf Anfrage."
    )
    new_revision_body = body.replace(
        "Große Zulieferer erhalten eine Sprechstunde", "Große Zulieferer erhalten Beratung"
    )
    from charta.services import section_save_draft

    section_save_draft(actor=editor, section=section, body=body, base_revision=None)
    suggestion = suggest(
        section,
        partner,
        "eine Sprechstunde",
        "eine offene Sprechstunde",
        prefix="Große Zulieferer erhalten ",
        suffix=" nur auf Anfrage.",
    )

    new_revision(section, editor, new_revision_body)

    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.OUTDATED


def test_a_quote_that_is_not_in_the_base_revision_is_refused(drafted_section, partner):
    with pytest.raises(ValidationError) as refused:
        suggest(drafted_section, partner, "ein Helpdesk", "eine Beratung")

    assert "quote" in refused.value.message_dict
    assert not Suggestion.objects.exists()


def test_a_quote_that_occurs_twice_needs_its_surroundings(drafted_section, partner):
    with pytest.raises(ValidationError) as refused:
        suggest(drafted_section, partner, "Zulieferer", "Lieferanten")

    assert "quote" in refused.value.message_dict


def test_a_suggestion_that_changes_nothing_is_refused(drafted_section, partner):
    with pytest.raises(ValidationError) as refused:
        suggest(drafted_section, partner, "Brücken", "Brücken")

    assert "replacement" in refused.value.message_dict


def test_a_suggestion_needs_a_reason(drafted_section, partner):
    with pytest.raises(ValidationError) as refused:
        suggest(drafted_section, partner, "Brücken", "Wege", reason=" ")

    assert "reason" in refused.value.message_dict


def test_a_suggestion_on_an_older_revision_whose_quote_changed_is_a_conflict(
    drafted_section, partner, editor
):
    new_revision(drafted_section, editor, TEXT.replace("eine Sprechstunde", "ein Helpdesk"))

    with pytest.raises(EditConflict):
        suggest(drafted_section, partner, "eine Sprechstunde", "x", base_revision=1)

    assert not Suggestion.objects.exists()


def test_a_suggestion_on_an_older_revision_whose_quote_stands_is_taken(
    drafted_section, partner, editor
):
    new_revision(drafted_section, editor, TEXT.replace("gemeinsam", "zusammen"))

    suggestion = suggest(drafted_section, partner, "Brücken", "Wege", base_revision=1)

    assert (suggestion.base_revision, suggestion.checked_revision) == (1, 2)


def test_a_decided_suggestion_cannot_be_decided_again(drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "Brücken", "Wege")
    accept(drafted_section, editor, suggestion)

    with pytest.raises(ValidationError):
        accept(drafted_section, editor, suggestion)
    with pytest.raises(ValidationError):
        suggestion_reject(actor=fresh(editor), suggestion=suggestion, reason="Doch nicht.")


def test_a_reviewer_may_suggest_but_not_accept(drafted_section, reviewer):
    suggestion = suggest(drafted_section, reviewer, "Brücken", "Wege")

    with pytest.raises(PermissionDenied):
        accept(drafted_section, reviewer, suggestion)
    assert Revision.objects.count() == 1
