"""Tracking in a real browser: a coordinator closes a congress period and compares it; a
reporter records an indicator value and sees the chart move; an editor acknowledges a report."""

import re

import pytest
from django.core.management import call_command

from measures.models import Indicator, ReportingPeriod, StatusUpdate
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "e2e-Demo-Passwort-2024"


@pytest.fixture
def demo(_seeded_fields, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_coordinator_closes_a_period_and_compares_three_congresses(new_page, demo):
    page = new_page()
    login(page, "koordination", PASSWORD)
    period = ReportingPeriod.objects.get(state="open")
    first = ReportingPeriod.objects.filter(state="closed").order_by("end").first()
    first_hash = first.snapshots.get().sha256

    page.goto(period.get_absolute_url())
    page.get_by_role("button", name="Zeitraum abschließen").click()
    message = page.locator(".messages").inner_text()
    assert re.search(r"[0-9a-f]{64}", message)

    page.goto("/berichtszeitraeume/vergleich/")
    headers = page.locator("table.comparison").first.locator("thead th").all_inner_texts()
    assert [h for h in headers if "Kongress" in h] == [
        "bis 2. Kongress",
        "bis 3. Kongress",
        "bis 4. Kongress",
    ]
    assert page.locator("table.comparison .change-up").count() > 0

    first.refresh_from_db()
    assert first.snapshots.get().sha256 == first_hash
    page.goto(f"/bericht/?zeitraum={first.pk}")
    assert first_hash in page.content()


def test_reporter_records_a_value_and_the_chart_shows_it(new_page, demo):
    indicator = Indicator.objects.get(title="Teilnehmende der Circular-Cars-Trainings")
    page = new_page()
    login(page, "ag-qualifizierung", PASSWORD)
    page.goto(indicator.goal.get_absolute_url())
    section = page.locator(f"#indikator-{indicator.pk}")
    section.get_by_text("Wert erfassen").click()
    section.get_by_role("spinbutton", name="Wert").fill("57")
    section.get_by_role("textbox", name="Anmerkung").fill("Vierter Durchgang")
    section.get_by_role("button", name="Wert speichern").click()
    section = page.locator(f"#indikator-{indicator.pk}")
    assert "Vierter Durchgang" in section.inner_text()
    assert "57 Teilnehmende" in section.locator("svg").inner_html()


def test_editor_acknowledges_a_waiting_report(new_page, demo):
    update = (
        StatusUpdate.objects.filter(
            acknowledged_at__isnull=True, measure__goal__action_field__slug="industriepolitik"
        )
        .exclude(author__username="redaktion-industrie")
        .first()
    )
    page = new_page()
    login(page, "redaktion-industrie", PASSWORD)
    page.goto(update.measure.get_absolute_url())
    page.locator(f"#bericht-{update.pk}").get_by_role("button", name="Bericht bestätigen").click()
    assert "Bestätigt von" in page.locator(f"#bericht-{update.pk}").inner_text()
