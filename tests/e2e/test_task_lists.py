"""Everybody lands on their own task list and finishes each item from there."""

import os
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta
from charta.services import section_create, section_save_draft, section_transition
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Passwort-2024"
DEMO_PASSWORD = "e2e-Demo-Passwort-2024"
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Set SCREENSHOT_DIR to keep pictures of the task lists (never inside the repository).
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def people(_seeded_fields):
    field = ActionField.objects.get(slug="industriepolitik")

    def person(username, role, obj=None):
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
        role_grant(actor=None, role=role, grantee=user, obj=obj)
        return user

    return {
        "editor": person("redaktion", RoleName.EDITOR, field),
        "reviewer": person("pruefung", RoleName.REVIEWER, field),
        "coordinator": person("koordination", RoleName.COORDINATOR),
    }


@pytest.fixture
def submitted(people):
    charta = Charta.objects.create(
        title="ITAS-Charta 2024", slug="itas-2024", year=2024, is_current=True
    )
    field = ActionField.objects.get(slug="industriepolitik")
    section = section_create(actor=None, charta=charta, action_field=field)
    section_save_draft(
        actor=people["editor"],
        section=section,
        body="## Ziele\n\nDie Region stärkt ihre Zulieferer.",
        base_revision=None,
    )
    section.refresh_from_db()
    section_transition(actor=people["editor"], section=section, action="submit")
    return section


def open_task(page, kind: str, title: str) -> None:
    """From the task list (where the login lands), open the task of ``kind``."""
    page.goto("/aufgaben/")
    group = page.locator(f"section[aria-labelledby='aufgaben-{kind}']")
    group.get_by_role("link", name=title).click()
    page.locator("#arbeitsschritte").wait_for()


def test_reviewer_editor_and_coordinator_work_through_their_task_lists_only(
    new_page, people, submitted
):
    reviewer, editor, coordinator = new_page(), new_page(), new_page()
    for page, name in (
        (reviewer, "pruefung"),
        (editor, "redaktion"),
        (coordinator, "koordination"),
    ):
        login(page, name, PASSWORD)
        page.wait_for_url("**/aufgaben/")
    title = submitted.title

    # The reviewer asks for changes; the step's message appears at the steps.
    open_task(reviewer, "review", f"„{title}“ prüfen")
    reviewer.locator("#note-request_changes").fill("Bitte den Helpdesk für KMU nennen.")
    reviewer.get_by_role("button", name="Änderungen erbitten").click()
    reviewer.locator("#arbeitsschritte").get_by_text("Erledigt:").wait_for()
    reviewer.goto("/aufgaben/")
    reviewer.get_by_text("Für Sie steht gerade nichts an.").wait_for()

    # The editor revises and submits again.
    open_task(editor, "revise", f"„{title}“ überarbeiten")
    editor.get_by_role("link", name="Text bearbeiten").click()
    editor.get_by_label("Text (Markdown)").fill(
        "## Ziele\n\nDie Region stärkt ihre Zulieferer mit einem Helpdesk für KMU."
    )
    editor.get_by_role("button", name="Speichern", exact=True).click()
    editor.get_by_role("button", name="Zur Prüfung einreichen").click()
    editor.locator("#arbeitsschritte").get_by_text("Erledigt:").wait_for()
    editor.goto("/aufgaben/")
    editor.get_by_text("Für Sie steht gerade nichts an.").wait_for()

    # The reviewer approves.
    open_task(reviewer, "review", f"„{title}“ prüfen")
    reviewer.get_by_role("button", name="Freigeben").click()
    reviewer.locator("#arbeitsschritte").get_by_text("Erledigt:").wait_for()

    # The coordinator publishes, after confirming.
    open_task(coordinator, "publish", f"„{title}“ veröffentlichen")
    coordinator.get_by_role("button", name="Veröffentlichen").click()
    coordinator.get_by_role("button", name="Ja, jetzt veröffentlichen").click()
    coordinator.locator("#arbeitsschritte").get_by_text("Neuer Status: Veröffentlicht").wait_for()
    coordinator.goto("/aufgaben/")
    coordinator.get_by_text("Für Sie steht gerade nichts an.").wait_for()


@pytest.fixture
def demo(_seeded_fields, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


DEMO_ROLES = ["koordination", "redaktion-industrie", "pruefung-industrie", "partner"]
DEMO_ROLES += ["ag-qualifizierung"]


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_demo_account_lands_on_its_task_list_which_reflows_and_passes_axe(
    username, new_page, demo
):
    for width, height, label in ((1280, 900, "desktop"), (375, 800, "375")):
        page = new_page(viewport={"width": width, "height": height})
        login(page, username, DEMO_PASSWORD)
        page.wait_for_url("**/aufgaben/")
        page.get_by_role("heading", name="Meine Aufgaben", level=1).wait_for()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{username} at {width}px scrolls sideways by {overflow}px"
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/aufgaben-{username}-{label}.png", full_page=True)
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    assert [v["id"] for v in result["violations"]] == []


def test_the_coordinators_pages_reflow_and_pass_axe(new_page, demo):
    partner = User.objects.get(username="partner")
    paths = [
        "/kommentare/moderation/",
        "/personen/",
        f"/personen/{partner.pk}/",
        "/personen/einladen/",
        "/konto/passwort-aendern/",
    ]
    failures = {}
    for width in (1280, 375):
        page = new_page(viewport={"width": width, "height": 900})
        login(page, "koordination", DEMO_PASSWORD)
        page.wait_for_url("**/aufgaben/")
        for path in paths:
            page.goto(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                failures[f"{path}@{width}"] = f"scrolls sideways by {overflow}px"
            page.evaluate(AXE_SOURCE)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
            )
            if result["violations"]:
                failures[f"{path}@{width}"] = [v["id"] for v in result["violations"]]
    anonymous = new_page(viewport={"width": 375, "height": 900})
    anonymous.goto("/konto/passwort-vergessen/")
    anonymous.evaluate(AXE_SOURCE)
    result = anonymous.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    assert [v["id"] for v in result["violations"]] == []
    assert failures == {}
