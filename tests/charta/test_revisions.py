"""Saving section text: append-only revisions and optimistic edits (charta.services)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from charta.errors import EditConflict
from charta.models import Revision
from charta.services import section_save_draft

pytestmark = pytest.mark.django_db


def save(actor, section, body, base):
    return section_save_draft(actor=actor, section=section, body=body, base_revision=base)


def test_revision_numbers_increase_from_one(section, editor):
    numbers = [save(editor, section, f"Fassung {n}", n - 1 or None).number for n in (1, 2, 3)]

    assert numbers == [1, 2, 3]
    section.refresh_from_db()
    assert section.current_revision.number == 3


def test_revision_records_author_message_and_rendered_html(section, editor):
    revision = section_save_draft(
        actor=editor, section=section, body="**Fett**", base_revision=None, message="  Erste  "
    )

    assert revision.author == editor
    assert revision.message == "Erste"
    assert "<strong>Fett</strong>" in revision.body_html


def test_stale_base_revision_is_refused_and_writes_nothing(section, editor, coordinator):
    save(editor, section, "Erste Fassung", None)
    save(coordinator, section, "Zweite Fassung", 1)
    before = Revision.objects.count()

    with pytest.raises(EditConflict) as conflict:
        save(editor, section, "Meine Fassung auf Basis der ersten", 1)

    assert (conflict.value.base_revision, conflict.value.latest_revision) == (1, 2)
    assert Revision.objects.count() == before
    section.refresh_from_db()
    assert section.current_revision.body == "Zweite Fassung"


def test_first_save_without_base_is_refused_once_text_exists(section, editor):
    save(editor, section, "Erste Fassung", None)
    before = Revision.objects.count()

    with pytest.raises(EditConflict):
        save(editor, section, "Auch eine erste Fassung", None)

    assert Revision.objects.count() == before


def test_base_revision_from_the_future_is_refused(section, editor):
    with pytest.raises(EditConflict):
        save(editor, section, "Text", 5)

    assert not Revision.objects.exists()


def test_unchanged_text_is_refused(section, editor):
    save(editor, section, "Gleicher Text", None)

    with pytest.raises(ValidationError) as refused:
        save(editor, section, "Gleicher Text", 1)

    assert "body" in refused.value.message_dict
    assert Revision.objects.filter(section=section).count() == 1


@pytest.mark.parametrize("body", ["", "   ", "\n\n\t\n"])
def test_empty_text_is_refused(body, section, editor):
    with pytest.raises(ValidationError):
        save(editor, section, body, None)

    assert not Revision.objects.exists()
    section.refresh_from_db()
    assert section.current_revision is None


def test_saving_creates_new_rows_and_never_edits_old_revisions(section, editor):
    first = save(editor, section, "Erste Fassung", None)
    first_html, first_created = first.body_html, first.created_at

    second = save(editor, section, "Zweite Fassung", 1)

    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.body == "Erste Fassung"
    assert first.body_html == first_html
    assert first.created_at == first_created
    assert list(Revision.objects.filter(section=section).values_list("number", "body")) == [
        (2, "Zweite Fassung"),
        (1, "Erste Fassung"),
    ]


@pytest.mark.parametrize("role", ["reviewer", "partner", "other_editor", "outsider", "wg_member"])
def test_only_editors_and_coordinators_save_text(role, as_role, section):
    with pytest.raises(PermissionDenied):
        save(as_role(role), section, "Text", None)

    assert not Revision.objects.exists()


def test_coordinator_may_save_text(section, coordinator):
    assert save(coordinator, section, "Text der Koordination", None).number == 1
