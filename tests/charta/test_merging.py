"""The three-way merge of section texts (charta.merging): the merge table, settling chunks,
and finding colleagues' text that a result would remove."""

import time

import pytest

from charta import merging
from charta.merging import Conflict, merge, removed_passages

BASE = (
    "## Ziele\n\n"
    "Die Region stärkt ihre Zulieferer. Sie baut Brücken zu den Hochschulen.\n\n"
    "Kleine Betriebe erhalten eine Sprechstunde.\n\n"
    "Die Wasserstoffstudie erscheint 2025.\n"
)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# The merge table: (base, theirs, mine) → merged text, or the conflicting chunks.
CLEAN = {
    "disjoint-paragraphs": (
        BASE,
        edit(BASE, "eine Sprechstunde", "eine wöchentliche Sprechstunde"),
        edit(BASE, "erscheint 2025", "erscheint im Frühjahr 2025"),
        edit(
            edit(BASE, "eine Sprechstunde", "eine wöchentliche Sprechstunde"),
            "erscheint 2025",
            "erscheint im Frühjahr 2025",
        ),
    ),
    "different-sentences-of-one-paragraph": (
        BASE,
        edit(BASE, "stärkt ihre Zulieferer", "stärkt ihre kleinen Zulieferer"),
        edit(BASE, "zu den Hochschulen", "zu den Hochschulen der Region"),
        edit(
            edit(BASE, "stärkt ihre Zulieferer", "stärkt ihre kleinen Zulieferer"),
            "zu den Hochschulen",
            "zu den Hochschulen der Region",
        ),
    ),
    "adjacent-lines": (
        "- Helpdesk\n- Coaching\n- Studie\n",
        "- Helpdesk für KMU\n- Coaching\n- Studie\n",
        "- Helpdesk\n- Strategie-Coaching\n- Studie\n",
        "- Helpdesk für KMU\n- Strategie-Coaching\n- Studie\n",
    ),
    "paragraph-added-at-the-top-and-at-the-end": (
        BASE,
        "Vorwort der Koordination.\n\n" + BASE,
        BASE + "\nNachtrag der Redaktion.\n",
        "Vorwort der Koordination.\n\n" + BASE + "\nNachtrag der Redaktion.\n",
    ),
    "paragraph-added-in-front-of-a-paragraph-the-other-edits": (
        BASE,
        edit(BASE, "Kleine Betriebe", "Ein neuer Absatz.\n\nKleine Betriebe"),
        edit(BASE, "eine Sprechstunde", "eine offene Sprechstunde"),
        edit(
            edit(BASE, "Kleine Betriebe", "Ein neuer Absatz.\n\nKleine Betriebe"),
            "eine Sprechstunde",
            "eine offene Sprechstunde",
        ),
    ),
    "deletion-of-one-paragraph-against-an-edit-of-another": (
        BASE,
        edit(BASE, "Kleine Betriebe erhalten eine Sprechstunde.\n\n", ""),
        edit(BASE, "erscheint 2025", "erscheint 2026"),
        edit(
            edit(BASE, "Kleine Betriebe erhalten eine Sprechstunde.\n\n", ""),
            "erscheint 2025",
            "erscheint 2026",
        ),
    ),
    "both-sides-make-the-same-change": (
        BASE,
        edit(BASE, "2025", "2026"),
        edit(BASE, "2025", "2026"),
        edit(BASE, "2025", "2026"),
    ),
    "same-change-plus-one-more-on-one-side": (
        BASE,
        edit(BASE, "2025", "2026"),
        edit(edit(BASE, "2025", "2026"), "## Ziele", "## Unsere Ziele"),
        edit(edit(BASE, "2025", "2026"), "## Ziele", "## Unsere Ziele"),
    ),
    "only-one-side-changed": (BASE, BASE, edit(BASE, "2025", "2030"), edit(BASE, "2025", "2030")),
    "empty-base-and-the-same-text": ("", "Erster Text.\n", "Erster Text.\n", "Erster Text.\n"),
    "line-breaks-of-a-browser-and-of-an-api-client": (
        BASE.replace("\n", "\r\n"),
        edit(BASE, "2025", "2026"),
        edit(BASE, "## Ziele", "## Unsere Ziele").replace("\n", "\r\n"),
        edit(edit(BASE, "2025", "2026"), "## Ziele", "## Unsere Ziele"),
    ),
}

CONFLICTING = {
    "same-sentence": (
        BASE,
        edit(BASE, "Die Wasserstoffstudie erscheint 2025.", "Die Studie erscheint 2026."),
        edit(BASE, "Die Wasserstoffstudie erscheint 2025.", "Die Wasserstoffstudie entfällt."),
        [
            Conflict(
                "Die Wasserstoffstudie erscheint 2025.",
                "Die Studie erscheint 2026.",
                "Die Wasserstoffstudie entfällt.",
            )
        ],
    ),
    "deletion-against-an-edit-of-the-same-paragraph": (
        BASE,
        edit(BASE, "Kleine Betriebe erhalten eine Sprechstunde.\n\n", ""),
        edit(BASE, "eine Sprechstunde", "zwei Sprechstunden"),
        [
            Conflict(
                "Kleine Betriebe erhalten eine Sprechstunde.\n\n",
                "",
                "Kleine Betriebe erhalten zwei Sprechstunden.\n\n",
            )
        ],
    ),
    "different-text-added-at-the-same-place": (
        BASE,
        BASE + "\nNachtrag A.\n",
        BASE + "\nNachtrag B.\n",
        [Conflict("", "\n\nNachtrag A.", "\n\nNachtrag B.")],
    ),
    "empty-base-and-two-different-first-texts": (
        "",
        "Fassung der Koordination.\n",
        "Fassung der Redaktion.\n",
        [Conflict("", "Fassung der Koordination.\n", "Fassung der Redaktion.\n")],
    ),
}


