"""What stands beside each paragraph of a section's text: its comments and open suggestions,
with the quoted words highlighted in the paragraph. Reads only what the caller fetched."""

from dataclasses import dataclass, field

from comments import anchoring
from comments.models import AnchorStatus
from core import rendering

from . import diffing
from .models import Revision, Suggestion


@dataclass
class AnnotatedBlock:
    anchor: str
    html: str
    # The paragraph's plain text ("" for headings and footnotes, which take no notes).
    text: str = ""
    comments: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    @property
    def is_paragraph(self) -> bool:
        return bool(self.text)

    @property
    def count(self) -> int:
        return len(self.comments) + len(self.suggestions)


@dataclass
class Annotated:
    blocks: list[AnnotatedBlock]
    # Comments on the whole text, and those whose place is gone (orphaned).
    general_comments: list


def _suggestion_place(suggestion: Suggestion, text: str) -> tuple[int, int] | None:
    try:
        match = anchoring.anchor_new(
            text, anchoring.Quote(suggestion.quote, suggestion.prefix, suggestion.suffix)
        )
    except (anchoring.QuoteNotFound, anchoring.QuoteAmbiguous):
        return None
    return match.start, match.end


def annotate(revision: Revision, threads: list, suggestions: list[Suggestion]) -> Annotated:
    """The blocks of ``revision`` (the section's latest) with the comment threads and open
    suggestions that point at them; threads whose place is gone stay general."""
    texts = dict(map(tuple, revision.paragraphs))
    blocks = [
        AnnotatedBlock(block.anchor, block.html, texts.get(block.anchor, ""))
        for block in rendering.split_blocks(revision.body_html)
    ]
    by_anchor = {block.anchor: block for block in blocks if block.is_paragraph}
    general = []
    for comment in threads:
        block = by_anchor.get(comment.paragraph)
        if block is None or comment.anchor_status == AnchorStatus.ORPHANED:
            general.append(comment)
        else:
            block.comments.append(comment)
    for suggestion in suggestions:
        block = by_anchor.get(suggestion.paragraph)
        if block is not None:
            suggestion.place = _suggestion_place(suggestion, block.text)
            block.suggestions.append(suggestion)
    for block in by_anchor.values():
        marks = [
            rendering.Highlight(c.anchor_start, c.anchor_end, "quote")
            for c in block.comments
            if c.quote and c.anchor_start is not None and c.anchor_end is not None
        ] + [
            rendering.Highlight(*s.place, "suggested")
            for s in block.suggestions
            if s.place is not None
        ]
        block.html = rendering.highlight(block.html, block.text, marks)
    return Annotated(blocks=blocks, general_comments=general)


def with_diffs(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Each suggestion with ``diff``: its change as word chunks (equal, delete, insert)."""
    for suggestion in suggestions:
        suggestion.diff = diffing.word_diff(suggestion.quote, suggestion.replacement)
    return suggestions
