"""Differences between two texts (charta.diffing)."""

from charta.diffing import Chunk, side_by_side, stats, word_diff


def kinds(chunks) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in chunks]


def test_word_diff_marks_replaced_words():
    chunks = word_diff("Die Region wächst schnell.", "Die Region wächst langsam.")

    assert kinds(chunks) == [
        ("equal", "Die Region wächst "),
        ("delete", "schnell"),
        ("insert", "langsam"),
        ("equal", "."),
    ]


def test_word_diff_marks_inserted_words():
    chunks = word_diff("Gute Arbeit", "Gute und sichere Arbeit")

    assert ("insert", "und sichere ") in kinds(chunks) or ("insert", " und sichere") in kinds(
        chunks
    )
    assert not [c for c in chunks if c.kind == "delete"]


def test_word_diff_marks_deleted_words():
    chunks = word_diff("Gute und sichere Arbeit", "Gute Arbeit")

    deleted = "".join(c.text for c in chunks if c.kind == "delete")
    assert deleted.split() == ["und", "sichere"]
    assert not [c for c in chunks if c.kind == "insert"]


def test_word_diff_of_equal_texts_is_one_equal_chunk():
    assert word_diff("Gleich bleibt gleich.", "Gleich bleibt gleich.") == [
        Chunk("equal", "Gleich bleibt gleich.")
    ]


def test_word_diff_reassembles_both_texts():
    old, new = "Eins zwei drei vier.", "Eins drei, vier und fünf."
    chunks = word_diff(old, new)

    assert "".join(c.text for c in chunks if c.kind != "insert") == old
    assert "".join(c.text for c in chunks if c.kind != "delete") == new


def test_side_by_side_pairs_changed_lines():
    rows = side_by_side("Titel\nDie Region wächst.\nEnde", "Titel\nDie Region schrumpft.\nEnde")

    assert [row.kind for row in rows] == ["equal", "change", "equal"]
    changed = rows[1]
    assert ("delete", "wächst") in kinds(changed.old)
    assert ("insert", "schrumpft") in kinds(changed.new)
    assert all(c.kind != "insert" for c in changed.old)
    assert all(c.kind != "delete" for c in changed.new)


def test_side_by_side_shows_added_and_removed_lines_on_one_side():
    rows = side_by_side("Eins\nZwei\nDrei", "Eins\nDrei\nVier")

    removed = [row for row in rows if row.kind == "delete"]
    added = [row for row in rows if row.kind == "insert"]
    assert [(r.old, r.new) for r in removed] == [([Chunk("delete", "Zwei")], None)]
    assert [(r.old, r.new) for r in added] == [(None, [Chunk("insert", "Vier")])]


def test_stats_count_added_and_removed_words():
    assert stats("Gute Arbeit in der Region", "Gute sichere Arbeit") == {"added": 1, "removed": 3}
