"""The restore check: backup_manifest before the dump, verify_restore on the restored copy."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command

from charta.models import Revision
from charta.services import section_save_draft
from comments.models import Comment
from comments.services import comment_create
from tests.conftest import fresh

from .conftest import reload

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def history(published_section, editor, partner):
    """A published section with a newer draft (revision 2) and a comment."""
    section = section_save_draft(
        actor=fresh(editor),
        section=published_section,
        body="Zweite Fassung.",
        base_revision=1,
    ).section
    comment_create(actor=fresh(partner), target=reload(section), body="Gut so.")
    return reload(section)


@pytest.fixture
def manifest_file(history, tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup_manifest", stdout=out)
    path = tmp_path / "itas.manifest.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def verify(path: Path) -> str:
    out = io.StringIO()
    call_command("verify_restore", str(path), stdout=out)
    return out.getvalue()


def test_the_manifest_holds_counts_and_latest_revisions(manifest_file, history):
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))

    assert manifest["counts"]["charta.Revision"] == 2
    assert manifest["counts"]["comments.Comment"] == 1
    assert manifest["counts"]["accounts.AuditEntry"] > 0
    assert manifest["latest_revisions"] == {str(history.pk): 2}
    assert "sessions.Session" not in manifest["counts"]


def test_the_same_database_passes_the_check(manifest_file):
    output = verify(manifest_file)

    assert "Restore complete" in output


def test_sessions_and_login_attempts_may_differ(manifest_file):
    session = SessionStore()
    session["x"] = 1
    session.create()

    assert "Restore complete" in verify(manifest_file)


def test_a_missing_row_fails_the_check_naming_the_table(manifest_file, history):
    Comment.objects.filter(object_id=history.pk).delete()

    with pytest.raises(CommandError) as failure:
        verify(manifest_file)

    message = str(failure.value)
    assert "comments.Comment" in message
    assert "0 rows, expected 1" in message
    assert "charta.Revision" not in message


def test_a_missing_latest_revision_fails_the_check(manifest_file, history):
    # A restore cut short: the newest revision did not make it. (Only a test deletes one.)
    Revision.objects.filter(section=history, number=2).update(number=3)

    with pytest.raises(CommandError) as failure:
        verify(manifest_file)

    assert f"section {history.pk}: latest revision 3, expected 2" in str(failure.value)


def test_an_extra_row_fails_the_check_too(manifest_file, history, partner):
    comment_create(actor=fresh(partner), target=history, body="Nach dem Dump geschrieben.")

    with pytest.raises(CommandError) as failure:
        verify(manifest_file)

    assert "comments.Comment: 2 rows, expected 1" in str(failure.value)


def test_the_backup_procedure_is_documented():
    text = (PROJECT / "docs" / "backup.md").read_text(encoding="utf-8")

    for step in ("pg_dump", "pg_restore", "backup_manifest", "verify_restore"):
        assert step in text, step
