"""The printable progress report ("Fortschrittsbericht"): public content only, as of today,
with what changed since a given date. Rendered as an HTML page and as a PDF."""

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charta import selectors as charta_selectors
from charta.models import ActionField
from measures import permissions, selectors
from measures.indicators import figure
from measures.models import Goal, StatusUpdate


@dataclass
class Change:
    when: datetime.datetime
    text: str
    url: str


@dataclass
class FieldReport:
    field: ActionField
    summary: str
    progress: selectors.FieldProgress | None
    goals: list[Goal]
    changes: list[Change] = field(default_factory=list)


@dataclass
class ProgressReport:
    as_of: datetime.date
    since: datetime.date
    fields: list[FieldReport]
    measures: int
    done: int
    overdue: int


def _day(value) -> str:
    """A date as the reader's language writes it (config/formats)."""
    return date_format(value, "SHORT_DATE_FORMAT")


def build(*, since: datetime.date) -> ProgressReport:
    """Everything the public may see, per Handlungsfeld, with the changes since ``since``."""
    public = AnonymousUser()
    charta = charta_selectors.current_charta()
    sections = (
        {s.action_field_id: s for s in charta_selectors.published_sections(charta)}
        if charta
        else {}
    )
    goals_by_field: dict[int, list[Goal]] = {}
    indicators: dict[int, list] = {}
    for indicator in selectors.indicators_for(public):
        indicators.setdefault(indicator.goal_id, []).append(indicator)
    for goal in selectors.goals_for(public):
        goal.indicator_list = indicators.get(goal.pk, [])
        goals_by_field.setdefault(goal.action_field_id, []).append(goal)
    progress = selectors.field_progress(public)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))

    changes: dict[int, list[Change]] = {}
    for section in sections.values():
        if section.published_at and section.published_at >= start:
            changes.setdefault(section.action_field_id, []).append(
                Change(
                    section.published_at,
                    _("Charta-Text veröffentlicht (Revision %(number)s)")
                    % {"number": section.published_revision.number},
                    section.action_field.get_absolute_url(),
                )
            )
    updates = (
        StatusUpdate.objects.filter(
            created_at__gte=start,
            measure__in=permissions.measures_visible_to(public).values("pk"),
        )
        .select_related("measure__goal")
        .order_by("created_at", "id")
    )
    for update in updates:
        changes.setdefault(update.measure.goal.action_field_id, []).append(
            Change(
                update.created_at,
                _("%(measure)s: %(status)s, %(progress)s %%")
                % {
                    "measure": update.measure.title,
                    "status": update.get_status_display(),
                    "progress": update.progress,
                },
                update.measure.get_absolute_url(),
            )
        )

    fields = []
    for action_field in charta_selectors.action_fields():
        section = sections.get(action_field.pk)
        paragraphs = section.published_revision.paragraphs if section else []
        fields.append(
            FieldReport(
                field=action_field,
                summary=paragraphs[0][1] if paragraphs else "",
                progress=progress.get(action_field.pk),
                goals=goals_by_field.get(action_field.pk, []),
                changes=sorted(changes.get(action_field.pk, []), key=lambda c: c.when),
            )
        )
    all_measures = [m for f in fields for g in f.goals for m in g.measures.all()]
    return ProgressReport(
        as_of=selectors.today(),
        since=since,
        fields=fields,
        measures=len(all_measures),
        done=sum(1 for m in all_measures if m.status == "done"),
        overdue=sum(1 for m in all_measures if m.is_overdue),
    )


def _number(value) -> str:
    return figure(value)


def _table_style():
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
            ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )


