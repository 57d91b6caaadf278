"""Plain helpers of the API tests: a table format, database snapshots and error checks."""

from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from charta.models import (
    ActionFieldGroupObjectPermission,
    ActionFieldUserObjectPermission,
    Revision,
    Section,
    SectionEvent,
)
from comments.models import Comment
from measures.models import (
    Goal,
    Measure,
    MeasureGroupObjectPermission,
    MeasureParty,
    MeasureUserObjectPermission,
    StatusUpdate,
)
from notifications.models import Notification
from tests.conftest import fresh

# The columns of every permission table, in this order.
ROLES = (
    "anonymous",
    "coordinator",
    "editor",
    "other_editor",
    "reviewer",
    "partner",
    "wg_member",
    "responsible",
)
# Those who may read the drafts of the Industriepolitik field (globally or on the field).
DRAFT_READERS = frozenset({"coordinator", "editor", "reviewer", "partner"})
STATES = ("draft", "published")

# Every table an API write could touch; a refused request must leave all of them as they were.
TRACKED = (
    Revision,
    Section,
    SectionEvent,
    Comment,
    Notification,
    Goal,
    Measure,
    MeasureParty,
    StatusUpdate,
    MeasureUserObjectPermission,
    MeasureGroupObjectPermission,
    ActionFieldUserObjectPermission,
    ActionFieldGroupObjectPermission,
    Group,
    AuditEntry,
    Token,
)


def client_for(user) -> APIClient:
    """An API client logged in as ``user`` (None: anonymous). The user is read afresh, so that
    permissions cached on the object by earlier requests neither help nor hide queries."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(fresh(user))
    return client


def snapshot() -> dict[str, list[dict]]:
    """Every row of every tracked table, to compare before and after a request."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in TRACKED}


def counts() -> dict[str, int]:
    """The number of rows of every tracked table, in one query (the tables are many)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in TRACKED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return {model._meta.label: row[i] for i, model in enumerate(TRACKED)}


def table(rows: dict[str, tuple[int, ...]]) -> list:
    """``{"draft": (401, 200, …), …}`` (one code per role in ROLES) → pytest parameters
    ``(role, state, expected)``."""
    params = []
    for state, codes in rows.items():
        assert len(codes) == len(ROLES), f"{state}: one code per role in {ROLES}"
        for role, code in zip(ROLES, codes, strict=True):
            params.append((role, state, code))
    return params


def table_ids(params) -> list[str]:
    return [f"{state}-{role}-{code}" for role, state, code in params]


def assert_error(response, code: int, *fields: str) -> dict:
    """An error answer: the status, a readable ``detail`` and, for 400, the fields named."""
    assert response.status_code == code, (response.status_code, response.content[:500])
    data = response.json()
    assert isinstance(data.get("detail"), str), data
    assert data["detail"].strip(), data
    for field in fields:
        assert field in data.get("errors", {}), (field, data)
    return data
