"""The pages of indicators, reporting periods, acknowledgements and dependencies: who may use
their forms, what they show, and that bad input is a readable 4xx that keeps what was typed."""

import datetime
from decimal import Decimal

import pytest

from measures import services
from measures.models import IndicatorValue, ReportingPeriod

from .conftest import PEOPLE, make_measure

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def indicator(goal, coordinator):
    return services.indicator_create(
        actor=coordinator, goal=goal, title="Erreichte Unternehmen", unit="Unternehmen",
        direction="increase", baseline_value=Decimal(0), baseline_date=D(2024, 1, 1),
        target_value=Decimal(100), target_date=D(2027, 1, 1),
    )  # fmt: skip


def test_goal_page_shows_an_accessible_chart_and_a_data_table(indicator, coordinator, client):
    services.indicator_record_value(
        actor=coordinator, indicator=indicator, date=D(2024, 6, 1), value=Decimal(12),
        note="Zählung",
    )  # fmt: skip
    html = client.get(indicator.goal.get_absolute_url()).content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "<polyline" not in chart  # a single value is a point, not a line
    assert "<circle" in chart and 'stroke-dasharray="6 4"' in chart  # value and trajectory
    assert "<caption" in html and "Zählung" in html and "12" in html


VALUE_RECORDERS = {"coordinator", "editor", "wg_member", "responsible"}


@pytest.mark.parametrize(("role", "allowed"), [(k, k in VALUE_RECORDERS) for k in PEOPLE])
def test_value_form_on_the_goal_page_by_role(role, allowed, login, indicator, measure):
    client = login(role)
    url = f"/massnahmen/indikatoren/{indicator.pk}/werte/"
    prefix = f"wert-{indicator.pk}"
    answer = client.post(
        url, {f"{prefix}-date": "2024-05-01", f"{prefix}-value": "7", f"{prefix}-note": ""}
    )
    if allowed:
        assert answer.status_code == 302
    elif role == "anonymous":
        assert answer.status_code == 302 and "/konto/" in answer["Location"]
    else:
        assert answer.status_code == 403
    assert IndicatorValue.objects.exists() is allowed


def test_a_bad_value_keeps_what_was_typed(login, indicator, measure):
    client = login("editor")
    answer = client.post(
        f"/massnahmen/indikatoren/{indicator.pk}/werte/",
        {f"wert-{indicator.pk}-date": "2999-01-01", f"wert-{indicator.pk}-value": "abc",
         f"wert-{indicator.pk}-note": "meine Notiz"},
    )  # fmt: skip
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "meine Notiz" in html and "field-error" in html


