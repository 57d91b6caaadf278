"""Two editors write the same section in real browsers: a presence line, a warning before
saving on an outdated page, an automatic merge, and a conflict settled chunk by chunk."""

import os

import pytest

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta, Section
from charta.services import section_create, section_save_draft
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Passwort-2024"
TEXT = (
    "## Ziele\n\n"
    "Die Region stärkt ihre Zulieferer.\n\n"
    "Kleine Betriebe erhalten eine Sprechstunde.\n\n"
    "Die Wasserstoffstudie erscheint 2025.\n"
)
# Screenshots go outside the repository, for people to look at.
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/itas-screenshots")


@pytest.fixture
def people(_seeded_fields):
    field = ActionField.objects.get(slug="industriepolitik")

    def person(username, first_name, role, obj=None):
        user = User.objects.create_user(
            username, f"{username}@example.org", PASSWORD, first_name=first_name, last_name="Test"
        )
        role_grant(actor=None, role=role, grantee=user, obj=obj)
        return user

    return {
        "anna": person("anna", "Anna", RoleName.EDITOR, field),
        "bernd": person("bernd", "Bernd", RoleName.COORDINATOR),
    }


@pytest.fixture
def section(_seeded_fields, people):
    charta = Charta.objects.create(
        title="ITAS-Charta 2024", slug="itas-2024", year=2024, is_current=True
    )
    field = ActionField.objects.get(slug="industriepolitik")
    section = section_create(actor=None, charta=charta, action_field=field)
    section_save_draft(actor=people["anna"], section=section, body=TEXT, base_revision=None)
    return Section.objects.get(pk=section.pk)


def shoot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def open_editor(page, section) -> None:
    page.goto(f"/charta/abschnitt/{section.pk}/bearbeiten/")


def replace_in_editor(page, old: str, new: str) -> None:
    editor = page.get_by_label("Text (Markdown)")
    editor.fill(editor.input_value().replace(old, new))


def save(page) -> None:
    page.get_by_role("button", name="Speichern", exact=True).click()


def test_two_editors_merge_different_paragraphs_and_settle_the_same_sentence(
    new_page, people, section
):
    anna, bernd = new_page(), new_page()
    login(anna, "anna", PASSWORD)
    login(bernd, "bernd", PASSWORD)

    # Both open the editor on revision 1; the second sees the first at once, the first
    # learns of the second from the heartbeat (sent again when the window gets the focus).
    open_editor(anna, section)
    open_editor(bernd, section)
    bernd.get_by_text("Gerade ebenfalls in Bearbeitung: Anna Test").wait_for()
    anna.evaluate("window.dispatchEvent(new Event('focus'))")
    anna.get_by_text("Gerade ebenfalls in Bearbeitung: Bernd Test").wait_for()
    shoot(bernd, "editor-presence-desktop")
    bernd.set_viewport_size({"width": 375, "height": 800})
    shoot(bernd, "editor-presence-375")
    bernd.set_viewport_size({"width": 1280, "height": 800})

    # Anna adds a paragraph at the top and saves.
    replace_in_editor(anna, "## Ziele\n", "## Ziele\n\nVorwort von Anna.\n")
    save(anna)
    anna.get_by_text("Revision 2 gespeichert").wait_for()

    # Bernd, on revision 1, adds one at the end: the page warns before saving ...
    replace_in_editor(bernd, "erscheint 2025.", "erscheint 2025.\n\nNachtrag von Bernd.")
    save(bernd)
    warning = bernd.locator("#newer-revision")
    warning.get_by_text("Inzwischen wurde Revision 2 gespeichert.").wait_for()
    assert bernd.url.endswith("/bearbeiten/")
    shoot(bernd, "editor-warning-desktop")
    bernd.set_viewport_size({"width": 375, "height": 800})
    shoot(bernd, "editor-warning-375")
    bernd.set_viewport_size({"width": 1280, "height": 800})

    # ... and saving again merges both, nobody loses a word.
    save(bernd)
    bernd.get_by_text(
        "Ihre Änderungen wurden mit Revision 2 von Anna Test zusammengeführt."
    ).wait_for()
    body = Section.objects.get(pk=section.pk).current_revision.body
    assert "Vorwort von Anna." in body and "Nachtrag von Bernd." in body

    # Now both change the same sentence of revision 3.
    open_editor(anna, section)
    open_editor(bernd, section)
    replace_in_editor(anna, "eine Sprechstunde", "eine wöchentliche Sprechstunde")
    save(anna)
    anna.get_by_text("Revision 4 gespeichert").wait_for()
    replace_in_editor(bernd, "eine Sprechstunde", "zwei Sprechstunden im Monat")
    save(bernd)
    bernd.locator("#newer-revision").get_by_text("Revision 4").wait_for()
    save(bernd)
    bernd.get_by_role(
        "heading", name="Bearbeitungskonflikt – Ihr Text ist nicht verloren"
    ).wait_for()
    shoot(bernd, "conflict-desktop")
    bernd.set_viewport_size({"width": 375, "height": 800})
    shoot(bernd, "conflict-375")
    bernd.set_viewport_size({"width": 1280, "height": 800})

    # Sending without a decision asks for one; nothing was saved.
    bernd.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    bernd.get_by_text("Bitte wählen Sie aus, was hier gelten soll.").first.wait_for()

    # Keeping only his own version would drop Anna's word: the page asks first.
    bernd.get_by_label("Meine Fassung").check()
    bernd.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()
    bernd.get_by_role("heading", name="Text anderer entfernen?").wait_for()
    assert "wöchentliche" in bernd.locator(".removed-passages").inner_text()
    shoot(bernd, "confirm-removals-desktop")
    bernd.set_viewport_size({"width": 375, "height": 800})
    shoot(bernd, "confirm-removals-375")
    bernd.set_viewport_size({"width": 1280, "height": 800})

    # He goes back and writes the chunk anew, keeping Anna's word.
    bernd.get_by_role("button", name="Nein, Text weiter bearbeiten").click()
    replace_in_editor(
        bernd, "zwei Sprechstunden im Monat", "eine wöchentliche Sprechstunde, zwei im Monat"
    )
    save(bernd)
    bernd.get_by_text("Revision 5 gespeichert").wait_for()
    revision = Section.objects.get(pk=section.pk).current_revision
    assert "eine wöchentliche Sprechstunde, zwei im Monat" in revision.body
    assert "Vorwort von Anna." in revision.body and "Nachtrag von Bernd." in revision.body
    assert (revision.base_revision, revision.merged_with) == (3, [4])

    # The history names the merges.
    bernd.goto(f"/charta/abschnitt/{section.pk}/verlauf/")
    bernd.get_by_text("zusammengeführt aus r3 und r4").wait_for()
    bernd.get_by_text("zusammengeführt aus r1 und r2").wait_for()
    shoot(bernd, "history-desktop")


