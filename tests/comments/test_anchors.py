"""Paragraph comments survive new revisions: kept, moved or orphaned, never lost."""

import pytest
from django.core.exceptions import ValidationError

from charta.services import section_save_draft
from comments import anchoring
from comments.models import AnchorStatus, Comment
from comments.services import comment_create
from core.rendering import paragraph_anchor
from tests.conftest import fresh

from .conftest import FIRST, SECOND, THIRD, anchor_of, reload

pytestmark = pytest.mark.django_db

SECOND_EDITED = SECOND.replace("eine Sprechstunde", "eine wöchentliche Sprechstunde")
UNRELATED = "Der Wasserstoffbedarf der Region wird bis 2030 in einer eigenen Studie ermittelt."


def new_revision(section, editor, *paragraphs: str):
    section = reload(section)
    return section_save_draft(
        actor=fresh(editor),
        section=section,
        body="\n\n".join(paragraphs),
        base_revision=section.current_revision.number,
    )


@pytest.fixture
def paragraph_comment(drafted_section, reviewer) -> Comment:
    """The reviewer's comment on the second paragraph of revision 1."""
    anchor = anchor_of(drafted_section.current_revision, SECOND)
    return comment_create(
        actor=reviewer,
        target=drafted_section,
        body="Wer bietet die Sprechstunde an?",
        paragraph=anchor,
    )


def test_comment_is_anchored_to_the_paragraph_of_the_current_revision(
    paragraph_comment, drafted_section
):
    assert paragraph_comment.paragraph == anchor_of(drafted_section.current_revision, SECOND)
    assert paragraph_comment.paragraph_text == SECOND
    assert paragraph_comment.anchor_status == AnchorStatus.CURRENT
    assert paragraph_comment.revision == drafted_section.current_revision.number


