"""Three-way merge of section texts, and what a save would take away from colleagues.

``merge(base, theirs, mine)`` combines the changes two writers made to the same revision:
``base`` is the text both started from, ``theirs`` the latest saved text, ``mine`` the text
being saved. The merge runs on lines with the ``merge3`` library (the diff3 algorithm of
Bazaar and Breezy). Where both changed the same lines, the region is merged once more with
sentences as the units, and what is still in conflict is combined edit by edit where the
edits do not touch the same sentence: two people who edit different sentences of one
paragraph, or one who adds or deletes a paragraph next to one the other edits, do not
conflict. What is left are real conflicts: both changed the same sentence, or one deleted
what the other edited, or both inserted different text at the same place. Those are
returned as ``Conflict`` chunks for the writer to settle; the merge never picks a side.

``removed_passages(base, theirs, result)`` finds text a colleague added between ``base`` and
``theirs`` that ``result`` would remove again, so that no save drops it silently.
"""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import merge3

# Settling a conflicting chunk.
THEIRS = "theirs"
MINE = "mine"
BOTH = "both"
EDIT = "edit"
CHOICES = (THEIRS, MINE, BOTH, EDIT)


@dataclass(frozen=True)
class Conflict:
    """A chunk both sides changed differently: the base text and each side's version."""

    base: str
    theirs: str
    mine: str

    def as_dict(self) -> dict[str, str]:
        return {"base": self.base, "theirs": self.theirs, "mine": self.mine}

    def both(self) -> str:
        """Theirs followed by mine, with a separator that keeps both readable Markdown."""
        first, second = self.theirs, self.mine
        if not first or not second:
            return first + second
        if first.endswith("\n"):
            if first.endswith("\n\n") or second.startswith("\n") or not _is_prose(second):
                return first + second
            return first + "\n" + second  # two paragraphs stay two paragraphs
        if first[-1].isspace() or second[0].isspace():
            return first + second
        if "\n" in first or "\n" in second:
            return first + "\n\n" + second
        return first + " " + second

    def settle(self, choice: str, text: str = "") -> str:
        """The chunk's text after the writer's choice (``text`` for EDIT)."""
        if choice == THEIRS:
            return self.theirs
        if choice == MINE:
            return self.mine
        if choice == BOTH:
            return self.both()
        if choice == EDIT:
            return text
        raise ValueError(f"unknown choice {choice!r}")


_BLOCK_MARKER = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|\||#|>)")


def _is_prose(text: str) -> bool:
    """Whether ``text`` starts a paragraph (not a list item, table row, heading or quote)."""
    return bool(text.strip()) and not _BLOCK_MARKER.match(text)


@dataclass(frozen=True)
class MergeResult:
    """The merged text as parts: settled text, and Conflict chunks where both sides differ."""

    parts: tuple[str | Conflict, ...]

    @property
    def conflicts(self) -> list[Conflict]:
        return [part for part in self.parts if isinstance(part, Conflict)]

    @property
    def is_clean(self) -> bool:
        return not self.conflicts

    @property
    def text(self) -> str:
        """The merged text; only for a clean merge."""
        if not self.is_clean:
            raise ValueError("the merge has conflicts; settle them first")
        return "".join(self.parts)

    def settle(self, decisions: Sequence[tuple[str, str]]) -> str:
        """The text with each conflict settled by ``(choice, edited text)``, in order."""
        conflicts = self.conflicts
        if len(decisions) != len(conflicts):
            raise ValueError(f"{len(conflicts)} conflicts need as many decisions")
        settled = iter(decisions)
        return "".join(
            part.settle(*next(settled)) if isinstance(part, Conflict) else part
            for part in self.parts
        )


