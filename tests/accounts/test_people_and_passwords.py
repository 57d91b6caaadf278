"""People and roles in the app, invitations and passwords."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import invitations
from accounts.models import AuditEntry, User
from accounts.roles import RoleName, role_grant, roles_held
from tests.conftest import ROLE_KEYS, fresh, user_with
from tests.factories import MeasureFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/personen/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def person_url(user) -> str:
    return f"/personen/{user.pk}/"


# Who may manage people ---------------------------------------------------------------------

ACCESS = {
    "coordinator": 200,
    "editor": 403,
    "other_editor": 403,
    "reviewer": 403,
    "partner": 403,
    "wg_member": 403,
    "outsider": 403,
    "anonymous": 302,
}


def test_the_access_table_covers_every_role():
    assert set(ACCESS) == set(ROLE_KEYS)


@pytest.mark.parametrize("page", ["list", "person", "invite"])
@pytest.mark.parametrize(("role", "status"), list(ACCESS.items()))
def test_only_coordinators_manage_people(page, role, status, as_role, client, partner):
    user = as_role(role)
    if user.is_authenticated:
        client.force_login(user)
    path = {"list": PEOPLE, "person": person_url(partner), "invite": "/personen/einladen/"}[page]

    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    "role", [key for key in ROLE_KEYS if key not in ("coordinator", "anonymous")]
)
def test_nobody_but_coordinators_grants_a_role_through_the_page(role, as_role, client, partner):
    client.force_login(as_role(role))

    response = client.post(
        person_url(partner), {"action": "grant", "role": "coordinator", "confirm_coordinator": "on"}
    )

    assert response.status_code == 403
    assert roles_held(fresh(partner)) == [RoleName.PARTNER]


def test_the_people_page_lists_name_organisation_and_roles(client, coordinator, editor, partner):
    organisation = OrganisationFactory(
        name="Industrie- und Handelskammer Chemnitz", short_name="IHK"
    )
    partner.memberships.create(organisation=organisation)
    client.force_login(coordinator)

    page = client.get(PEOPLE).content.decode()

    assert partner.display_name in page and "IHK" in page
    assert "Redaktion (Industriepolitik)" in page
    assert "Koordination" in page


def test_the_people_page_asks_the_database_a_fixed_number_of_times(client, coordinator, field):
    client.force_login(coordinator)
    client.get(PEOPLE)
    for i in range(3):
        user_with(f"r{i}", RoleName.REVIEWER, field)
    with CaptureQueriesContext(connection) as small:
        client.get(PEOPLE)
    for i in range(10):
        user_with(f"e{i}", RoleName.EDITOR, field)

    with CaptureQueriesContext(connection) as large:
        client.get(PEOPLE)

    assert len(large.captured_queries) == len(small.captured_queries)


# Granting and revoking ---------------------------------------------------------------------


def test_the_role_form_has_no_default_role(client, coordinator, partner):
    client.force_login(coordinator)

    page = client.get(person_url(partner)).content.decode()
    select = re.search(r'<select name="role".*?</select>', page, re.S).group(0)

    assert '<option value="" selected>' in select
    response = client.post(person_url(partner), {"action": "grant"})
    assert response.status_code == 400
    assert roles_held(fresh(partner)) == [RoleName.PARTNER]


def test_the_admin_role_form_has_no_default_role_either(client, coordinator, partner):
    client.force_login(coordinator)

    page = client.get(f"/admin/accounts/user/{partner.pk}/rollen/").content.decode()
    select = re.search(r'<select name="role".*?</select>', page, re.S).group(0)

    assert '<option value="" selected>' in select
    assert 'value="coordinator" selected' not in select


def test_coordinator_rights_need_a_confirmation(client, coordinator, partner):
    client.force_login(coordinator)

    refused = client.post(person_url(partner), {"action": "grant", "role": "coordinator"})

    assert refused.status_code == 400
    assert "bitte bestätigen Sie die Vergabe" in refused.content.decode()
    assert RoleName.COORDINATOR not in roles_held(fresh(partner))

    granted = client.post(
        person_url(partner), {"action": "grant", "role": "coordinator", "confirm_coordinator": "on"}
    )

    assert granted.status_code == 302
    assert RoleName.COORDINATOR in roles_held(fresh(partner))


def test_a_field_role_needs_its_field(client, coordinator, partner):
    client.force_login(coordinator)

    response = client.post(person_url(partner), {"action": "grant", "role": "reviewer"})

    assert response.status_code == 400
    assert "Diese Rolle gilt für ein Handlungsfeld." in response.content.decode()


def test_a_grant_is_audited_and_told_in_words(client, coordinator, partner, field):
    client.force_login(coordinator)

    response = client.post(
        person_url(partner),
        {"action": "grant", "role": "reviewer", "action_field": field.pk},
        follow=True,
    )

    page = response.content.decode()
    assert "Die Rolle ist vergeben." in page
    assert RoleName.REVIEWER in roles_held(fresh(partner), field)
    sentence = (
        f"{coordinator.display_name} hat {partner.display_name} die Rolle Prüfung für "
        "Industriepolitik gegeben"
    )
    assert sentence in page
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_GRANTED).latest("id")
    assert (entry.actor, entry.details["grantee_id"]) == (coordinator, partner.pk)


def test_the_people_page_tells_the_latest_role_changes_in_words(client, coordinator, editor):
    client.force_login(coordinator)

    page = client.get(PEOPLE).content.decode()

    assert (
        f"Das System hat {editor.display_name} die Rolle Redaktion für Industriepolitik gegeben"
        in page
    )


def test_a_working_group_in_the_role_log_is_named_by_its_name(client, coordinator, working_group):
    measure = MeasureFactory(title="Weiterbildungsmodule")
    role_grant(actor=coordinator, role=RoleName.REPORTER, grantee=working_group.group, obj=measure)
    client.force_login(coordinator)

    page = client.get(PEOPLE).content.decode()

    assert (
        f"{coordinator.display_name} hat AG Qualifizierung die Rolle Berichtende für "
        "Weiterbildungsmodule gegeben"
    ) in page
    assert "working-group:" not in page


def test_a_revocation_is_audited_and_told_in_words(client, coordinator, editor, field):
    client.force_login(coordinator)

    response = client.post(
        person_url(editor), {"action": "revoke", "role": f"editor:{field.pk}"}, follow=True
    )

    page = response.content.decode()
    assert "Die Rolle ist entzogen." in page
    assert roles_held(fresh(editor), field) == []
    assert (
        f"{coordinator.display_name} hat {editor.display_name} die Rolle Redaktion für "
        "Industriepolitik entzogen"
    ) in page


def test_revoking_a_role_that_names_nothing_is_not_found(client, coordinator, editor):
    client.force_login(coordinator)

    assert (
        client.post(person_url(editor), {"action": "revoke", "role": "wizard:1"}).status_code == 404
    )
    assert (
        client.post(person_url(editor), {"action": "revoke", "role": "editor:999999"}).status_code
        == 404
    )


# Invitations -------------------------------------------------------------------------------


def _invite(client, coordinator, email="neu@example.org"):
    client.force_login(coordinator)
    return client.post(
        "/personen/einladen/",
        {"first_name": "Nora", "last_name": "Neu", "email": email},
    )


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/einladung/\S+/)", message.body).group(1)


def test_an_invitation_makes_an_account_without_password_and_mails_a_link(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, coordinator)

    person = User.objects.get(email="neu@example.org")
    assert response.status_code == 302 and response["Location"] == person_url(person)
    assert not person.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["neu@example.org"]
    assert "Einladung" in message.subject
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PERSON_INVITED).count() == 1
    assert roles_held(person) == []


def test_an_invitation_for_a_known_address_is_refused(client, coordinator, partner):
    response = _invite(client, coordinator, email=partner.email.upper())

    assert response.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in response.content.decode()


def test_the_invitation_sets_the_password_logs_in_and_works_once(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, coordinator)
    link = _link(mail.outbox[0])
    client.logout()

    form = client.get(link, follow=True)
    assert "Willkommen bei der ITAS-Charta" in form.content.decode()
    assert "/einladung/" in form.redirect_chain[-1][0] and link not in form.redirect_chain[-1][0]
    done = client.post(
        "/konto/einladung/",
        {"new_password1": "Wasserstoff-2030!", "new_password2": "Wasserstoff-2030!"},
    )

    assert done.status_code == 302 and done["Location"] == "/aufgaben/"
    person = User.objects.get(email="neu@example.org")
    assert person.check_password("Wasserstoff-2030!")
    client.logout()
    again = client.get(link, follow=True)
    assert again.status_code == 400
    assert "Einladung nicht mehr gültig" in again.content.decode()


def test_an_invitation_expires(client, coordinator, settings):
    _invite(client, coordinator)
    person = User.objects.get(email="neu@example.org")
    token = invitations.make_token(person)
    settings.INVITATION_DAYS = 0

    assert invitations.user_for_token(token) is None


def test_a_forged_invitation_is_refused(client):
    response = client.get("/konto/einladung/erfunden:abc:def/", follow=True)

    assert response.status_code == 400


# Passwords ---------------------------------------------------------------------------------


def test_the_login_page_offers_password_reset(client):
    assert 'href="/konto/passwort-vergessen/"' in client.get("/konto/anmelden/").content.decode()


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, partner):
    response = client.post("/konto/passwort-vergessen/", {"email": partner.email}, follow=True)

    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/konto/passwort-neu/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ganz-neu-2025!", "new_password2": "Ganz-neu-2025!"},
        follow=True,
    )
    assert "Passwort gespeichert" in done.content.decode()
    assert fresh(partner).check_password("Ganz-neu-2025!")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGED).count() == 1


def test_a_password_reset_does_not_tell_whether_an_address_exists(client, partner):
    known = client.post("/konto/passwort-vergessen/", {"email": partner.email}, follow=True)
    unknown = client.post("/konto/passwort-vergessen/", {"email": "wer@nirgends.de"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().replace(partner.email, "") == unknown.content.decode().replace(
        "wer@nirgends.de", ""
    )
    assert len(mail.outbox) == 1


def test_password_reset_requests_are_throttled_per_address(client, partner):
    for _ in range(6):
        response = client.post("/konto/passwort-vergessen/", {"email": partner.email})
        assert response.status_code == 302

    assert len(mail.outbox) == 3


def test_password_reset_mails_go_through_the_task_queue(client, partner, monkeypatch):
    from types import SimpleNamespace

    from accounts import forms

    queued = []
    monkeypatch.setattr(
        forms, "send_account_mail", SimpleNamespace(enqueue=lambda *args: queued.append(args))
    )

    client.post("/konto/passwort-vergessen/", {"email": partner.email})

    assert len(queued) == 1 and queued[0][2] == partner.email
    assert mail.outbox == []


def test_a_person_changes_their_password(client, partner):
    partner.set_password("Alt-genug-2024!")
    partner.save()
    client.force_login(partner)

    response = client.post(
        "/konto/passwort-aendern/",
        {
            "old_password": "Alt-genug-2024!",
            "new_password1": "Neu-genug-2025!",
            "new_password2": "Neu-genug-2025!",
        },
        follow=True,
    )

    assert "Ihr Passwort wurde geändert." in response.content.decode()
    assert fresh(partner).check_password("Neu-genug-2025!")


def test_a_wrong_old_password_is_named(client, partner):
    partner.set_password("Alt-genug-2024!")
    partner.save()
    client.force_login(partner)

    response = client.post(
        "/konto/passwort-aendern/",
        {"old_password": "falsch", "new_password1": "Neu-2025!x", "new_password2": "Neu-2025!x"},
    )

    assert response.status_code == 400
    assert "Das alte Passwort war falsch." in response.content.decode()
    assert fresh(partner).check_password("Alt-genug-2024!")


def _reset_link() -> str:
    return re.search(r"https?://[^/\s]+(/konto/passwort-neu/\S+/)", mail.outbox[-1].body).group(1)


def _set_new_password(client, link: str, password: str):
    form = client.get(link, follow=True)
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def test_an_invited_person_whose_link_expired_sets_a_password_by_reset(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, coordinator)
    client.logout()
    mail.outbox.clear()

    client.post("/konto/passwort-vergessen/", {"email": "neu@example.org"})
    _set_new_password(client, _reset_link(), "Wasserstoff-2030!")

    assert User.objects.get(email="neu@example.org").check_password("Wasserstoff-2030!")


def test_a_password_reset_lifts_the_login_lock(client, partner, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post("/konto/anmelden/", {"username": partner.username, "password": "falsch"})
    assert (
        client.post(
            "/konto/anmelden/", {"username": partner.username, "password": "falsch"}
        ).status_code
        == 429
    )

    client.post("/konto/passwort-vergessen/", {"email": partner.email})
    _set_new_password(client, _reset_link(), "Ganz-neu-2025!")
    response = client.post(
        "/konto/anmelden/", {"username": partner.username, "password": "Ganz-neu-2025!"}
    )

    assert response.status_code == 302


def test_the_last_coordinator_keeps_the_role(client, coordinator):
    client.force_login(coordinator)

    response = client.post(person_url(coordinator), {"action": "revoke", "role": "coordinator:"})

    assert response.status_code == 400
    assert "Die letzte Person mit der Rolle Koordination behält sie." in response.content.decode()
    assert RoleName.COORDINATOR in roles_held(fresh(coordinator))


def test_a_coordinator_hands_the_role_on_when_another_holds_it(client, coordinator):
    successor = user_with("nachfolge", RoleName.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(person_url(successor), {"action": "revoke", "role": "coordinator:"})

    assert response.status_code == 302
    assert RoleName.COORDINATOR not in roles_held(fresh(successor))
