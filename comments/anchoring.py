"""Where a paragraph comment belongs after the text changed.

A comment is anchored to a paragraph of the revision it was written on. When a new revision
lands, the anchor stays if the same paragraph is still there, moves to the most similar
paragraph if one is similar enough, or is marked orphaned; the comment keeps the paragraph's
old text either way. Pure functions: no database.
"""

import difflib
from dataclasses import dataclass

from .models import AnchorStatus

# How similar (difflib ratio, 0..1) a paragraph must be to count as "the same, edited".
SIMILARITY_THRESHOLD = 0.6


@dataclass(frozen=True)
class Placement:
    anchor: str
    status: AnchorStatus


def relocate(
    anchor: str, text: str, paragraphs: list[list[str]] | list[tuple[str, str]]
) -> Placement:
    """Place a comment's anchor (with the paragraph text it was written on) in new paragraphs."""
    # Status is relative to the text the comment was written on, however often it moved.
    for new_anchor, new_text in paragraphs:
        if new_text == text:
            return Placement(new_anchor, AnchorStatus.CURRENT)
    for new_anchor, _new_text in paragraphs:
        if new_anchor == anchor:
            return Placement(anchor, AnchorStatus.MOVED)
    best_anchor, best_ratio = "", 0.0
    for new_anchor, new_text in paragraphs:
        matcher = difflib.SequenceMatcher(None, text, new_text, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_anchor, best_ratio = new_anchor, ratio
    if best_ratio >= SIMILARITY_THRESHOLD:
        return Placement(best_anchor, AnchorStatus.MOVED)
    return Placement(anchor, AnchorStatus.ORPHANED)
