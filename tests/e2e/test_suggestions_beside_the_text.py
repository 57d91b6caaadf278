"""Reading and commenting beside the text in a real browser: a partner selects words in a
draft, proposes a replacement, the editor accepts it and the new revision carries it."""

import os

import pytest

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta, Section, Suggestion
from charta.services import section_create, section_save_draft
from comments.models import Comment
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Passwort-2024"
TEXT = (
    "## Ziele\n\n"
    "Kleine und mittlere Zulieferer erhalten eine Sprechstunde und ein Strategie-Coaching, "
    "damit sie neue Geschäftsfelder erschließen können.\n\n"
    "Hochschulen und Zulieferer bauen Brücken für den Wissenstransfer in die Produktion."
)
# Where screenshots go when SCREENSHOTS names a folder (kept out of the repository).
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture
def people(_seeded_fields):
    field = ActionField.objects.get(slug="industriepolitik")

    def person(username, role, obj=None):
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
        role_grant(actor=None, role=role, grantee=user, obj=obj)
        return user

    return {
        "editor": person("redaktion", RoleName.EDITOR, field),
        "partner": person("partner", RoleName.PARTNER),
    }


@pytest.fixture
def section(people):
    charta = Charta.objects.create(
        title="ITAS-Charta 2024", slug="itas-2024", year=2024, is_current=True
    )
    field = ActionField.objects.get(slug="industriepolitik")
    section = section_create(actor=None, charta=charta, action_field=field)
    section_save_draft(actor=people["editor"], section=section, body=TEXT, base_revision=None)
    return Section.objects.get(pk=section.pk)


def select_words(page, words: str) -> None:
    """Select ``words`` in the text as a reader does with the mouse."""
    page.evaluate(
        """(words) => {
            const walker = document.createTreeWalker(
                document.querySelector('[data-annotate]'), NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error('words not found: ' + words);
        }""",
        words,
    )


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_partner_selects_words_suggests_editor_accepts_and_the_new_revision_carries_it(
    new_page, people, section
):
    partner, editor = new_page(), new_page()
    login(partner, "partner", PASSWORD)
    login(editor, "redaktion", PASSWORD)

    partner.goto(f"/charta/abschnitt/{section.pk}/")
    select_words(partner, "eine Sprechstunde")
    partner.get_by_role("button", name="Änderung vorschlagen").click()
    replacement = partner.get_by_label("Vorgeschlagener Text").first
    assert replacement.input_value() == "eine Sprechstunde"
    replacement.fill("eine wöchentliche Sprechstunde")
    partner.get_by_label("Begründung").first.fill("Damit Betriebe planen können.")
    partner.get_by_role("button", name="Vorschlag speichern").first.click()
    partner.get_by_text("Ihr Änderungsvorschlag wurde gespeichert.").wait_for()
    suggestion = Suggestion.objects.get()
    assert suggestion.quote == "eine Sprechstunde"
    assert suggestion.prefix.endswith("Zulieferer erhalten ")
    # Beside the paragraph: the inline diff, and the quoted words highlighted.
    note = partner.locator(f"#vorschlag-{suggestion.pk}")
    assert " ".join(note.locator("ins").text_content().split()) == "Einfügen: wöchentliche"
    assert partner.locator("mark.suggested").first.inner_text() == "eine Sprechstunde"
    shoot(partner, "section-suggestion-desktop")
    partner.set_viewport_size({"width": 375, "height": 800})
    shoot(partner, "section-suggestion-375")

    editor.goto(f"/charta/abschnitt/{section.pk}/vorschlaege/")
    editor.get_by_label(f"Vorschlag #{suggestion.pk} auswählen").check()
    shoot(editor, "suggestions-overview-desktop")
    editor.set_viewport_size({"width": 375, "height": 800})
    shoot(editor, "suggestions-overview-375")
    editor.set_viewport_size({"width": 1280, "height": 800})
    editor.goto(f"/charta/abschnitt/{section.pk}/")
    editor.locator(f"#vorschlag-{suggestion.pk}").get_by_role("button", name="Übernehmen").click()
    editor.get_by_text("Übernommen: Revision 2 trägt die Vorschläge.").wait_for()

    section.refresh_from_db()
    revision = section.current_revision
    assert revision.number == 2
    assert "eine wöchentliche Sprechstunde und ein Strategie-Coaching" in revision.body
    assert "partner" in revision.message
    assert editor.locator(".charta-text").get_by_text("eine wöchentliche Sprechstunde").count()


def test_partner_selects_words_and_comments_on_exactly_those(new_page, people, section):
    partner = new_page()
    login(partner, "partner", PASSWORD)
    partner.goto(f"/charta/abschnitt/{section.pk}/")

    select_words(partner, "Brücken")
    partner.get_by_role("button", name="Kommentieren").click()
    body = partner.locator("form.annotate-comment textarea[name=body]:focus")
    body.fill("Welche Hochschulen sind gemeint?")
    partner.locator("form.annotate-comment:visible").get_by_role(
        "button", name="Kommentar speichern"
    ).click()
    partner.get_by_text("Ihr Kommentar wurde gespeichert.").wait_for()

    comment = Comment.objects.get()
    assert (comment.quote, comment.anchor_status) == ("Brücken", "current")
    assert partner.locator("mark.quote").inner_text() == "Brücken"
    shoot(partner, "section-comment-desktop")


def test_without_javascript_a_typed_quote_makes_the_same_suggestion(
    browser, live_server, people, section
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    try:
        page = context.new_page()
        login(page, "partner", PASSWORD)
        page.goto(f"/charta/abschnitt/{section.pk}/")
        details = page.locator("details.annotate").nth(1)
        details.locator("summary").click()
        details.get_by_label("Bisheriger Text").fill("Wissenstransfer")
        details.get_by_label("Vorgeschlagener Text").fill("Wissens- und Technologietransfer")
        details.get_by_label("Begründung").fill("Technologie gehört dazu.")
        details.get_by_role("button", name="Vorschlag speichern").click()
        page.get_by_text("Ihr Änderungsvorschlag wurde gespeichert.").wait_for()
    finally:
        context.close()

    assert Suggestion.objects.get().quote == "Wissenstransfer"