def test_indicator_form_refuses_a_wrong_direction_with_a_message(login, goal, measure):
    client = login("editor")
    answer = client.post(
        f"/massnahmen/ziele/{goal.pk}/indikator/neu/",
        {"title": "Abbruchquote", "unit": "%", "direction": "increase", "baseline_value": "25",
         "baseline_date": "2024-01-01", "target_value": "10", "target_date": "2026-01-01"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "fallend" in answer.content.decode()


MANAGE_PERIODS = {"coordinator"}


@pytest.mark.parametrize(("role", "allowed"), [(k, k in MANAGE_PERIODS) for k in PEOPLE])
def test_period_pages_create_close_and_reopen_by_role(role, allowed, login, coordinator):
    client = login(role)
    created = client.post(
        "/berichtszeitraeume/",
        {"title": "bis 2. Kongress", "start": "2024-01-01", "end": "2024-06-06"},
    )
    period = services.period_create(
        actor=coordinator, title="p", start=D(2024, 1, 1), end=D(2024, 6, 6)
    )
    closed = client.post(f"/berichtszeitraeume/{period.pk}/abschliessen/")
    if not allowed:
        services.period_close(actor=coordinator, period=period)
    reopened = client.post(f"/berichtszeitraeume/{period.pk}/oeffnen/", {"reason": "Korrektur"})
    expected = {302} if allowed else ({302} if role == "anonymous" else {403})
    assert {created.status_code, closed.status_code, reopened.status_code} == expected
    assert ReportingPeriod.objects.filter(title="bis 2. Kongress").exists() is allowed
    period.refresh_from_db()
    assert period.state == ("open" if allowed else "closed")


def test_reopen_without_reason_shows_the_form_again(login, coordinator):
    period = services.period_create(
        actor=coordinator, title="p", start=D(2024, 1, 1), end=D(2024, 6, 6)
    )
    services.period_close(actor=coordinator, period=period)
    answer = login("coordinator").post(f"/berichtszeitraeume/{period.pk}/oeffnen/", {})
    assert answer.status_code == 400
    assert "warum" in answer.content.decode()


def test_period_report_prints_the_hash_in_html_and_pdf(client, coordinator, measure, indicator):
    services.indicator_record_value(
        actor=coordinator, indicator=indicator, date=D(2024, 6, 1), value=Decimal("12.5")
    )
    period = services.period_create(
        actor=coordinator, title="bis 2. Kongress", start=D(2024, 1, 1), end=D(2099, 1, 1)
    )
    snapshot = services.period_close(actor=coordinator, period=period)
    html = client.get(f"/bericht/?zeitraum={period.pk}").content.decode()
    assert snapshot.sha256 in html and measure.title in html
    assert indicator.title in html and "12,5 Unternehmen" in html
    pdf = client.get(f"/bericht.pdf?zeitraum={period.pk}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert snapshot.sha256[:12] in pdf["Content-Disposition"]


def test_report_of_an_open_or_unknown_period_is_a_404(client, coordinator):
    period = services.period_create(
        actor=coordinator, title="p", start=D(2024, 1, 1), end=D(2024, 6, 6)
    )
    assert client.get(f"/bericht/?zeitraum={period.pk}").status_code == 404
    assert client.get("/bericht/?zeitraum=abc").status_code == 404


def test_comparison_names_a_bad_period_parameter(client, coordinator):
    answer = client.get("/berichtszeitraeume/vergleich/?zeitraum=999")
    assert answer.status_code == 400
    assert "zeitraum" in answer.content.decode()
    assert client.get("/berichtszeitraeume/vergleich.csv?zeitraum=x").status_code == 400


def test_comparison_csv_has_a_column_triple_per_period(client, coordinator, measure):
    for title, end in (("A", D(2024, 6, 6)), ("B", D(2025, 6, 6)), ("C", D(2099, 1, 1))):
        period = services.period_create(
            actor=coordinator, title=title, start=D(2024, 1, 1), end=end
        )
        services.period_close(actor=coordinator, period=period)
    text = client.get("/berichtszeitraeume/vergleich.csv").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert [h for h in header if h.endswith(": Wert")] == ["A: Wert", "B: Wert", "C: Wert"]
    assert header[-1] == "Veränderung gesamt"
    xlsx = client.get("/berichtszeitraeume/vergleich.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_acknowledge_button_for_editors_but_not_for_the_author(login, measure, responsible, editor):
    update = services.measure_report_status(
        actor=responsible, measure=measure, status="in_progress", progress=20
    )
    author_page = login("responsible").get(measure.get_absolute_url()).content.decode()
    assert "Bericht bestätigen" not in author_page
    client = login("editor")
    assert "Bericht bestätigen" in client.get(measure.get_absolute_url()).content.decode()
    answer = client.post(f"/massnahmen/berichte/{update.pk}/bestaetigen/")
    assert answer.status_code == 302
    update.refresh_from_db()
    assert update.acknowledged_by == editor


def test_measure_form_refuses_a_cycle_naming_it(login, goal, coordinator):
    a = make_measure(goal, title="Erste")
    b = make_measure(goal, title="Zweite")
    services.measure_update(actor=coordinator, measure=b, depends_on=[a])
    client = login("editor")
    form = client.get(f"/massnahmen/{a.pk}/bearbeiten/")
    assert form.status_code == 200 and 'name="depends_on"' in form.content.decode()
    answer = client.post(
        f"/massnahmen/{a.pk}/bearbeiten/",
        {"goal": goal.pk, "title": "Erste", "owner": goal.owner.pk, "priority": "medium",
         "depends_on": [b.pk]},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "Kreis" in answer.content.decode()
    assert not a.depends_on.exists()


def test_measure_page_shows_why_a_predecessor_puts_it_at_risk(client, goal, coordinator):
    today = datetime.date.today()
    before = make_measure(goal, title="Vorarbeit", deadline=today - datetime.timedelta(days=3))
    after = make_measure(
        goal, title="Hauptarbeit", start_date=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=100),
    )  # fmt: skip
    services.measure_update(actor=coordinator, measure=after, depends_on=[before])
    html = client.get(after.get_absolute_url()).content.decode()
    assert "gefährdet durch Vorgänger" in html
    assert "Vorgänger „Vorarbeit“ ist seit" in html


def _queries(client, url) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "wg_member"])
def test_goal_page_and_dashboard_queries_are_constant_in_indicators_and_values(
    role, login, goal, coordinator, measure
):
    client = login(role)

    def add(count):
        for n in range(count):
            indicator = services.indicator_create(
                actor=coordinator, goal=goal, title=f"I{n}", direction="increase",
                baseline_value=Decimal(0), baseline_date=D(2024, 1, 1),
                target_value=Decimal(50), target_date=D(2026, 1, 1),
            )  # fmt: skip
            for month in range(1, 6):
                services.indicator_record_value(
                    actor=coordinator, indicator=indicator, date=D(2024, month, 1),
                    value=Decimal(month),
                )  # fmt: skip

    add(1)
    urls = (goal.get_absolute_url(), "/fortschritt/", "/offene-daten/indikatorwerte.csv")
    for url in urls:  # warm up: the first request of a session loads more (content types)
        _queries(client, url)
    few = [_queries(client, url) for url in urls]
    add(4)
    assert [_queries(client, url) for url in urls] == few


def test_dashboard_and_open_data_show_indicator_status(client, goal, coordinator):
    indicator = services.indicator_create(
        actor=coordinator, goal=goal, title="Teilnehmende Circular Cars", unit="Personen",
        direction="increase", baseline_value=Decimal(0), baseline_date=D(2024, 1, 1),
        target_value=Decimal(100), target_date=D(2025, 1, 1),
    )  # fmt: skip
    services.indicator_record_value(
        actor=coordinator, indicator=indicator, date=D(2024, 7, 2), value=Decimal(20)
    )
    dashboard = client.get("/fortschritt/").content.decode()
    assert "Teilnehmende Circular Cars" in dashboard and "im Rückstand" in dashboard
    rows = client.get("/offene-daten/indikatoren.csv").content.decode("utf-8-sig").splitlines()
    header, row = rows[0].split(";"), rows[1].split(";")
    record = dict(zip(header, row, strict=True))
    assert record["letzter Wert"] == "20" and record["Soll"] == "50"
    assert record["Stand-Code"] == "behind"