def test_anchor_is_kept_when_its_paragraph_is_unchanged(paragraph_comment, drafted_section, editor):
    old_anchor = paragraph_comment.paragraph

    revision = new_revision(drafted_section, editor, UNRELATED, SECOND, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.CURRENT
    assert paragraph_comment.paragraph == old_anchor == anchor_of(revision, SECOND)
    assert paragraph_comment.paragraph_text == SECOND


def test_anchor_is_kept_when_its_paragraph_moved_position(
    paragraph_comment, drafted_section, editor
):
    revision = new_revision(drafted_section, editor, THIRD, FIRST, SECOND)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.CURRENT
    assert paragraph_comment.paragraph == anchor_of(revision, SECOND)


def test_anchor_follows_the_slightly_edited_paragraph_as_changed(
    paragraph_comment, drafted_section, editor
):
    old_anchor = paragraph_comment.paragraph

    revision = new_revision(drafted_section, editor, FIRST, SECOND_EDITED, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.CHANGED
    assert paragraph_comment.paragraph == anchor_of(revision, SECOND_EDITED) != old_anchor
    assert paragraph_comment.paragraph_text == SECOND  # the text the comment was written on


def test_changed_anchor_stays_changed_when_a_later_revision_changes_other_paragraphs(
    paragraph_comment, drafted_section, editor
):
    """The comment still speaks of the old text: the paragraph is not "unchanged"."""
    new_revision(drafted_section, editor, FIRST, SECOND_EDITED, THIRD)

    revision = new_revision(drafted_section, editor, UNRELATED, SECOND_EDITED, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.paragraph == anchor_of(revision, SECOND_EDITED)
    assert paragraph_comment.paragraph_text == SECOND
    assert paragraph_comment.anchor_status == AnchorStatus.CHANGED


def test_changed_anchor_is_current_again_when_the_original_text_returns(
    paragraph_comment, drafted_section, editor
):
    new_revision(drafted_section, editor, FIRST, SECOND_EDITED, THIRD)

    revision = new_revision(drafted_section, editor, FIRST, SECOND, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.CURRENT
    assert paragraph_comment.paragraph == anchor_of(revision, SECOND)


def test_anchor_is_orphaned_when_its_paragraph_is_deleted(
    paragraph_comment, drafted_section, editor
):
    old_anchor = paragraph_comment.paragraph

    new_revision(drafted_section, editor, FIRST, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.ORPHANED
    assert paragraph_comment.paragraph == old_anchor
    assert paragraph_comment.paragraph_text == SECOND


def test_orphaned_comment_is_still_listed_with_its_old_paragraph(
    client, paragraph_comment, drafted_section, editor
):
    new_revision(drafted_section, editor, FIRST, THIRD)
    client.force_login(editor)

    html = client.get(f"/charta/abschnitt/{drafted_section.pk}/").content.decode()

    assert f'id="kommentar-{paragraph_comment.pk}"' in html
    assert "Wer bietet die Sprechstunde an?" in html
    assert "Absatz geändert oder entfernt" in html
    assert SECOND in html


def test_orphaned_anchor_comes_back_when_the_paragraph_returns(
    paragraph_comment, drafted_section, editor
):
    new_revision(drafted_section, editor, FIRST, THIRD)

    revision = new_revision(drafted_section, editor, FIRST, SECOND, THIRD)

    paragraph_comment.refresh_from_db()
    assert paragraph_comment.anchor_status == AnchorStatus.CURRENT
    assert paragraph_comment.paragraph == anchor_of(revision, SECOND)


def test_whole_section_comments_are_not_reanchored(paragraph_comment, drafted_section, editor):
    general = comment_create(actor=fresh(editor), target=drafted_section, body="Allgemein")

    new_revision(drafted_section, editor, FIRST, THIRD)

    general.refresh_from_db()
    assert (general.paragraph, general.anchor_status) == ("", "")


def test_anchor_to_a_paragraph_missing_from_the_current_revision_is_refused(
    drafted_section, reviewer, editor
):
    old_anchor = anchor_of(drafted_section.current_revision, SECOND)
    new_revision(drafted_section, editor, FIRST, THIRD)

    with pytest.raises(ValidationError) as refused:
        comment_create(
            actor=reviewer, target=reload(drafted_section), body="Zu spät", paragraph=old_anchor
        )

    assert "paragraph" in refused.value.message_dict
    assert not Comment.objects.exists()


def test_anchor_to_an_unknown_paragraph_is_refused(drafted_section, reviewer):
    with pytest.raises(ValidationError) as refused:
        comment_create(
            actor=reviewer, target=drafted_section, body="Hier?", paragraph="abs-00000000"
        )

    assert "paragraph" in refused.value.message_dict


def test_anchor_on_a_section_without_text_is_refused(section, reviewer):
    with pytest.raises(ValidationError) as refused:
        comment_create(actor=reviewer, target=section, body="Hier?", paragraph="abs-00000000")

    assert "paragraph" in refused.value.message_dict


# anchoring.relocate (pure) ---------------------------------------------------------------


def paragraphs(*texts: str) -> list[list[str]]:
    return [[paragraph_anchor(text), text] for text in texts]


def test_relocate_keeps_an_anchor_that_is_still_there():
    anchor = paragraph_anchor(SECOND)

    placement = anchoring.relocate(anchor, SECOND, paragraphs(FIRST, SECOND, THIRD))

    assert placement == anchoring.Placement(anchor, AnchorStatus.CURRENT)


def test_relocate_finds_the_same_text_under_another_anchor():
    # A duplicate paragraph gets a suffixed anchor; the text still matches exactly.
    placement = anchoring.relocate("abs-old", SECOND, [["abs-new-2", SECOND]])

    assert placement == anchoring.Placement("abs-new-2", AnchorStatus.CURRENT)


def test_relocate_keeps_a_changed_anchor_marked_changed():
    # The comment moved to "abs-edited" earlier; its own text is still the old one.
    placement = anchoring.relocate("abs-edited", SECOND, [["abs-edited", SECOND_EDITED]])

    assert placement == anchoring.Placement("abs-edited", AnchorStatus.CHANGED)


def test_relocate_moves_to_the_most_similar_paragraph():
    slightly = SECOND.replace("Zulieferer", "Zulieferbetriebe")
    more = SECOND.replace("Sprechstunde und ein Strategie-Coaching", "Beratung")

    placement = anchoring.relocate(
        paragraph_anchor(SECOND), SECOND, paragraphs(FIRST, more, slightly, THIRD)
    )

    assert placement == anchoring.Placement(paragraph_anchor(slightly), AnchorStatus.CHANGED)


def test_relocate_orphans_when_nothing_is_similar_enough():
    anchor = paragraph_anchor(SECOND)

    placement = anchoring.relocate(anchor, SECOND, paragraphs(FIRST, UNRELATED))

    assert placement == anchoring.Placement(anchor, AnchorStatus.ORPHANED)


def test_relocate_orphans_in_an_empty_text():
    assert anchoring.relocate("abs-1", SECOND, []).status == AnchorStatus.ORPHANED


def test_relocate_threshold_is_inclusive():
    # "abcde" vs "abcxy": ratio 2*3/10 = 0.6, exactly the threshold.
    placement = anchoring.relocate("abs-1", "abcde", [["abs-2", "abcxy"]])

    assert anchoring.SIMILARITY_THRESHOLD == 0.6
    assert placement == anchoring.Placement("abs-2", AnchorStatus.CHANGED)


def test_relocate_accepts_tuples_as_rendering_returns_them():
    placement = anchoring.relocate("abs-1", SECOND, [(paragraph_anchor(SECOND), SECOND)])

    assert placement.status == AnchorStatus.CURRENT
