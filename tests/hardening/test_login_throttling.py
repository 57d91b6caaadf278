"""Login throttling with django-axes, on the login page and the token endpoint (issue 8).

The lockout is per username and client address: after AXES_FAILURE_LIMIT failures, that pair
is refused (HTTP 429, a German message) even with the right password, until the cool-off.
"""

import pytest
from axes.models import AccessAttempt

from accounts.models import AuditEntry
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
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    settings.AXES_ENABLED = True


@pytest.fixture
def anna():
    return UserFactory(username="anna")


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


def test_the_same_username_from_another_address_is_not_locked(client, anna):
    for _attempt in range(3):
        login(client, "anna", "falsch")

    response = login(client, "anna", PASSWORD, address="198.51.100.99")

    assert response.status_code == 302


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

    # The failures are counted for the client's address, not for the proxy or for nobody.
    assert AccessAttempt.objects.get(username="anna").ip_address == "203.0.113.5"
    locked = login(client, "anna", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = login(client, "anna", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert locked.status_code == 429
    assert LOCKED_TEXT in locked.content.decode()
    assert other.status_code == 302


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
