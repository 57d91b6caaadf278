"""Where a suggestion applies in a section's Markdown, and the text with several applied.

A suggestion quotes the text as a reader sees it (white space collapsed); it is found in the
Markdown with white space counting as one space, so that line breaks in the source do not
matter. A quote across formatting (emphasis, links) is not in the source as such and is
refused when it is made. Pure functions: no database.
"""

from dataclasses import dataclass

from comments import anchoring
from comments.anchoring import Quote, QuoteAmbiguous, QuoteNotFound

__all__ = ["Quote", "QuoteAmbiguous", "QuoteNotFound", "Span", "apply", "find", "find_new"]


@dataclass(frozen=True)
class Span:
    """A stretch of the Markdown source: ``body[start:end]`` (empty: an insertion point)."""

    start: int
    end: int

    def overlaps(self, other: "Span") -> bool:
        if self.start == other.start:
            return True
        return self.start < other.end and other.start < self.end


def _normalised(body: str) -> tuple[str, list[int]]:
    """``body`` with each run of white space as one space, and where each character was."""
    characters, where, in_space = [], [], False
    for index, character in enumerate(body):
        if character.isspace():
            if in_space:
                continue
            in_space = True
            characters.append(" ")
        else:
            in_space = False
            characters.append(character)
        where.append(index)
    where.append(len(body))
    return "".join(characters), where


def _span(where: list[int], start: int, end: int) -> Span:
    if end == start:
        return Span(where[start], where[start])
    return Span(where[start], where[end - 1] + 1)


@dataclass(frozen=True)
class Found:
    span: Span
    # The quote with the surroundings it has in the text (to find it again later).
    quote: Quote
    # How many characters of those surroundings a place found later must share: more than
    # any other place of the same words in this text already does.
    needed: int


def find_new(body: str, quote: Quote) -> Found:
    """Where a quote being suggested stands in ``body``; QuoteNotFound or QuoteAmbiguous."""
    text, where = _normalised(body)
    match = anchoring.anchor_new(text, quote)
    prefix, suffix = anchoring.context(text, match.start, match.end)
    stored = Quote(quote.text, prefix, suffix)
    rivals = _rivals(text, stored, match.start)
    return Found(_span(where, match.start, match.end), stored, rivals + 1 if rivals else 0)


def _rivals(text: str, quote: Quote, start: int) -> int:
    if quote.text:
        return anchoring.rival_score(text, quote, start)
    # An insertion point: every other place next to a piece of the same surroundings.
    best = 0
    head, tail = quote.prefix[-anchoring.MIN_CONTEXT :], quote.suffix[: anchoring.MIN_CONTEXT]
    for position in {p + len(head) for p in anchoring._occurrences(text, head)} | set(
        anchoring._occurrences(text, tail)
    ):
        if position != start:
            best = max(best, anchoring._support(text, position, position, quote)[1])
    return best


def find(body: str, quote: Quote, *, needed: int = 0) -> Span | None:
    """Where a suggestion made earlier stands in ``body``: its quote unchanged in its
    surroundings, in one place only; None makes it outdated."""
    text, where = _normalised(body)
    match = anchoring.locate(quote, text, min_score=needed)
    return _span(where, match.start, match.end) if match else None


def apply(body: str, edits: list[tuple[Span, str]]) -> str:
    """``body`` with each span replaced (the spans must not overlap)."""
    for span, replacement in sorted(edits, key=lambda edit: edit[0].start, reverse=True):
        start = span.start
        # Deleting words takes the space before them along, when a space or a punctuation
        # mark follows ("A B C" without "B" is "A C", not "A  C").
        if (
            not replacement
            and span.end > start
            and start > 0
            and body[start - 1] == " "
            and (span.end == len(body) or body[span.end] in " .,;:!?\n")
        ):
            start -= 1
        body = body[:start] + replacement + body[span.end :]
    return body


def overlapping(spans: dict[int, Span]) -> list[tuple[int, int]]:
    """Pairs of keys whose spans overlap (or insert at the same place)."""
    items = sorted(spans.items(), key=lambda item: (item[1].start, item[1].end))
    pairs = []
    for index, (key, span) in enumerate(items):
        for other_key, other in items[index + 1 :]:
            if other.start > span.end:
                break
            if span.overlaps(other):
                pairs.append(tuple(sorted((key, other_key))))
    return pairs
