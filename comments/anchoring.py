"""Where a comment's anchor belongs after the text changed. Pure functions: no database.

An anchor points at a paragraph, or at an exact quote in it with a little text before and
after (as W3C Web Annotation's TextQuoteSelector does). When a new revision lands, each anchor
is placed again, always against the text it was written on:

- ``current``: the quote is still in its paragraph (for a paragraph anchor: the paragraph's
  text is unchanged, wherever it stands now);
- ``moved``: the same quote, in the same surroundings, in another paragraph;
- ``changed``: the quote was edited; a close match stands where it stood (fuzzy: landmarks from
  the surrounding text, the span's end found with diff-match-patch's diff);
- ``orphaned``: nowhere; the comment keeps its old quote and the revision it was made on.

An anchor is never placed on other words: a quote found again must still agree with at least
one side of its surroundings, and two equally good places count as none.
"""

import difflib
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .models import AnchorStatus

# How similar (difflib ratio, 0..1) a paragraph or a quote must be to count as "the same, edited".
SIMILARITY_THRESHOLD = 0.6
# How much text before and after a quote is kept to find it again.
CONTEXT_LENGTH = 32
# How many characters next to a quote found again must agree with its old surroundings.
MIN_CONTEXT = 6
# How many characters of its old surroundings (both sides together) must agree next to a quote
# found again: a word or two agree by chance, a phrase rarely does.
EXACT_CONTEXT = 28
# The same, next to an edited quote.
FUZZY_CONTEXT = 12
# How close an edited quote must be to the old one (difflib ratio).
FUZZY_SIMILARITY = 0.7
# How far a fuzzy match may reach beyond the old quote's length.
SLACK = 40


@dataclass(frozen=True)
class Placement:
    anchor: str
    status: AnchorStatus
    # Where the quote (or its edited form) stands in the paragraph's text; None without one.
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    # Characters of the old surroundings that agree with the new ones.
    score: int
    # How close the found text is to the quote (1.0: the same).
    similarity: float = 1.0


def _agree_before(text: str, start: int, prefix: str) -> int:
    count = 0
    while count < len(prefix) and count < start and text[start - 1 - count] == prefix[-1 - count]:
        count += 1
    return count


def _agree_after(text: str, end: int, suffix: str) -> int:
    count = 0
    while count < len(suffix) and end + count < len(text) and text[end + count] == suffix[count]:
        count += 1
    return count


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix a quote at ``text[start:end]`` is stored with."""
    return text[max(0, start - CONTEXT_LENGTH) : start], text[end : end + CONTEXT_LENGTH]


def _support(text: str, start: int, end: int, quote: Quote) -> tuple[bool, int]:
    """Whether the surroundings of ``text[start:end]`` still agree with the quote's on at least
    one side, and how many characters agree. An empty prefix (suffix) stands for the start
    (end) of the paragraph."""
    left, right, score = _sides(text, start, end, quote)
    return left or right, score


def _sides(text: str, start: int, end: int, quote: Quote) -> tuple[bool, bool, int]:
    """Whether each side of ``text[start:end]`` still agrees, and how many characters do."""
    before = _agree_before(text, start, quote.prefix)
    after = _agree_after(text, end, quote.suffix)
    if quote.prefix:
        left = before >= min(len(quote.prefix), MIN_CONTEXT)
    else:
        left = start == 0
        before = MIN_CONTEXT if left else 0
    if quote.suffix:
        right = after >= min(len(quote.suffix), MIN_CONTEXT)
    else:
        right = end == len(text)
        after = MIN_CONTEXT if right else 0
    return left, right, before + after


def required_context(quote: Quote) -> int:
    """How many characters of context must agree around an exact quote found again: up to
    EXACT_CONTEXT, less where the paragraph's edges leave less."""
    possible = len(quote.prefix or " " * MIN_CONTEXT) + len(quote.suffix or " " * MIN_CONTEXT)
    return min(EXACT_CONTEXT, possible)


