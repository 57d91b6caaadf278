"""Every text people write has a maximum length, defined once on the model field and held by
every channel: the services (full_clean), the API (400 naming the field) and the pages (a form
error, nothing written). Before, descriptions, indicators and status notes took a megabyte."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import DESCRIPTION_MAX_LENGTH as ORGANISATION_DESCRIPTION_MAX_LENGTH
from accounts.models import Organisation, WorkingGroup
from accounts.services import working_group_create
from charta.models import (
    PREAMBLE_MAX_LENGTH,
    SECTION_BODY_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TRANSITION_NOTE_MAX_LENGTH,
    Charta,
    Revision,
    SectionEvent,
)
from charta.services import section_save_draft, section_transition
from measures import services
from measures.models import (
    DESCRIPTION_MAX_LENGTH,
    INDICATOR_MAX_LENGTH,
    STATUS_NOTE_MAX_LENGTH,
    Goal,
    Measure,
    StatusUpdate,
)
from tests.conftest import fresh
from tests.factories import UserFactory

from .conftest import reload

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024


def text(length: int) -> str:
    """``length`` characters of plausible words (no single-character runs)."""
    words = "Qualifizierung für die Fahrzeugproduktion von morgen. "
    return (words * (length // len(words) + 1))[:length]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


# Goals and measures ---------------------------------------------------------------------

GOAL_TEXTS = [("description", DESCRIPTION_MAX_LENGTH), ("indicator", INDICATOR_MAX_LENGTH)]


@pytest.mark.parametrize(("name", "limit"), GOAL_TEXTS)
def test_goal_texts_have_a_maximum_length_in_the_services(
    name, limit, editor, field, organisation, published_goal
):
    kwargs = {"actor": fresh(editor), "action_field": field, "owner": organisation}

    at_limit = services.goal_create(title="Genau an der Grenze", **{name: text(limit)}, **kwargs)
    with pytest.raises(ValidationError) as created:
        services.goal_create(title="Zu lang", **{name: text(limit + 1)}, **kwargs)
    with pytest.raises(ValidationError) as updated:
        services.goal_update(actor=fresh(editor), goal=published_goal, **{name: text(limit + 1)})

    assert len(getattr(at_limit, name)) == limit
    assert name in created.value.message_dict
    assert name in updated.value.message_dict
    assert not Goal.objects.filter(title="Zu lang").exists()
    assert getattr(Goal.objects.get(pk=published_goal.pk), name) == ""


@pytest.mark.parametrize(("name", "limit"), GOAL_TEXTS)
def test_goal_texts_have_a_maximum_length_in_the_api(
    name, limit, editor, field, organisation, published_goal
):
    client = api(editor)
    payload = {"action_field": field.slug, "title": "Zu lang", "owner": organisation.slug}

    created = client.post("/api/v1/goals/", payload | {name: text(limit + 1)})
    updated = client.patch(f"/api/v1/goals/{published_goal.pk}/", {name: text(limit + 1)})

    for response in (created, updated):
        assert response.status_code == 400
        assert name in response.json()["errors"]
    assert not Goal.objects.filter(title="Zu lang").exists()
    assert getattr(Goal.objects.get(pk=published_goal.pk), name) == ""


def test_a_megabyte_of_description_is_a_400_naming_the_field(editor, published_goal):
    response = api(editor).patch(
        f"/api/v1/goals/{published_goal.pk}/", {"description": text(MEGABYTE)}
    )

    assert response.status_code == 400
    assert "description" in response.json()["errors"]


@pytest.mark.parametrize(("name", "limit"), GOAL_TEXTS)
def test_goal_texts_have_a_maximum_length_on_the_page(
    name, limit, client, editor, organisation, published_goal
):
    client.force_login(editor)

    response = client.post(
        f"/massnahmen/ziele/{published_goal.pk}/bearbeiten/",
        {"title": "Neuer Titel", "owner": organisation.pk, name: text(limit + 1)},
    )

    assert response.status_code == 400
    assert f'id="id_{name}-error"' in response.content.decode()
    assert Goal.objects.get(pk=published_goal.pk).title == "Sprechstunde für KMU"


def test_a_measure_description_has_a_maximum_length_in_the_services(
    editor, published_goal, published_measure, organisation
):
    limit = DESCRIPTION_MAX_LENGTH
    kwargs = {"actor": fresh(editor), "goal": published_goal, "owner": organisation}

    at_limit = services.measure_create(title="An der Grenze", description=text(limit), **kwargs)
    with pytest.raises(ValidationError) as created:
        services.measure_create(title="Zu lang", description=text(limit + 1), **kwargs)
    with pytest.raises(ValidationError) as updated:
        services.measure_update(
            actor=fresh(editor), measure=published_measure, description=text(limit + 1)
        )

    assert len(at_limit.description) == limit
    assert "description" in created.value.message_dict
    assert "description" in updated.value.message_dict
    assert not Measure.objects.filter(title="Zu lang").exists()
    assert Measure.objects.get(pk=published_measure.pk).description == ""


def test_a_measure_description_has_a_maximum_length_in_the_api(
    editor, published_goal, published_measure, organisation
):
    client = api(editor)
    too_long = text(DESCRIPTION_MAX_LENGTH + 1)

    created = client.post(
        "/api/v1/measures/",
        {
            "goal": published_goal.pk,
            "title": "Zu lang",
            "owner": organisation.slug,
            "description": too_long,
        },
    )
    updated = client.patch(f"/api/v1/measures/{published_measure.pk}/", {"description": too_long})

    for response in (created, updated):
        assert response.status_code == 400
        assert "description" in response.json()["errors"]
    assert not Measure.objects.filter(title="Zu lang").exists()


def test_a_measure_description_has_a_maximum_length_on_the_page(client, editor, published_measure):
    client.force_login(editor)

    response = client.post(
        f"/massnahmen/{published_measure.pk}/bearbeiten/",
        {
            "goal": published_measure.goal_id,
            "title": "Neuer Titel",
            "owner": published_measure.owner_id,
            "priority": "medium",
            "description": text(DESCRIPTION_MAX_LENGTH + 1),
        },
    )

    assert response.status_code == 400
    assert 'id="id_description-error"' in response.content.decode()
    assert Measure.objects.get(pk=published_measure.pk).title != "Neuer Titel"


def test_a_status_note_has_a_maximum_length_in_the_services(coordinator, published_measure):
    limit = STATUS_NOTE_MAX_LENGTH
    report = {"actor": fresh(coordinator), "measure": published_measure, "status": "in_progress"}

    services.measure_report_status(progress=10, note=text(limit), **report)
    with pytest.raises(ValidationError) as refused:
        services.measure_report_status(progress=20, note=text(limit + 1), **report)

    assert "note" in refused.value.message_dict
    assert list(StatusUpdate.objects.values_list("progress", flat=True)) == [10]


def test_a_status_note_has_a_maximum_length_in_the_api(coordinator, published_measure):
    response = api(coordinator).post(
        f"/api/v1/measures/{published_measure.pk}/status-updates/",
        {"status": "in_progress", "progress": 20, "note": text(STATUS_NOTE_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert not StatusUpdate.objects.exists()


def test_a_status_note_has_a_maximum_length_on_the_page(client, coordinator, published_measure):
    client.force_login(coordinator)

    response = client.post(
        f"/massnahmen/{published_measure.pk}/bericht/",
        {"status": "in_progress", "progress": "20", "note": text(STATUS_NOTE_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert 'id="id_note-error"' in response.content.decode()
    assert not StatusUpdate.objects.exists()


# The charta -------------------------------------------------------------------------------


def test_a_section_body_has_a_maximum_length_in_the_service(editor, section):
    with pytest.raises(ValidationError) as refused:
        section_save_draft(
            actor=fresh(editor),
            section=section,
            body=text(SECTION_BODY_MAX_LENGTH + 1),
            base_revision=None,
        )

    assert "body" in refused.value.message_dict
    assert not Revision.objects.exists()


def test_a_section_body_has_a_maximum_length_in_the_api(editor, section):
    response = api(editor).patch(
        f"/api/v1/sections/{section.pk}/",
        {"body": text(SECTION_BODY_MAX_LENGTH + 1), "base_revision": None},
    )

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Revision.objects.exists()


def test_a_section_body_has_a_maximum_length_on_the_page(client, editor, section):
    client.force_login(editor)

    response = client.post(
        f"/charta/abschnitt/{section.pk}/bearbeiten/",
        {"body": text(SECTION_BODY_MAX_LENGTH + 1), "base_revision": ""},
    )

    assert response.status_code == 400
    assert 'id="id_body-error"' in response.content.decode()
    assert not Revision.objects.exists()


@pytest.fixture
def draft_section(section, editor):
    section_save_draft(
        actor=fresh(editor), section=section, body="Erster Text.", base_revision=None
    )
    return reload(section)


def test_a_workflow_note_has_a_maximum_length_in_the_service(editor, draft_section):
    with pytest.raises(ValidationError) as refused:
        section_transition(
            actor=fresh(editor),
            section=draft_section,
            action="submit",
            note=text(TRANSITION_NOTE_MAX_LENGTH + 1),
        )

    assert "note" in refused.value.message_dict
    assert reload(draft_section).status == "draft"
    assert not SectionEvent.objects.exists()


def test_a_workflow_note_has_a_maximum_length_in_the_api(editor, draft_section):
    response = api(editor).post(
        f"/api/v1/sections/{draft_section.pk}/transition/",
        {"action": "submit", "note": text(TRANSITION_NOTE_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert reload(draft_section).status == "draft"


def test_a_workflow_note_has_a_maximum_length_on_the_page(client, editor, draft_section):
    client.force_login(editor)

    response = client.post(
        f"/charta/abschnitt/{draft_section.pk}/aktion/",
        {"action": "submit", "note": text(TRANSITION_NOTE_MAX_LENGTH + 1)},
        follow=True,
    )

    html = response.content.decode()
    assert "Anmerkung:" in html
    assert str(TRANSITION_NOTE_MAX_LENGTH) in html
    assert "Diese Aktion ist unbekannt." not in html
    assert reload(draft_section).status == "draft"


def test_a_charta_preamble_has_a_maximum_length(charta):
    charta.preamble = text(PREAMBLE_MAX_LENGTH + 1)

    with pytest.raises(ValidationError) as refused:
        charta.full_clean()

    assert "preamble" in refused.value.message_dict


def test_a_field_summary_has_a_maximum_length(field):
    field.summary = text(SUMMARY_MAX_LENGTH + 1)

    with pytest.raises(ValidationError) as refused:
        field.full_clean()

    assert "summary" in refused.value.message_dict


def test_the_admin_form_of_a_charta_edition_shows_the_limit(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/charta/charta/add/",
        {
            "title": "ITAS-Charta 2026",
            "slug": "itas-charta-2026",
            "year": "2026",
            "preamble": text(PREAMBLE_MAX_LENGTH + 1),
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Charta.objects.filter(slug="itas-charta-2026").exists()


# Accounts ---------------------------------------------------------------------------------


def test_a_working_group_description_has_a_maximum_length_in_the_service(coordinator):
    with pytest.raises(ValidationError) as refused:
        working_group_create(
            actor=fresh(coordinator),
            name="AG Wasserstoff",
            description=text(ORGANISATION_DESCRIPTION_MAX_LENGTH + 1),
        )

    assert "description" in refused.value.message_dict
    assert not WorkingGroup.objects.filter(name="AG Wasserstoff").exists()


def test_an_organisation_description_has_a_maximum_length_in_the_admin(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "Zulieferernetzwerk Südwestsachsen",
            "short_name": "ZNS",
            "slug": "zns",
            "kind": "network",
            "description": text(ORGANISATION_DESCRIPTION_MAX_LENGTH + 1),
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Organisation.objects.filter(slug="zns").exists()
