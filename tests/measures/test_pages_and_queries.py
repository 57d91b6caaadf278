"""The pages people use: "my measures", forms that keep input, milestones, query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures import services
from measures.models import Measure, Milestone
from tests.factories import OrganisationFactory

from .conftest import DRAFT, PEOPLE, PUBLISHED, Status, make_goal, make_measure

pytestmark = pytest.mark.django_db

MANAGE = {"coordinator", "editor"}
REPORT = {"coordinator", "wg_member", "responsible"}


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def titles_in_order(html: str, titles: list[str]) -> list[str]:
    """``titles`` sorted by where they first appear in ``html`` (absent ones left out)."""
    present = [t for t in titles if t in html]
    return sorted(present, key=html.index)


# My measures -------------------------------------------------------------------------------


@pytest.fixture
def group_measures(goal, draft_goal, working_group, other_group, responsible):
    """Measures of wg_member's group (one overdue, one due for a report, one fine, one draft)
    and measures that are none of wg_member's business."""
    today = timezone.localdate()
    mine = {
        "fine": make_measure(
            goal, title="AG: im Plan", working_group=working_group, deadline=today + days(60)
        ),
        "late": make_measure(
            goal, title="AG: überfällig", working_group=working_group, deadline=today - days(3)
        ),
        "due": make_measure(
            goal, title="AG: Bericht fällig", working_group=working_group, deadline=today + days(5)
        ),
        "draft": make_measure(
            draft_goal,
            title="AG: noch im Entwurf",
            state=DRAFT,
            working_group=working_group,
            deadline=today + days(90),
        ),
    }
    old = timezone.now() - days(200)
    Measure.objects.filter(pk=mine["due"].pk).update(created_at=old, last_reported_at=old)
    others = {
        "other_group": make_measure(
            goal, title="Fremd: andere AG", working_group=other_group, deadline=today - days(9)
        ),
        "no_group": make_measure(goal, title="Fremd: ohne AG", deadline=today - days(9)),
        "responsible_only": make_measure(
            goal, title="Fremd: nur verantwortliche Person", responsible=[responsible]
        ),
        "finished": make_measure(
            goal,
            title="Fremd: erledigt",
            deadline=today - days(9),
            status=Status.DONE,
            progress=100,
        ),
    }
    return mine, others


def test_my_measures_lists_the_groups_measures_overdue_first_and_nothing_else(
    login, group_measures
):
    mine, others = group_measures

    response = login("wg_member").get("/massnahmen/meine/")

    assert response.status_code == 200
    listed = [m.pk for m in response.context["measures"]]
    assert listed == [mine[k].pk for k in ("late", "due", "fine", "draft")]
    html = response.content.decode()
    all_titles = [m.title for m in (*mine.values(), *others.values())]
    assert titles_in_order(html, all_titles) == [
        "AG: überfällig",
        "AG: Bericht fällig",
        "AG: im Plan",
        "AG: noch im Entwurf",
    ]


def test_my_measures_marks_overdue_and_report_due(login, group_measures):
    html = login("wg_member").get("/massnahmen/meine/").content.decode()

    assert html.count('class="overdue"') == 1
    assert html.count("Bericht fällig</span>") == 1


def test_my_measures_of_a_responsible_user_lists_only_their_measure(login, group_measures):
    _mine, others = group_measures

    response = login("responsible").get("/massnahmen/meine/")

    assert [m.pk for m in response.context["measures"]] == [others["responsible_only"].pk]


@pytest.mark.parametrize("role", ["outsider", "partner", "reviewer", "editor"])
def test_my_measures_is_empty_for_those_who_report_on_nothing(role, login, group_measures):
    response = login(role).get("/massnahmen/meine/")

    assert response.status_code == 200
    assert response.context["measures"] == []
    assert "Sie berichten derzeit über keine Maßnahme." in response.content.decode()


