"""Input that once made the pages answer 500: NUL characters (PostgreSQL stores none in
text), query strings Django refuses to parse, ids beyond 64 bits. Each is now a 4xx with a
message a person can read, and nothing is written."""

import pytest
from django.test import Client

from charta.models import Comment, Revision
from measures.models import Goal, Measure, MeasureParty, Milestone, StatusUpdate

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Die Adresse enthält ein Nullzeichen"


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def nul_addresses(field_slug: str, organisation_slug: str) -> list[str]:
    return [
        "/suche/?q=%00",
        "/suche/?q=Wasser%00stoff",
        "/offene-daten/ziele.csv?handlungsfeld=%00",
        "/offene-daten/massnahmen.xlsx?handlungsfeld=industriepolitik%00",
        "/massnahmen/?owner=%00",
        f"/handlungsfelder/{field_slug}/?working_group=%00",
        "/bericht/?seit=%00",
        "/fortschritt/?%00=1",
        f"/partner/{organisation_slug}%00/",
    ]


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_a_nul_character_in_the_address_answers_400_saying_so(
    role, person, visitor, field, organisation, measure
):
    user = person(role)
    if user.is_authenticated:
        visitor.force_login(user)

    for url in nul_addresses(field.slug, organisation.slug):
        response = visitor.get(url)
        assert response.status_code == 400, url
        page = response.content.decode()
        assert NUL_MESSAGE in page, url
        assert 'lang="de"' in page


def test_too_many_query_parameters_answer_the_400_page(visitor, action_fields):
    response = visitor.get("/massnahmen/?" + "&".join(f"a{n}=1" for n in range(1200)))

    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


@pytest.mark.parametrize("choice", ["responsible", "partners"])
@pytest.mark.parametrize("value", ["99999999999999999999", "9" * 5000, "²"])
def test_the_measure_form_refuses_a_choice_that_names_no_id(choice, value, login, measure):
    before = (
        list(measure.responsible.values_list("pk", flat=True)),
        list(MeasureParty.objects.values_list("pk", "organisation_id", "role")),
    )
    response = login("coordinator").post(
        f"/massnahmen/{measure.pk}/bearbeiten/",
        {
            "goal": measure.goal_id,
            "title": "Umbenannt",
            "owner": measure.owner_id,
            "priority": "medium",
            "state": "published",
            choice: [value],
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors[choice]
    measure.refresh_from_db()
    assert measure.title == "Strategie-Coaching für Zulieferer"
    after = (
        list(measure.responsible.values_list("pk", flat=True)),
        list(MeasureParty.objects.values_list("pk", "organisation_id", "role")),
    )
    assert after == before


# Every text people write on the pages refuses NUL (PostgreSQL would fail on it) ------------

NUL = "Text mit \x00 Nullzeichen"


def html_writes(field, goal, measure, organisation, section):
    """(url, form data, field that holds the NUL, rows that must stay as they were)."""
    goal_data = {"title": "Ziel", "owner": organisation.pk, "state": "draft"}
    measure_data = {
        "goal": goal.pk,
        "title": "Maßnahme",
        "owner": organisation.pk,
        "priority": "medium",
        "state": "draft",
    }
    new_goal = f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/"
    new_measure = f"/massnahmen/handlungsfeld/{field.slug}/neu/"
    report = f"/massnahmen/{measure.pk}/bericht/"
    edit = f"/charta/abschnitt/{section.pk}/bearbeiten/"
    return [
        (new_goal, {**goal_data, "title": NUL}, "title", Goal),
        (new_goal, {**goal_data, "description": NUL}, "description", Goal),
        (new_goal, {**goal_data, "indicator": NUL}, "indicator", Goal),
        (new_measure, {**measure_data, "title": NUL}, "title", Measure),
        (new_measure, {**measure_data, "description": NUL}, "description", Measure),
        (report, {"status": "in_progress", "progress": "20", "note": NUL}, "note", StatusUpdate),
        (
            f"/massnahmen/{measure.pk}/meilensteine/",
            {"title": NUL, "due_date": "2027-03-01"},
            "title",
            Milestone,
        ),
        (edit, {"body": NUL, "message": ""}, "body", Revision),
        (edit, {"body": "Text", "message": NUL}, "message", Revision),
    ]


def test_every_text_written_on_the_pages_refuses_a_nul_character(
    login, field, goal, measure, organisation, section
):
    client = login("coordinator")

    for url, data, name, model in html_writes(field, goal, measure, organisation, section):
        before = model.objects.count()
        response = client.post(url, data)
        assert response.status_code == 400, (url, name)
        assert response.context["form"].errors[name] == ["Nullzeichen sind nicht erlaubt."]
        assert model.objects.count() == before, (url, name)


def test_a_comment_with_a_nul_character_is_not_saved(login, measure):
    response = login("coordinator").post(
        "/charta/kommentare/", {"target": f"measure:{measure.pk}", "body": NUL}
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()
