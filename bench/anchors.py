"""Re-anchoring benchmark: do quote anchors land on the right words through many revisions?

A long section (paragraphs of sentences of words drawn from a small vocabulary, so that the
same words recur) gets many quote anchors, then goes through scripted revisions: words edited,
sentences inserted, deleted, moved to other paragraphs and copied, paragraphs moved and
deleted, emphasis and line breaks added in the Markdown. Every word carries an identity, so
after each revision the placement of each anchor (comments/anchoring.py, as the save service
runs it) is checked against the truth:

- right: on exactly its words (status current or moved);
- edited: on the edited form of its words (status changed, overlapping what is left of them);
- orphaned: its words are gone (correct) — or still there (lost: shown as orphaned, not wrong);
- wrong: on other words. The target is none.

Usage (from the project folder):

    .venv/bin/python bench/anchors.py                     # 60 paragraphs, 300 anchors, 10 revisions
    .venv/bin/python bench/anchors.py --paragraphs 120 --anchors 1000 --revisions 20 --seed 7

Exits with status 1 when any anchor landed on wrong words.
"""

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_TESTING", "1")

import django

django.setup()

from comments import anchoring  # noqa: E402
from comments.models import AnchorStatus  # noqa: E402
from core.rendering import render  # noqa: E402

VOCABULARY = [
    "die",
    "der",
    "das",
    "und",
    "in",
    "den",
    "von",
    "zu",
    "mit",
    "für",
    "auf",
    "eine",
    "ein",
    "im",
    "Region",
    "Zulieferer",
    "Unternehmen",
    "Transformation",
    "Automobilindustrie",
    "Südwestsachsen",
    "Sprechstunde",
    "Strategie",
    "Coaching",
    "Hochschulen",
    "Wissenstransfer",
    "Produktion",
    "Qualifizierung",
    "Weiterbildung",
    "Beschäftigte",
    "Mobilität",
    "Wasserstoff",
    "Kreislaufwirtschaft",
    "Textilien",
    "Innenraum",
    "Pilotprojekte",
    "Betriebe",
    "Netzwerke",
    "Kammern",
    "Gewerkschaften",
    "gemeinsam",
    "stärken",
    "entwickeln",
    "fördern",
    "erschließen",
    "neue",
    "Geschäftsfelder",
    "regionale",
    "Wertschöpfung",
    "Fachkräfte",
    "Angebote",
    "Beratung",
    "Studie",
    "Bedarf",
    "Zukunft",
    "Technologie",
    "digitale",
    "Kompetenzen",
    "Arbeit",
    "Standorte",
    "sichern",
    "bauen",
    "Brücken",
]

VERDICTS = ("right", "edited", "partial", "copy", "orphaned", "orphaned_lost", "wrong")
_ids = count(1)


@dataclass
class Word:
    text: str
    id: int = field(default_factory=lambda: next(_ids))
    # The word this one was copied from (a copied sentence has the same words, new identities).
    origin: int = 0
    bold: bool = False


@dataclass
class Anchor:
    words: set[int]  # the identities of the quoted words
    quote: anchoring.Quote
    anchor: str  # where it was written, then where it was placed last
    text: str  # the paragraph it was written on
    start: int


def sentence(rng: random.Random) -> list[Word]:
    words = [Word(rng.choice(VOCABULARY)) for _ in range(rng.randint(6, 14))]
    words[0].text = words[0].text.capitalize()
    words[-1].text += "."
    return words


def document(rng: random.Random, paragraphs: int) -> list[list[list[Word]]]:
    return [[sentence(rng) for _ in range(rng.randint(2, 5))] for _ in range(paragraphs)]


def markdown(doc, rng: random.Random) -> str:
    """The section's source: emphasis where marked, sometimes line breaks within paragraphs."""
    blocks = []
    for paragraph in doc:
        sentences = []
        for words in paragraph:
            sentences.append(" ".join(f"**{w.text}**" if w.bold else w.text for w in words))
        blocks.append(("\n" if rng.random() < 0.3 else " ").join(sentences))
    return "\n\n".join(blocks)


def layout(doc) -> list[list[tuple[int, int, Word]]]:
    """Per paragraph: (start, end, word) in its plain text (as rendering makes it)."""
    result = []
    for paragraph in doc:
        position, spans = 0, []
        for words in paragraph:
            for word in words:
                spans.append((position, position + len(word.text), word))
                position += len(word.text) + 1
        result.append(spans)
    return result