def exact_matches(text: str, quote: Quote, *, min_score: int = 0) -> list[Match]:
    """Every place of the exact quote whose surroundings still agree on one side at least
    (and in ``min_score`` characters)."""
    found = []
    if not quote.text:
        return found
    min_score = max(min_score, required_context(quote))
    position = text.find(quote.text)
    while position != -1:
        end = position + len(quote.text)
        supported, score = _support(text, position, end, quote)
        if supported and score >= min_score:
            found.append(Match(position, end, score))
        position = text.find(quote.text, position + 1)
    return found


def rival_score(text: str, quote: Quote, start: int | None) -> int:
    """How well the quote's other places in the text it was written on already agreed with
    its surroundings: a place found later must agree better, or it may be one of those."""
    best = 0
    position = text.find(quote.text) if quote.text else -1
    while position != -1:
        if position != start:
            best = max(best, _support(text, position, position + len(quote.text), quote)[1])
        position = text.find(quote.text, position + 1)
    return best


def _occurrences(text: str, needle: str) -> list[int]:
    positions, position = [], text.find(needle) if needle else -1
    while position != -1:
        positions.append(position)
        position = text.find(needle, position + 1)
    return positions


_dmp = diff_match_patch()
_dmp.Diff_Timeout = 0.05


def _end_from(text: str, start: int, quote: str) -> int:
    """Where the edited form of ``quote`` that starts at ``start`` ends: the diff of the quote
    against the text from there maps the quote's last character."""
    window = text[start : start + len(quote) + SLACK]
    diffs = _dmp.diff_main(quote, window, False)
    _dmp.diff_cleanupSemantic(diffs)
    return start + _dmp.diff_xIndex(diffs, len(quote) - 1) + 1


def _start_from(text: str, end: int, quote: str) -> int:
    """The same, backwards: where the edited quote that ends at ``end`` starts."""
    window = text[max(0, end - len(quote) - SLACK) : end][::-1]
    diffs = _dmp.diff_main(quote[::-1], window, False)
    _dmp.diff_cleanupSemantic(diffs)
    return end - _dmp.diff_xIndex(diffs, len(quote) - 1) - 1


def fuzzy_matches(text: str, quote: Quote, *, min_score: int = 0) -> list[Match]:
    """Places where an edited form of the quote stands: between pieces of its old surroundings
    on both sides, close enough to the old quote."""
    if not quote.text:
        return []
    head = quote.prefix[-MIN_CONTEXT:]
    tail = quote.suffix[:MIN_CONTEXT]
    starts = [p + len(head) for p in _occurrences(text, head)] if head else [0]
    ends = _occurrences(text, tail) if tail else [len(text)]
    spans = set()
    for start in starts:
        following = [e for e in ends if start <= e <= start + len(quote.text) + SLACK]
        spans.add((start, following[0] if following else _end_from(text, start, quote.text)))
    for end in ends:
        preceding = [s for s in starts if end - len(quote.text) - SLACK <= s <= end]
        spans.add((preceding[-1] if preceding else _start_from(text, end, quote.text), end))
    found = []
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        # A quote that began (ended) at a word's edge is found again as whole words.
        starts_word = not quote.prefix[-1:].isalnum()
        while starts_word and start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        ends_word = not quote.suffix[:1].isalnum()
        while ends_word and end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        similarity = difflib.SequenceMatcher(None, quote.text, text[start:end]).ratio()
        # Only the quote was edited: what stood on both sides of it still does.
        left, right, score = _sides(text, start, end, quote)
        if left and right and score >= min_score and similarity >= FUZZY_SIMILARITY:
            found.append(Match(start, end, score, similarity))
    return found


