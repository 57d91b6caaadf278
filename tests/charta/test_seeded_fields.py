"""The five Handlungsfelder come from a data migration."""

import pytest

from charta.models import ActionField

# Transactional with the migrated rows restored: other transactional tests in the same worker
# end with a flush, and this test is about what the migrations wrote.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# DESIGN.md, "The five Handlungsfelder of the charta", in this order.
DESIGNED = [
    (1, "Industriepolitik"),
    (2, "Innovation und Technologietransformation"),
    (3, "Arbeit und Beschäftigung"),
    (4, "Qualifizierung und Weiterbildung"),
    (5, "Regionales Mindset / resiliente Gesellschaft"),
]


def test_the_five_action_fields_are_seeded_in_the_charta_order():
    # Straight from the database: the action_fields fixture would re-seed missing rows.
    seeded = list(ActionField.objects.order_by("number").values_list("number", "title"))

    assert seeded == DESIGNED


def test_the_model_orders_action_fields_by_number():
    assert [f.title for f in ActionField.objects.all()] == [title for _n, title in DESIGNED]


def test_seeded_action_fields_have_slugs_and_summaries():
    for action_field in ActionField.objects.all():
        assert action_field.slug
        assert action_field.summary