def edit(doc, rng: random.Random) -> str:
    """One scripted change; returns its kind."""
    kind = rng.choice(
        ["word", "word", "insert", "delete", "move", "copy", "paragraph", "bold", "drop"]
    )
    paragraph = rng.choice(doc)
    if kind == "word":
        words = rng.choice(paragraph)
        index = rng.randrange(len(words))
        ending = "." if words[index].text.endswith(".") else ""
        words[index] = Word(rng.choice(VOCABULARY) + ending)
    elif kind == "insert":
        paragraph.insert(rng.randint(0, len(paragraph)), sentence(rng))
    elif kind == "delete" and len(paragraph) > 1:
        paragraph.pop(rng.randrange(len(paragraph)))
    elif kind == "move" and len(paragraph) > 1:
        moved = paragraph.pop(rng.randrange(len(paragraph)))
        target = rng.choice(doc)
        target.insert(rng.randint(0, len(target)), moved)
    elif kind == "copy":
        original = rng.choice(paragraph)
        copy = [Word(w.text, origin=w.origin or w.id) for w in original]
        target = rng.choice(doc)
        target.insert(rng.randint(0, len(target)), copy)
    elif kind == "paragraph":
        doc.insert(rng.randrange(len(doc)), doc.pop(rng.randrange(len(doc))))
    elif kind == "bold":
        rng.choice(rng.choice(paragraph)).bold = True
    elif kind == "drop" and len(doc) > 2:
        doc.remove(paragraph)
    return kind


def make_anchors(doc, rendered, rng: random.Random, number: int) -> list[Anchor]:
    spans = layout(doc)
    anchors = []
    for _ in range(number):
        index = rng.randrange(len(doc))
        anchor, text = rendered[index]
        words = spans[index]
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randint(0, 5))
        start, end = words[first][0], words[last][1]
        prefix, suffix = anchoring.context(text, start, end)
        quote = anchoring.Quote(text[start:end], prefix, suffix)
        ids = {w.id for _s, _e, w in words[first : last + 1]}
        anchors.append(Anchor(ids, quote, anchor, text, start))
    return anchors


def judge(anchor: Anchor, placement, doc, rendered) -> str:
    alive = {w.id for paragraph in doc for words in paragraph for w in words}
    if placement.status == AnchorStatus.ORPHANED:
        return "orphaned_lost" if anchor.words <= alive else "orphaned"
    index = [a for a, _t in rendered].index(placement.anchor)
    covered = [w for s, e, w in layout(doc)[index] if s < placement.end and placement.start < e]
    ids = {w.id for w in covered}
    if ids == anchor.words and placement.status != AnchorStatus.CHANGED:
        return "right"
    if ids & anchor.words:
        return "edited" if placement.status == AnchorStatus.CHANGED else "partial"
    if {w.origin for w in covered} & anchor.words:
        return "copy"  # the same words, copied: the original is gone or equally good
    return "wrong"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--anchors", type=int, default=300)
    parser.add_argument("--revisions", type=int, default=10)
    parser.add_argument("--edits", type=int, default=15, help="changes per revision")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)

    doc = document(rng, options.paragraphs)
    rendered = render(markdown(doc, rng)).paragraphs
    anchors = make_anchors(doc, rendered, rng, options.anchors)
    print(
        f"{options.paragraphs} paragraphs, {len(markdown(doc, rng)):,} characters, "
        f"{len(anchors)} quote anchors, {options.revisions} revisions of {options.edits} changes"
    )
    header = "rev  right edited partial copy orphaned lost wrong   ms/anchor  changes"
    print(header)
    totals: dict[str, int] = {}
    wrong_total = 0
    for number in range(1, options.revisions + 1):
        kinds = [edit(doc, rng) for _ in range(options.edits)]
        rendered = render(markdown(doc, rng)).paragraphs
        plain = [" ".join(w.text for words in p for w in words) for p in doc]
        if [t for _a, t in rendered] != plain:
            raise SystemExit("the scripted text and its rendering disagree")
        began = time.perf_counter()
        placer = anchoring.Placer(rendered)
        placements = [
            placer.place(a.quote, anchor=a.anchor, text=a.text, start=a.start) for a in anchors
        ]
        elapsed = (time.perf_counter() - began) * 1000 / len(anchors)
        tally = dict.fromkeys(
            ("right", "edited", "partial", "copy", "orphaned", "orphaned_lost", "wrong"), 0
        )
        for anchor, placement in zip(anchors, placements, strict=True):
            tally[judge(anchor, placement, doc, rendered)] += 1
            anchor.anchor = placement.anchor
        for key, value in tally.items():
            totals[key] = totals.get(key, 0) + value
        wrong_total += tally["wrong"]
        changes = ", ".join(f"{k} {kinds.count(k)}" for k in sorted(set(kinds)))
        print(
            f"{number:>3}  {tally['right']:>5} {tally['edited']:>6} {tally['partial']:>7} "
            f"{tally['copy']:>4} {tally['orphaned']:>8} {tally['orphaned_lost']:>4} "
            f"{tally['wrong']:>5}   {elapsed:>9.2f}  {changes}"
        )
    placed = sum(totals.values())
    on_words = totals["right"] + totals["edited"] + totals["partial"] + totals["copy"]
    print(
        f"\nOver {placed} placements: {on_words / placed:.1%} on their words (or their edited or "
        f"copied form), {(totals['orphaned'] + totals['orphaned_lost']) / placed:.1%} visibly "
        f"orphaned ({totals['orphaned_lost']} of them while the words were still there), "
        f"{totals['wrong']} on wrong words."
    )
    return 1 if wrong_total else 0


if __name__ == "__main__":
    sys.exit(main())
