"""Content-Security-Policy and security headers on every kind of page (issue 8).

The policy allows only this site's own files; no page may need 'unsafe-inline', so no
template carries inline script code, a <style> element, a style attribute or an event
handler attribute, and no page loads anything from another host.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import fresh

PROJECT = Path(__file__).resolve().parents[2]

# Script types the browser does not execute (data blocks, e.g. json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


@pytest.fixture
def page_url(request, field, published_section, published_measure):
    """``page_url("section")``: the address of one page of each kind, as anyone sees it."""
    urls = {
        "home": "/",
        "charta": "/charta/",
        "action-field": field.get_absolute_url(),
        "section": published_section.get_absolute_url(),
        "goal": published_measure.goal.get_absolute_url(),
        "measure": published_measure.get_absolute_url(),
        "measure-list": "/massnahmen/",
        "login": "/konto/anmelden/",
        "privacy": "/datenschutz/",
        "not-found": "/gibt-es-nicht/",
        "admin-login": "/admin/login/",
        "api-json": "/api/v1/action-fields/",
        "api-schema": "/api/v1/schema/",
        "api-docs": "/api/v1/docs/",
        "api-docs-script": "/api/v1/docs/?script=",
        "healthz": "/healthz",
    }
    return urls[request.param]


PAGE_KINDS = [
    ("home", 200),
    ("charta", 200),
    ("action-field", 200),
    ("section", 200),
    ("goal", 200),
    ("measure", 200),
    ("measure-list", 200),
    ("login", 200),
    ("privacy", 200),
    ("not-found", 404),
    ("admin-login", 200),
    ("api-json", 200),
    ("api-schema", 200),
    ("api-docs", 200),
    ("api-docs-script", 200),
    ("healthz", 200),
]

HTML_PAGES = [
    "home",
    "charta",
    "action-field",
    "section",
    "goal",
    "measure",
    "measure-list",
    "login",
    "privacy",
    "not-found",
    "admin-login",
    "api-docs",
]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    ("page_url", "status"), PAGE_KINDS, indirect=["page_url"], ids=[k for k, _s in PAGE_KINDS]
)
def test_every_page_kind_sends_a_strict_content_security_policy(client, page_url, status):
    response = client.get(page_url)

    assert response.status_code == status
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {page_url}"
    assert "default-src 'self'" in header
    assert "script-src 'self'" in header
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    directives = csp_directives(header)
    # Styles fall back to default-src when not named; either way only 'self'.
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]


@pytest.mark.parametrize(
    ("page_url", "status"), PAGE_KINDS, indirect=["page_url"], ids=[k for k, _s in PAGE_KINDS]
)
def test_every_page_kind_sends_nosniff_and_referrer_policy(client, page_url, status):
    response = client.get(page_url)

    assert response.status_code == status
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == "same-origin"
    assert response.get("X-Frame-Options") == "DENY"


def test_pages_of_logged_in_people_send_the_policy_too(client, coordinator, published_section):
    client.force_login(fresh(coordinator))

    for url in (
        published_section.get_absolute_url(),
        f"/charta/abschnitt/{published_section.pk}/bearbeiten/",
        "/konto/daten/",
        "/admin/",
        "/admin/accounts/auditentry/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


# Inline code and styling ------------------------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block or what loads from another host."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (event handler attribute)")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if "src" not in attributes and kind not in DATA_SCRIPT_TYPES:
                self._inline_script = ""
        loaded = None
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed"):
            loaded = attributes.get("src")
        elif tag == "link" and {"stylesheet", "icon", "preload", "manifest"} & set(
            (attributes.get("rel") or "").lower().split()
        ):
            loaded = attributes.get("href")
        if loaded and re.match(r"^(https?:)?//", loaded):
            self.problems.append(f"<{tag}> loads from another host: {loaded}")

    def handle_data(self, data):
        if self._inline_script is not None:
            self._inline_script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script is not None:
            if self._inline_script.strip():
                self.problems.append(f"inline <script>: {self._inline_script.strip()[:80]}")
            self._inline_script = None


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_inline_finder_finds_what_csp_blocks():
    page = (
        '<p style="color:red" onclick="go()">x</p><style>p{}</style>'
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.com/a.css">'
    )

    problems = inline_problems(page)

    assert len(problems) == 6, problems


@pytest.mark.parametrize("page_url", HTML_PAGES, indirect=True)
def test_rendered_pages_have_no_inline_script_or_style_and_no_third_party_assets(client, page_url):
    response = client.get(page_url)

    assert response["Content-Type"].startswith("text/html")
    assert inline_problems(response.content.decode()) == []


def test_pages_for_logged_in_people_have_no_inline_script_or_style(
    client, coordinator, published_section, published_measure
):
    client.force_login(fresh(coordinator))

    for url in (
        published_section.get_absolute_url(),
        f"/charta/abschnitt/{published_section.pk}/bearbeiten/",
        f"/charta/abschnitt/{published_section.pk}/verlauf/",
        published_measure.get_absolute_url(),
        f"/massnahmen/{published_measure.pk}/bearbeiten/",
        "/konto/daten/",
        "/benachrichtigungen/",
        "/admin/",
        "/admin/accounts/auditentry/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_problems(response.content.decode()) == [], url


def test_api_docs_load_their_script_from_a_url(client):
    page = client.get("/api/v1/docs/").content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes
        assert not body.strip()
    assert 'src="/api/v1/docs/?script="' in page
    assert "/static/drf_spectacular_sidecar/" in page

    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# The templates themselves -------------------------------------------------------------


def project_templates() -> list[Path]:
    folders = [PROJECT / "templates", *sorted(PROJECT.glob("*/templates"))]
    return sorted(
        path for folder in folders if ".venv" not in folder.parts for path in folder.rglob("*.html")
    )


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", flags=re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", flags=re.S)
STYLE_ELEMENT = re.compile(r"<style\b", flags=re.I)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", flags=re.S)


def test_the_project_has_templates_to_scan():
    names = {path.name for path in project_templates()}

    assert {"base.html", "404.html", "login.html", "section_detail.html"} <= names


@pytest.mark.parametrize(
    "template", project_templates(), ids=lambda path: str(path.relative_to(PROJECT))
)
def test_no_template_has_inline_script_or_style(template):
    source = template.read_text(encoding="utf-8")

    inline_scripts = [
        body.strip()[:80]
        for attributes, body in SCRIPT.findall(source)
        if "src=" not in attributes
        and not any(kind in attributes for kind in DATA_SCRIPT_TYPES)
        and body.strip()
    ]
    assert inline_scripts == []
    assert not STYLE_ATTRIBUTE.search(source), "style= attribute"
    assert not STYLE_ELEMENT.search(source), "<style> element"
    assert not EVENT_HANDLER.search(source), "event handler attribute"
