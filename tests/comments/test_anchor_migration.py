"""The migration to quote anchors keeps every paragraph comment: "moved" (which meant an edited
paragraph) becomes "changed"; paragraph, its old text and revision stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("comments", "0004_drop_charta_references")]
AFTER = [("comments", "0005_quote_anchors")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_paragraph_comments_are_migrated_not_dropped(action_fields):
    old_apps = migrate(BEFORE)
    Comment = old_apps.get_model("comments", "Comment")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.get_or_create(app_label="charta", model="section")[0]
    rows = {
        status: Comment.objects.create(
            content_type_id=kind.pk, object_id=1, scope=1, revision=3, paragraph="abs-1234abcd",
            paragraph_text="Der alte Absatz.", anchor_status=status, body=status, body_html="",
        ).pk
        for status in ("current", "moved", "orphaned")
    }  # fmt: skip
    whole = Comment.objects.create(
        content_type_id=kind.pk, object_id=1, scope=1, body="Allgemein", body_html=""
    ).pk
    try:
        new_apps = migrate(AFTER)
        Migrated = new_apps.get_model("comments", "Comment")
        statuses = {old: Migrated.objects.get(pk=pk).anchor_status for old, pk in rows.items()}
        kept = Migrated.objects.get(pk=rows["moved"])
        assert statuses == {"current": "current", "moved": "changed", "orphaned": "orphaned"}
        assert (kept.paragraph, kept.paragraph_text, kept.revision, kept.quote) == (
            "abs-1234abcd", "Der alte Absatz.", 3, "",
        )  # fmt: skip
        assert Migrated.objects.get(pk=whole).anchor_status == ""
    finally:
        migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