def _best(candidates: list[tuple[str, Match]], home: str | None, near: int | None):
    """The one best place, or None when two places are equally good (never guess)."""

    def rank(item):
        anchor, match = item
        return (round(match.similarity, 3), match.score, anchor == home)

    if not candidates:
        return None
    candidates = sorted(candidates, key=rank, reverse=True)
    top = [c for c in candidates if rank(c) == rank(candidates[0])]
    if len(top) > 1:
        # Equally good places in the same paragraph: the one nearest the old position.
        if near is not None and len({anchor for anchor, _m in top}) == 1:
            distances = sorted((abs(m.start - near), i) for i, (_a, m) in enumerate(top))
            if distances[0][0] != distances[1][0]:
                return top[distances[0][1]]
        return None
    return candidates[0]


def _matcher(old: str, new: str) -> difflib.SequenceMatcher:
    """Compares two paragraphs by their words (what an editor changes, and fast on long
    paragraphs); short texts by their characters."""
    old_words, new_words = old.split(), new.split()
    if min(len(old_words), len(new_words)) >= 5:
        return difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    return difflib.SequenceMatcher(None, old, new, autojunk=False)


def similar(old: str, new: str, at_least: float = 0.0) -> float:
    """How similar two paragraphs are (0..1); 0 when cheaply known to be below ``at_least``."""
    matcher = _matcher(old, new)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def relocate(
    anchor: str, text: str, paragraphs: list[list[str]] | list[tuple[str, str]]
) -> Placement:
    """Place a paragraph anchor (with the paragraph text it was written on) in new paragraphs:
    the same text anywhere is current, the most similar paragraph (if similar enough) is
    changed, else orphaned."""
    for new_anchor, new_text in paragraphs:
        if new_text == text:
            return Placement(new_anchor, AnchorStatus.CURRENT)
    for new_anchor, _new_text in paragraphs:
        if new_anchor == anchor:
            return Placement(anchor, AnchorStatus.CHANGED)
    best_anchor, best_ratio = "", 0.0
    for new_anchor, new_text in paragraphs:
        ratio = similar(text, new_text, max(best_ratio, SIMILARITY_THRESHOLD))
        if ratio > best_ratio:
            best_anchor, best_ratio = new_anchor, ratio
    if best_ratio >= SIMILARITY_THRESHOLD:
        return Placement(best_anchor, AnchorStatus.CHANGED)
    return Placement(anchor, AnchorStatus.ORPHANED)


class Placer:
    """Places anchors in one new text; remembers each old paragraph's successor, which many
    anchors share."""

    def __init__(self, paragraphs: list[list[str]] | list[tuple[str, str]]):
        self.paragraphs = [tuple(p) for p in paragraphs]
        self.texts = dict(self.paragraphs)
        self._homes: dict[tuple[str, str], str | None] = {}

    def home(self, anchor: str, text: str) -> str | None:
        """The paragraph that took the place of the one an anchor was written on, if any."""
        key = (anchor, text)
        if key not in self._homes:
            found = self.relocate(anchor, text)
            self._homes[key] = found.anchor if found.status != AnchorStatus.ORPHANED else None
        return self._homes[key]

    def relocate(self, anchor: str, text: str) -> Placement:
        """``relocate`` in this text, remembered."""
        key = ("relocate", anchor, text)
        if key not in self._homes:
            self._homes[key] = relocate(anchor, text, self.paragraphs)
        return self._homes[key]

    def _is_home(self, found: str, anchor: str, text: str) -> bool:
        """Whether paragraph ``found`` is the one the anchor was written on (unchanged, or
        edited but still similar), without comparing every paragraph."""
        new_text = self.texts[found]
        if new_text == text or found == anchor:
            return True
        if (anchor, text) in self._homes:
            return self._homes[(anchor, text)] == found
        key = ("similar", found, text)
        if key not in self._homes:
            self._homes[key] = similar(text, new_text, SIMILARITY_THRESHOLD) >= SIMILARITY_THRESHOLD
        return self._homes[key]

    def place(self, quote: Quote, *, anchor: str, text: str, start: int | None) -> Placement:
        """Place a quote anchor, written on ``text`` (the paragraph ``anchor``) at ``start``.

        An exact quote may be found in any paragraph; an edited one only in the paragraph that
        succeeded its own, next to enough of its old surroundings."""
        rivals = rival_score(text, quote, start)
        needed = rivals + 1 if rivals else 0
        exact = [
            (a, m) for a, t in self.paragraphs for m in exact_matches(t, quote, min_score=needed)
        ]
        if exact:
            homes = {a for a, _m in exact if self._is_home(a, anchor, text)}
            best = _best(exact, next(iter(homes)) if len(homes) == 1 else None, start)
            if best is None:
                return Placement(anchor, AnchorStatus.ORPHANED)
            found_anchor, match = best
            status = AnchorStatus.CURRENT if found_anchor in homes else AnchorStatus.MOVED
            return Placement(found_anchor, status, match.start, match.end)
        home = self.home(anchor, text)
        if home is None:
            return Placement(anchor, AnchorStatus.ORPHANED)
        fuzzy = [
            (home, m)
            for m in fuzzy_matches(self.texts[home], quote, min_score=max(needed, FUZZY_CONTEXT))
        ]
        best = _best(fuzzy, home, start)
        if best is not None:
            return Placement(home, AnchorStatus.CHANGED, best[1].start, best[1].end)
        return Placement(anchor, AnchorStatus.ORPHANED)


