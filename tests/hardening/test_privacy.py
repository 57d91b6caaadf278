"""Data protection (DSGVO): download one's data, delete one's account, a privacy page.

Deleting an account anonymises it: personal data goes, the charta's history stays, with
"gelöschtes Konto" where the name was.
"""

import csv
import io
import json
import zipfile

import pytest
from django.apps import apps
from guardian.models import UserObjectPermissionBase
from rest_framework.authtoken.models import Token

from accounts.models import AuditEntry, Membership, User
from accounts.roles import RoleName, role_grant
from charta.models import Revision, Section
from charta.services import section_save_draft
from comments.models import Comment
from comments.services import comment_create
from measures.models import Measure, StatusUpdate
from measures.services import measure_report_status
from tests.conftest import fresh
from tests.factories import PASSWORD, UserFactory

from .conftest import reload

pytestmark = pytest.mark.django_db

MY_DATA = "/konto/daten/"


def person(username: str, first: str, last: str, field, working_group) -> User:
    user = UserFactory(
        username=username, first_name=first, last_name=last, email=f"{username}@example.org"
    )
    role_grant(actor=None, role=RoleName.EDITOR, grantee=user, obj=field)
    role_grant(actor=None, role=RoleName.WORKING_GROUP_MEMBER, grantee=user, obj=working_group)
    return fresh(user)


@pytest.fixture
def anna(field, working_group, organisation) -> User:
    user = person("anna", "Anna", "Schmidt", field, working_group)
    Membership.objects.create(user=user, organisation=organisation, position="Referentin")
    Token.objects.create(user=user)
    return user


@pytest.fixture
def bert(field, working_group) -> User:
    return person("bert", "Bernd", "Geheimrat", field, working_group)


@pytest.fixture
def measure(coordinator, published_goal, organisation, working_group) -> Measure:
    from measures.services import measure_create

    return measure_create(
        actor=fresh(coordinator),
        goal=published_goal,
        title="Transformationspiloten",
        owner=organisation,
        working_group=working_group,
    )


@pytest.fixture
def contributions(anna, bert, section, measure) -> Section:
    """Anna and Bert each wrote a revision, a comment and a status report."""
    section_save_draft(actor=fresh(anna), section=section, body="ANNA-TEXT", base_revision=None)
    section_save_draft(
        actor=fresh(bert), section=reload(section), body="BERT-TEXT", base_revision=1
    )
    comment_create(actor=fresh(anna), target=reload(section), body="ANNA-KOMMENTAR")
    comment_create(actor=fresh(bert), target=reload(section), body="BERT-KOMMENTAR")
    measure_report_status(
        actor=fresh(anna), measure=measure, status="in_progress", progress=20, note="ANNA-BERICHT"
    )
    measure_report_status(
        actor=fresh(bert), measure=measure, status="in_progress", progress=40, note="BERT-BERICHT"
    )
    return reload(section)


