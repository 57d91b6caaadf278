"""The progress report's ``?seit=``: read and range-checked once, for the page and the PDF."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REPORTS = ["/bericht/", "/bericht.pdf"]


@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize(
    "since", ["0001-01-01", "9999-12-31", "1989-12-31", "2024-02-30", "gestern", "2024-1-1", "²"]
)
def test_a_date_that_cannot_be_meant_answers_400_naming_the_parameter(url, since, db):
    response = Client(raise_request_exception=False).get(url, {"seit": since})

    assert response.status_code == 400
    page = response.content.decode()
    assert "„seit“ ist kein gültiges Datum" in page
    assert "zwischen dem 01.01.1990 und dem 31.12.2100" in page


@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize("since", ["1990-01-01", "2025-06-16", "", "  "])
def test_a_date_within_the_range_or_none_gives_the_report(url, since, action_fields, client):
    response = client.get(url, {"seit": since})

    assert response.status_code == 200


def test_the_report_says_since_when_it_counts_changes(action_fields, client):
    page = client.get("/bericht/", {"seit": "2025-03-01"}).content.decode()

    assert 'value="2025-03-01"' in page
    assert "Änderungen seit 1. März 2025" in page
