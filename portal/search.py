"""Search over the published charta text, goals and measures.

PostgreSQL: full-text search with the `german` configuration (stemming, ranking,
highlighted snippets). SQLite, the embedded default: every word must occur (case-insensitive),
with a snippet around the first hit. Only published content is ever searched.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from charta import permissions as charta_permissions
from charta.models import Revision
from measures import permissions

MAX_QUERY_LENGTH = 200
LIMIT_PER_KIND = 20
SNIPPET_WORDS = 30
# Sentinels around highlighted words: the text is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"
KINDS = {"text": _("Charta-Text"), "goal": _("Ziel"), "measure": _("Maßnahme")}


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    snippet_html: str
    rank: float

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


_MARKDOWN_SYNTAX = re.compile(r"[#*_`>|]+|^\s*[-+]\s+|\[\^?\d*\]", re.MULTILINE)


def _marked(text: str) -> str:
    """Plain, escaped text whose highlights (marked with the sentinels) become <mark>."""
    plain = " ".join(_MARKDOWN_SYNTAX.sub(" ", text).split())
    return html.escape(plain).replace(START, "<mark>").replace(STOP, "</mark>")


def _published_revisions() -> QuerySet[Revision]:
    return Revision.objects.filter(
        pk__in=charta_permissions.published_revision_ids()
    ).select_related("section__action_field")


def _targets():
    public = AnonymousUser()
    return (
        ("text", _published_revisions(), "body", lambda r: r.section.title,
         lambda r: r.section.action_field.get_absolute_url()),
        ("goal", permissions.goals_visible_to(public), "description", lambda g: g.title,
         lambda g: g.get_absolute_url()),
        ("measure", permissions.measures_visible_to(public), "description", lambda m: m.title,
         lambda m: m.get_absolute_url()),
    )  # fmt: skip


def search(query: str) -> list[Hit]:
    """Published texts, goals and measures matching ``query``, best first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    run = _search_postgresql if connection.vendor == "postgresql" else _search_simple
    hits = [hit for kind, *target in _targets() for hit in run(kind, query, *target)]
    return sorted(hits, key=lambda hit: -hit.rank)


def _search_postgresql(kind, query, queryset, body_field, title_of, url_of) -> list[Hit]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    title_field = "title" if kind != "text" else "section__title"
    vector = SearchVector(title_field, weight="A", config="german") + SearchVector(
        body_field, weight="B", config="german"
    )
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
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .annotate(
            snippet=SearchHeadline(
                body_field,
                search_query,
                config="german",
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=10,
            )
        )
        .order_by(F("rank").desc())[:LIMIT_PER_KIND]
    )
    return [Hit(kind, title_of(r), url_of(r), _marked(r.snippet), float(r.rank)) for r in rows]


def _snippet(text: str, words: list[str]) -> str:
    lower = text.lower()
    positions = [lower.find(word) for word in words if lower.find(word) >= 0]
    start = max(min(positions, default=0) - 80, 0)
    excerpt = text[start : start + 240]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    return ("…" if start else "") + _marked(marked) + ("…" if start + 240 < len(text) else "")


def _search_simple(kind, query, queryset, body_field, title_of, url_of) -> list[Hit]:
    terms = [t.strip('"').lower() for t in query.split()][:10]
    words = [t for t in terms if t and not t.startswith("-")]
    excluded = [t[1:] for t in terms if t.startswith("-") and len(t) > 1]
    title_field = "title" if kind != "text" else "section__title"
    condition = Q()
    for word in words:
        condition &= Q(**{f"{title_field}__icontains": word}) | Q(
            **{f"{body_field}__icontains": word}
        )
    for word in excluded:
        condition &= ~Q(**{f"{title_field}__icontains": word}) & ~Q(
            **{f"{body_field}__icontains": word}
        )
    if not words:
        return []
    hits = []
    for row in queryset.filter(condition)[:LIMIT_PER_KIND]:
        title, body = title_of(row), getattr(row, body_field)
        rank = sum(2 * title.lower().count(w) + body.lower().count(w) for w in words)
        hits.append(Hit(kind, title, url_of(row), _snippet(body, words), float(rank)))
    return hits
