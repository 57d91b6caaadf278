"""Saving on a stale base: the save service merges three-way, refuses overlapping changes with
the chunks, and never removes a colleague's text without confirmation (charta.services)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from charta.errors import EditConflict, MergeConflict, RemovalNeedsConfirmation
from charta.models import Revision
from charta.services import section_save_draft
from tests.conftest import fresh

pytestmark = pytest.mark.django_db

BASE = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n"


def save(actor, section, body, base, **options):
    section.refresh_from_db()
    return section_save_draft(
        actor=fresh(actor), section=section, body=body, base_revision=base, **options
    )


@pytest.fixture
def base(section, editor):
    """Revision 1 of the section, the text both writers start from."""
    return save(editor, section, BASE, None)


def test_saving_on_the_latest_revision_is_not_a_merge(section, editor, base):
    revision = save(editor, section, BASE + "\nVierter.\n", 1)

    assert (revision.number, revision.base_revision) == (2, 1)
    assert (revision.merged, revision.merged_with) == (False, [])


def test_changes_to_different_paragraphs_are_merged_on_top_of_the_latest(
    section, editor, coordinator, base
):
    save(coordinator, section, "Neuer erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n", 1)

    revision = save(editor, section, "Erster Absatz.\n\nZweiter Absatz.\n\nNeuer dritter.\n", 1)

    assert revision.number == 3
    assert revision.body == "Neuer erster Absatz.\n\nZweiter Absatz.\n\nNeuer dritter.\n"
    assert (revision.merged, revision.merged_with, revision.base_revision) == (True, [2], 1)
    section.refresh_from_db()
    assert section.current_revision == revision


def test_a_merge_names_every_revision_that_landed_since_the_base(
    section, editor, coordinator, base
):
    save(coordinator, section, BASE.replace("Erster", "1."), 1)
    save(coordinator, section, BASE.replace("Erster", "1.").replace("Zweiter", "2."), 2)

    revision = save(editor, section, BASE.replace("Dritter", "3."), 1)

    assert revision.body == "1. Absatz.\n\n2. Absatz.\n\n3. Absatz.\n"
    assert revision.merged_with == [2, 3]
    assert revision.merge_description() == "zusammengeführt aus r1 und r2–r3"


def test_the_audit_log_records_the_merge(section, editor, coordinator, base):
    save(coordinator, section, BASE.replace("Erster", "1."), 1)
    save(editor, section, BASE.replace("Dritter", "3."), 1)

    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REVISION_SAVED).first()
    assert entry.details["merged_with"] == [2]
    assert entry.details["base_revision"] == 1


def test_overlapping_changes_are_refused_with_the_chunks_and_nothing_is_written(
    section, editor, coordinator, base
):
    save(coordinator, section, BASE.replace("Zweiter Absatz.", "Zweiter Absatz, neu."), 1)
    before = list(Revision.objects.values_list("pk", flat=True))

    with pytest.raises(MergeConflict) as refused:
        save(editor, section, BASE.replace("Zweiter Absatz.", "Ein anderer zweiter."), 1)

    assert (refused.value.base_revision, refused.value.latest_revision) == (1, 2)
    assert refused.value.payload()["conflicts"] == [
        {
            "base": "Zweiter Absatz.",
            "theirs": "Zweiter Absatz, neu.",
            "mine": "Ein anderer zweiter.",
        }
    ]
    assert list(Revision.objects.values_list("pk", flat=True)) == before


def test_a_merge_conflict_is_an_edit_conflict(section, editor, coordinator, base):
    save(coordinator, section, "Alles neu.\n", 1)

    with pytest.raises(EditConflict):
        save(editor, section, "Auch alles neu.\n", 1)


def test_changes_already_in_the_latest_revision_save_nothing(section, editor, coordinator, base):
    save(coordinator, section, BASE.replace("Erster", "1."), 1)

    with pytest.raises(ValidationError) as refused:
        save(editor, section, BASE.replace("Erster", "1."), 1)

    assert "bereits in Revision 2 enthalten" in refused.value.message_dict["body"][0]
    assert Revision.objects.filter(section=section).count() == 2


def test_removing_a_colleagues_addition_needs_confirmation(section, editor, coordinator, base):
    added = BASE + "\nVierter Absatz der Koordination.\n"
    save(coordinator, section, added, 1)

    # The writer settled a conflict on revision 2, started from revision 1, and left out
    # the colleague's paragraph.
    with pytest.raises(RemovalNeedsConfirmation) as refused:
        save(editor, section, BASE.replace("Erster", "1."), 2, origin_revision=1)

    assert refused.value.removed == ["Vierter Absatz der Koordination."]
    assert refused.value.payload()["removed"] == ["Vierter Absatz der Koordination."]
    assert Revision.objects.filter(section=section).count() == 2


def test_confirmed_removal_is_saved_as_a_merge(section, editor, coordinator, base):
    save(coordinator, section, BASE + "\nVierter Absatz der Koordination.\n", 1)

    revision = save(
        editor, section, BASE.replace("Erster", "1."), 2, origin_revision=1, confirm_removals=True
    )

    assert "Vierter" not in revision.body
    assert (revision.base_revision, revision.merged_with) == (1, [2])
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REVISION_SAVED).first()
    assert entry.details["removals_confirmed"] is True


def test_removing_ones_own_earlier_addition_needs_no_confirmation(section, editor, base):
    save(editor, section, BASE + "\nMein Nachtrag.\n", 1)

    revision = save(editor, section, BASE.replace("Erster", "1."), 2, origin_revision=1)

    assert "Nachtrag" not in revision.body


def test_an_origin_newer_than_the_base_is_refused(section, editor, base):
    save(editor, section, BASE + "\nMehr.\n", 1)

    with pytest.raises(ValidationError) as refused:
        save(editor, section, "Anders.\n", 1, origin_revision=2)

    assert "origin_revision" in refused.value.message_dict


def test_a_base_without_text_merges_with_the_text_written_meanwhile(section, editor, coordinator):
    save(coordinator, section, "Text der Koordination.\n", None)

    with pytest.raises(MergeConflict) as refused:
        save(editor, section, "Text der Redaktion.\n", None)

    assert refused.value.payload()["conflicts"][0]["base"] == ""


def test_line_breaks_are_stored_as_newlines(section, editor):
    revision = save(editor, section, "Eins.\r\n\r\nZwei.\r\n", None)

    assert revision.body == "Eins.\n\nZwei.\n"
