"""Browser tests of the main flows; the fixtures live in tests/browser.py."""

import pytest

from tests.browser import login  # noqa: F401 (used by the test modules)


@pytest.fixture(autouse=True)
def _seeded_fields(seeded_fields):
    return seeded_fields