@pytest.mark.parametrize(("base", "theirs", "mine", "expected"), CLEAN.values(), ids=CLEAN)
def test_changes_that_do_not_overlap_merge_cleanly(base, theirs, mine, expected):
    result = merge(base, theirs, mine)

    assert result.is_clean
    assert result.text == expected


@pytest.mark.parametrize(
    ("base", "theirs", "mine", "expected"), CONFLICTING.values(), ids=CONFLICTING
)
def test_overlapping_changes_are_conflicts_with_base_theirs_and_mine(base, theirs, mine, expected):
    result = merge(base, theirs, mine)

    assert result.conflicts == expected
    with pytest.raises(ValueError):
        result.text  # noqa: B018


def test_the_parts_of_a_conflicting_merge_hold_everything_that_merged_cleanly():
    theirs = edit(
        edit(BASE, "## Ziele", "## Unsere Ziele"), "erscheint 2025", "erscheint im Mai 2025"
    )
    mine = edit(BASE, "erscheint 2025", "erscheint nicht")

    result = merge(BASE, theirs, mine)

    assert len(result.conflicts) == 1
    assert result.settle([(merging.THEIRS, "")]) == theirs
    assert result.settle([(merging.MINE, "")]) == edit(mine, "## Ziele", "## Unsere Ziele")


@pytest.mark.parametrize(
    ("choice", "text", "expected"),
    [
        (merging.THEIRS, "", "Nachtrag A.\n"),
        (merging.MINE, "", "Nachtrag B.\n"),
        (merging.BOTH, "", "Nachtrag A.\n\nNachtrag B.\n"),
        (merging.EDIT, "Ein gemeinsamer Nachtrag.\n", "Ein gemeinsamer Nachtrag.\n"),
        (merging.EDIT, "", ""),
    ],
)
def test_a_conflicting_chunk_is_settled_as_the_writer_chooses(choice, text, expected):
    result = merge("Text.\n\n", "Text.\n\nNachtrag A.\n", "Text.\n\nNachtrag B.\n")

    assert result.settle([(choice, text)]) == "Text.\n\n" + expected


@pytest.mark.parametrize(
    ("theirs", "mine", "both"),
    [
        ("Satz A.", "Satz B.", "Satz A. Satz B."),
        ("- Punkt A\n", "- Punkt B\n", "- Punkt A\n- Punkt B\n"),
        ("Absatz A.\n", "Absatz B.\n", "Absatz A.\n\nAbsatz B.\n"),
        ("", "Neu.", "Neu."),
    ],
)
def test_keeping_both_versions_keeps_them_readable_markdown(theirs, mine, both):
    assert Conflict("", theirs, mine).both() == both


def test_settling_needs_one_decision_per_conflict():
    result = merge("", "A\n", "B\n")

    with pytest.raises(ValueError):
        result.settle([])


def test_a_long_text_merges_quickly_enough_for_a_request():
    paragraphs = [f"Absatz {n}: Die Region stärkt Zulieferer im Feld {n}." for n in range(3000)]
    base = "\n\n".join(paragraphs) + "\n"
    theirs = base.replace("Absatz 10:", "Absatz zehn:")
    mine = base.replace("Absatz 2990:", "Absatz 2990 (neu):")

    started = time.perf_counter()
    result = merge(base, theirs, mine)
    removed = removed_passages(base, theirs, result.text)
    elapsed = time.perf_counter() - started

    assert result.is_clean
    assert "Absatz zehn:" in result.text and "Absatz 2990 (neu):" in result.text
    assert removed == []
    assert elapsed < 2, elapsed


# What a result would remove of a colleague's text ----------------------------------------


def test_removing_a_paragraph_a_colleague_added_is_found():
    theirs = BASE + "\nDer Helpdesk ist dienstags offen.\n"

    assert removed_passages(BASE, theirs, BASE) == ["Der Helpdesk ist dienstags offen."]


def test_removing_words_a_colleague_added_to_a_sentence_is_found():
    theirs = edit(BASE, "eine Sprechstunde", "eine wöchentliche Sprechstunde")

    assert removed_passages(BASE, theirs, BASE) == ["wöchentliche"]


def test_keeping_a_colleagues_additions_removes_nothing():
    theirs = BASE + "\nDer Helpdesk ist dienstags offen.\n"
    result = edit(theirs, "2025", "2026")

    assert removed_passages(BASE, theirs, result) == []


def test_removing_text_that_was_already_in_the_base_is_not_a_colleagues_addition():
    theirs = BASE + "\nNeu.\n"
    result = edit(theirs, "Kleine Betriebe erhalten eine Sprechstunde.\n\n", "")

    assert removed_passages(BASE, theirs, result) == []
