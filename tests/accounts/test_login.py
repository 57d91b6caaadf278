"""Logging in and out (accounts.views, accounts.backends)."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"
LOGOUT = "/konto/abmelden/"
WRONG_LOGIN = "Benutzername/E-Mail-Adresse oder Passwort stimmen nicht."


@pytest.fixture
def anna():
    return UserFactory(username="anna", email="Anna.Schmidt@Example.org")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_urls_are_german():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == LOGOUT


def test_login_page_renders_a_german_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="de"' in page
    assert "Benutzername oder E-Mail-Adresse" in page
    assert "Passwort" in page
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert "csrfmiddlewaretoken" in page


def test_login_by_username(client, anna):
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(anna.pk)


@pytest.mark.parametrize(
    "address", ["Anna.Schmidt@Example.org", "anna.schmidt@example.org", "ANNA.SCHMIDT@EXAMPLE.ORG"]
)
def test_login_by_email_ignores_case(address, client, anna):
    response = client.post(LOGIN, {"username": address, "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(anna.pk)


def test_login_follows_next(client, anna):
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD, "next": "/charta/"})

    assert response.status_code == 302
    assert response["Location"] == "/charta/"


def test_login_refuses_next_to_other_hosts(client, anna):
    response = client.post(
        LOGIN, {"username": "anna", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("username", ["anna", "anna.schmidt@example.org", "niemand"])
def test_wrong_password_shows_the_german_error(username, client, anna):
    response = client.post(LOGIN, {"username": username, "password": "falsch"})

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert logged_in_user_id(client) is None


def test_failed_login_keeps_the_username(client, anna):
    response = client.post(LOGIN, {"username": "anna", "password": "falsch"})

    assert 'value="anna"' in response.content.decode()


def test_inactive_user_cannot_log_in(client):
    UserFactory(username="ruhend", is_active=False)

    response = client.post(LOGIN, {"username": "ruhend", "password": PASSWORD})

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_logout_by_post(client, anna):
    client.force_login(anna)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_not_allowed(client, anna):
    client.force_login(anna)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(anna.pk)
