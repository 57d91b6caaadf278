"""The five Handlungsfelder come from a data migration."""

import pytest

from charta.models import ActionField
from tests.factories import ensure_seeded_fields

pytestmark = pytest.mark.django_db

# Transactional tests end with a flush that empties every table, the migrated rows included,
# and another test of the same worker may have run before: each test here applies the data
# migration's own seed itself, to the empty table a fresh database has before it runs.


@pytest.fixture(autouse=True)
def migrated():
    ActionField.objects.all().delete()
    ensure_seeded_fields()


# DESIGN.md, "The five Handlungsfelder of the charta", in this order.
DESIGNED = [
    (1, "Industriepolitik"),
    (2, "Innovation und Technologietransformation"),
    (3, "Arbeit und Beschäftigung"),
    (4, "Qualifizierung und Weiterbildung"),
    (5, "Regionales Mindset / resiliente Gesellschaft"),
]


def test_the_five_action_fields_are_seeded_in_the_charta_order():
    seeded = list(ActionField.objects.order_by("number").values_list("number", "title"))

    assert seeded == DESIGNED


def test_the_model_orders_action_fields_by_number():
    assert [f.title for f in ActionField.objects.all()] == [title for _n, title in DESIGNED]


def test_seeded_action_fields_have_slugs_and_summaries():
    for action_field in ActionField.objects.all():
        assert action_field.slug
        assert action_field.summary
