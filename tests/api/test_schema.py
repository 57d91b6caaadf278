"""The OpenAPI 3 schema describes the contract of DESIGN.md; the docs load nothing from
other hosts (data protection: every asset is served by the platform itself)."""

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

SCHEMA = "/api/v1/schema/"
DOCS = "/api/v1/docs/"

# The paths and verbs of the contract table (DESIGN.md, "API contract").
CONTRACT = {
    "/api/v1/action-fields/": {"get"},
    "/api/v1/sections/": {"get"},
    "/api/v1/sections/{id}/": {"get", "patch"},
    "/api/v1/sections/{id}/revisions/": {"get"},
    "/api/v1/sections/{id}/transition/": {"post"},
    "/api/v1/goals/": {"get", "post"},
    "/api/v1/goals/{id}/": {"get", "patch", "delete"},
    "/api/v1/measures/": {"get", "post"},
    "/api/v1/measures/{id}/": {"get", "patch"},
    "/api/v1/measures/{id}/status-updates/": {"get", "post"},
    "/api/v1/comments/": {"get", "post"},
    "/api/v1/comments/{id}/resolve/": {"post"},
    "/api/v1/auth/token/": {"post", "delete"},
}
# The field names of the contract, by schema component.
FIELDS = {
    "Section": {
        "id", "charta", "action_field", "title", "status", "body", "body_html",
        "current_revision", "published_revision",
    },
    "Revision": {"number", "body", "author", "message", "created_at"},
    "Goal": {"id", "action_field", "title", "description", "owner", "target_date", "state"},
    "Measure": {
        "id", "goal", "action_field", "title", "description", "owner", "working_group",
        "responsible", "start_date", "deadline", "status", "progress", "is_overdue", "state",
    },
    "StatusUpdate": {"id", "status", "progress", "note", "author", "created_at"},
    "Comment": {
        "id", "target", "parent", "paragraph", "body", "body_html", "author", "created_at",
        "state",
    },
}  # fmt: skip
# The documented query parameters of the lists.
FILTERS = {
    ("/api/v1/measures/", "get"): {"action_field", "status", "overdue", "owner"},
    ("/api/v1/goals/", "get"): {"action_field"},
    ("/api/v1/comments/", "get"): {"target"},
    ("/api/v1/sections/{id}/revisions/", "get"): {"compare"},
}
HTTP_VERBS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    """The schema as an anonymous client downloads it (generated once for the module)."""
    with django_db_blocker.unblock():
        response = APIClient().get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_openapi_3_as_json(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"]


@pytest.mark.django_db
def test_schema_is_served_by_content_negotiation():
    response = APIClient().get(SCHEMA, HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(response.content)["openapi"].startswith("3.")


@pytest.mark.parametrize("path", sorted(CONTRACT))
def test_schema_lists_the_paths_and_verbs_of_the_contract(path, schema):
    assert path in schema["paths"], sorted(schema["paths"])
    assert CONTRACT[path] <= set(schema["paths"][path]) & HTTP_VERBS


def test_schema_offers_no_verbs_beyond_the_contract(schema):
    """Sections are not created and measures not deleted through the API (history stays)."""
    paths = schema["paths"]
    assert set(paths["/api/v1/sections/"]) & HTTP_VERBS == {"get"}
    assert not {"put", "delete"} & set(paths["/api/v1/measures/{id}/"])
    assert not {"put", "patch", "delete"} & set(paths["/api/v1/measures/{id}/status-updates/"])


@pytest.mark.parametrize("component", sorted(FIELDS))
def test_schema_components_carry_the_contract_fields(component, schema):
    properties = set(schema["components"]["schemas"][component]["properties"])

    assert FIELDS[component] <= properties, FIELDS[component] - properties


def test_measure_status_and_progress_are_read_only_in_the_schema(schema):
    components = schema["components"]["schemas"]
    measure = components["Measure"]["properties"]

    assert measure["status"].get("readOnly") and measure["progress"].get("readOnly")
    for request in ("MeasureRequest", "PatchedMeasureRequest"):
        assert not {"status", "progress"} & set(components[request]["properties"])


@pytest.mark.parametrize(("path", "verb"), sorted(FILTERS))
def test_schema_documents_the_query_parameters_of_the_contract(path, verb, schema):
    names = {p["name"] for p in schema["paths"][path][verb].get("parameters", [])}

    assert FILTERS[path, verb] <= names, FILTERS[path, verb] - names


def test_schema_documents_the_edit_conflict_and_token_auth(schema):
    assert "409" in schema["paths"]["/api/v1/sections/{id}/"]["patch"]["responses"]
    schemes = schema["components"]["securitySchemes"].values()
    assert any(s.get("in") == "header" and s.get("name") == "Authorization" for s in schemes)


@pytest.mark.django_db
def test_schema_is_generated_without_warnings_or_errors():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)

    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)


# Docs ------------------------------------------------------------------------------------


class _Assets(HTMLParser):
    """The addresses a page loads: script src, link href, img src, iframe src."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in {"script": ("src",), "link": ("href",), "img": ("src",)}.get(tag, ()):
            if attrs.get(name):
                self.urls.append(attrs[name])


def assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.fixture
def docs(db):
    response = APIClient().get(DOCS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_docs_load_assets_only_from_the_platform_itself(docs):
    urls = assets(docs)

    assert urls, "the docs page loads its scripts and styles"
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        assert url.startswith("/"), url
    assert "http://" not in docs and "https://" not in docs
    assert any("/static/drf_spectacular_sidecar/" in url for url in urls)


def test_docs_assets_are_served(docs):
    client = APIClient()
    for url in assets(docs):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url


def test_docs_init_script_reads_the_local_schema(docs):
    script = next(url for url in assets(docs) if "script=" in url)

    response = APIClient().get(script)

    assert response.status_code == 200
    body = response.content.decode()
    assert SCHEMA in body
    assert "http://" not in body and "https://" not in body
