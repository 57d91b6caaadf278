"""Readable differences between two texts: line-aligned, with word-level changes marked."""

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Chunk:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side view; a side is None where the line does not exist."""

    kind: str  # "equal", "change", "insert" or "delete"
    old: list[Chunk] | None
    new: list[Chunk] | None


def word_diff(old: str, new: str) -> list[Chunk]:
    """The changes from ``old`` to ``new`` word by word, as one inline sequence."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    chunks: list[Chunk] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            chunks.append(Chunk("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("delete", "".join(a[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("insert", "".join(b[j1:j2])))
    return _merge(chunks)


def _merge(chunks: list[Chunk]) -> list[Chunk]:
    merged: list[Chunk] = []
    for chunk in chunks:
        if merged and merged[-1].kind == chunk.kind:
            merged[-1] = Chunk(chunk.kind, merged[-1].text + chunk.text)
        else:
            merged.append(chunk)
    return merged


def side_by_side(old: str, new: str) -> list[Row]:
    """Rows pairing the lines of both texts; changed lines carry word-level chunks."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows.extend(Row("equal", [Chunk("equal", x)], [Chunk("equal", x)]) for x in a[i1:i2])
            continue
        old_lines, new_lines = a[i1:i2], b[j1:j2]
        for k in range(max(len(old_lines), len(new_lines))):
            left = old_lines[k] if k < len(old_lines) else None
            right = new_lines[k] if k < len(new_lines) else None
            if left is not None and right is not None:
                chunks = word_diff(left, right)
                rows.append(
                    Row(
                        "change",
                        [c for c in chunks if c.kind != "insert"],
                        [c for c in chunks if c.kind != "delete"],
                    )
                )
            elif left is not None:
                rows.append(Row("delete", [Chunk("delete", left)], None))
            else:
                rows.append(Row("insert", None, [Chunk("insert", right)]))
    return rows


def stats(old: str, new: str) -> dict[str, int]:
    """Words added and removed, for a one-line summary."""
    added = removed = 0
    for chunk in word_diff(old, new):
        words = len(re.findall(r"\w+", chunk.text))
        if chunk.kind == "insert":
            added += words
        elif chunk.kind == "delete":
            removed += words
    return {"added": added, "removed": removed}


def unified(old: str, new: str, *, old_label: str, new_label: str) -> str:
    """A classic unified diff, for the API and for people who prefer it."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )
