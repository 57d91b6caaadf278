"""Shared fixtures: the seeded Handlungsfelder, a charta section and one user per role."""

import os

# pytest-django imports the settings before this file (config/settings.py also recognises
# a pytest run); the variable is set here too for processes the tests start themselves.
os.environ.setdefault("DJANGO_TESTING", "1")

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.roles import RoleName, role_grant
from charta.models import ActionField, Charta, Section
from tests.factories import (
    ChartaFactory,
    SectionFactory,
    UserFactory,
    WorkingGroupFactory,
    ensure_seeded_fields,
    seeded_field,
)

pytest_plugins = ["tests.browser"]

FIELD = "industriepolitik"
OTHER_FIELD = "arbeit-und-beschaeftigung"

# Every person the permission tables run over, by fixture name.
ROLE_KEYS = (
    "coordinator",
    "editor",
    "other_editor",
    "reviewer",
    "partner",
    "wg_member",
    "outsider",
    "anonymous",
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the seeded Handlungsfelder back after a transactional test's closing flush.

    pytest-xdist hands out test files largest first, so a small file of ordinary tests may
    run after a browser test on the same worker and would find the tables of the data
    migration empty."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    if transactional and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            ensure_seeded_fields()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fresh(user: User) -> User:
    """The user re-read from the database, without any cached permissions."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def action_fields(db) -> list[ActionField]:
    """The five Handlungsfelder seeded by the data migration, in the charta's order."""
    ensure_seeded_fields()
    return list(ActionField.objects.order_by("number"))


@pytest.fixture
def field(action_fields) -> ActionField:
    return seeded_field(FIELD)


@pytest.fixture
def other_field(action_fields) -> ActionField:
    return seeded_field(OTHER_FIELD)


@pytest.fixture
def charta(db) -> Charta:
    """The current edition."""
    return ChartaFactory(
        title="ITAS-Charta 2024", slug="itas-charta-2024", year=2024, is_current=True
    )


@pytest.fixture
def section(charta, field) -> Section:
    """The Industriepolitik section of the current edition, without text yet."""
    return SectionFactory(charta=charta, action_field=field)


def user_with(username: str, role: RoleName | None = None, obj=None) -> User:
    """A new user holding ``role`` (on ``obj`` for scoped roles), freshly read."""
    user = UserFactory(username=username)
    if role is not None:
        role_grant(actor=None, role=role, grantee=user, obj=obj)
    return fresh(user)


@pytest.fixture
def coordinator(db) -> User:
    return user_with("koordination", RoleName.COORDINATOR)


@pytest.fixture
def editor(field) -> User:
    return user_with("redaktion", RoleName.EDITOR, field)


@pytest.fixture
def other_editor(other_field) -> User:
    """Editor of another Handlungsfeld (Arbeit und Beschäftigung)."""
    return user_with("redaktion-arbeit", RoleName.EDITOR, other_field)


@pytest.fixture
def reviewer(field) -> User:
    return user_with("pruefung", RoleName.REVIEWER, field)


@pytest.fixture
def partner(db) -> User:
    return user_with("partner", RoleName.PARTNER)


@pytest.fixture
def working_group(db):
    return WorkingGroupFactory(name="AG Qualifizierung", slug="ag-qualifizierung")


@pytest.fixture
def wg_member(working_group) -> User:
    return user_with("ag-mitglied", RoleName.WORKING_GROUP_MEMBER, working_group)


@pytest.fixture
def outsider(db) -> User:
    """Logged in, but without any role."""
    return user_with("aussen")


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def as_role(request) -> Callable[[str], User | AnonymousUser]:
    """``as_role("editor")``: the user of that role fixture, freshly read from the database.

    For table-driven tests whose parameters name roles (see ROLE_KEYS). Within one test
    the same key gives the same person, so a role may act twice (e.g. submit, then approve).
    """

    def get(role: str) -> User | AnonymousUser:
        if role not in ROLE_KEYS:
            raise ValueError(f"unknown role key {role!r}; known: {', '.join(ROLE_KEYS)}")
        user = request.getfixturevalue(role)
        return user if isinstance(user, AnonymousUser) else fresh(user)

    return get


@pytest.fixture
def user_with_role(request, as_role) -> User | AnonymousUser:
    """Indirect parametrisation: ``@pytest.mark.parametrize("user_with_role", [...],
    indirect=True)``."""
    return as_role(request.param)
