"""A small HTML tree for assertions on pages (the standard library's parser, no extra package)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list["Node | str"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str) -> list["Node"]:
        return [node for node in self.iter() if node.tag == tag and node is not self]

    def find(self, tag: str) -> "Node | None":
        found = self.find_all(tag)
        return found[0] if found else None

    def by_id(self, node_id: str) -> "Node | None":
        return next((node for node in self.iter() if node.attrs.get("id") == node_id), None)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Node:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def table_data(table: Node) -> list[list[str]]:
    """The rows of a table as lists of cell texts (header row included)."""
    return [
        [cell.text for cell in row.iter() if cell.tag in ("th", "td")]
        for row in table.find_all("tr")
    ]
