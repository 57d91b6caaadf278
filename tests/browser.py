"""Browser fixtures (a pytest plugin): Debian's Chromium driven by Playwright, against
pytest-django's live server. One Playwright session serves every browser test."""

import importlib
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_browser() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread from now on; the tests' ORM
    # calls are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def seeded_fields(transactional_db):
    """Transactional tests flush the database afterwards, seeded rows included: seed again."""
    from django.apps import apps

    seed_migration = importlib.import_module("charta.migrations.0002_seed_action_fields")
    seed_migration.seed(apps, None)


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person), closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="de-DE", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername oder E-Mail-Adresse").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/konto/anmelden/" not in url)