def test_a_conflict_settled_by_keeping_both_versions(new_page, people, section):
    anna, bernd = new_page(), new_page()
    login(anna, "anna", PASSWORD)
    login(bernd, "bernd", PASSWORD)
    open_editor(anna, section)
    open_editor(bernd, section)
    replace_in_editor(anna, "erscheint 2025.", "erscheint im Mai 2025.")
    save(anna)
    anna.get_by_text("Revision 2 gespeichert").wait_for()

    replace_in_editor(bernd, "erscheint 2025.", "entfällt.")
    save(bernd)
    bernd.locator("#newer-revision").get_by_text("Revision 2").wait_for()
    save(bernd)
    bernd.get_by_label("Beide (erst Revision 2, dann meine)").check()
    bernd.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()

    bernd.get_by_text("Revision 3 gespeichert").wait_for()
    body = Section.objects.get(pk=section.pk).current_revision.body
    assert "Die Wasserstoffstudie erscheint im Mai 2025. Die Wasserstoffstudie entfällt." in body


def test_without_javascript_the_conflict_is_settled_the_same_way(new_page, people, section):
    anna, bernd = new_page(), new_page(java_script_enabled=False)
    login(anna, "anna", PASSWORD)
    login(bernd, "bernd", PASSWORD)
    open_editor(anna, section)
    open_editor(bernd, section)
    replace_in_editor(anna, "Die Region stärkt", "Die Region stärkt gezielt")
    save(anna)
    anna.get_by_text("Revision 2 gespeichert").wait_for()

    # No warning without the script: the save goes straight to the server, which merges.
    replace_in_editor(bernd, "Die Region stärkt", "Die Region unterstützt")
    save(bernd)
    bernd.get_by_role(
        "heading", name="Bearbeitungskonflikt – Ihr Text ist nicht verloren"
    ).wait_for()
    bernd.get_by_label("Selbst formulieren (Textfeld unten)").check()
    bernd.get_by_label("Eigene Formulierung für Stelle 1").fill(
        "Die Region unterstützt gezielt ihre Zulieferer."
    )
    bernd.get_by_role("button", name="Entscheidungen übernehmen und speichern").click()

    bernd.get_by_text("Revision 3 gespeichert").wait_for()
    body = Section.objects.get(pk=section.pk).current_revision.body
    assert "Die Region unterstützt gezielt ihre Zulieferer." in body
