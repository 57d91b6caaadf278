"""Token authentication: obtain with username or e-mail and password, use, revoke."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import PASSWORD, UserFactory

from .helpers import assert_error

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
SECTIONS = "/api/v1/sections/"


def user_tokens(username: str) -> str:
    return f"/api/v1/auth/tokens/{username}/"


def obtain(username: str, password: str = PASSWORD):
    # A client that enforces CSRF like a browser: logging in must not need a CSRF token.
    return APIClient(enforce_csrf_checks=True).post(
        TOKEN, {"username": username, "password": password}
    )


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_username_and_password_give_a_token(editor):
    response = obtain(editor.username)

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert Token.objects.get(user=editor).key == response.json()["token"]


def test_email_and_password_give_the_same_token(editor):
    by_name = obtain(editor.username).json()["token"]

    response = obtain(editor.email.upper())

    assert response.status_code == 200
    assert response.json()["token"] == by_name
    assert Token.objects.filter(user=editor).count() == 1


@pytest.mark.parametrize(
    ("username", "password"),
    [("redaktion", "falsch"), ("niemand", PASSWORD), ("redaktion@example.org", "falsch")],
    ids=["wrong-password", "unknown-user", "wrong-password-by-email"],
)
def test_wrong_credentials_give_no_token(username, password, editor):
    """401 (or 400, as DRF's own token view answers): failed credentials are not a
    "forbidden" (403), which clients read as "logged in, but not allowed"."""
    response = obtain(username, password)

    assert response.status_code in (400, 401), (response.status_code, response.json())
    data = assert_error(response, response.status_code)
    assert "token" not in data
    assert not Token.objects.exists()


def test_logging_in_again_works_while_a_revoked_token_is_still_sent(editor):
    """Scripts often keep sending their old header; a revoked token must not lock them out
    of getting a new one with their password."""
    old = obtain(editor.username).json()["token"]
    with_token(old).delete(TOKEN)
    client = with_token(old)

    response = client.post(TOKEN, {"username": editor.username, "password": PASSWORD})

    assert response.status_code == 200, (response.status_code, response.content)
    assert response.json()["token"] != old


def test_missing_password_names_the_field(editor):
    response = APIClient().post(TOKEN, {"username": editor.username})

    assert_error(response, 400, "password")
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(editor):
    editor.is_active = False
    editor.save()

    response = obtain(editor.username)

    assert response.status_code in (400, 401), (response.status_code, response.json())
    assert not Token.objects.exists()


def test_token_authenticates_a_write(make_section, editor):
    section = make_section("draft")
    key = obtain(editor.username).json()["token"]

    response = with_token(key).patch(
        f"{SECTIONS}{section.pk}/", {"body": "Per Token gespeichert.", "base_revision": 1}
    )

    assert response.status_code == 200, response.content
    assert response.json()["current_revision"] == 2
    section.refresh_from_db()
    assert section.current_revision.author == editor


def test_token_gives_the_owners_read_rights(make_section, editor):
    section = make_section("draft")
    key = obtain(editor.username).json()["token"]

    assert APIClient().get(f"{SECTIONS}{section.pk}/").status_code == 404
    assert with_token(key).get(f"{SECTIONS}{section.pk}/").status_code == 200


@pytest.mark.parametrize("header", ["Token ungueltig", "Token ", "Bearer abc"])
def test_bad_token_is_refused_with_401(header, make_section):
    section = make_section("draft")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.patch(f"{SECTIONS}{section.pk}/", {"body": "x", "base_revision": 1})

    assert_error(response, 401)


def test_delete_revokes_ones_own_token(editor, section):
    key = obtain(editor.username).json()["token"]
    client = with_token(key)

    response = client.delete(TOKEN)

    assert response.status_code == 204
    assert not Token.objects.filter(user=editor).exists()
    assert_error(client.get(SECTIONS), 401)
    assert_error(client.patch(f"{SECTIONS}{section.pk}/", {"body": "x"}), 401)


def test_delete_without_a_login_is_refused(editor):
    obtain(editor.username)

    response = APIClient().delete(TOKEN)

    assert_error(response, 401)
    assert Token.objects.filter(user=editor).exists()


def test_new_token_after_revoking_differs(editor):
    old = obtain(editor.username).json()["token"]
    with_token(old).delete(TOKEN)

    new = obtain(editor.username).json()["token"]

    assert new != old
    assert with_token(new).get(SECTIONS).status_code == 200


def test_coordinator_revokes_another_persons_token(editor, coordinator):
    key = obtain(editor.username).json()["token"]
    coordinator_client = APIClient()
    coordinator_client.force_authenticate(coordinator)

    response = coordinator_client.delete(user_tokens(editor.username))

    assert response.status_code == 204
    assert not Token.objects.filter(user=editor).exists()
    assert_error(with_token(key).get(SECTIONS), 401)


@pytest.mark.parametrize("role", ["partner", "editor", "reviewer", "other_editor"])
def test_only_coordinators_revoke_other_peoples_tokens(role, request, wg_member):
    key = obtain(wg_member.username).json()["token"]
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))

    response = client.delete(user_tokens(wg_member.username))

    assert_error(response, 403)
    assert Token.objects.get(user=wg_member).key == key
    assert with_token(key).get(SECTIONS).status_code == 200


def test_anonymous_cannot_revoke_tokens(wg_member):
    obtain(wg_member.username)

    response = APIClient().delete(user_tokens(wg_member.username))

    assert_error(response, 401)
    assert Token.objects.filter(user=wg_member).exists()


def test_revoking_the_token_of_an_unknown_user_is_404(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)

    assert_error(client.delete(user_tokens("niemand")), 404)


def test_repeated_wrong_passwords_lock_the_login_out(editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        obtain(editor.username, "falsch")

    response = obtain(editor.username)

    assert_error(response, 429)
    assert not Token.objects.exists()


def test_token_requests_are_rate_limited():
    """Distinct unknown names, so that the lockout per name does not answer first."""
    allowed, _period = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["login"])
    UserFactory(username="zuletzt")
    for attempt in range(allowed):
        obtain(f"niemand-{attempt}", "falsch")

    response = obtain("zuletzt")

    assert_error(response, 429)
    assert not Token.objects.exists()