def export(client) -> zipfile.ZipFile:
    response = client.post(MY_DATA, {"action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


# Download -------------------------------------------------------------------------------


def test_my_data_page_is_for_logged_in_people(client, anna):
    assert client.get(MY_DATA).status_code == 302

    client.force_login(anna)
    response = client.get(MY_DATA)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meine Daten" in page
    assert "Daten herunterladen" in page
    assert "Konto endgültig löschen" in page


def test_export_is_a_zip_of_json_and_csv_files(client, anna, contributions):
    client.force_login(anna)

    archive = export(client)

    assert {"data.json", "revisions.csv", "comments.csv", "status_reports.csv"} <= set(
        archive.namelist()
    )


def test_export_holds_the_profile(client, anna, contributions):
    client.force_login(anna)

    data = json.loads(export(client).read("data.json"))

    profile = data["profile"]
    assert profile["username"] == "anna"
    assert (profile["first_name"], profile["last_name"]) == ("Anna", "Schmidt")
    assert profile["email"] == "anna@example.org"
    assert profile["organisations"] == [
        {"name": "Chemnitzer Wirtschaftsförderung", "position": "Referentin"}
    ]


def test_export_holds_the_persons_own_revisions_comments_and_reports(client, anna, contributions):
    client.force_login(anna)

    archive = export(client)

    assert [row["body"] for row in rows(archive, "revisions.csv")] == ["ANNA-TEXT"]
    assert [row["body"] for row in rows(archive, "comments.csv")] == ["ANNA-KOMMENTAR"]
    assert [row["note"] for row in rows(archive, "status_reports.csv")] == ["ANNA-BERICHT"]
    data = json.loads(archive.read("data.json"))
    assert [r["body"] for r in data["revisions"]] == ["ANNA-TEXT"]
    assert [c["body"] for c in data["comments"]] == ["ANNA-KOMMENTAR"]
    assert [s["note"] for s in data["status_reports"]] == ["ANNA-BERICHT"]


def test_export_holds_nothing_of_another_person(client, anna, contributions):
    client.force_login(anna)

    archive = export(client)

    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")
        for marker in ("BERT-TEXT", "BERT-KOMMENTAR", "BERT-BERICHT", "bert@example.org"):
            assert marker not in text, (name, marker)


def test_export_is_audited(client, anna):
    client.force_login(anna)

    export(client)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.DATA_EXPORTED)
    assert entry.actor == anna


# Deletion -------------------------------------------------------------------------------


def delete(client, password: str, confirm: bool = True):
    data = {"action": "delete", "password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(MY_DATA, data)


def assert_unchanged(user: User) -> None:
    now = User.objects.get(pk=user.pk)
    assert (now.username, now.first_name, now.last_name, now.email) == (
        user.username,
        user.first_name,
        user.last_name,
        user.email,
    )
    assert now.is_active
    assert not now.is_anonymised
    assert now.check_password(PASSWORD)
    assert now.groups.exists()
    assert Membership.objects.filter(user=now).exists()


def test_deletion_with_the_wrong_password_changes_nothing(client, anna, contributions):
    client.force_login(anna)

    response = delete(client, "falsch")

    assert response.status_code == 400
    assert "Das Passwort stimmt nicht." in response.content.decode()
    assert_unchanged(anna)
    assert client.session.get("_auth_user_id") == str(anna.pk)


def test_deletion_without_confirmation_changes_nothing(client, anna):
    client.force_login(anna)

    response = delete(client, PASSWORD, confirm=False)

    assert response.status_code == 400
    assert_unchanged(anna)


def test_deletion_logs_out_and_anonymises_the_account(client, anna, contributions):
    client.force_login(anna)

    response = delete(client, PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=anna.pk)
    assert user.is_anonymised
    assert not user.is_active
    assert not user.is_staff and not user.is_superuser
    assert user.username == f"geloescht-{anna.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.has_usable_password()
    assert user.last_login is None
    assert str(user) == "gelöschtes Konto"


def test_deletion_removes_roles_memberships_and_tokens(client, anna, contributions, field):
    client.force_login(anna)

    delete(client, PASSWORD)

    user = User.objects.get(pk=anna.pk)
    assert not user.groups.exists()
    assert not user.user_permissions.exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            assert not model.objects.filter(user=user).exists(), model._meta.label
    assert not fresh(user).has_perm("charta.edit_text", field)


def test_deletion_keeps_the_history_of_the_charta(client, anna, contributions):
    authored = list(Revision.objects.filter(author=anna).values_list("pk", "body"))
    comments = list(Comment.objects.filter(author=anna).values_list("pk", "body"))
    reports = list(StatusUpdate.objects.filter(author=anna).values_list("pk", "note"))
    client.force_login(anna)

    delete(client, PASSWORD)

    assert authored == [(authored[0][0], "ANNA-TEXT")]
    assert list(Revision.objects.filter(author_id=anna.pk).values_list("pk", "body")) == authored
    assert list(Comment.objects.filter(author_id=anna.pk).values_list("pk", "body")) == comments
    assert list(StatusUpdate.objects.filter(author_id=anna.pk).values_list("pk", "note")) == (
        reports
    )
    assert Revision.objects.filter(section=contributions).count() == 2


def test_the_section_page_shows_a_deleted_account_instead_of_the_name(
    client, anna, contributions, coordinator
):
    client.force_login(anna)
    delete(client, PASSWORD)
    # Bert's revision 2 is the current one; revision 1 was Anna's.
    client.force_login(fresh(coordinator))

    revision_page = client.get(f"/charta/abschnitt/{contributions.pk}/revision/1/")
    section_page = client.get(contributions.get_absolute_url())
    history_page = client.get(f"/charta/abschnitt/{contributions.pk}/verlauf/")

    for response in (revision_page, section_page, history_page):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Anna" not in page
        assert "Schmidt" not in page
        assert "anna@example.org" not in page
    assert "gelöschtes Konto" in revision_page.content.decode()
    assert "gelöschtes Konto" in section_page.content.decode()  # her comment
    assert "gelöschtes Konto" in history_page.content.decode()
    assert "ANNA-TEXT" in revision_page.content.decode()


def test_deletion_removes_the_name_from_the_audit_log(client, anna, contributions):
    client.post("/konto/anmelden/", {"username": "anna", "password": PASSWORD})
    assert AuditEntry.objects.filter(actor_name="anna").exists()

    delete(client, PASSWORD)

    assert not AuditEntry.objects.filter(actor_name="anna").exists()
    deleted = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_DELETED)
    assert deleted.actor_name == f"geloescht-{anna.pk}"
    assert deleted.object_id == str(anna.pk)


def test_a_deleted_account_cannot_log_in(client, anna):
    client.force_login(anna)
    delete(client, PASSWORD)

    response = client.post("/konto/anmelden/", {"username": "anna", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_one_cannot_delete_someone_elses_account(client, anna, bert):
    from django.core.exceptions import PermissionDenied

    from accounts.privacy import user_anonymise

    with pytest.raises(PermissionDenied):
        user_anonymise(actor=fresh(bert), user=fresh(anna), password=PASSWORD)

    assert_unchanged(anna)


# Privacy page ---------------------------------------------------------------------------


def test_the_privacy_page_is_public_and_german(client, db):
    response = client.get("/datenschutz/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="de"' in page
    assert "Datenschutz" in page
    assert "Ihre Rechte" in page


def test_every_page_links_to_the_privacy_page(client, db):
    assert 'href="/datenschutz/"' in client.get("/").content.decode()
