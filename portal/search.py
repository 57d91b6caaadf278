"""Search over the published charta text, goals, measures and the partner organisations.

Both databases find inflected German forms ("Zulieferern" finds "Zulieferer") and the goals
and measures of an organisation named in the query (by name or short name), rank hits in the
title first, and match the beginning of compounds ("Wasserstoff" finds "Wasserstoffbedarf").

PostgreSQL: full-text search with the `german` configuration (stemming, ranking, highlighted
snippets). SQLite, the embedded default: the published texts are read and both they and the
query are stemmed with Snowball's German stemmer (PyStemmer), the same algorithm PostgreSQL's
`german` configuration uses. Only published content is ever searched.
"""

import difflib
import functools
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import Stemmer
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from charta import permissions as charta_permissions
from charta.models import Revision
from measures import permissions

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
LIMIT_PER_KIND = 20
SNIPPET_WORDS = 30
SNIPPET_CHARS = 240
# Sentinels around highlighted words: the text is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"
KINDS = {
    "text": _("Charta-Text"),
    "goal": _("Ziel"),
    "measure": _("Maßnahme"),
    "organisation": _("Partner"),
}
# Words too common to search for (those of PostgreSQL's german configuration that occur in
# queries); a query of nothing else finds nothing, as it does there.
# fmt: off
STOPWORDS = frozenset({
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den",
    "der", "des", "die", "ein", "eine", "einem", "einen", "einer", "eines", "es", "für", "im",
    "in", "ist", "mit", "nach", "nicht", "noch", "oder", "so", "sie", "sind", "um", "und", "von",
    "vom", "vor", "wie", "wird", "werden", "zu", "zum", "zur", "über",
})
# fmt: on
SUGGESTION_MIN_LENGTH = 4
# A stem this long is found inside compounds too, a shorter one only at a word's beginning.
COMPOUND_MIN_LENGTH = 4


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    snippet_html: str
    rank: float
    # Whether the title itself matches: such hits come first.
    in_title: bool = False
    # The owning organisation of a goal or measure, shown with the hit.
    owner: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class Query:
    """A query split into the words to find and the words to exclude (``-Wort``)."""

    words: tuple[str, ...]
    excluded: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "Query":
        terms = [t.strip("\"'").lower() for t in text.split()][:MAX_TERMS]
        words, excluded = [], []
        for term in terms:
            if term.startswith("-") and len(term) > 1:
                excluded += _words(term[1:])
            else:
                words += [w for w in _words(term) if w not in STOPWORDS]
        # A single letter ("E" of "E-Mobilität") occurs in every text: it narrows nothing.
        longer = [w for w in words if len(w) > 1]
        return cls(tuple(longer or words), tuple(w for w in excluded if len(w) > 1))