def normalise(text: str) -> str:
    """Line breaks as ``\\n``: browsers send ``\\r\\n``, API clients often ``\\n``, and a merge
    must not see every line as changed because of that."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def merge(base: str, theirs: str, mine: str) -> MergeResult:
    """Merge the changes from ``base`` to ``theirs`` and from ``base`` to ``mine``."""
    base, theirs, mine = normalise(base), normalise(theirs), normalise(mine)
    if theirs == mine:
        return MergeResult((theirs,))
    if base == theirs:
        return MergeResult((mine,))
    if base == mine:
        return MergeResult((theirs,))
    parts: list[str | Conflict] = []
    for base_lines, their_lines, my_lines in _regions(_lines(base), _lines(theirs), _lines(mine)):
        if their_lines is None:
            parts.append("".join(base_lines))
            continue
        # Both changed these lines: try again with sentences as the units.
        for sub_base, sub_theirs, sub_mine in _regions(
            _sentences("".join(base_lines)),
            _sentences("".join(their_lines)),
            _sentences("".join(my_lines)),
        ):
            if sub_theirs is None:
                parts.append("".join(sub_base))
            else:
                parts.append(_combine(sub_base, sub_theirs, sub_mine))
    return MergeResult(tuple(_join_text(parts)))


def _regions(base: list[str], theirs: list[str], mine: list[str]):
    """merge3's regions as ``(merged, None, None)`` or ``(base, theirs, mine)`` conflicts."""
    merger = merge3.Merge3(base, theirs, mine, sequence_matcher=_Matcher)
    for group in merger.merge_groups():
        if group[0] == "conflict":
            yield list(group[1]), list(group[2]), list(group[3])
        else:
            yield list(group[1]), None, None


class _Matcher(difflib.SequenceMatcher):
    """difflib without its "popular element" heuristic, which would treat frequent lines or
    words of a long text as noise and misalign the merge."""

    def __init__(self, isjunk=None, a="", b="", autojunk=False):
        super().__init__(isjunk, a, b, autojunk=False)


def _lines(text: str) -> list[str]:
    """The lines of ``text``, each with the blank lines that follow it. A blank line alone
    would be the most frequent unit of a long text, and comparing the units costs time by
    how often each occurs; the sentence-level pass still sees paragraph breaks apart."""
    units: list[str] = []
    for line in text.splitlines(keepends=True):
        if units and not line.strip():
            units[-1] += line
        else:
            units.append(line)
    return units


def _combine(base: list[str], theirs: list[str], mine: list[str]) -> str | Conflict:
    """A region both sides touched, merged once more edit by edit: diff3 calls changes that
    merely touch (one deletes a paragraph, the other edits the next one; one adds text in
    front of a sentence the other rewrites) a conflict, but they combine without doubt. Only
    edits of the same units, or two insertions at the same place, stay a conflict."""
    their_edits = _edits(base, theirs)
    # The same edit made on both sides counts once.
    my_edits = [edit for edit in _edits(base, mine) if edit not in their_edits]
    for a1, a2, _ in their_edits:
        for b1, b2, _ in my_edits:
            if _clash(a1, a2, b1, b2):
                return Conflict("".join(base), "".join(theirs), "".join(mine))
    edits = sorted(their_edits + my_edits, key=lambda e: (e[0], e[1] > e[0]))
    merged: list[str] = []
    at = 0
    for start, end, replacement in edits:
        merged.extend(base[at:start])
        merged.extend(replacement)
        at = max(at, end)
    merged.extend(base[at:])
    return "".join(merged)


def _edits(base: list[str], side: list[str]) -> list[tuple[int, int, list[str]]]:
    return [
        (i1, i2, side[j1:j2])
        for op, i1, i2, j1, j2 in _Matcher(None, base, side).get_opcodes()
        if op != "equal"
    ]


def _clash(a1: int, a2: int, b1: int, b2: int) -> bool:
    """Whether two edits of base ranges [a1, a2) and [b1, b2) cannot both be applied."""
    if a1 == a2 and b1 == b2:
        return a1 == b1  # two insertions at the same place: which comes first?
    if a1 == a2:
        return b1 < a1 < b2  # an insertion inside what the other replaced
    if b1 == b2:
        return a1 < b1 < a2
    return max(a1, b1) < min(a2, b2)


