"""factory_boy factories for the test suite.

Factories build rows and nothing else: roles and permissions are granted in the tests
(or in conftest.py) through ``accounts.roles``, as the application does.
"""

import importlib

import factory
from django.apps import apps
from factory.django import DjangoModelFactory

from accounts.models import Organisation, User, WorkingGroup
from accounts.services import working_group_create
from charta.models import ActionField, Charta, Section
from measures.models import Goal, Measure

PASSWORD = "pw-test-123"
DEFAULT_FIELD = "industriepolitik"


def ensure_seeded_fields() -> None:
    """Put back the Handlungsfelder of the data migration when a flush removed them.

    Transactional tests (live server, browser) end with a flush that empties every table,
    data-migration rows included; this re-runs the migration's own seed, which is idempotent.
    """
    if ActionField.objects.count() < 5:
        importlib.import_module("charta.migrations.0002_seed_action_fields").seed(apps, None)


def seeded_field(slug: str = DEFAULT_FIELD) -> ActionField:
    """One of the five Handlungsfelder of the data migration; tests never create fields."""
    try:
        return ActionField.objects.get(slug=slug)
    except ActionField.DoesNotExist:
        ensure_seeded_fields()
        return ActionField.objects.get(slug=slug)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partnerorganisation {n}")
    short_name = factory.Sequence(lambda n: f"PO{n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Organisation.Kind.OTHER


class WorkingGroupFactory(DjangoModelFactory):
    """Working groups come with their auth group, so they go through the service."""

    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Arbeitsgruppe {n}")
    slug = factory.Sequence(lambda n: f"ag-{n}")
    description = ""
    organisation = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return working_group_create(actor=None, **kwargs)


class ChartaFactory(DjangoModelFactory):
    class Meta:
        model = Charta

    title = factory.Sequence(lambda n: f"ITAS-Charta {2024 + n}")
    slug = factory.Sequence(lambda n: f"itas-charta-{2024 + n}")
    year = factory.Sequence(lambda n: 2024 + n)
    is_current = False


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    charta = factory.SubFactory(ChartaFactory)
    action_field = factory.LazyFunction(seeded_field)
    title = factory.LazyAttribute(lambda o: o.action_field.title)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    action_field = factory.LazyFunction(seeded_field)
    title = factory.Sequence(lambda n: f"Ziel {n}")
    owner = factory.SubFactory(OrganisationFactory)


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    owner = factory.SubFactory(OrganisationFactory)