_WORD = re.compile(r"\w+")
_MARKDOWN_SYNTAX = re.compile(r"[#*_`>|]+|^\s*[-+]\s+|\[\^?\d*\]", re.MULTILINE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german")


def stem(word: str) -> str:
    """The Snowball German stem of a word ("Zulieferern" and "Zulieferer" give "zuliefer")."""
    return _stemmer().stemWord(word.lower())


def _marked(text: str) -> str:
    """Plain, escaped text whose highlights (marked with the sentinels) become <mark>."""
    plain = " ".join(_MARKDOWN_SYNTAX.sub(" ", text).split())
    return html.escape(plain).replace(START, "<mark>").replace(STOP, "</mark>")


@dataclass(frozen=True)
class _Target:
    kind: str
    queryset: QuerySet
    title_fields: tuple[str, ...]
    body_field: str
    title_of: Callable
    url_of: Callable
    owner_fields: tuple[str, ...] = ()
    owner_of: Callable = lambda row: ""


def _published_revisions() -> QuerySet[Revision]:
    return Revision.objects.filter(
        pk__in=charta_permissions.published_revision_ids()
    ).select_related("section__action_field")


def _targets() -> tuple[_Target, ...]:
    public = AnonymousUser()
    owner = ("owner__name", "owner__short_name")
    return (
        _Target("text", _published_revisions(), ("section__title",), "body",
                lambda r: r.section.title, lambda r: r.section.action_field.get_absolute_url()),
        _Target("goal", permissions.goals_visible_to(public).select_related("owner"), ("title",),
                "description", lambda g: g.title, lambda g: g.get_absolute_url(), owner,
                lambda g: g.owner.name),
        _Target("measure", permissions.measures_visible_to(public).select_related("owner"),
                ("title",), "description", lambda m: m.title, lambda m: m.get_absolute_url(), owner,
                lambda m: m.owner.name),
        _Target("organisation", Organisation.objects.all(), ("name", "short_name"),
                "description", lambda o: o.name,
                lambda o: reverse("portal:organisation", args=[o.slug])),
    )  # fmt: skip


def _ordered(hits: Iterable[Hit]) -> list[Hit]:
    """Hits in the title first, then by rank; ties keep the order of the kinds."""
    return sorted(hits, key=lambda hit: (not hit.in_title, -hit.rank))


def search(query: str) -> list[Hit]:
    """Published texts, goals, measures and organisations matching ``query``, best first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    parsed = Query.parse(query)
    if not parsed.words:
        return []
    run = _search_postgresql if connection.vendor == "postgresql" else _search_stemmed
    return _ordered(hit for target in _targets() for hit in run(target, query, parsed))


# PostgreSQL --------------------------------------------------------------------------------


def _search_postgresql(target: _Target, query: str, parsed: Query) -> list[Hit]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    title = SearchVector(*target.title_fields, weight="A", config="german")
    vector = title + SearchVector(target.body_field, weight="B", config="german")
    if target.owner_fields:
        vector += SearchVector(*target.owner_fields, weight="B", config="german")
    search_query = SearchQuery(query, config="german", search_type="websearch")
    # German compounds: "Wasserstoff" should find "Wasserstoffbedarf" too (prefix match);
    # an excluded "-Textil" excludes "Textilindustrie" too. Words are \w only: safe as raw.
    prefixes = re.findall(r"(?<![-\w])\w{3,}", query)
    excluded = re.findall(r"(?<!\w)-(\w{3,})", query)
    if prefixes:
        search_query |= SearchQuery(
            " & ".join(f"{w}:*" for w in prefixes), config="german", search_type="raw"
        )
    if excluded:
        search_query &= SearchQuery(
            " & ".join(f"!{w}:*" for w in excluded), config="german", search_type="raw"
        )
    rows = (
        target.queryset.annotate(
            document=vector,
            rank=SearchRank(vector, search_query),
            title_rank=SearchRank(title, search_query),
        )
        .filter(document=search_query)
        .annotate(
            snippet=SearchHeadline(
                target.body_field,
                search_query,
                config="german",
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=10,
            )
        )
        .order_by(F("title_rank").desc(), F("rank").desc(), "pk")[:LIMIT_PER_KIND]
    )
    return [
        Hit(
            target.kind,
            target.title_of(row),
            target.url_of(row),
            _marked(row.snippet),
            float(row.rank),
            in_title=row.title_rank > 0,
            owner=target.owner_of(row),
        )
        for row in rows
    ]


# SQLite: Snowball stems in Python ----------------------------------------------------------


class _Document:
    """The searchable parts of one row, each as lower-case words and as their stems."""

    def __init__(self, title: str, body: str, owner: str):
        self.parts = {}
        for name, text in (("title", title), ("body", body), ("owner", owner)):
            words = _words(text)
            # Spaces around every word: " word" finds the words that begin with it.
            self.parts[name] = (
                " " + " ".join(words) + " ",
                " " + " ".join(stem(w) for w in words) + " ",
            )

    def count(self, part: str, word: str, word_stem: str) -> int:
        """How often a word occurs in a part: as itself inside a word (as ``icontains`` does)
        or with its stem in a word (inflected forms, compounds: "Zulieferern" finds
        "Textilzulieferer"); a stem shorter than COMPOUND_MIN_LENGTH only at the beginning
        of a word."""
        words, stems = self.parts[part]
        if len(word_stem) < COMPOUND_MIN_LENGTH:
            return max(words.count(word), stems.count(" " + word_stem))
        return max(words.count(word), stems.count(word_stem))

    def matches(self, word: str, word_stem: str) -> bool:
        return any(self.count(part, word, word_stem) for part in self.parts)


def _stem_matches(word_stem: str, query_stem: str) -> bool:
    if len(query_stem) < COMPOUND_MIN_LENGTH:
        return word_stem.startswith(query_stem)
    return query_stem in word_stem


def _snippet(text: str, matches: Callable[[str], bool]) -> str:
    """About SNIPPET_CHARS characters of ``text`` around its first matching word, the
    matching words highlighted."""
    found = [m for m in _WORD.finditer(text) if matches(m.group(0).lower())]
    start = max(found[0].start() - 80, 0) if found else 0
    # Start and end on word boundaries, so no word is cut in half.
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    excerpt = text[start:end]
    marked = _WORD.sub(
        lambda m: f"{START}{m.group(0)}{STOP}" if matches(m.group(0).lower()) else m.group(0),
        excerpt,
    )
    return ("…" if start else "") + _marked(marked) + ("…" if end < len(text) else "")


def _search_stemmed(target: _Target, query: str, parsed: Query) -> list[Hit]:
    wanted = [(w, stem(w)) for w in parsed.words]
    unwanted = [(w, stem(w)) for w in parsed.excluded]

    def word_matches(word: str) -> bool:
        word_stem = stem(word)
        return any(w in word or _stem_matches(word_stem, s) for w, s in wanted)

    hits = []
    for row in target.queryset:
        title, body = target.title_of(row), getattr(row, target.body_field)
        document = _Document(
            " ".join(_texts(row, target.title_fields)),
            body,
            " ".join(_texts(row, target.owner_fields)),
        )
        if not all(document.matches(w, s) for w, s in wanted):
            continue
        if any(document.matches(w, s) for w, s in unwanted):
            continue
        in_title = sum(document.count("title", w, s) for w, s in wanted)
        rank = sum(
            4 * document.count("title", w, s)
            + 2 * document.count("owner", w, s)
            + document.count("body", w, s)
            for w, s in wanted
        )
        hits.append(
            Hit(
                target.kind,
                title,
                target.url_of(row),
                _snippet(body, word_matches),
                float(rank),
                in_title=bool(in_title),
                owner=target.owner_of(row),
            )
        )
    return _ordered(hits)[:LIMIT_PER_KIND]


def _texts(row, paths: Iterable[str]) -> list[str]:
    """The values of the fields at ``paths`` ("owner__name") of a row."""
    texts = []
    for path in paths:
        value = row
        for name in path.split("__"):
            value = getattr(value, name)
        texts.append(value)
    return texts


# No hits: what to try instead --------------------------------------------------------------


def _vocabulary() -> set[str]:
    """The words of everything searched, as written (lower case)."""
    words = set()
    for target in _targets():
        for row in target.queryset:
            texts = _texts(row, (*target.title_fields, target.body_field, *target.owner_fields))
            for text in texts:
                words.update(w for w in _words(text) if len(w) >= SUGGESTION_MIN_LENGTH)
    return words


def suggestion(query: str) -> str | None:
    """A query like ``query`` with each word that occurs nowhere replaced by the most similar
    word that does ("Zulieferrer" becomes "zulieferer"); None if there is none."""
    parsed = Query.parse(" ".join(query.split())[:MAX_QUERY_LENGTH])
    if not parsed.words:
        return None
    vocabulary = _vocabulary()
    stems = {stem(w) for w in vocabulary}
    changed, words = False, []
    for word in parsed.words:
        known = word in vocabulary or any(s.startswith(stem(word)) for s in stems)
        close = [] if known else difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        if close:
            changed = True
            words.append(close[0])
        else:
            words.append(word)
    return " ".join(words) if changed else None
