"""Login throttling with django-axes, on the login page and the token endpoint.

The lockout is per account: after AXES_FAILURE_LIMIT failures under any of its names (the
username or the e-mail address, in any case) and from any address, the account is refused
(HTTP 429, a German message) even with the right password, until the cool-off ends or a
coordinator unlocks it. Names of no account are counted and locked the same way.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEntry
from accounts.services import account_unlock
from tests.conftest import fresh
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"
TOKEN = "/api/v1/auth/token/"
CLIENT = "198.51.100.23"
LOCKED_TEXT = "vorübergehend gesperrt"


@pytest.fixture(autouse=True)
def _three_failures(settings):
    # axes reads its settings from django.conf.settings at call time (axes.conf only sets
    # defaults), so the settings fixture changes the limit for this test alone.
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ENABLED = True


@pytest.fixture
def anna():
    return UserFactory(username="anna", email="Anna.Schmidt@Example.org")


@pytest.fixture
def bert():
    return UserFactory(username="bert")


def login(client, username, password, address=CLIENT, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def token(client, username, password, address=CLIENT, **headers):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def test_the_failure_limit_comes_from_the_settings(settings):
    from axes.helpers import get_failure_limit

    assert get_failure_limit(None, {}) == 3


def test_two_failures_do_not_lock(client, anna):
    for _attempt in range(2):
        assert login(client, "anna", "falsch").status_code == 200

    response = login(client, "anna", PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(anna.pk)


def test_three_failures_lock_the_username_even_with_the_right_password(client, anna):
    for _attempt in range(2):
        assert login(client, "anna", "falsch").status_code == 200
    login(client, "anna", "falsch")

    response = login(client, "anna", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert 'lang="de"' in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_names_the_cool_off_time(client, anna, settings):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    page = login(client, "anna", PASSWORD).content.decode()

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} Minuten" in " ".join(page.split())


def test_lockout_is_recorded_for_the_username_and_address(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    attempt = AccessAttempt.objects.get(username="anna")
    assert attempt.ip_address == CLIENT
    assert attempt.failures_since_start >= 3


def test_another_username_from_the_same_address_is_not_locked(client, anna, bert):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    response = login(client, "bert", PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(bert.pk)


def test_the_same_account_from_another_address_is_locked_too(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    response = login(client, "anna", PASSWORD, address="198.51.100.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_from_several_addresses_add_up(client, anna):
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        login(client, "anna", "falsch", address=address)

    response = login(client, "anna", PASSWORD, address="198.51.100.4")

    assert response.status_code == 429


# One account, many names ----------------------------------------------------------------


def test_failures_under_the_username_lock_the_e_mail_login(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    response = login(client, "anna.schmidt@example.org", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_the_e_mail_address_lock_the_username_login(client, anna):
    for address in (
        "Anna.Schmidt@Example.org",
        "anna.schmidt@example.org",
        "ANNA.SCHMIDT@EXAMPLE.ORG",
    ):
        login(client, address, "falsch")

    response = login(client, "anna", PASSWORD)

    assert response.status_code == 429


def test_every_capitalisation_of_the_username_counts_for_the_same_account(client, anna):
    for typed in ("anna", "ANNA", "Anna"):
        login(client, typed, "falsch")

    response = login(client, "anna", PASSWORD)

    assert response.status_code == 429


def test_a_locked_account_stays_locked_after_an_attempt_under_another_name(client, anna):
    """A successful login clears the failures, so it must not get through under another name
    and clear the lock: the e-mail address is refused and the username stays locked."""
    for _attempt in range(3):
        login(client, "anna", "falsch")

    by_email = login(client, "anna.schmidt@example.org", PASSWORD)
    by_name = login(client, "anna", PASSWORD)

    assert (by_email.status_code, by_name.status_code) == (429, 429)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_failures_on_the_token_endpoint_under_the_e_mail_address_lock_the_login_page(client, anna):
    for _attempt in range(3):
        token(client, "ANNA.schmidt@example.org", "falsch")

    page = login(client, "anna", PASSWORD)
    api = token(client, "Anna", PASSWORD)

    assert (page.status_code, api.status_code) == (429, 429)
    assert "token" not in api.json()


def test_the_failures_of_an_account_are_recorded_under_its_username(client, anna):
    for typed in ("ANNA", "anna.schmidt@EXAMPLE.org"):
        login(client, typed, "falsch")

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"anna"}


def test_names_of_no_account_are_locked_out_like_accounts(client, anna):
    """Whether a name exists must not show: unknown names are counted and locked the same."""
    answers = {}
    for name in ("anna", "niemand"):
        answers[name] = [login(client, typed, "falsch").status_code for typed in (name,) * 3]
        answers[name].append(login(client, name.upper(), "falsch").status_code)

    assert answers["anna"] == answers["niemand"]
    assert answers["niemand"][0] == 200
    assert answers["niemand"][-1] == 429
    assert LOCKED_TEXT in login(client, "NieMand", "falsch").content.decode()


def test_a_successful_login_clears_the_failures_of_the_account(client, anna):
    login(client, "anna", "falsch")
    login(client, "ANNA", "falsch")

    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 302
    client.post("/konto/abmelden/", REMOTE_ADDR=CLIENT)
    for _attempt in range(2):
        login(client, "anna", "falsch")

    assert login(client, "anna", PASSWORD).status_code == 302


def test_the_lock_ends_with_the_cool_off(client, anna, settings):
    for _attempt in range(3):
        login(client, "anna", "falsch")
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )

    response = login(client, "anna.schmidt@example.org", PASSWORD)

    assert response.status_code == 302


# Unlocking ------------------------------------------------------------------------------


@pytest.fixture
def locked_anna(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")
    assert login(client, "anna", PASSWORD).status_code == 429
    return anna


def test_a_coordinator_unlocks_an_account_and_it_is_audited(client, locked_anna, coordinator):
    account_unlock(actor=fresh(coordinator), user=locked_anna)

    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_UNLOCKED)
    assert (entry.actor, entry.object_id, entry.details["was_locked"]) == (
        coordinator,
        str(locked_anna.pk),
        True,
    )


@pytest.mark.parametrize("role", ["partner", "editor", "outsider"])
def test_only_coordinators_unlock_accounts(role, as_role, client, locked_anna):
    with pytest.raises(PermissionDenied):
        account_unlock(actor=as_role(role), user=locked_anna)

    assert login(client, "anna", PASSWORD).status_code == 429
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_UNLOCKED).exists()


def test_a_coordinator_sees_the_lock_and_lifts_it_in_the_user_admin(
    client, locked_anna, coordinator
):
    admin = type(client)()
    admin.force_login(coordinator)
    changelist = admin.get("/admin/accounts/user/")
    assert changelist.status_code == 200
    assert "unlock_logins" in changelist.content.decode()

    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_logins", "_selected_action": [locked_anna.pk], "index": 0},
    )

    assert response.status_code == 302
    assert login(client, "anna", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCOUNT_UNLOCKED, actor=coordinator
    ).exists()


def test_the_token_endpoint_refuses_an_overlong_name_without_recording_it(client, db):
    response = token(client, "x" * 5000, "falsch")

    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert not AccessAttempt.objects.exists()


def test_the_token_endpoint_locks_after_three_failures(client, anna):
    for _attempt in range(2):
        response = token(client, "anna", "falsch")
        assert response.status_code in (400, 401, 403)
        assert "token" not in response.json()
    token(client, "anna", "falsch")

    response = token(client, "anna", PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "token" not in body
    assert "Zu viele fehlgeschlagene Anmeldungen" in body["detail"]


def test_the_token_endpoint_gives_a_token_to_another_username(client, anna, bert):
    for _attempt in range(3):
        token(client, "anna", "falsch")

    response = token(client, "bert", PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"]


def test_failures_on_the_login_page_also_lock_the_token_endpoint(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    response = token(client, "anna", PASSWORD)

    assert response.status_code == 429
    assert "detail" in response.json()


# Behind a reverse proxy -----------------------------------------------------------------

PROXY = "10.0.0.2"


@pytest.fixture
def behind_a_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def test_behind_a_proxy_the_forwarded_address_is_locked(client, anna, behind_a_proxy):
    for _attempt in range(3):
        login(client, "anna", "falsch", address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")

    # The failures are recorded with the client's address, not the proxy's or none.
    assert AccessAttempt.objects.get(username="anna").ip_address == "203.0.113.5"
    locked = login(client, "anna", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert locked.status_code == 429
    assert LOCKED_TEXT in locked.content.decode()


def test_behind_a_proxy_the_audit_log_records_the_forwarded_address(client, anna, behind_a_proxy):
    login(client, "anna", "falsch", address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")

    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.ip_address == "203.0.113.5"


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_lock(
    client, anna, behind_a_proxy
):
    """The proxy appends the real address; what the client sent before it is not trusted.

    Otherwise an attacker sends a new made-up X-Forwarded-For with every guess and is never
    locked out.
    """
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        login(
            client,
            "anna",
            "falsch",
            address=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5",
        )

    response = login(
        client, "anna", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.4, 203.0.113.5"
    )

    assert response.status_code == 429


def test_without_a_proxy_a_forwarded_header_is_ignored(client, anna):
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        login(client, "anna", "falsch", HTTP_X_FORWARDED_FOR=forged)

    response = login(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.4")

    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="anna").ip_address == CLIENT


# Audit entries of logins --------------------------------------------------------------


def test_a_failed_login_writes_one_audit_entry(client, anna):
    login(client, "anna", "falsch")

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.LOGIN_FAILED
    assert entry.actor is None
    assert entry.actor_name == "anna"
    assert entry.ip_address == CLIENT


def test_a_failed_login_for_an_unknown_name_is_recorded_with_that_name(client, db):
    login(client, "niemand", "falsch")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_name, entry.ip_address) == (
        AuditEntry.Action.LOGIN_FAILED,
        "niemand",
        CLIENT,
    )


def test_a_successful_login_writes_one_audit_entry_with_the_actor(client, anna):
    login(client, "anna", PASSWORD)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.LOGIN
    assert entry.actor == anna
    assert entry.actor_name == "anna"
    assert entry.ip_address == CLIENT


def test_a_token_login_failure_is_audited(client, anna):
    token(client, "anna", "falsch")

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_name, entry.ip_address) == (
        AuditEntry.Action.LOGIN_FAILED,
        "anna",
        CLIENT,
    )


def test_a_locked_out_attempt_is_audited_as_failed(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")
    before = AuditEntry.objects.count()

    login(client, "anna", PASSWORD)

    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.first().action == AuditEntry.Action.LOGIN_FAILED


def test_logout_is_audited(client, anna):
    login(client, "anna", PASSWORD)

    client.post("/konto/abmelden/", REMOTE_ADDR=CLIENT)

    entry = AuditEntry.objects.first()
    assert (entry.action, entry.actor, entry.ip_address) == (
        AuditEntry.Action.LOGOUT,
        anna,
        CLIENT,
    )
