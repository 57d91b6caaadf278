"""Markdown to HTML (core.rendering): safe output, links, anchors, tables, footnotes."""

import re
from html.parser import HTMLParser

import pytest

from core.rendering import paragraph_anchor, render, render_html

FORBIDDEN_TAGS = {"script", "iframe", "svg", "img", "style", "object", "embed", "math", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
# What browsers ignore inside a URL before reading its scheme.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def tags_named(html: str, tag: str) -> list[dict[str, str]]:
    return [attrs for name, attrs in elements(html) if name == tag]


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](data:text/html,<script>alert(1)</script>)",
    "<style>body{}</style>",
    '<div style="x" onclick="y">',
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "Text\n\n<script>alert(1)</script>\n\nMehr Text",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]


@pytest.mark.parametrize("source", XSS)
def test_rendered_html_carries_no_active_content(source):
    html = render_html(source)

    assert "<script" not in html.lower()
    for tag, attrs in elements(html):
        assert tag not in FORBIDDEN_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in URL_ATTRIBUTES:
                url = _IGNORED_IN_URLS.sub("", value).lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), html
                assert "javascript:" not in url, html


def test_raw_html_is_shown_as_text():
    html = render_html("Vorsicht: <script>alert(1)</script>")

    assert "&lt;script&gt;" in html
    assert not tags_named(html, "script")


def test_links_get_nofollow_noopener():
    html = render_html("Siehe [ITAS](https://itas-projekt.example/charta).")

    (link,) = [a for a in tags_named(html, "a") if a.get("href", "").startswith("https:")]
    assert link["href"] == "https://itas-projekt.example/charta"
    assert {"nofollow", "noopener"} <= set(link["rel"].split())


def test_images_become_plain_links():
    html = render_html("![Karte der Region](https://example.org/karte.png)")

    assert not tags_named(html, "img")
    (link,) = [a for a in tags_named(html, "a") if "external-image" in a.get("class", "")]
    assert link["href"] == "https://example.org/karte.png"
    assert "Bild: Karte der Region" in html


def test_headings_get_ids():
    html = render_html("## Ziele der Region\n\nText.\n\n### Wasserstoff für Südwestsachsen")

    assert tags_named(html, "h2")[0]["id"] == "ziele-der-region"
    assert tags_named(html, "h3")[0]["id"] == "wasserstoff-für-südwestsachsen"


def paragraph_ids(html: str) -> dict[str, str]:
    """Paragraph text (without the permalink) → its id."""
    found = {}
    for match in re.finditer(r'<p id="([^"]+)">(.*?)<a ', html, re.S):
        found[match.group(2).strip()] = match.group(1)
    return found


def test_paragraphs_get_stable_anchors():
    before = render_html("Die Region wächst.\n\nZulieferer brauchen Aufträge.\n\nEnde.")
    after = render_html("Die Region schrumpft.\n\nZulieferer brauchen Aufträge.\n\nNeu.")

    kept_before = paragraph_ids(before)["Zulieferer brauchen Aufträge."]
    kept_after = paragraph_ids(after)["Zulieferer brauchen Aufträge."]
    assert kept_before == kept_after == paragraph_anchor("Zulieferer brauchen Aufträge.")
    assert (
        paragraph_ids(before)["Die Region wächst."] != paragraph_ids(after)["Die Region schrumpft."]
    )


def test_paragraph_anchor_ignores_whitespace_changes():
    assert paragraph_anchor("Eins  zwei\ndrei") == paragraph_anchor(" Eins zwei drei ")


def test_repeated_paragraphs_get_distinct_anchors():
    rendered = render("Gleich.\n\nGleich.")

    anchors = [anchor for anchor, _text in rendered.paragraphs]
    assert len(anchors) == len(set(anchors)) == 2


def test_paragraphs_link_to_themselves():
    html = render_html("Ein Absatz.")

    (paragraph,) = tags_named(html, "p")
    permalinks = [a for a in tags_named(html, "a") if "permalink" in a.get("class", "")]
    assert permalinks[0]["href"] == f"#{paragraph['id']}"


def test_tables_render():
    html = render_html("| Feld | Stand |\n| :--- | ---: |\n| Industrie | 40 % |")

    assert tags_named(html, "table")
    assert [attrs.get("align") for attrs in tags_named(html, "th")] == ["left", "right"]
    assert "<td" in html
    assert "Industrie" in html


def test_footnotes_render():
    html = render_html("Die Studie[^1] zeigt es.\n\n[^1]: Resilienzstudie 2024.")

    assert any("footnote" in attrs.get("class", "") for attrs in tags_named(html, "div"))
    refs = [a for a in tags_named(html, "a") if "footnote-ref" in a.get("class", "")]
    assert refs and refs[0]["href"].startswith("#fn")
    assert "Resilienzstudie 2024." in html


def test_empty_source_renders_empty():
    assert render_html("").strip() == ""
