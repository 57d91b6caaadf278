"""Phones: every page a crawler reaches reflows at 320 CSS pixels without horizontal scrolling
of the page (WCAG 2.1 SC 1.4.10), logged out and as each demo role; the navigation folds
behind a menu button that works without JavaScript; the focus indicator contrasts at least
3:1 with every background it appears on (SC 1.4.11)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Demo-Passwort-2024"
ROLES = [
    None,  # logged out
    "koordination",
    "redaktion-industrie",
    "pruefung-industrie",
    "partner",
    "ag-qualifizierung",
]
PHONE = {"width": 320, "height": 640}
# Downloads, other formats and things that are not pages of this site's layout.
SKIPPED = re.compile(
    r"\.(csv|xlsx|ics|atom|pdf|txt)$|^/(admin|api)/|^/sprache/|^/healthz|^/konto/abmelden/"
)
# One page per URL pattern: the layout is the template's, not the row's. A crawl of every
# goal and measure would show the same template a hundred times.
MAX_PAGES_PER_ROLE = 60
# Where the crawl starts: the home page, and pages that only forms lead to (search results,
# with hits and without).
SEEDS = ("/", "/suche/?q=Zulieferern", "/suche/?q=Zulieferrer")


@pytest.fixture
def demo(_seeded_fields, settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def crawl(page, base_url: str) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Visit one page per URL pattern reachable by links from the home page; answer the
    patterns with the page seen for each, and the pages that scroll sideways with their
    widths."""
    seen_patterns: dict[str, str] = {}
    overflowing: dict[str, list[int]] = {}
    queue = deque(SEEDS)
    queued = set(SEEDS)
    while queue and len(seen_patterns) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or (pattern in seen_patterns and path not in SEEDS):
            continue
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        seen_patterns.setdefault(pattern, path)
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            overflowing[path] = widths
        for href in _links(page):
            href, _fragment = urldefrag(href)
            if not href.startswith(base_url):
                continue
            link = href[len(base_url) :] or "/"
            if SKIPPED.search(urlsplit(link).path) or link in queued:
                continue
            queued.add(link)
            queue.append(link)
    return seen_patterns, overflowing


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "logged-out")
def test_every_page_reflows_at_320_pixels(role, browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if role:
        login(page, role, PASSWORD)

    patterns, overflowing = crawl(page, live_server.url)
    context.close()

    assert overflowing == {}, f"pages wider than 320 px: {overflowing}"
    # The crawl reached the pages that matter, not just the home page.
    expected = {
        "",
        "charta/",
        "handlungsfelder/<slug:slug>/",
        "massnahmen/",
        "massnahmen/<int:pk>/",
        "massnahmen/ziele/<int:pk>/",
        "fortschritt/",
        "partner/",
        "partner/<slug:slug>/",
        "offene-daten/",
        "bericht/",
        "suche/",
    }
    if role:
        expected |= {"massnahmen/meine/", "benachrichtigungen/", "konto/daten/"}
    assert expected <= set(patterns), sorted(expected - set(patterns))


def test_the_menu_button_opens_the_navigation_on_a_phone_without_javascript(
    browser, live_server, demo
):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    header_height = page.evaluate(
        "document.querySelector('.site-header').getBoundingClientRect().height"
    )
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    assert header_height < 80
    assert not navigation.is_visible()

    page.get_by_text("Menü", exact=True).click()

    navigation.get_by_role("link", name="1. Industriepolitik").wait_for()
    assert page.get_by_role("searchbox").is_visible()
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    navigation.get_by_role("link", name="1. Industriepolitik").click()
    page.get_by_role("heading", name="Industriepolitik", level=1).wait_for()
    context.close()


def test_wide_screens_show_the_navigation_without_a_menu_button(new_page, demo):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/")

    assert page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert page.get_by_role("searchbox").is_visible()
    assert not page.get_by_text("Menü", exact=True).is_visible()


def test_a_wide_table_scrolls_in_its_own_box_not_the_page(new_page, demo):
    page = new_page(viewport=PHONE)
    page.goto("/massnahmen/")

    box = page.locator(".table-scroll").first
    sizes = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert sizes[0] > sizes[1]  # the table is wider than its box: the box scrolls
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    # The cue: shadows at the edges, painted as background images.
    assert "radial-gradient" in box.evaluate("box => getComputedStyle(box).backgroundImage")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


FOCUS_STYLE = """element => {
  element.focus();
  const style = getComputedStyle(element);
  let node = element, background = 'rgba(0, 0, 0, 0)';
  while (node && (background === 'rgba(0, 0, 0, 0)' || background === 'transparent')) {
    node = node.parentElement;
    background = node ? getComputedStyle(node).backgroundColor : 'rgb(255, 255, 255)';
  }
  return [style.outlineStyle, style.outlineColor, style.boxShadow, background];
}"""


@pytest.mark.parametrize(
    "selector",
    [
        "main a[href]",  # on white
        ".site-footer a[href]",  # on the tinted footer
        ".main-nav a[href]",  # on the dark navigation band
        ".site-search button",  # on the blue header
    ],
)
def test_the_focus_indicator_contrasts_3_to_1_with_its_background(selector, new_page, demo):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/")
    page.keyboard.press("Tab")  # keyboard modality: :focus-visible applies to what we focus

    style, outline, shadow, background = page.locator(selector).first.evaluate(FOCUS_STYLE)

    assert style != "none"
    ring_colours = [_rgb(outline)]
    if shadow != "none":
        ring_colours.append(_rgb(shadow))
    assert max(_contrast(colour, _rgb(background)) for colour in ring_colours) >= 3, (
        outline,
        shadow,
        background,
    )


# Small things that made the pages look unfinished ----------------------------------------


def test_the_charta_table_of_contents_numbers_each_field_once(new_page, demo):
    page = new_page()
    page.goto("/charta/")

    entries = page.locator(".toc li")
    assert entries.count() >= 1
    first = entries.first
    assert first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert re.fullmatch(r"\d\. \S.*", first.inner_text().strip())


@pytest.mark.parametrize("width", [320, 1280])
def test_field_card_titles_are_never_cut_off(width, new_page, demo):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto("/")

    titles = page.locator(".card h3")
    assert titles.count() == 5
    for index in range(5):
        title = titles.nth(index)
        fits = title.evaluate(
            "h => h.scrollWidth <= h.clientWidth && h.getBoundingClientRect().right"
            " <= h.closest('.card').getBoundingClientRect().right"
        )
        assert fits, title.inner_text()


def test_the_percent_sign_stays_on_the_line_of_its_number(new_page, demo):
    page = new_page(viewport=PHONE)
    page.goto("/massnahmen/")

    figures = page.locator(".progress-figure")
    assert figures.count() > 0
    lines = figures.evaluate_all(
        "spans => spans.map(s => new Set([...s.getClientRects()].map(r => Math.round(r.top))).size)"
    )
    assert set(lines) == {1}


def test_charts_switch_to_their_tables_on_a_phone(new_page, demo):
    phone = new_page(viewport=PHONE)
    phone.goto("/fortschritt/")
    desktop = new_page(viewport={"width": 1280, "height": 800})
    desktop.goto("/fortschritt/")

    assert phone.locator(".chart").count() >= 3
    assert not phone.locator(".chart svg").first.is_visible()
    assert phone.locator(".chart table").first.is_visible()
    assert desktop.locator(".chart svg").first.is_visible()
    assert not desktop.locator(".chart table").first.is_visible()  # behind "Daten als Tabelle"


def _axe_violations(page) -> list[str]:
    from tests.e2e.test_public_portal import AXE_SOURCE, WCAG_AA

    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    assert result["passes"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def test_the_open_menu_the_import_page_and_the_search_help_pass_axe_on_a_phone(
    browser, live_server, demo
):
    # bypass_csp: axe is injected as a script; the pages themselves allow none inline.
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    failures = {}
    page.goto("/suche/?q=Zulieferrer")
    page.get_by_text("Menü", exact=True).click()
    failures["menu and search help"] = _axe_violations(page)
    login(page, "ag-qualifizierung", PASSWORD)
    page.goto("/massnahmen/import/")
    failures["import"] = _axe_violations(page)
    context.close()

    assert failures == {"menu and search help": [], "import": []}
