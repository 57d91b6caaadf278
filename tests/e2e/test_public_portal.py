"""The public portal in a real browser: a person without an account, keyboard only where it
matters, and an axe-core accessibility check of every public page template."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command

from charta.models import Section
from measures.models import Goal, Measure, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Text that exists only in drafts of the demo data: the public must never see it.
UNPUBLISHED = [
    "Wasserstoff als Standortfaktor",
    "Online-Sprechstunden",
    "Wasserstoffbedarf der Region als Standortfaktor ermitteln",
    "Bedarfserhebung Wasserstoff",
    "Kompetenzprofile Elektromobilität",
]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def demo(_seeded_fields, settings):
    settings.DEMO_PASSWORD = "e2e-Demo-Passwort-2024"
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "section": Section.objects.get(action_field__slug="industriepolitik"),
        "goal": Goal.objects.filter(state="published", measures__state="published").first(),
        "measure": Measure.objects.filter(state="published", goal__state="published").first(),
        "period": ReportingPeriod.objects.filter(state="closed").order_by("end").first(),
    }


def public_paths(demo) -> dict[str, str]:
    paths = {
        "home": "/",
        "charta": "/charta/",
        "field": "/handlungsfelder/industriepolitik/",
        "section": f"/charta/abschnitt/{demo['section'].pk}/",
        "goal": demo["goal"].get_absolute_url(),
        "measure": demo["measure"].get_absolute_url(),
        "measures": "/massnahmen/?overdue=true",
        "search": "/suche/?q=Zulieferer",
        "report": "/bericht/",
        "dashboard": "/fortschritt/",
        "partners": "/partner/",
        "partner": "/partner/ihk-chemnitz/",
        "open-data": "/offene-daten/",
        "privacy": "/datenschutz/",
        "login": "/konto/anmelden/",
        "not-found": "/gibt-es-nicht/",
        "periods": "/berichtszeitraeume/",
        "period": demo["period"].get_absolute_url(),
        "comparison": "/berichtszeitraeume/vergleich/",
        "period-report": f"/bericht/?zeitraum={demo['period'].pk}",
        "indicator-goal": Goal.objects.get(
            title="Industrie-KMU nutzen kostenfreie Transformationsberatung"
        ).get_absolute_url(),
    }
    return paths


def test_every_public_page_passes_axe_wcag_21_aa(browser, live_server, demo):
    # bypass_csp: axe is injected as a script; the pages themselves allow none inline.
    context = browser.new_context(base_url=live_server.url, locale="de-DE", bypass_csp=True)
    page = context.new_page()
    failures = {}
    for name, path in public_paths(demo).items():
        response = page.goto(path)
        assert response.status == (404 if name == "not-found" else 200), path
        page.evaluate(AXE_SOURCE)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
        )
        assert result["passes"], f"axe checked nothing on {path}"
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        if violations:
            failures[name] = violations
    context.close()
    assert failures == {}


def test_a_visitor_finds_a_field_reads_it_follows_a_goal_to_its_measures_and_searches(
    new_page, demo
):
    page = new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="1. Industriepolitik"
    ).click()
    page.get_by_role("heading", name="Industriepolitik", level=1).wait_for()
    assert "Helpdesk-Sprechstunden" in page.locator(".charta-text").first.inner_text()

    goal = demo["goal"]
    page.goto(goal.get_absolute_url())
    measure = goal.measures.filter(state="published").first()
    page.get_by_role("link", name=measure.title).first.click()
    page.get_by_role("heading", name=measure.title).wait_for()
    assert f"{measure.progress} %" in page.content()

    page.get_by_role("searchbox", name="Charta, Ziele und Maßnahmen durchsuchen").fill("Helpdesk")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Suche").wait_for()
    assert page.locator("mark").count() > 0

    for path in public_paths(demo).values():
        page.goto(path)
        content = page.content()
        for text in UNPUBLISHED:
            assert text not in content, (path, text)


def test_a_visitor_downloads_the_data_and_the_printable_report(new_page, demo):
    page = new_page()
    page.goto("/offene-daten/")
    links = [a.get_attribute("href") for a in page.locator("main a[href]").all()]
    # webcal:// links subscribe a calendar app; the same feed is linked over http too.
    downloads = [
        href
        for href in links
        if re.search(r"\.(csv|xlsx|ics|atom)$", href or "") and not href.startswith("webcal:")
    ]
    assert len(downloads) >= 6
    for href in downloads:
        response = page.request.get(href)
        assert response.status == 200, href
        body = response.body()
        for text in UNPUBLISHED:
            assert text.encode() not in body, (href, text)

    page.goto("/bericht/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    pdf = page.request.get("/bericht.pdf")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")


def test_keyboard_users_skip_to_the_content_and_reach_the_navigation(new_page, demo):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"

    page.goto("/")
    target = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="1. Industriepolitik"
    )
    for _ in range(20):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the navigation link was not reachable with Tab")
    outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Industriepolitik", level=1).wait_for()
