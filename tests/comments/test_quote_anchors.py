"""Quote-level anchors: a comment points at exact words of a paragraph (with some text before
and after); after every new revision it is placed again as current, moved, changed or orphaned,
and never on other words."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from charta.services import section_save_draft
from comments import anchoring
from comments.models import AnchorStatus, Comment
from comments.services import comment_create
from core.rendering import render
from tests.conftest import fresh

from .conftest import FIRST, SECOND, THIRD, anchor_of, reload

pytestmark = pytest.mark.django_db

QUOTE = "eine Sprechstunde"
TWICE = (
    "Kleine Zulieferer erhalten eine Sprechstunde am Montag. "
    "Große Zulieferer erhalten eine Sprechstunde nur auf Anfrage."
)

# (name, paragraphs of the new revision, expected status, the words it must stand on or None)
PLACEMENTS = [
    ("unchanged", [FIRST, SECOND, THIRD], AnchorStatus.CURRENT, QUOTE),
    ("paragraph moved", [THIRD, FIRST, SECOND], AnchorStatus.CURRENT, QUOTE),
    ("another paragraph edited", [FIRST + " Neu.", SECOND, THIRD], AnchorStatus.CURRENT, QUOTE),
    (
        "its paragraph edited elsewhere",
        [FIRST, SECOND.replace("Kleine und mittlere", "Viele"), THIRD],
        AnchorStatus.CURRENT,
        QUOTE,
    ),
    (
        "sentence moved to another paragraph",
        [
            FIRST + " Zulieferer erhalten eine Sprechstunde und ein Strategie-Coaching.",
            "Der Wasserstoffbedarf der Region wird in einer Studie ermittelt.",
            THIRD,
        ],
        AnchorStatus.MOVED,
        QUOTE,
    ),
    (
        "quote edited",
        [FIRST, SECOND.replace(QUOTE, "eine wöchentliche Sprechstunde"), THIRD],
        AnchorStatus.CHANGED,
        "eine wöchentliche Sprechstunde",
    ),
    (
        "quote edited to other words",
        [FIRST, SECOND.replace(QUOTE, "eine Sprechzeit"), THIRD],
        AnchorStatus.CHANGED,
        "eine Sprechzeit",
    ),
    (
        "quote deleted",
        [FIRST, SECOND.replace(QUOTE + " und ", ""), THIRD],
        AnchorStatus.ORPHANED,
        None,
    ),
    ("paragraph deleted", [FIRST, THIRD], AnchorStatus.ORPHANED, None),
    (
        "quote deleted, same words elsewhere",
        [FIRST, SECOND.replace(QUOTE + " und ", ""), THIRD + " Es gibt eine Sprechstunde."],
        AnchorStatus.ORPHANED,
        None,
    ),
    (
        "white space changed in the source",
        [FIRST, SECOND.replace(" erhalten ", "\nerhalten   "), THIRD],
        AnchorStatus.CURRENT,
        QUOTE,
    ),
    (
        "Markdown emphasis around the quote",
        [FIRST, SECOND.replace(QUOTE, f"**{QUOTE}**"), THIRD],
        AnchorStatus.CURRENT,
        QUOTE,
    ),
]  # fmt: skip


def place_quote(paragraph: str, quote: str, start: int, *paragraphs: str) -> tuple:
    """Write an anchor on ``quote`` at ``start`` of ``paragraph`` and place it in new text."""
    ((anchor, text),) = render(paragraph).paragraphs
    prefix, suffix = anchoring.context(text, start, start + len(quote))
    new = render("\n\n".join(paragraphs)).paragraphs
    placement = anchoring.place(
        anchoring.Quote(quote, prefix, suffix),
        anchor=anchor,
        text=text,
        start=start,
        paragraphs=new,
    )
    words = (
        dict(new)[placement.anchor][placement.start : placement.end]
        if placement.start is not None
        else None
    )
    return placement.status, words


@pytest.mark.parametrize(
    ("new_paragraphs", "status", "words"),
    [case[1:] for case in PLACEMENTS],
    ids=[case[0] for case in PLACEMENTS],
)
def test_anchor_placement(new_paragraphs, status, words):
    assert place_quote(SECOND, QUOTE, SECOND.index(QUOTE), *new_paragraphs) == (status, words)


@pytest.mark.parametrize(
    ("new_paragraph", "status", "at"),
    [
        (TWICE, AnchorStatus.CURRENT, "Große"),
        (
            "Große Zulieferer erhalten eine Sprechstunde nur auf Anfrage. "
            "Kleine Zulieferer erhalten eine Sprechstunde am Montag.",
            AnchorStatus.MOVED,
            "Große",
        ),
        (
            TWICE.replace("Große Zulieferer erhalten eine Sprechstunde", "Große erhalten Beratung"),
            AnchorStatus.ORPHANED,
            None,
        ),
    ],
    ids=["unchanged", "sentences swapped", "its occurrence removed"],
)  # fmt: skip
def test_a_quote_appearing_twice_stays_on_its_own_occurrence(new_paragraph, status, at):
    start = TWICE.rindex(QUOTE)
    ((anchor, text),) = render(TWICE).paragraphs
    prefix, suffix = anchoring.context(text, start, start + len(QUOTE))
    new = render(new_paragraph).paragraphs
    placement = anchoring.place(
        anchoring.Quote(QUOTE, prefix, suffix),
        anchor=anchor,
        text=text,
        start=start,
        paragraphs=new,
    )

    assert placement.status == status
    if at is None:
        assert placement.start is None
    else:
        sentence = new[0][1][: placement.end]
        assert sentence[sentence.rindex(".") + 2 if "." in sentence else 0 :].startswith(at)


# Through the services: written on a section, re-placed after each save -------------------


@pytest.fixture
def quote_comment(drafted_section, reviewer) -> Comment:
    return comment_create(
        actor=reviewer,
        target=drafted_section,
        body="Wer bietet die Sprechstunde an?",
        paragraph=anchor_of(drafted_section.current_revision, SECOND),
        quote=QUOTE,
    )


def save(section, editor, *paragraphs):
    section = reload(section)
    return section_save_draft(
        actor=fresh(editor),
        section=section,
        body="\n\n".join(paragraphs),
        base_revision=section.current_revision.number,
    )


def words_of(comment: Comment, revision) -> str:
    return dict(map(tuple, revision.paragraphs))[comment.paragraph][
        comment.anchor_start : comment.anchor_end
    ]


def test_a_quote_comment_records_its_surroundings_and_place(quote_comment, drafted_section):
    assert quote_comment.quote == QUOTE
    assert quote_comment.prefix.endswith("Zulieferer erhalten ")
    assert quote_comment.suffix.startswith(" und ein Strategie")
    assert quote_comment.anchor_status == AnchorStatus.CURRENT
    assert words_of(quote_comment, drafted_section.current_revision) == QUOTE


# A save must change the text: the unchanged case is the pure table's.
SAVED = [case for case in PLACEMENTS if case[0] != "unchanged"]


@pytest.mark.parametrize(
    ("new_paragraphs", "status", "words"),
    [case[1:] for case in SAVED],
    ids=[case[0] for case in SAVED],
)
def test_each_save_places_the_quote_again(
    quote_comment, drafted_section, editor, new_paragraphs, status, words
):
    revision = save(drafted_section, editor, *new_paragraphs)

    quote_comment.refresh_from_db()
    assert quote_comment.anchor_status == status
    if words is None:
        assert quote_comment.anchor_start is None
    else:
        assert words_of(quote_comment, revision) == words
    # What it was written on stays, to show it when its place is gone.
    assert (quote_comment.quote, quote_comment.revision) == (QUOTE, 1)


def test_a_changed_quote_is_current_again_when_the_words_return(
    quote_comment, drafted_section, editor
):
    save(drafted_section, editor, FIRST, SECOND.replace(QUOTE, "eine Sprechzeit"), THIRD)

    revision = save(drafted_section, editor, FIRST, SECOND, THIRD)

    quote_comment.refresh_from_db()
    assert quote_comment.anchor_status == AnchorStatus.CURRENT
    assert words_of(quote_comment, revision) == QUOTE


def test_a_quote_not_in_the_paragraph_is_refused(drafted_section, reviewer):
    with pytest.raises(ValidationError) as refused:
        comment_create(
            actor=reviewer,
            target=drafted_section,
            body="?",
            paragraph=anchor_of(drafted_section.current_revision, SECOND),
            quote="Wasserstoff",
        )

    assert "quote" in refused.value.message_dict
    assert not Comment.objects.exists()


def test_a_quote_appearing_twice_without_surroundings_is_refused(section, editor, reviewer):
    section_save_draft(actor=editor, section=section, body=TWICE, base_revision=None)
    section = reload(section)

    with pytest.raises(ValidationError) as refused:
        comment_create(
            actor=reviewer,
            target=section,
            body="?",
            paragraph=section.current_revision.paragraphs[0][0],
            quote=QUOTE,
        )

    assert "quote" in refused.value.message_dict


def test_the_surroundings_choose_between_two_equal_quotes(section, editor, reviewer):
    section_save_draft(actor=editor, section=section, body=TWICE, base_revision=None)
    section = reload(section)

    comment = comment_create(
        actor=reviewer,
        target=section,
        body="?",
        paragraph=section.current_revision.paragraphs[0][0],
        quote=QUOTE,
        prefix="Große Zulieferer erhalten ",
        suffix=" nur auf",
    )

    assert comment.anchor_start == TWICE.rindex(QUOTE)


def test_a_quote_names_its_paragraph_when_it_occurs_in_one_only(drafted_section, reviewer):
    comment = comment_create(actor=reviewer, target=drafted_section, body="?", quote="Brücken")

    assert comment.paragraph == anchor_of(drafted_section.current_revision, THIRD)


def test_the_api_writes_and_answers_the_anchor(drafted_section, reviewer, editor):
    client = APIClient()
    client.force_authenticate(fresh(reviewer))

    response = client.post(
        "/api/v1/comments/",
        {"target": f"section:{drafted_section.pk}", "body": "Welche?", "quote": "Brücken"},
        format="json",
    )
    assert response.status_code == 201, response.content
    save(drafted_section, editor, FIRST, SECOND)
    anchor = client.get(f"/api/v1/comments/{response.json()['id']}/").json()["anchor"]

    assert anchor == {
        "revision": 1,
        "paragraph": anchor_of(drafted_section.current_revision, THIRD),
        "quote": "Brücken",
        "prefix": "ochschulen und Zulieferer bauen ",
        "suffix": " für den Wissenstransfer in die ",
        "status": "orphaned",
    }


def test_the_api_answers_no_anchor_for_a_comment_on_the_whole_text(drafted_section, reviewer):
    comment_create(actor=reviewer, target=drafted_section, body="Allgemein")
    client = APIClient()
    client.force_authenticate(fresh(reviewer))

    results = client.get(f"/api/v1/comments/?target=section:{drafted_section.pk}").json()

    assert results["results"][0]["anchor"] is None


def test_the_api_refuses_a_quote_not_in_the_text_naming_it(drafted_section, reviewer):
    client = APIClient()
    client.force_authenticate(fresh(reviewer))

    response = client.post(
        "/api/v1/comments/",
        {"target": f"section:{drafted_section.pk}", "body": "?", "quote": "Wasserstoff"},
        format="json",
    )

    assert response.status_code == 400
    assert "quote" in response.json()["errors"]
