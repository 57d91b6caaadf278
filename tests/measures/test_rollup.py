"""Progress roll-up: goals from their measures, Handlungsfelder from their goals."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from measures import permissions
from measures.selectors import field_progress, with_progress
from measures.services import measure_report_status

from .conftest import DRAFT, Status, make_goal, make_measure

pytestmark = pytest.mark.django_db


def goal_progress(goal, user):
    annotated = with_progress(permissions.goals_visible_to(user), user).get(pk=goal.pk)
    return annotated.progress, annotated.measure_count


# Goals -------------------------------------------------------------------------------------


def test_goal_progress_is_the_mean_of_its_measures_without_the_stopped_ones(goal, anonymous):
    make_measure(goal, status=Status.IN_PROGRESS, progress=20)
    make_measure(goal, status=Status.IN_PROGRESS, progress=40)
    make_measure(goal, status=Status.STOPPED, progress=90)

    progress, count = goal_progress(goal, anonymous)

    assert progress == pytest.approx(30.0)
    assert count == 3  # the stopped measure is listed, it just does not count for progress


def test_goal_without_measures_has_no_progress(goal, anonymous):
    assert goal_progress(goal, anonymous) == (None, 0)


def test_goal_with_only_stopped_measures_has_no_progress(goal, anonymous):
    make_measure(goal, status=Status.STOPPED, progress=60)

    assert goal_progress(goal, anonymous) == (None, 1)


def test_done_measures_count_with_100(goal, anonymous):
    make_measure(goal, status=Status.DONE, progress=100)
    make_measure(goal, status=Status.PLANNED, progress=0)

    assert goal_progress(goal, anonymous) == (pytest.approx(50.0), 2)


def test_goal_progress_counts_only_the_measures_the_user_may_see(goal, person):
    make_measure(goal, status=Status.IN_PROGRESS, progress=20)
    make_measure(goal, state=DRAFT, status=Status.IN_PROGRESS, progress=80)

    assert goal_progress(goal, person("anonymous")) == (pytest.approx(20.0), 1)
    assert goal_progress(goal, person("outsider")) == (pytest.approx(20.0), 1)
    assert goal_progress(goal, person("editor")) == (pytest.approx(50.0), 2)
    assert goal_progress(goal, person("coordinator")) == (pytest.approx(50.0), 2)


def test_goal_progress_is_a_true_mean_not_an_integer_division(goal, anonymous):
    make_measure(goal, progress=10)
    make_measure(goal, progress=15)

    progress, _count = goal_progress(goal, anonymous)

    assert progress == pytest.approx(12.5)


# Handlungsfelder ---------------------------------------------------------------------------


@pytest.fixture
def three_goals(field, organisation):
    """Goal A at 30 (20, 40, stopped 90), goal B at 60, goal C without measures."""
    a = make_goal(field, organisation, title="Ziel A")
    make_measure(a, progress=20)
    make_measure(a, progress=40)
    make_measure(a, status=Status.STOPPED, progress=90)
    b = make_goal(field, organisation, title="Ziel B")
    make_measure(b, progress=60)
    c = make_goal(field, organisation, title="Ziel C")
    return a, b, c


def test_field_progress_is_the_mean_over_goals_that_have_progress(field, three_goals):
    result = field_progress(AnonymousUser())[field.pk]

    assert result.progress == pytest.approx(45.0)  # (30 + 60) / 2; goal C has none
    assert result.goals == 3
    assert result.measures == 4


def test_field_progress_weighs_goals_not_measures(field, organisation):
    many = make_goal(field, organisation, title="Viele Maßnahmen")
    for _ in range(3):
        make_measure(many, progress=0)
    one = make_goal(field, organisation, title="Eine Maßnahme")
    make_measure(one, progress=100)

    assert field_progress(AnonymousUser())[field.pk].progress == pytest.approx(50.0)


def test_fields_are_rolled_up_separately(field, other_field, organisation, three_goals):
    elsewhere = make_goal(other_field, organisation, title="Ziel in Arbeit und Beschäftigung")
    make_measure(elsewhere, progress=10)

    result = field_progress(AnonymousUser())

    assert result[field.pk].progress == pytest.approx(45.0)
    assert result[other_field.pk].progress == pytest.approx(10.0)
    assert result[other_field.pk].goals == 1


def test_field_without_goals_is_absent_from_the_roll_up(field, other_field, three_goals):
    assert other_field.pk not in field_progress(AnonymousUser())


def test_public_roll_up_counts_only_published_measures_of_published_goals(
    field, organisation, three_goals, person
):
    a, _b, _c = three_goals
    make_measure(a, state=DRAFT, progress=100)  # draft measure of a published goal
    hidden_goal = make_goal(field, organisation, state=DRAFT, title="Ziel im Entwurf")
    make_measure(hidden_goal, progress=100)  # published measure of a draft goal

    public = field_progress(person("anonymous"))[field.pk]
    internal = field_progress(person("coordinator"))[field.pk]

    assert (public.progress, public.goals, public.measures) == (pytest.approx(45.0), 3, 4)
    # Coordinators see everything: A (20, 40, 100) = 53.3, B = 60, draft goal = 100.
    assert internal.goals == 4
    assert internal.measures == 6
    assert internal.progress == pytest.approx((160 / 3 + 60 + 100) / 3)


def test_roll_up_follows_the_reports(field, goal, person, working_group):
    measure = make_measure(goal, working_group=working_group)

    measure_report_status(
        actor=person("wg_member"), measure=measure, status=Status.IN_PROGRESS, progress=70
    )

    assert goal_progress(goal, person("anonymous")) == (pytest.approx(70.0), 1)
    assert field_progress(person("anonymous"))[field.pk].progress == pytest.approx(70.0)


# The figures on the pages ------------------------------------------------------------------


def shown_progress(html: str) -> list[int]:
    """Every progress figure on a page, as rendered by measures/includes/progress.html."""
    return [int(value) for value in re.findall(r'<progress max="100" value="(\d+)"', html)]


def goal_card(html: str, goal) -> str:
    start = html.index(f'id="ziel-{goal.pk}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_field_page_shows_the_same_figures_as_the_roll_up(client, field, three_goals):
    a, b, c = three_goals

    html = client.get(f"/handlungsfelder/{field.slug}/").content.decode()

    assert "Fortschritt des Handlungsfelds" in html
    assert "3 Ziele, 4 Maßnahmen" in html
    assert shown_progress(html)[0] == 45
    # Each goal card: the goal's progress first, then its measures.
    assert shown_progress(goal_card(html, a)) == [30, 20, 40, 90]
    assert shown_progress(goal_card(html, b)) == [60, 60]
    card_c = goal_card(html, c)
    assert shown_progress(card_c) == []
    assert "noch kein Fortschritt" in card_c


def test_field_page_shows_anonymous_users_the_public_figures(
    client, field, organisation, three_goals
):
    a, _b, _c = three_goals
    make_measure(a, state=DRAFT, progress=100)
    make_measure(make_goal(field, organisation, state=DRAFT), progress=100)

    html = client.get(f"/handlungsfelder/{field.slug}/").content.decode()

    assert "3 Ziele, 4 Maßnahmen" in html
    assert shown_progress(html)[0] == 45
    assert shown_progress(goal_card(html, a))[0] == 30


def test_field_page_figures_do_not_change_with_a_measure_filter(client, field, three_goals):
    """Filtering the list shows fewer measures, but the field's progress stays the field's."""
    html = client.get(f"/handlungsfelder/{field.slug}/", {"status": "stopped"}).content.decode()

    assert shown_progress(html)[0] == 45


def test_home_page_shows_each_fields_progress(client, charta, field, three_goals):
    html = client.get("/").content.decode()

    assert shown_progress(html) == [45]


def test_goal_page_shows_the_goals_progress(client, three_goals):
    a, _b, _c = three_goals

    html = client.get(f"/massnahmen/ziele/{a.pk}/").content.decode()

    assert shown_progress(html) == [30, 20, 40, 90]
