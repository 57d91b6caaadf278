"""axe-core finds no accessibility violation on the portal pages, on a desktop and a phone."""

import pytest

from .conftest import DRAFT, Status, days, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def content(goal, other_organisation, make_measure):
    for n in range(12):
        make_measure(
            goal,
            title=f"Maßnahme {n}",
            state=DRAFT if n == 0 else "published",
            status=[Status.PLANNED, Status.IN_PROGRESS, Status.DONE, Status.DELAYED][n % 4],
            progress=[0, 50, 100, 20][n % 4],
            deadline=today() + days(70 * n - 300),
            partners=[other_organisation] if n % 2 else [],
        )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", ["/fortschritt/", "/partner/", "/partner/cwe/"])
def test_portal_page_has_no_axe_violations(browser, live_server, content, path, viewport):
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected by the test itself, which the page's CSP would otherwise refuse.
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=VIEWPORTS[viewport], bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results = Axe().run(page)
    finally:
        context.close()

    assert results.violations_count == 0, results.generate_report()
