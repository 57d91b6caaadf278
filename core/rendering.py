"""How Markdown becomes HTML: Python-Markdown renders, nh3 sanitises with an allow-list.

Raw HTML in the source is shown as text, never as markup. Top-level blocks get stable
paragraph anchors (derived from their text), so that comments and goals can cite a
paragraph and readers can link to it. Images become plain links: the pages load nothing
from other hosts.
"""

import hashlib
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

ANCHOR_PREFIX = "abs-"
PERMALINK_TITLE = "Link zu diesem Absatz"
_BLOCK_TAGS = {"p", "ul", "ol", "blockquote", "table", "pre"}
_SPACE = re.compile(r"\s+")
# Python-Markdown's placeholders for stashed fragments (entities such as &amp;).
_STASH = re.compile("\x02wzxhzdk:(\\d+)\x03")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "div", "abbr", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start", "id"},
    **{
        tag: {"id"}
        for tag in (
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "p",
            "ul",
            "li",
            "sup",
            "table",
            "blockquote",
            "pre",
            "div",
        )
    },
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref", "external-image", "permalink", "headerlink"},
    "div": {"footnote"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
    strip_comments=True,
    clean_content_tags={"script", "style"},
)


def normalise_text(text: str, *, keep_edges: bool = False) -> str:
    """Runs of white space become one space; stripped at both ends unless ``keep_edges``
    (the text before or after a quote, whose spaces count)."""
    text = _SPACE.sub(" ", text or "")
    return text if keep_edges else text.strip()


def paragraph_anchor(text: str) -> str:
    """A stable anchor for a block: the same text gives the same anchor in every revision."""
    digest = hashlib.sha1(normalise_text(text).encode(), usedforsecurity=False).hexdigest()
    return ANCHOR_PREFIX + digest[:8]


@dataclass
class Rendered:
    html: str
    # (anchor, plain text) of each top-level block, in document order.
    paragraphs: list[tuple[str, str]] = field(default_factory=list)


class _AnchorAndImageProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, anchors: bool):
        super().__init__(md)
        self.anchors = anchors

    def _unstash(self, match: re.Match) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        return html.unescape(str(blocks[index])) if index < len(blocks) else ""

    def run(self, root: etree.Element) -> None:
        seen: dict[str, int] = {}
        paragraphs = []
        for element in root if self.anchors else ():
            if element.tag not in _BLOCK_TAGS or element.get("class") == "footnote":
                continue
            text = normalise_text(_STASH.sub(self._unstash, "".join(element.itertext())))
            if not text:
                continue
            anchor = paragraph_anchor(text)
            seen[anchor] = seen.get(anchor, 0) + 1
            if seen[anchor] > 1:
                anchor = f"{anchor}-{seen[anchor]}"
            element.set("id", anchor)
            paragraphs.append((anchor, text))
            if element.tag == "p":
                link = etree.SubElement(
                    element,
                    "a",
                    {"href": f"#{anchor}", "class": "permalink", "title": PERMALINK_TITLE},
                )
                link.text = "¶"
        self.md.paragraphs = paragraphs

        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    src = child.get("src", "")
                    link = etree.Element("a", {"href": src, "class": "external-image"})
                    link.text = "Bild: " + (child.get("alt") or src)
                    link.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, link)


class _SafeExtension(Extension):
    def __init__(self, *, anchors: bool = True):
        self.anchors = anchors
        super().__init__()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is escaped, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After footnotes (50) and inline processing (20): anchors hash the rendered text.
        md.treeprocessors.register(
            _AnchorAndImageProcessor(md, anchors=self.anchors), "itas_anchors", 15
        )


def _markdown(*, anchors: bool = True) -> markdown.Markdown:
    extensions = ["tables", "sane_lists", _SafeExtension(anchors=anchors)]
    if anchors:
        # Ids for headings and footnotes only where the text owns the page's anchors.
        extensions += ["toc", "footnotes"]
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {
                "slugify": slugify_unicode,
                "toc_depth": "2-4",
                "permalink": "¶",
                "permalink_title": "Link zu diesem Abschnitt",
            },
            "footnotes": {"BACKLINK_TITLE": "Zurück zur Fußnote %d"},
        },
        output_format="html",
    )


