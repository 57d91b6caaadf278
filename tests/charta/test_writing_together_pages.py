"""Writing together on the HTML pages, without JavaScript: merged saves say so, conflicts are
settled chunk by chunk, removing a colleague's text needs confirmation, the editor shows who
else is editing, and reviewers find what changed since they last looked."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from charta.models import EditingPresence, Revision, Section
from charta.services import section_save_draft, section_transition
from comments.services import comment_create
from tests.conftest import fresh

pytestmark = pytest.mark.django_db

BASE = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n"


def client_of(user) -> Client:
    client = Client()
    client.force_login(fresh(user))
    return client


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def edit_url(section) -> str:
    return f"/charta/abschnitt/{section.pk}/bearbeiten/"


def latest(section) -> Revision:
    return Section.objects.get(pk=section.pk).current_revision


@pytest.fixture
def base(section, editor):
    section_save_draft(actor=fresh(editor), section=section, body=BASE, base_revision=None)
    return Section.objects.get(pk=section.pk)


def colleague_saves(section, user, body, base_revision=1):
    section_save_draft(
        actor=fresh(user),
        section=Section.objects.get(pk=section.pk),
        body=body,
        base_revision=base_revision,
    )


def save(client, section, body, base_revision=1, **data):
    return client.post(
        edit_url(section),
        {"body": body, "base_revision": base_revision, "message": "", "save": "1", **data},
        follow=True,
    )


def test_a_paragraph_at_the_top_and_one_at_the_end_merge_without_a_conflict_page(
    base, editor, coordinator
):
    colleague_saves(base, coordinator, "Neu oben.\n\n" + BASE)

    response = save(client_of(editor), base, BASE + "\nNeu unten.\n")

    assert response.status_code == 200
    page = text(response)
    name = fresh(coordinator).display_name
    assert f"Ihre Änderungen wurden mit Revision 2 von {name} zusammengeführt." in page
    assert latest(base).body == "Neu oben.\n\n" + BASE + "\nNeu unten.\n"
    assert f'/charta/abschnitt/{base.pk}/vergleich/?von=1&amp;zu=2"' in response.content.decode()
    assert f'/charta/abschnitt/{base.pk}/vergleich/?von=2&amp;zu=3"' in response.content.decode()


def conflict(base, editor, coordinator):
    """The coordinator rewrote paragraph 2 and added a fourth; the editor rewrote paragraph 2
    differently and paragraph 3: one conflicting chunk, the rest merges."""
    colleague_saves(
        base,
        coordinator,
        BASE.replace("Zweiter Absatz.", "Zweiter Absatz der Koordination.") + "\nVierter.\n",
    )
    client = client_of(editor)
    mine = BASE.replace("Zweiter Absatz.", "Zweiter der Redaktion.").replace("Dritter", "3.")
    return client, save(client, base, mine), mine


def test_overlapping_changes_show_the_conflict_page_and_write_nothing(base, editor, coordinator):
    _, response, _mine = conflict(base, editor, coordinator)

    assert response.status_code == 409
    page = text(response)
    assert "Bearbeitungskonflikt – Ihr Text ist nicht verloren" in page
    assert "Stelle 1: beide haben hier geändert" in page
    assert "Zweiter Absatz der Koordination." in page
    assert "Zweiter der Redaktion." in page
    # What merged cleanly is shown merged already.
    assert "3. Absatz." in page and "Vierter." in page
    html = response.content.decode()
    for choice in ("theirs", "mine", "both", "edit"):
        assert f'name="choice_1" value="{choice}"' in html
    assert 'name="text_1"' in html
    assert Revision.objects.filter(section=base).count() == 2


def test_settling_without_a_choice_asks_again_and_keeps_the_text(base, editor, coordinator):
    client, _, mine = conflict(base, editor, coordinator)

    response = client.post(
        edit_url(base),
        {
            "body": mine,
            "base_revision": 2,
            "merge_base": 1,
            "origin_revision": 1,
            "settle": "1",
            "message": "",
        },
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie aus, was hier gelten soll." in text(response)
    assert "Zweiter der Redaktion." in text(response)
    assert Revision.objects.filter(section=base).count() == 2


def settle(client, section, mine, **choices):
    return client.post(
        edit_url(section),
        {
            "body": mine,
            "base_revision": 2,
            "merge_base": 1,
            "origin_revision": 1,
            "settle": "1",
            "message": "Zusammengeführt",
            **choices,
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("choice", "own", "paragraph"),
    [
        ("theirs", "", "Zweiter Absatz der Koordination."),
        ("both", "", "Zweiter Absatz der Koordination. Zweiter der Redaktion."),
        (
            "edit",
            "Zweiter Absatz der Koordination, gemeinsam gefasst.",
            "Zweiter Absatz der Koordination, gemeinsam gefasst.",
        ),
    ],
)
def test_each_chunk_is_settled_as_chosen_on_top_of_the_latest_revision(
    choice, own, paragraph, base, editor, coordinator
):
    client, _, mine = conflict(base, editor, coordinator)

    response = settle(client, base, mine, choice_1=choice, text_1=own)

    assert response.status_code == 200, text(response)[:2000]
    revision = latest(base)
    assert revision.number == 3
    assert revision.body == f"Erster Absatz.\n\n{paragraph}\n\n3. Absatz.\n\nVierter.\n"
    assert (revision.base_revision, revision.merged, revision.merged_with) == (1, True, [2])


def test_keeping_mine_over_a_colleagues_words_asks_for_confirmation(base, editor, coordinator):
    client, _, mine = conflict(base, editor, coordinator)

    response = settle(client, base, mine, choice_1="mine")

    assert response.status_code == 409
    page = text(response)
    assert "Text anderer entfernen?" in page
    assert "Diese Stellen würden entfallen" in page, page
    assert "Koordination" in page.split("Diese Stellen würden entfallen")[1]
    assert Revision.objects.filter(section=base).count() == 2
    html = response.content.decode()
    assert 'name="confirm_removals"' in html

    # Confirming saves it, with the settled text.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields = {k: v.replace("&#x27;", "'").replace("&quot;", '"') for k, v in fields.items()}
    confirmed = client.post(edit_url(base), {**fields, "save": "1"}, follow=True)

    assert confirmed.status_code == 200
    revision = latest(base)
    assert revision.body == "Erster Absatz.\n\nZweiter der Redaktion.\n\n3. Absatz.\n\nVierter.\n"


def test_declining_the_removal_returns_to_the_editor_with_the_text(base, editor, coordinator):
    client, _, _mine = conflict(base, editor, coordinator)
    settled = "Erster Absatz.\n\nZweiter der Redaktion.\n\n3. Absatz.\n\nVierter.\n"

    response = client.post(
        edit_url(base),
        {
            "body": settled,
            "base_revision": 2,
            "origin_revision": 1,
            "confirm_removals": "True",
            "message": "",
            "revise": "1",
        },
    )

    assert response.status_code == 200
    assert "Zweiter der Redaktion." in text(response)
    assert 'name="origin_revision" value="1"' in response.content.decode()
    assert 'name="confirm_removals"' not in response.content.decode()
    assert Revision.objects.filter(section=base).count() == 2


def test_a_revision_that_lands_while_settling_is_merged_in_as_well(base, editor, coordinator):
    client, _, mine = conflict(base, editor, coordinator)
    colleague_saves(
        base,
        coordinator,
        latest(base).body.replace("Erster Absatz.", "Erster Absatz, spät ergänzt."),
        base_revision=2,
    )

    response = settle(client, base, mine, choice_1="theirs")

    assert response.status_code == 200
    revision = latest(base)
    assert revision.number == 4
    assert "Erster Absatz, spät ergänzt." in revision.body
    assert "3. Absatz." in revision.body
    assert revision.merged_with == [2, 3]


def test_history_and_diff_show_merges(base, editor, coordinator):
    colleague_saves(base, coordinator, "Neu oben.\n\n" + BASE)
    save(client_of(editor), base, BASE + "\nNeu unten.\n")
    client = client_of(editor)

    history = text(client.get(f"/charta/abschnitt/{base.pk}/verlauf/"))
    diff = text(client.get(f"/charta/abschnitt/{base.pk}/vergleich/?von=2&zu=3"))
    detail = text(client.get(f"/charta/abschnitt/{base.pk}/"))

    assert "zusammengeführt aus r1 und r2" in history
    assert "Revision 3 wurde zusammengeführt aus r1 und r2." in diff
    assert "(zusammengeführt aus r1 und r2)" in detail


# Presence on the editor page -------------------------------------------------------------


def test_the_editor_shows_who_else_is_editing(base, editor, coordinator):
    client_of(coordinator).get(edit_url(base))

    response = client_of(editor).get(edit_url(base))

    name = fresh(coordinator).display_name
    assert f"Gerade ebenfalls in Bearbeitung: {name} (seit" in text(response)
    assert '<script type="module" src="/static/js/editor-presence.js"' in (
        response.content.decode()
    )


def test_nobody_else_editing_shows_no_presence_line(base, editor, coordinator):
    client_of(coordinator).get(edit_url(base))
    EditingPresence.objects.update(seen_at=timezone.now() - timedelta(minutes=5))

    response = client_of(editor).get(edit_url(base))

    assert "Gerade ebenfalls in Bearbeitung" not in text(response).split("Text bearbeiten")[-1]


def test_opening_the_editor_counts_as_a_heartbeat(base, editor):
    client_of(editor).get(edit_url(base))

    assert EditingPresence.objects.filter(user=editor, section=base).exists()


# What changed since a reviewer last looked ----------------------------------------------


def test_a_reviewer_is_offered_the_changes_since_the_revision_they_reviewed(base, editor, reviewer):
    section_transition(actor=fresh(editor), section=base, action="submit")
    section_transition(
        actor=fresh(reviewer),
        section=Section.objects.get(pk=base.pk),
        action="request_changes",
        note="Bitte ergänzen.",
    )
    colleague_saves(base, editor, BASE + "\nErgänzt.\n")

    page = client_of(reviewer).get(f"/charta/abschnitt/{base.pk}/").content.decode()

    assert "Was hat sich seit Ihrer letzten Durchsicht (Revision 1) geändert?" in page
    assert f"/charta/abschnitt/{base.pk}/vergleich/?von=1&amp;zu=2" in page


def test_a_commenter_is_offered_the_changes_since_the_revision_they_commented_on(
    base, editor, partner
):
    comment_create(actor=fresh(partner), target=base, body="Gute Richtung.")
    colleague_saves(base, editor, BASE + "\nErgänzt.\n")

    page = client_of(partner).get(f"/charta/abschnitt/{base.pk}/").content.decode()

    assert "seit Ihrer letzten Durchsicht (Revision 1)" in page


def test_nothing_new_since_the_last_look_offers_no_link(base, partner):
    comment_create(actor=fresh(partner), target=base, body="Gute Richtung.")

    page = client_of(partner).get(f"/charta/abschnitt/{base.pk}/").content.decode()

    assert "seit Ihrer letzten Durchsicht" not in page


def test_a_base_revision_that_does_not_exist_keeps_the_text_and_says_why(base, editor):
    response = save(client_of(editor), base, "Mein Text.\n", base_revision=99)

    assert response.status_code == 400
    assert "Mein Text." in text(response)
    assert "Ihre Fassung beruht auf Revision 99" in text(response)
    assert Revision.objects.filter(section=base).count() == 1


@pytest.mark.parametrize("others", [1, 8])
def test_the_editor_page_asks_the_database_a_fixed_number_of_times(
    others, base, editor, field, django_assert_max_num_queries
):
    from accounts.roles import RoleName
    from tests.conftest import user_with

    for n in range(others):
        client_of(user_with(f"schreibende-{n}", RoleName.EDITOR, field)).get(edit_url(base))
    client = client_of(editor)
    client.get(edit_url(base))

    with django_assert_max_num_queries(17):
        response = client.get(edit_url(base))

    assert text(response).count("(seit") == others


def test_a_second_round_of_settling_still_protects_what_the_first_colleague_added(
    base, editor, coordinator, field
):
    from accounts.roles import RoleName
    from tests.conftest import user_with

    third = user_with("redaktion-drei", RoleName.EDITOR, field)
    client, _, mine = conflict(base, editor, coordinator)
    # While the editor settles, a third person adds to the same sentence.
    colleague_saves(
        base,
        third,
        latest(base).body.replace(
            "Zweiter Absatz der Koordination.", "Zweiter Absatz der Koordination, ergänzt."
        ),
        base_revision=2,
    )

    # The editor keeps their own wording; the sentence changed again meanwhile: round two.
    second_round = settle(client, base, mine, choice_1="mine")

    assert second_round.status_code == 409
    html = second_round.content.decode()
    assert 'name="merge_base" value="2"' in html
    assert 'name="origin_revision" value="1"' in html
    assert 'name="base_revision" value="3"' in html
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields = {k: v.replace("&#x27;", "'").replace("&quot;", '"') for k, v in fields.items()}
    final = client.post(edit_url(base), {**fields, "choice_1": "mine", "text_1": ""})

    # Asked about the coordinator's words of revision 2 as well, not only the third
    # person's: the check starts from the revision the editor started from.
    assert final.status_code == 409
    removed = text(final).split("Diese Stellen würden entfallen")[1]
    assert "Koordination" in removed and "ergänzt" in removed
    assert Revision.objects.filter(section=base).count() == 3


def test_two_first_texts_settled_by_keeping_mine_ask_before_dropping_the_other(
    section, editor, coordinator
):
    client = client_of(editor)
    client.get(edit_url(section))  # the editor opens the empty section ...
    colleague_saves(section, coordinator, "Text der Koordination.\n", base_revision=None)

    # ... and saves a first text of their own on no base: a conflict with revision 1.
    first = client.post(
        edit_url(section), {"body": "Text der Redaktion.\n", "message": "", "save": "1"}
    )
    assert first.status_code == 409
    assert 'name="origin_revision" value="0"' in first.content.decode()

    settled = client.post(
        edit_url(section),
        {
            "body": "Text der Redaktion.\n",
            "base_revision": 1,
            "merge_base": "",
            "origin_revision": 0,
            "settle": "1",
            "message": "",
            "choice_1": "mine",
        },
    )

    assert settled.status_code == 409
    assert "Koordination" in text(settled).split("Diese Stellen würden entfallen")[1]
    assert Revision.objects.filter(section=section).count() == 1


@pytest.mark.parametrize(
    ("landed", "says"),
    [
        (2, "mit Revision 2 von {name} und Revision 3 von {name} zusammengeführt."),
        (4, "mit den Revisionen 2 bis 5 zusammengeführt."),
    ],
)
def test_the_merge_message_names_the_revisions_merged_in(landed, says, base, editor, coordinator):
    body = BASE
    for n in range(landed):
        body = body.replace("Erster Absatz", f"Erster Absatz {n}", 1)
        colleague_saves(base, coordinator, body, base_revision=n + 1)

    response = save(client_of(editor), base, BASE.replace("Dritter", "3."))

    assert says.format(name=fresh(coordinator).display_name) in text(response)