def _join_text(parts: list[str | Conflict]) -> list[str | Conflict]:
    joined: list[str | Conflict] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if joined and isinstance(joined[-1], str):
                joined[-1] += part
                continue
        joined.append(part)
    return joined


_SPACE_OR_WORD = re.compile(r"\s+|\S+")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'“”»«)\]]*$")


def _sentences(text: str) -> list[str]:
    """Sentences and the whitespace between them as separate units. A line break ends a
    sentence too, so list items, headings and table rows are units of their own."""
    units: list[str] = []
    sentence = ""
    for piece in _SPACE_OR_WORD.findall(text):
        if piece.isspace():
            if sentence and "\n" not in piece and not _SENTENCE_END.search(sentence):
                sentence += piece
                continue
            if sentence:
                units.append(sentence)
                sentence = ""
            units.append(piece)
        else:
            sentence += piece
    if sentence:
        units.append(sentence)
    # A space kept inside a sentence just before a line break belongs to the break.
    return list(_split_trailing_space(units))


def _split_trailing_space(units: list[str]):
    for unit in units:
        stripped = unit.rstrip()
        if stripped and stripped != unit:
            yield stripped
            yield unit[len(stripped) :]
        else:
            yield unit


# What a save would take away ---------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Removal:
    """A passage of a colleague's that a text would remove, with a little of what surrounds
    it in the colleague's revision, so that a reader recognises the place."""

    text: str
    before: str
    after: str

    def as_dict(self) -> dict[str, str]:
        return {"before": self.before, "text": self.text, "after": self.after}


CONTEXT = 50


def removals(base: str, theirs: str, result: str) -> list[Removal]:
    """Passages that ``theirs`` added to ``base`` and that ``result`` no longer contains.

    Positions, not just words, are compared: a colleague's sentence that ``result`` drops is
    reported even if the same words appear elsewhere.
    """
    base, theirs, result = normalise(base), normalise(theirs), normalise(result)
    added = _spans(base, theirs)[1]
    if not added:
        return []
    deleted = _spans(theirs, result)[0]
    found = []
    for start, end in _intersect(added, deleted):
        text = theirs[start:end]
        if not _WORD.search(text):
            continue
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        before = theirs[max(0, start - CONTEXT) : start]
        after = theirs[end : end + CONTEXT]
        found.append(
            Removal(
                text=theirs[start:end],
                before=("…" if start > CONTEXT else "") + before.lstrip(),
                after=after.rstrip() + ("…" if end + CONTEXT < len(theirs) else ""),
            )
        )
    return found


def removed_passages(base: str, theirs: str, result: str) -> list[str]:
    """The texts of ``removals(base, theirs, result)``."""
    return [removal.text for removal in removals(base, theirs, result)]


def _spans(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans deleted from ``old`` and inserted into ``new``: lines first, then
    words within the changed lines (a word diff of a whole long text would be slow)."""
    deleted: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    old_lines, new_lines = _lines(old), _lines(new)
    old_at, new_at = _offsets(old_lines), _offsets(new_lines)
    matcher = _Matcher(None, old_lines, new_lines)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a_start, b_start = old_at[i1], new_at[j1]
        a_tokens = _TOKEN.findall("".join(old_lines[i1:i2]))
        b_tokens = _TOKEN.findall("".join(new_lines[j1:j2]))
        a_off, b_off = _offsets(a_tokens), _offsets(b_tokens)
        for op2, k1, k2, m1, m2 in _Matcher(None, a_tokens, b_tokens).get_opcodes():
            if op2 == "equal":
                continue
            if k2 > k1:
                deleted.append((a_start + a_off[k1], a_start + a_off[k2]))
            if m2 > m1:
                inserted.append((b_start + b_off[m1], b_start + b_off[m2]))
    return _coalesce(deleted), _coalesce(inserted)


def _offsets(pieces: list[str]) -> list[int]:
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return offsets


def _coalesce(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    # Neighbouring pieces of one passage (split by a kept space) read as one.
    return _coalesce(result)