def _indicator_rows(entries, small) -> list[list]:
    """Rows of an indicator table from (title, unit, value, date, expected, target, status)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    rows = [[_("Indikator"), _("Wert"), _("Soll"), _("Zielwert"), _("Stand")]]
    for title, unit, value, day, expected, target, status in entries:
        shown = _number(value) + (f" {unit}" if value is not None and unit else "")
        if day:
            shown += f" ({day.strftime('%d.%m.%Y')})"
        rows.append(
            [Paragraph(escape(title), small), Paragraph(escape(shown), small), _number(expected),
             f"{_number(target)} {unit}".strip(), status]
        )  # fmt: skip
    return rows


def _indicator_table(indicators, small):
    from reportlab.lib.units import cm
    from reportlab.platypus import Table

    entries = [
        (i.title, i.unit, i.reading.latest_value, i.reading.latest_date, i.reading.expected_value,
         i.target_value, str(i.reading.status_label))
        for i in indicators
    ]  # fmt: skip
    table = Table(
        _indicator_rows(entries, small),
        colWidths=[5.5 * cm, 3.5 * cm, 2.2 * cm, 3 * cm, 2.8 * cm],
        repeatRows=1,
    )
    table.setStyle(_table_style())
    return table


def as_pdf(report: ProgressReport, *, base_url: str) -> bytes:
    """The report as a PDF (A4, ReportLab's built-in Helvetica: no font files needed)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("ITAS-Charta – Fortschrittsbericht"),
        author="ITAS-Konsortium",
        lang="de-DE",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    story = [
        Paragraph(escape(_("ITAS-Charta – Fortschrittsbericht")), styles["Title"]),
        Paragraph(
            escape(
                _("Stand %(as_of)s, Änderungen seit %(since)s. %(measures)s Maßnahmen, davon "
                  "%(done)s abgeschlossen und %(overdue)s überfällig.")
                % {
                    "as_of": _day(report.as_of),
                    "since": _day(report.since),
                    "measures": report.measures,
                    "done": report.done,
                    "overdue": report.overdue,
                }
            ),
            styles["BodyText"],
        ),
    ]  # fmt: skip
    for item in report.fields:
        story += [
            Spacer(1, 0.4 * cm),
            Paragraph(escape(f"{item.field.number}. {item.field.title}"), styles["Heading2"]),
        ]
        if item.progress and item.progress.progress is not None:
            story.append(
                Paragraph(
                    # Rounded as the pages round it (floatformat), so both show one figure.
                    escape(
                        _("Fortschritt: %(p)s %%") % {"p": floatformat(item.progress.progress, 0)}
                    ),
                    styles["BodyText"],
                )
            )
        if item.summary:
            story.append(Paragraph(escape(item.summary), styles["BodyText"]))
        for goal in item.goals:
            story.append(
                Paragraph(escape(_("Ziel: %(title)s") % {"title": goal.title}), styles["Heading4"])
            )
            rows = [[_("Maßnahme"), _("Stand"), _("Fortschritt"), _("Frist")]]
            for measure in goal.measures.all():
                deadline = _day(measure.deadline) if measure.deadline else "–"
                if measure.is_overdue:
                    deadline += " " + _("(überfällig)")
                rows.append(
                    [
                        Paragraph(escape(measure.title), small),
                        measure.get_status_display(),
                        f"{measure.progress} %",
                        deadline,
                    ]
                )
            if len(rows) > 1:
                table = Table(rows, colWidths=[8 * cm, 3 * cm, 2.2 * cm, 3.8 * cm], repeatRows=1)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                            ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ]
                    )
                )
                story.append(table)
            if goal.indicator_list:
                story.append(_indicator_table(goal.indicator_list, small))
        if item.changes:
            story.append(
                Paragraph(
                    escape(_("Seit %(since)s") % {"since": _day(report.since)}),
                    styles["Heading4"],
                )
            )
            for change in item.changes:
                story.append(
                    Paragraph(
                        escape(f"{_day(timezone.localtime(change.when))}: {change.text}"),
                        small,
                    )
                )
    source = _("Quelle: %(url)s") % {"url": base_url}
    story += [Spacer(1, 0.6 * cm), Paragraph(escape(source), small)]
    doc.build(story)
    return buffer.getvalue()


def period_pdf(report, *, base_url: str) -> bytes:
    """The report of a closed period (portal.periods.PeriodReport) as a PDF, printing the
    snapshot's SHA-256 so that anyone can check the figures against the frozen data."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=11)
    mono = styles["BodyText"].clone("mono", fontName="Courier", fontSize=8, leading=10)
    buffer = io.BytesIO()
    title = _("ITAS-Charta – Fortschrittsbericht: %(period)s") % {"period": report.period.title}
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="ITAS-Konsortium", lang="de-DE",
        leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
    )  # fmt: skip
    date = "%d.%m.%Y"
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _("Stand zum %(end)s (Zeitraum %(start)s bis %(end)s), eingefroren am "
                  "%(closed)s. %(measures)s Maßnahmen, davon %(done)s abgeschlossen.")
                % {
                    "start": report.period.start.strftime(date),
                    "end": report.period.end.strftime(date),
                    "closed": timezone.localtime(report.snapshot.created_at).strftime(date),
                    "measures": report.measures,
                    "done": report.done,
                }
            ),
            styles["BodyText"],
        ),
        Paragraph(
            escape(_("Prüfsumme (SHA-256) des eingefrorenen Stands, Fassung %(n)s:")
                   % {"n": report.snapshot.number}),
            small,
        ),
        Paragraph(escape(report.snapshot.sha256), mono),
    ]  # fmt: skip
    for block in report.fields:
        story += [Spacer(1, 0.4 * cm), Paragraph(escape(f"{block.number}. {block.title}"),
                                                  styles["Heading2"])]  # fmt: skip
        for goal in block.goals.values():
            story.append(
                Paragraph(escape(_("Ziel: %(title)s") % {"title": goal.title}), styles["Heading4"])
            )
            if goal.measures:
                rows = [[_("Maßnahme"), _("Stand"), _("Fortschritt"), _("Letzter Bericht")]]
                for m in goal.measures:
                    rows.append(
                        [Paragraph(escape(m["title"]), small), m["status_label"],
                         f"{m['progress']} %", Paragraph(escape(m["note"][:300]), small)]
                    )  # fmt: skip
                table = Table(rows, colWidths=[5.5 * cm, 2.6 * cm, 2 * cm, 6.9 * cm], repeatRows=1)
                table.setStyle(_table_style())
                story.append(table)
            if goal.indicators:
                entries = [
                    (i["title"], i["unit"], i["value"], i["date"], i["expected_value"],
                     i["target_value"], i["status_label"])
                    for i in goal.indicators
                ]  # fmt: skip
                table = Table(
                    _indicator_rows(entries, small),
                    colWidths=[5.5 * cm, 3.5 * cm, 2.2 * cm, 3 * cm, 2.8 * cm],
                    repeatRows=1,
                )
                table.setStyle(_table_style())
                story.append(table)
    source = _("Quelle: %(url)s") % {"url": base_url}
    story += [Spacer(1, 0.6 * cm), Paragraph(escape(source), small)]
    doc.build(story)
    return buffer.getvalue()