def sanitise(html: str) -> str:
    return _cleaner.clean(html)


def render(source: str) -> Rendered:
    """Render Markdown to sanitised HTML with paragraph anchors."""
    md = _markdown()
    output = md.convert(source or "")
    return Rendered(html=sanitise(output), paragraphs=getattr(md, "paragraphs", []))


def render_html(source: str) -> str:
    return render(source).html


def render_note(source: str) -> str:
    """Comments and status notes: the same safe Markdown, without anchors or heading ids
    (they share a page with the charta text, whose anchors must stay unique)."""
    return sanitise(_markdown(anchors=False).convert(source or ""))


def table_of_contents(source: str) -> list[dict]:
    """Headings (level 2–4) of a text with their anchors, for a reading view's contents."""
    md = _markdown()
    md.convert(source or "")
    return list(md.toc_tokens)


# Blocks and highlights for reading beside the text ------------------------------------------

_VOID = {"br", "hr", "img", "input", "wbr"}


@dataclass
class Block:
    """A top-level block of rendered HTML, with its paragraph anchor (or "")."""

    anchor: str
    html: str


class _Splitter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.depth = 0
        self.current: list[str] = []
        self.anchor = ""

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.current, self.anchor = [], dict(attrs).get("id") or ""
        self.current.append(self.get_starttag_text())
        if tag not in _VOID:
            self.depth += 1
        elif self.depth == 0:
            self._close()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.current.append(f"</{tag}>")
        self.depth -= 1
        if self.depth == 0:
            self._close()

    def handle_data(self, data):
        if self.depth == 0:
            if data.strip():
                self.blocks.append(Block("", html.escape(data, quote=False)))
            return
        self.current.append(html.escape(data, quote=False))

    def _close(self):
        self.blocks.append(Block(self.anchor, "".join(self.current)))
        self.current, self.anchor = [], ""


def split_blocks(source_html: str) -> list[Block]:
    """The top-level blocks of sanitised HTML (as ``render`` makes it), in order."""
    splitter = _Splitter()
    splitter.feed(source_html)
    splitter.close()
    return splitter.blocks


@dataclass(frozen=True)
class Highlight:
    """Characters ``start``..``end`` of a block's text (white space collapsed, as in
    ``Rendered.paragraphs``), marked with ``css_class``."""

    start: int
    end: int
    css_class: str


class _Marker(HTMLParser):
    def __init__(self, text: str, highlights: list[Highlight]):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.highlights = highlights
        self.out: list[str] = []
        self.position = 0
        self.skip = 0  # inside a permalink, which is not part of the text

    def handle_starttag(self, tag, attrs):
        if self.skip or (tag == "a" and "permalink" in (dict(attrs).get("class") or "")):
            self.skip += tag not in _VOID
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.skip and tag not in _VOID:
            self.skip -= 1
        self.out.append(f"</{tag}>")

    def _classes_at(self, position: int) -> str:
        return " ".join(
            sorted({h.css_class for h in self.highlights if h.start <= position < h.end})
        )

    def handle_data(self, data):
        if self.skip:
            self.out.append(html.escape(data, quote=False))
            return
        pieces: list[tuple[str, str]] = []  # (classes, text)
        for character in data:
            # The block's text is aligned with its plain text, in which white space between
            # elements may be missing and runs of it are one space.
            if self.position < len(self.text) and character == self.text[self.position]:
                classes = self._classes_at(self.position)
                self.position += 1
            else:
                classes = ""
            if pieces and pieces[-1][0] == classes:
                pieces[-1] = (classes, pieces[-1][1] + character)
            else:
                pieces.append((classes, character))
        for classes, text in pieces:
            escaped = html.escape(text, quote=False)
            self.out.append(f'<mark class="{classes}">{escaped}</mark>' if classes else escaped)


def highlight(block_html: str, text: str, highlights: list[Highlight]) -> str:
    """``block_html`` (whose plain text is ``text``) with the characters of each highlight
    wrapped in ``<mark>``, one per run of text, so that marks never cross its elements."""
    highlights = [h for h in highlights if h.end > h.start]
    if not highlights:
        return block_html
    marker = _Marker(text, highlights)
    marker.feed(block_html)
    marker.close()
    return "".join(marker.out)
