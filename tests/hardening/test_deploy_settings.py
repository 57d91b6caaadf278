"""The production configuration passes Django's deployment checklist (issue 8).

config/settings.py skips the production-only settings (secure cookies, HSTS, SSL redirect)
while pytest is imported, so these checks run in a fresh interpreter with the environment of
a production deployment.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

# Variables that would change what production means; the test sets its own.
CLEARED = (
    # Set by the browser tests for the test process only.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_TESTING",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SSL_REDIRECT",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_PROXY_COUNT",
)


@pytest.fixture(scope="module")
def production_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "charta.example.org",
        }
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_in_production(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "TESTING": settings.TESTING,
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
    "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "SECURE_REFERRER_POLICY": settings.SECURE_REFERRER_POLICY,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
}))
"""


@pytest.fixture(scope="module")
def production_settings(production_env) -> dict:
    result = run(["-c", PRINT_SETTINGS], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_not_the_test_settings(production_settings):
    assert production_settings["TESTING"] is False
    assert production_settings["DEBUG"] is False


def test_production_cookies_are_secure_and_host_prefixed(production_settings):
    assert production_settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True


def test_production_sends_hsts_for_a_year_and_redirects_to_https(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_SSL_REDIRECT"] is True


def test_production_sends_content_type_and_referrer_headers(production_settings):
    assert production_settings["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production_settings["SECURE_REFERRER_POLICY"]


def test_sessions_expire(production_settings):
    assert 0 < production_settings["SESSION_COOKIE_AGE"] <= 60 * 60 * 24 * 14


def test_production_refuses_to_start_without_a_secret_key(production_env):
    env = {key: value for key, value in production_env.items() if key != "DJANGO_SECRET_KEY"}

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
