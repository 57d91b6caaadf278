"""Reading and commenting beside the text on the section page, the editors' overview of
suggestions, and the edit preview that names the suggestions an edit would make outdated."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charta.models import Revision, Suggestion
from comments.services import comment_create
from tests.comments.conftest import anchor_of
from tests.conftest import fresh

from .conftest import SECOND, TEXT, THIRD, new_revision, reload, suggest

pytestmark = pytest.mark.django_db


def page(client, user, section) -> str:
    client.force_login(user)
    response = client.get(f"/charta/abschnitt/{section.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def block_of(html: str, anchor: str) -> str:
    """The HTML of the block (paragraph and its margin) of ``anchor``."""
    start = html.index(f'id="{anchor}"')
    end = html.find('<div class="block', start)
    return html[start : end if end != -1 else len(html)]


def test_a_suggestion_stands_beside_its_paragraph_as_an_inline_diff(
    client, drafted_section, partner, reviewer
):
    suggestion = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")

    html = page(client, reviewer, drafted_section)

    block = block_of(html, anchor_of(drafted_section.current_revision, SECOND))
    assert f'id="vorschlag-{suggestion.pk}"' in block
    assert re.search(r"<del><span class=\"visually-hidden\">Streichen: </span>Sprechstunde", block)
    assert re.search(r"<ins><span class=\"visually-hidden\">Einfügen: </span>Beratung", block)
    assert '<mark class="suggested">eine Sprechstunde</mark>' in block
    assert "1 Vorschlag" in block


def test_quoted_words_of_a_comment_are_highlighted_and_counted_at_their_paragraph(
    client, drafted_section, reviewer, partner
):
    comment = comment_create(
        actor=partner, target=drafted_section, body="Welche Hochschulen?", quote="Brücken"
    )

    html = page(client, reviewer, drafted_section)

    block = block_of(html, anchor_of(drafted_section.current_revision, THIRD))
    assert '<mark class="quote">Brücken</mark>' in block
    assert f'id="kommentar-{comment.pk}"' in block
    assert "1 Kommentar" in block


def test_an_orphaned_comment_shows_its_old_quote_and_links_its_revision(
    client, drafted_section, reviewer, partner, editor
):
    comment = comment_create(
        actor=partner, target=drafted_section, body="Welche Hochschulen?", quote="Brücken"
    )
    new_revision(drafted_section, editor, TEXT.replace(THIRD, "Ein neuer Absatz."))

    html = page(client, reviewer, drafted_section)

    general = html[html.index('id="kommentare"') :]
    assert f'id="kommentar-{comment.pk}"' in general
    assert "Stelle nicht mehr im Text" in general
    assert "„Brücken“" in general
    assert f"/charta/abschnitt/{drafted_section.pk}/revision/1/#" in general


def test_every_paragraph_offers_forms_with_a_quote_field_without_javascript(
    client, drafted_section, partner
):
    html = page(client, partner, drafted_section)

    for anchor, _text in drafted_section.current_revision.paragraphs:
        block = block_of(html, anchor)
        assert f'id="zitat-k-{anchor}"' in block
        assert f'id="zitat-v-{anchor}"' in block


def test_the_public_sees_no_suggestions_or_comments_on_published_text(
    client, published_section, partner
):
    suggest(published_section, partner, "Brücken", "Wege")
    comment_create(actor=partner, target=published_section, body="Hm", quote="Brücken")

    html = client.get(f"/charta/abschnitt/{published_section.pk}/").content.decode()

    assert "Brücken" in html
    assert "vorschlag-" not in html and "kommentar-" not in html
    assert "<mark" not in html and "data-annotate" not in html


def test_the_public_sees_nothing_of_a_draft(client, drafted_section, partner):
    suggest(drafted_section, partner, "Brücken", "Wege")

    assert client.get(f"/charta/abschnitt/{drafted_section.pk}/").status_code == 404
    assert client.get(f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/").status_code == 404


def test_a_typed_suggestion_is_saved_from_the_paragraph_form(client, drafted_section, partner):
    client.force_login(partner)

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/neu/",
        {"base_revision": 1, "quote": "Brücken", "replacement": "Wege", "reason": "Bildhafter."},
    )

    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#vorschlag-{suggestion.pk}")


def test_a_refused_suggestion_shows_the_form_again_with_what_was_typed(
    client, drafted_section, partner
):
    client.force_login(partner)

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/neu/",
        {"base_revision": 1, "quote": "Wasserstoff", "replacement": "Strom", "reason": "Neu."},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "steht so nicht im Text" in html
    assert 'value="Wasserstoff"' in html and ">\nStrom</textarea>" in html
    assert not Suggestion.objects.exists()


def test_editors_accept_several_from_the_overview(
    client, drafted_section, partner, reviewer, editor
):
    first = suggest(drafted_section, partner, "Brücken", "Wege")
    second = suggest(drafted_section, reviewer, "eine Sprechstunde", "eine Beratung")
    client.force_login(editor)
    overview = client.get(f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/")
    assert 'form="sammel"' in overview.content.decode()

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/uebernehmen/",
        {"ids": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    assert reload(drafted_section).current_revision.number == 2
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"accepted"}


def test_the_overview_names_overlapping_suggestions_and_writes_nothing(
    client, drafted_section, partner, reviewer, editor
):
    wide = suggest(drafted_section, partner, "eine Sprechstunde und ein", "eine Beratung und ein")
    narrow = suggest(drafted_section, reviewer, "Sprechstunde", "Sprechzeit")
    client.force_login(editor)

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/uebernehmen/",
        {"ids": [wide.pk, narrow.pk]},
    )

    assert response.status_code == 409
    assert f"#{wide.pk} und #{narrow.pk}" in response.content.decode()
    assert Revision.objects.count() == 1


def test_readers_see_the_overview_without_the_editors_controls(client, drafted_section, partner):
    suggest(drafted_section, partner, "Brücken", "Wege")
    client.force_login(partner)

    html = client.get(f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/").content.decode()

    assert "1 offener Vorschlag" in html
    assert "Übernehmen" not in html and 'form="sammel"' not in html


def test_editors_reject_from_the_page_with_a_reason(client, drafted_section, partner, editor):
    suggestion = suggest(drafted_section, partner, "Brücken", "Wege")
    client.force_login(editor)

    refused = client.post(f"/charta/vorschlag/{suggestion.pk}/ablehnen/", {"reason": ""})
    response = client.post(f"/charta/vorschlag/{suggestion.pk}/ablehnen/", {"reason": "Nein."})

    assert refused.status_code == 400
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decision_reason) == ("rejected", "Nein.")


def test_a_partner_cannot_accept_from_the_page(client, drafted_section, partner):
    suggestion = suggest(drafted_section, partner, "Brücken", "Wege")
    client.force_login(partner)

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/vorschlaege/uebernehmen/", {"ids": [suggestion.pk]}
    )

    assert response.status_code == 403
    assert Revision.objects.count() == 1


def test_the_edit_preview_names_the_suggestions_the_edit_would_make_outdated(
    client, drafted_section, partner, editor
):
    hit = suggest(drafted_section, partner, "eine Sprechstunde", "eine Beratung")
    kept = suggest(drafted_section, partner, "Brücken", "Wege")
    client.force_login(editor)

    response = client.post(
        f"/charta/abschnitt/{drafted_section.pk}/bearbeiten/",
        {
            "body": TEXT.replace("eine Sprechstunde", "ein Helpdesk"),
            "base_revision": 1,
            "message": "",
            "preview": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "veraltet 1 offener Änderungsvorschlag" in html
    assert f"#vorschlag-{hit.pk}" in html and f"#vorschlag-{kept.pk}" not in html
    assert Revision.objects.count() == 1


def _page_queries(client, user, section) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/charta/abschnitt/{section.pk}/").status_code == 200
    return len(captured)


def test_the_section_page_takes_the_same_queries_for_few_or_many_notes(
    client, drafted_section, partner, reviewer, editor
):
    suggest(drafted_section, partner, "Brücken", "Wege")
    comment_create(actor=fresh(partner), target=drafted_section, body="a", quote="Brücken")
    few = _page_queries(client, editor, drafted_section)
    for index in range(6):
        suggest(drafted_section, reviewer, "eine Sprechstunde", f"Beratung {index}")
        comment_create(
            actor=fresh(reviewer), target=drafted_section, body=f"b{index}", quote="Hochschulen"
        )

    assert _page_queries(client, editor, drafted_section) == few