def place(
    quote: Quote,
    *,
    anchor: str,
    text: str,
    start: int | None,
    paragraphs: list[list[str]] | list[tuple[str, str]],
) -> Placement:
    """Place a quote anchor, written on ``text`` (the paragraph ``anchor``) at ``start``, in
    new paragraphs (see Placer.place)."""
    return Placer(paragraphs).place(quote, anchor=anchor, text=text, start=start)


class QuoteNotFound(ValueError):
    pass


class QuoteAmbiguous(ValueError):
    pass


def anchor_new(text: str, quote: Quote) -> Match:
    """Where a quote being written stands in the text it was taken from. Its surroundings
    (when given) choose among several places; QuoteNotFound or QuoteAmbiguous otherwise. An
    empty quote with surroundings names a position (an insertion)."""
    if quote.text:
        positions = _occurrences(text, quote.text)
    else:
        if not (quote.prefix or quote.suffix):
            raise QuoteNotFound
        head, tail = quote.prefix[-MIN_CONTEXT:], quote.suffix[:MIN_CONTEXT]
        positions = sorted(
            {p + len(head) for p in _occurrences(text, head)} | set(_occurrences(text, tail))
        )
    if not positions:
        raise QuoteNotFound
    scored = []
    for position in positions:
        end = position + len(quote.text)
        supported, score = _support(text, position, end, quote)
        scored.append((score, supported, position))
    scored.sort(reverse=True)
    if not quote.text and not scored[0][1]:
        raise QuoteNotFound
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        raise QuoteAmbiguous
    position = scored[0][2]
    return Match(position, position + len(quote.text), scored[0][0])


def locate(quote: Quote, text: str, *, near: int | None = None, min_score: int = 0) -> Match | None:
    """The one place of a quote, written earlier, in a new text (a suggestion carried
    forward): None when it is not there unchanged in its surroundings, or two places are
    equally good. An empty quote with surroundings names a position (an insertion)."""
    if not quote.text:
        if not (quote.prefix or quote.suffix):
            return None
        head, tail = quote.prefix[-MIN_CONTEXT:], quote.suffix[:MIN_CONTEXT]
        positions = {p + len(head) for p in _occurrences(text, head)} | set(
            _occurrences(text, tail)
        )
        found = []
        for position in sorted(positions):
            supported, score = _support(text, position, position, quote)
            if supported and score >= min_score:
                found.append(Match(position, position, score))
    else:
        found = exact_matches(text, quote, min_score=min_score)
    best = _best([("", m) for m in found], "", near)
    return best[1] if best else None