def test_my_measures_asks_anonymous_users_to_log_in(client):
    response = client.get("/massnahmen/meine/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_report_due_mark_is_for_reporters_not_the_public(client, login, group_measures):
    public = client.get("/massnahmen/").content.decode()
    reporter = login("wg_member").get("/massnahmen/").content.decode()

    assert "AG: Bericht fällig" in public
    assert "Bericht fällig</span>" not in public
    assert reporter.count("Bericht fällig</span>") == 1


def test_report_due_mark_is_shown_to_coordinators_in_lists(login, group_measures):
    """The issue: "Bericht fällig" is marked for its reporters *and coordinators*."""
    html = login("coordinator").get("/massnahmen/").content.decode()

    assert html.count("Bericht fällig</span>") == 1


@pytest.mark.parametrize(
    ("role", "marked"),
    [("wg_member", True), ("coordinator", True), ("anonymous", False), ("partner", False)],
)
def test_measure_page_marks_report_due_for_reporters_and_coordinators(
    role, marked, login, group_measures
):
    mine, _others = group_measures

    html = login(role).get(f"/massnahmen/{mine['due'].pk}/").content.decode()

    assert ("Bericht fällig</span>" in html) is marked


# Forms keep what was typed -----------------------------------------------------------------


def test_measure_form_with_deadline_before_start_keeps_the_input(login, field, goal, organisation):
    typed = {
        "goal": goal.pk,
        "title": "Mobilitätskonzept mit automatisiertem Fahren",
        "description": "Pilotstrecke zwischen Zwickau und Chemnitz",
        "owner": organisation.pk,
        "start_date": "2026-03-01",
        "deadline": "2026-02-01",
        "priority": "high",
        "state": DRAFT,
    }

    response = login("editor").post(f"/massnahmen/handlungsfeld/{field.slug}/neu/", typed)

    assert response.status_code == 400
    html = response.content.decode()
    assert typed["title"] in html
    assert typed["description"] in html
    assert 'value="2026-03-01"' in html
    assert 'value="2026-02-01"' in html
    assert "Die Frist liegt vor dem Beginn." in html
    assert not Measure.objects.filter(title=typed["title"]).exists()


def test_measure_edit_form_with_bad_dates_keeps_the_input(login, measure):
    response = login("editor").post(
        f"/massnahmen/{measure.pk}/bearbeiten/",
        {
            "goal": measure.goal_id,
            "title": "Neuer Titel, der nicht verloren gehen darf",
            "owner": measure.owner_id,
            "start_date": "2026-05-01",
            "deadline": "2026-04-30",
            "priority": "medium",
            "state": PUBLISHED,
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Neuer Titel, der nicht verloren gehen darf" in html
    assert "Die Frist liegt vor dem Beginn." in html
    measure.refresh_from_db()
    assert measure.title == "Strategie-Coaching für Zulieferer"


def test_goal_form_without_title_keeps_the_other_input(login, field, organisation):
    typed = {
        "title": "",
        "description": "Regionale Studie zur Resilienz der Zulieferer",
        "indicator": "Anzahl befragter Betriebe",
        "owner": organisation.pk,
        "target_date": "2027-12-31",
        "state": DRAFT,
    }

    response = login("editor").post(f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/", typed)

    assert response.status_code == 400
    html = response.content.decode()
    assert typed["description"] in html
    assert typed["indicator"] in html
    assert 'value="2027-12-31"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html


def test_goal_form_with_an_invalid_date_keeps_the_title(login, goal):
    response = login("editor").post(
        f"/massnahmen/ziele/{goal.pk}/bearbeiten/",
        {
            "title": "Sprechstunde für KMU ausbauen",
            "owner": goal.owner_id,
            "target_date": "31.02.2027",
            "state": PUBLISHED,
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Sprechstunde für KMU ausbauen" in html
    assert "Bitte ein gültiges Datum eingeben." in html
    goal.refresh_from_db()
    assert goal.title == "Sprechstunde für KMU etablieren"


def test_goal_form_saves_good_input(login, field, organisation):
    response = login("editor").post(
        f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/",
        {"title": "Wasserstoffbedarf der Region ermitteln", "owner": organisation.pk,
         "state": DRAFT},
    )  # fmt: skip

    assert response.status_code == 302
    assert field.goals.filter(title="Wasserstoffbedarf der Region ermitteln").exists()


@pytest.mark.parametrize("role", ["reviewer", "partner", "wg_member", "other_editor", "outsider"])
def test_goal_and_measure_forms_are_forbidden_to_non_editors(role, login, field, goal):
    client = login(role)

    assert client.get(f"/massnahmen/handlungsfeld/{field.slug}/ziel/neu/").status_code == 403
    assert client.get(f"/massnahmen/handlungsfeld/{field.slug}/neu/").status_code == 403
    assert client.get(f"/massnahmen/ziele/{goal.pk}/bearbeiten/").status_code == 403


# Milestones --------------------------------------------------------------------------------

DUE = datetime.date(2026, 9, 30)


@pytest.fixture
def milestone(measure, person) -> Milestone:
    return services.milestone_add(
        actor=person("editor"), measure=measure, title="Auftaktworkshop", due_date=DUE
    )


@pytest.mark.parametrize("role", PEOPLE)
def test_only_editors_and_coordinators_add_milestones(role, person, measure):
    actor = person(role)

    if role in MANAGE:
        added = services.milestone_add(
            actor=actor, measure=measure, title="  Zwischenbericht  ", due_date=DUE
        )
        assert (added.title, added.due_date, added.is_done) == ("Zwischenbericht", DUE, False)
    else:
        with pytest.raises(PermissionDenied):
            services.milestone_add(
                actor=actor, measure=measure, title="Zwischenbericht", due_date=DUE
            )
        assert not measure.milestones.exists()


@pytest.mark.parametrize("role", PEOPLE)
def test_reporters_and_editors_mark_milestones_done(role, person, milestone):
    actor = person(role)

    if role in MANAGE | REPORT:
        services.milestone_set_done(actor=actor, milestone=milestone)
        milestone.refresh_from_db()
        assert milestone.done_by == actor
        assert milestone.done_at is not None
        assert abs(timezone.now() - milestone.done_at) < days(1)
    else:
        with pytest.raises(PermissionDenied):
            services.milestone_set_done(actor=actor, milestone=milestone)
        milestone.refresh_from_db()
        assert (milestone.done_by, milestone.done_at) == (None, None)


def test_reopening_a_milestone_clears_who_and_when(person, milestone):
    reporter = person("wg_member")
    services.milestone_set_done(actor=reporter, milestone=milestone)

    services.milestone_set_done(actor=reporter, milestone=milestone, done=False)

    milestone.refresh_from_db()
    assert (milestone.done_by, milestone.done_at, milestone.is_done) == (None, None, False)


def test_editor_adds_a_milestone_through_the_page(login, measure):
    client = login("editor")

    response = client.post(
        f"/massnahmen/{measure.pk}/meilensteine/",
        {"title": "Pilotbetriebe ausgewählt", "due_date": "2026-04-15"},
    )

    assert response.status_code == 302
    milestone = measure.milestones.get()
    assert (milestone.title, milestone.due_date) == (
        "Pilotbetriebe ausgewählt",
        datetime.date(2026, 4, 15),
    )
    assert "Pilotbetriebe ausgewählt" in client.get(f"/massnahmen/{measure.pk}/").content.decode()


def test_milestone_form_without_date_keeps_the_title(login, measure):
    response = login("editor").post(
        f"/massnahmen/{measure.pk}/meilensteine/", {"title": "Pilotbetriebe ausgewählt"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Pilotbetriebe ausgewählt"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert not measure.milestones.exists()


def test_reporter_marks_a_milestone_done_through_the_page(login, person, milestone):
    client = login("wg_member")

    response = client.post(f"/massnahmen/meilensteine/{milestone.pk}/", {"done": "1"})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_by == person("wg_member")
    assert milestone.done_at is not None
    page = client.get(f"/massnahmen/{milestone.measure_id}/").content.decode()
    assert "erledigt von" in page


@pytest.mark.parametrize("role", ["outsider", "partner", "reviewer", "other_editor"])
def test_others_cannot_mark_a_milestone_done_through_the_page(role, login, milestone):
    response = login(role).post(f"/massnahmen/meilensteine/{milestone.pk}/", {"done": "1"})

    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_at is None


@pytest.mark.parametrize("role", ["wg_member", "outsider", "reviewer"])
def test_others_cannot_add_a_milestone_through_the_page(role, login, measure):
    response = login(role).post(
        f"/massnahmen/{measure.pk}/meilensteine/",
        {"title": "Unbefugt", "due_date": "2026-04-15"},
    )

    assert response.status_code == 403
    assert not measure.milestones.exists()


def test_milestones_of_an_invisible_measure_answer_404(login, goal):
    hidden = make_measure(goal, state=DRAFT, title="Entwurf mit Meilenstein")
    milestone = Milestone.objects.create(measure=hidden, title="Geheim", due_date=DUE)

    response = login("outsider").post(f"/massnahmen/meilensteine/{milestone.pk}/", {"done": "1"})

    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.done_at is None


# Query counts ------------------------------------------------------------------------------


def grow(field, working_group, other_group, goals: list, *, to_goals: int, per_goal: int):
    """Top the data up to ``to_goals`` goals with ``per_goal`` measures each, in every state:
    draft and published goals and measures, overdue ones, several owners and working groups,
    reports, milestones and partner organisations."""
    today = timezone.localdate()
    while len(goals) < to_goals:
        n = len(goals)
        goals.append(
            make_goal(
                field,
                OrganisationFactory(),
                state=DRAFT if n % 3 == 2 else PUBLISHED,
                title=f"Ziel Nummer {n}",
                target_date=today + days(365),
            )
        )
    for goal in goals:
        for n in range(goal.measures.count(), per_goal):
            measure = make_measure(
                goal,
                title=f"{goal.title}, Maßnahme {n}",
                state=DRAFT if n % 4 == 3 else PUBLISHED,
                working_group=working_group if n % 2 == 0 else other_group,
                start_date=today - days(100),
                deadline=today + days(30 - 20 * n),
                status=[Status.IN_PROGRESS, Status.DELAYED, Status.PLANNED, Status.STOPPED][n % 4],
                progress=10 * n,
                partners=[OrganisationFactory()],
            )
            Milestone.objects.create(measure=measure, title="Meilenstein", due_date=today)
    return goals


PAGES = [
    "/",
    "/handlungsfelder/industriepolitik/",
    "/handlungsfelder/industriepolitik/?overdue=true&sortierung=ueberfaellig",
    "/massnahmen/",
    "/massnahmen/?status=in_progress&sortierung=fortschritt",
    "/massnahmen/meine/",
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), url
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "editor", "wg_member", "coordinator"])
def test_pages_issue_the_same_number_of_queries_for_few_and_many_measures(
    role, login, charta, section, field, working_group, other_group
):
    client = login(role)
    # Three measures per goal: the third is overdue, so that every filter matches something.
    goals = grow(field, working_group, other_group, [], to_goals=2, per_goal=3)
    small = {url: count_queries(client, url) for url in PAGES}

    grow(field, working_group, other_group, goals, to_goals=6, per_goal=5)
    assert Measure.objects.count() == 30
    large = {url: count_queries(client, url) for url in PAGES}

    assert large == small


# What the pages need today for a logged-in user (12, 17, 10, 5) plus a little room for
# a shared header; anything that grows with the rows breaks these at once.
QUERY_LIMITS = {
    "/": 14,
    "/handlungsfelder/industriepolitik/": 19,
    "/massnahmen/": 12,
    "/massnahmen/meine/": 7,
}


@pytest.mark.parametrize("role", ["anonymous", "editor", "wg_member"])
def test_pages_stay_under_a_fixed_number_of_queries(
    role, login, charta, section, field, working_group, other_group,
    django_assert_max_num_queries,
):  # fmt: skip
    client = login(role)
    grow(field, working_group, other_group, [], to_goals=6, per_goal=5)

    for url, limit in QUERY_LIMITS.items():
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" and "meine" in url else 200)
