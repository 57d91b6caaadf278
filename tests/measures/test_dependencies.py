"""Dependencies between measures: cycles are refused naming the chain; a late predecessor
puts its successors at risk, with the reason shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from measures import selectors, services
from measures.models import Measure

from .conftest import DAY, make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(goal):
    a = make_measure(goal, title="A Bedarf erheben")
    b = make_measure(goal, title="B Konzept")
    c = make_measure(goal, title="C Umsetzung")
    return a, b, c


def test_a_cycle_is_refused_with_the_chain_named(chain, coordinator):
    a, b, c = chain
    services.measure_update(actor=coordinator, measure=b, depends_on=[a])
    services.measure_update(actor=coordinator, measure=c, depends_on=[b])
    client = APIClient()
    client.force_authenticate(coordinator)

    answer = client.patch(f"/api/v1/measures/{a.pk}/", {"depends_on": [c.pk]}, format="json")

    assert answer.status_code == 400
    message = " ".join(answer.json()["errors"]["depends_on"])
    assert message.index("A Bedarf") < message.index("C Umsetzung") < message.index("B Konzept")
    assert list(a.depends_on.all()) == []


def test_a_measure_cannot_depend_on_itself(chain, coordinator):
    a, _b, _c = chain
    with pytest.raises(ValidationError):
        services.measure_update(actor=coordinator, measure=a, depends_on=[a])


def test_dependencies_are_set_through_the_api_and_shown_both_ways(chain, coordinator, client):
    a, b, _c = chain
    api = APIClient()
    api.force_authenticate(coordinator)
    answer = api.patch(f"/api/v1/measures/{b.pk}/", {"depends_on": [a.pk]}, format="json")
    assert answer.status_code == 200 and answer.json()["depends_on"] == [a.pk]

    assert "B Konzept" in client.get(a.get_absolute_url()).content.decode()
    assert "A Bedarf" in client.get(b.get_absolute_url()).content.decode()


def test_a_draft_predecessor_is_no_valid_choice_for_an_editor_who_cannot_see_it(
    goal, other_editor, coordinator, other_field, organisation
):
    from .conftest import make_goal

    own_goal = make_goal(other_field, organisation)
    own = make_measure(own_goal, title="eigene")
    hidden = make_measure(goal, title="geheim", state="draft")
    api = APIClient()
    api.force_authenticate(other_editor)
    answer = api.patch(f"/api/v1/measures/{own.pk}/", {"depends_on": [hidden.pk]}, format="json")
    assert answer.status_code == 400


@pytest.mark.parametrize(
    ("before", "start", "at_risk"),
    [
        pytest.param({"deadline": DAY - datetime.timedelta(days=1)}, DAY, True, id="overdue"),
        pytest.param(
            {"deadline": DAY + datetime.timedelta(days=30)}, DAY + datetime.timedelta(days=10),
            True, id="ends-after-successor-starts",
        ),
        pytest.param(
            {"deadline": DAY + datetime.timedelta(days=5), "status": "delayed"},
            DAY - datetime.timedelta(days=2), True, id="delayed-and-successor-started",
        ),
        pytest.param(
            {"deadline": DAY + datetime.timedelta(days=5)}, DAY + datetime.timedelta(days=10),
            False, id="on-time",
        ),
        pytest.param(
            {"deadline": DAY - datetime.timedelta(days=10), "status": "done", "progress": 100},
            DAY, False, id="predecessor-done",
        ),
    ],
)  # fmt: skip
def test_late_predecessor_puts_successor_at_risk(goal, coordinator, before, start, at_risk):
    predecessor = make_measure(goal, title="Vorgänger", **before)
    successor = make_measure(
        goal, title="Nachfolger", start_date=start, deadline=start + datetime.timedelta(days=90)
    )
    services.measure_update(actor=coordinator, measure=successor, depends_on=[predecessor])

    flagged = selectors.with_flags(Measure.objects.filter(pk=successor.pk), on=DAY).get()
    reasons = selectors.dependency_risks(
        successor, [Measure.objects.get(pk=predecessor.pk)], on=DAY
    )

    assert flagged.is_held_up is at_risk
    assert flagged.is_at_risk is at_risk
    assert bool(reasons) is at_risk
    if at_risk:
        assert "Vorgänger" in reasons[0]


def test_the_public_does_not_see_a_draft_predecessor(goal, coordinator):
    draft = make_measure(goal, title="Entwurf", state="draft")
    public = make_measure(goal, title="Öffentlich")
    services.measure_update(actor=coordinator, measure=public, depends_on=[draft])

    assert APIClient().get(f"/api/v1/measures/{public.pk}/").json()["depends_on"] == []
    api = APIClient()
    api.force_authenticate(coordinator)
    assert api.get(f"/api/v1/measures/{public.pk}/").json()["depends_on"] == [draft.pk]


def test_an_editor_keeps_predecessors_they_cannot_see(
    goal, coordinator, other_editor, other_field, organisation
):
    from .conftest import make_goal

    hidden = make_measure(goal, title="Entwurf", state="draft")
    own = make_measure(make_goal(other_field, organisation), title="eigene")
    visible = make_measure(goal, title="sichtbar")
    services.measure_update(actor=coordinator, measure=own, depends_on=[hidden])

    services.measure_update(actor=other_editor, measure=own, depends_on=[visible])

    assert set(own.depends_on.values_list("title", flat=True)) == {"Entwurf", "sichtbar"}
