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
