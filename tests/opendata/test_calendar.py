"""The iCal feeds of measure deadlines: all fields and one field."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from .conftest import in_days

pytestmark = pytest.mark.django_db


def events(response) -> dict[str, icalendar.Event]:
    """The VEVENTs of a calendar response by UID."""
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(measure) -> str:
    return f"measure-{measure.pk}@itas-charta"


def test_the_calendar_is_text_calendar_in_utf8_with_a_name(content, download):
    response = download(reverse("opendata:deadlines"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "ITAS-Charta: Fristen der Maßnahmen"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]


def test_one_all_day_event_per_published_measure_with_a_deadline(content, download):
    found = events(download(reverse("opendata:deadlines")))
    expected = [content[key] for key in ("coaching", "helpdesk", "training")]
    assert set(found) == {uid(measure) for measure in expected}
    for measure in expected:
        event = found[uid(measure)]
        assert event.decoded("DTSTART") == measure.deadline
        assert not isinstance(event.decoded("DTSTART"), datetime.datetime)
        assert event.decoded("DTEND") == measure.deadline + datetime.timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Frist: {measure.title}"
        assert str(event["URL"]) == f"http://testserver/massnahmen/{measure.pk}/"
        assert isinstance(event.decoded("DTSTAMP"), datetime.datetime)


def test_the_description_tells_status_and_progress(content, report, download):
    report(content["helpdesk"], "delayed", 35, "Personal fehlt.")
    event = events(download(reverse("opendata:deadlines")))[uid(content["helpdesk"])]
    description = str(event["DESCRIPTION"])
    assert "Umsetzungsstand: Verzögert" in description
    assert "Fortschritt: 35 %" in description
    assert "Die Frist ist überschritten." in description


def test_the_uid_stays_the_same_when_the_measure_changes(content, report, download):
    before = events(download(reverse("opendata:deadlines")))
    report(content["coaching"], "in_progress", 50)
    after = events(download(reverse("opendata:deadlines")))
    assert set(before) == set(after)
    key = uid(content["coaching"])
    assert "Fortschritt: 50 %" in str(after[key]["DESCRIPTION"])


def test_the_field_calendar_contains_only_that_field(content, field, other_field, download):
    own = events(download(reverse("opendata:field_deadlines", kwargs={"slug": field.slug})))
    assert set(own) == {uid(content["coaching"]), uid(content["helpdesk"])}
    response = download(reverse("opendata:field_deadlines", kwargs={"slug": other_field.slug}))
    assert set(events(response)) == {uid(content["training"])}
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "ITAS-Charta: Fristen – Arbeit und Beschäftigung"


def test_a_field_without_deadlines_gives_an_empty_calendar(content, action_fields, download):
    url = reverse("opendata:field_deadlines", kwargs={"slug": "qualifizierung-und-weiterbildung"})
    response = download(url)
    assert response.status_code == 200
    assert events(response) == {}


def test_an_unknown_field_has_no_calendar(db, download):
    url = reverse("opendata:field_deadlines", kwargs={"slug": "gibt-es-nicht"})
    assert download(url).status_code == 404


def test_a_moved_deadline_moves_the_event(goal, make_measure, download):
    measure = make_measure(goal, "Wasserstoffbedarf der Region", deadline=in_days(3))
    type(measure).objects.filter(pk=measure.pk).update(deadline=in_days(30))
    event = events(download(reverse("opendata:deadlines")))[uid(measure)]
    assert event.decoded("DTSTART") == in_days(30)


@pytest.mark.parametrize("extreme", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_a_deadline_saved_out_of_range_is_left_out_of_both_calendars_and_logged(
    extreme, content, field, download, caplog
):
    """Rows saved before dates were range-checked must not break the calendar of everybody."""
    helpdesk = content["helpdesk"]
    type(helpdesk).objects.filter(pk=helpdesk.pk).update(deadline=extreme)
    urls = [
        reverse("opendata:deadlines"),
        reverse("opendata:field_deadlines", kwargs={"slug": field.slug}),
    ]

    with caplog.at_level("WARNING", logger="portal.opendata.calendar"):
        responses = [download(url) for url in urls]

    assert [response.status_code for response in responses] == [200, 200]
    assert set(events(responses[0])) == {uid(content["coaching"]), uid(content["training"])}
    assert set(events(responses[1])) == {uid(content["coaching"])}
    skipped = [r for r in caplog.records if r.name == "portal.opendata.calendar"]
    assert len(skipped) == 2
    assert all(f"measure {helpdesk.pk}" in r.getMessage() for r in skipped)
    assert all(extreme.isoformat() in r.getMessage() for r in skipped)
