"""Status reports: the rules of a report, append-only history, and the report form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from measures.models import StatusUpdate
from measures.services import measure_report_status

from .conftest import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(person):
    """A member of the measure's working group (the usual reporter)."""
    return person("wg_member")


def report(actor, measure, status=Status.IN_PROGRESS, progress=50, note="", **kwargs):
    return measure_report_status(
        actor=actor, measure=measure, status=status, progress=progress, note=note, **kwargs
    )


# Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "progress", "note", "named"),
    [
        (Status.IN_PROGRESS, -1, "", "progress"),
        (Status.IN_PROGRESS, 101, "", "progress"),
        (Status.IN_PROGRESS, "50", "", "progress"),  # a number, not text
        (Status.IN_PROGRESS, None, "", "progress"),
        ("finished", 50, "", "status"),
        ("", 50, "", "status"),
        (Status.STOPPED, 40, "", "note"),
        (Status.STOPPED, 40, "   \n", "note"),
        (Status.DONE, 99, "Fast fertig.", "progress"),
        (Status.DONE, 0, "", "progress"),
    ],
)
def test_invalid_report_is_refused_naming_the_field(
    status, progress, note, named, reporter, measure
):
    with pytest.raises(ValidationError) as raised:
        report(reporter, measure, status=status, progress=progress, note=note)

    assert named in raised.value.message_dict
    measure.refresh_from_db()
    assert (measure.status, measure.progress, measure.last_reported_at) == (
        Status.PLANNED,
        0,
        None,
    )
    assert not StatusUpdate.objects.filter(measure=measure).exists()


@pytest.mark.parametrize(
    ("status", "progress", "note"),
    [
        (Status.PLANNED, 0, ""),
        (Status.IN_PROGRESS, 100, ""),
        (Status.DELAYED, 15, "Fördermittel kommen später."),
        (Status.DONE, 100, ""),
        (Status.STOPPED, 40, "Der Partner ist ausgestiegen."),
    ],
)
def test_valid_reports_are_accepted(status, progress, note, reporter, measure):
    update = report(reporter, measure, status=status, progress=progress, note=note)

    assert (update.status, update.progress, update.author) == (status, progress, reporter)


def test_report_error_messages_are_german(reporter, measure):
    with pytest.raises(ValidationError) as raised:
        report(reporter, measure, status=Status.STOPPED, progress=120)

    messages = raised.value.message_dict
    assert messages["progress"] == ["Der Fortschritt ist eine ganze Zahl zwischen 0 und 100."]
    assert messages["note"] == ["Bitte begründen Sie, warum die Maßnahme eingestellt wird."]


# The measure follows its latest report ------------------------------------------------------


def test_measure_takes_status_progress_and_time_of_the_latest_report(reporter, measure):
    report(reporter, measure, status=Status.IN_PROGRESS, progress=20)
    latest = report(reporter, measure, status=Status.DELAYED, progress=35, note="Verzug.")

    measure.refresh_from_db()
    assert measure.status == Status.DELAYED
    assert measure.progress == 35
    assert measure.last_reported_at == latest.created_at


def test_back_dated_report_does_not_replace_a_newer_one(reporter, measure):
    current = report(reporter, measure, status=Status.IN_PROGRESS, progress=60)
    report(
        reporter,
        measure,
        status=Status.PLANNED,
        progress=5,
        reported_at=timezone.now() - datetime.timedelta(days=30),
    )

    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (Status.IN_PROGRESS, 60)
    assert measure.last_reported_at == current.created_at


def test_reports_are_appended_and_earlier_ones_stay_unchanged(reporter, person, measure):
    first = report(reporter, measure, status=Status.IN_PROGRESS, progress=20, note="Start.")
    before = StatusUpdate.objects.filter(pk=first.pk).values().get()

    report(person("responsible"), measure, status=Status.DONE, progress=100, note="Fertig.")

    assert StatusUpdate.objects.filter(measure=measure).count() == 2
    assert StatusUpdate.objects.filter(pk=first.pk).values().get() == before


def test_report_note_is_rendered_as_safe_markdown(reporter, measure):
    update = report(reporter, measure, note="**Zweiter Workshop** <script>alert(1)</script>")

    assert "<strong>Zweiter Workshop</strong>" in update.note_html
    assert "<script>" not in update.note_html


# The report form ---------------------------------------------------------------------------

TYPED_NOTE = "Zweiter Workshop mit zwölf Zulieferbetrieben in Zwickau durchgeführt"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"status": "done", "progress": "80", "note": TYPED_NOTE},
            "Eine abgeschlossene Maßnahme steht bei 100 %.",
        ),
        (
            {"status": "in_progress", "progress": "150", "note": TYPED_NOTE},
            "kleiner oder gleich 100",
        ),
        (
            {"status": "in_progress", "progress": "-5", "note": TYPED_NOTE},
            "größer oder gleich 0",
        ),
        (
            {"status": "beendet", "progress": "50", "note": TYPED_NOTE},
            "keine gültige Auswahl",
        ),
    ],
)
def test_report_form_with_bad_input_keeps_the_note_and_explains_in_german(
    data, message, login, measure
):
    response = login("wg_member").post(f"/massnahmen/{measure.pk}/bericht/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert TYPED_NOTE in html
    assert message in html
    assert "Bitte korrigieren Sie Ihre Eingaben" in html
    assert not measure.status_updates.exists()


def test_report_form_stopping_without_reason_asks_for_one(login, measure):
    response = login("wg_member").post(
        f"/massnahmen/{measure.pk}/bericht/", {"status": "stopped", "progress": "40", "note": ""}
    )

    assert response.status_code == 400
    assert "Bitte begründen Sie, warum die Maßnahme eingestellt wird." in response.content.decode()
    assert not measure.status_updates.exists()


def test_report_form_saves_a_good_report_and_shows_it_in_the_timeline(login, measure):
    client = login("wg_member")

    response = client.post(
        f"/massnahmen/{measure.pk}/bericht/",
        {"status": "in_progress", "progress": "45", "note": TYPED_NOTE},
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (Status.IN_PROGRESS, 45)
    page = client.get(f"/massnahmen/{measure.pk}/").content.decode()
    assert TYPED_NOTE in page
    assert "45 %" in page
