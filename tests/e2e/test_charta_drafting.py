"""The drafting flow of the charta in a real browser: draft, review, revise, approve, publish."""

import pytest

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta
from charta.services import section_create
from tests.browser import login

# The live server needs committed rows: transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Passwort-2024"


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
def section(_seeded_fields):
    charta = Charta.objects.create(
        title="ITAS-Charta 2024", slug="itas-2024", year=2024, is_current=True
    )
    field = ActionField.objects.get(slug="industriepolitik")
    return section_create(actor=None, charta=charta, action_field=field)


def save_text(page, section, body: str) -> None:
    page.goto(f"/charta/abschnitt/{section.pk}/bearbeiten/")
    page.get_by_label("Text (Markdown)").fill(body)
    page.get_by_label("Was haben Sie geändert?").fill("Fassung aus dem Test")
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.get_by_text("gespeichert. Der Abschnitt ist jetzt ein Entwurf.").wait_for()


def take_step(page, section, button: str, note: str = "", note_id: str = "") -> None:
    page.goto(f"/charta/abschnitt/{section.pk}/")
    if note:
        page.locator(f"#{note_id}").fill(note)
    page.get_by_role("button", name=button).click()
    if button == "Veröffentlichen":
        # Publishing asks for confirmation first.
        page.get_by_role("button", name="Ja, jetzt veröffentlichen").click()
    page.get_by_text("Erledigt:").wait_for()


def test_draft_review_revise_approve_publish_and_the_public_sees_only_the_published_text(
    new_page, people, section
):
    editor, reviewer, coordinator, public = new_page(), new_page(), new_page(), new_page()
    login(editor, "redaktion", PASSWORD)
    login(reviewer, "pruefung", PASSWORD)
    login(coordinator, "koordination", PASSWORD)

    save_text(editor, section, "## Ziele\n\nDie Region stärkt ihre Zulieferer.")
    take_step(editor, section, "Zur Prüfung einreichen")
    take_step(
        reviewer,
        section,
        "Änderungen erbitten",
        note="Bitte den Helpdesk für KMU nennen.",
        note_id="note-request_changes",
    )
    save_text(
        editor,
        section,
        "## Ziele\n\nDie Region stärkt ihre Zulieferer mit einem Helpdesk für KMU.",
    )
    take_step(editor, section, "Zur Prüfung einreichen")
    take_step(reviewer, section, "Freigeben")
    take_step(coordinator, section, "Veröffentlichen")

    public.goto("/handlungsfelder/industriepolitik/")
    text = public.locator(".charta-text").first
    assert "mit einem Helpdesk für KMU" in text.inner_text()

    save_text(editor, section, "## Ziele\n\nGEHEIMER ENTWURF, noch nicht abgestimmt.")
    public.reload()
    assert "GEHEIMER ENTWURF" not in public.content()
    assert "mit einem Helpdesk für KMU" in public.locator(".charta-text").first.inner_text()
    public.goto("/charta/")
    assert "GEHEIMER ENTWURF" not in public.content()
    assert "mit einem Helpdesk für KMU" in public.content()


def test_a_stale_save_of_the_same_sentence_is_settled_and_keeps_what_was_typed(
    new_page, people, section
):
    first, second = new_page(), new_page()
    login(first, "redaktion", PASSWORD)
    login(second, "koordination", PASSWORD)
    save_text(first, section, "Erste Fassung.")

    # Both open the editor on revision 1.
    first.goto(f"/charta/abschnitt/{section.pk}/bearbeiten/")
    second.goto(f"/charta/abschnitt/{section.pk}/bearbeiten/")
    first.get_by_label("Text (Markdown)").fill("Fassung der Redaktion.")
    first.get_by_role("button", name="Speichern", exact=True).click()
    first.get_by_text("Revision 2 gespeichert").wait_for()

    second.get_by_label("Text (Markdown)").fill("Fassung der Koordination, lange getippt.")
    second.get_by_role("button", name="Speichern", exact=True).click()
    # The page warns that revision 2 landed; saving again leads to the conflict.
    second.locator("#newer-revision").get_by_text("Revision 2").wait_for()
    second.get_by_role("button", name="Speichern", exact=True).click()
    second.get_by_role(
        "heading", name="Bearbeitungskonflikt – Ihr Text ist nicht verloren"
    ).wait_for()
    chunk = second.locator(".conflict-chunk").inner_text()
    assert "Fassung der Redaktion." in chunk
    assert "Fassung der Koordination, lange getippt." in chunk

    # Keeping one's own text over the colleague's is asked, then saved on revision 2.
    second.get_by_label("Meine Fassung").check()
    second.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    second.get_by_role("button", name="Ja, entfernen und speichern").click()
    second.get_by_text("Revision 3 gespeichert").wait_for()
