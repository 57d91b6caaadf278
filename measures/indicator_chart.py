"""The chart of an indicator as plain geometry for ``measures/includes/indicator_chart.html``
(server-rendered SVG with presentation attributes; the strict CSP forbids style attributes):
the recorded values, the planned straight line from baseline to target, and the target."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .indicators import figure
from .models import Indicator

# The site's colours (static/css/site.css), each at least 4.5:1 against white.
INK, MUTED, BRAND, OK, GRID = "#1b1f24", "#4a5561", "#0b4f6c", "#1d6b38", "#c9d3dc"
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 40


@dataclass(frozen=True)
class Shape:
    kind: str  # line | polyline | circle | diamond | text
    points: str = ""
    x1: float = 0
    y1: float = 0
    x2: float = 0
    y2: float = 0
    stroke: str = INK
    fill: str = "none"
    dashed: bool = False
    width: float = 2
    text: str = ""
    anchor: str = "start"
    size: int = 13
    bold: bool = False


@dataclass
class IndicatorChart:
    key: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Shape] = field(default_factory=list)

    @property
    def title_id(self) -> str:
        return f"{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.key}-desc"


def _r(value: float) -> float:
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _scale(low: float, high: float) -> tuple[float, float, float]:
    """Round bounds around [low, high] and a step giving at most five intervals."""
    if high == low:
        high = low + 1
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        bottom = math.floor(low / step) * step
        top = math.ceil(high / step) * step
        if (top - bottom) / step <= 5:
            return bottom, top, step
    return low, high, span


def _diamond(cx: float, cy: float, colour: str) -> Shape:
    return Shape("diamond", x1=cx, y1=cy, x2=_r(cx - 6), y2=_r(cy - 6), stroke=colour, fill=colour)


def number_label(value: Decimal | float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{figure(value)} {unit}".strip()


def build(indicator: Indicator) -> IndicatorChart:
    values = list(indicator.values.all())
    line = indicator.line
    unit = indicator.unit
    reading = indicator.reading
    description = _(
        "Ausgangswert %(baseline)s am %(baseline_date)s, Ziel %(target)s bis %(target_date)s."
    ) % {
        "baseline": number_label(line.baseline_value, unit),
        "baseline_date": date_format(line.baseline_date, "j. n. Y"),
        "target": number_label(line.target_value, unit),
        "target_date": date_format(line.target_date, "j. n. Y"),
    }
    if reading.latest_value is not None:
        description += " " + _(
            "Letzter Wert %(value)s am %(date)s, erwartet waren %(expected)s: %(status)s."
        ) % {
            "value": number_label(reading.latest_value, unit),
            "date": date_format(reading.latest_date, "j. n. Y"),
            "expected": number_label(reading.expected_value, unit),
            "status": reading.status_label,
        }
    else:
        description += " " + _("Noch keine Werte erfasst.")
    chart = IndicatorChart(key=f"indikator-{indicator.pk}-diagramm", title=indicator.title,
                           description=description)  # fmt: skip

    days = [line.baseline_date, line.target_date, *(v.date for v in values)]
    first, last = min(days), max(days)
    span_days = max((last - first).days, 1)
    numbers = [
        float(line.baseline_value),
        float(line.target_value),
        *(float(v.value) for v in values),
    ]
    low, high, step = _scale(min(numbers), max(numbers))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        return _r(LEFT + plot_w * (day - first).days / span_days)

    def y(value) -> float:
        return _r(TOP + plot_h * (1 - (float(value) - low) / (high - low)))

    shapes = chart.shapes
    # Legend.
    shapes += [
        Shape("line", x1=LEFT, y1=18, x2=LEFT + 24, y2=18, stroke=BRAND, width=3),
        Shape("text", x1=LEFT + 30, y1=22, text=_("Messwerte")),
        Shape("line", x1=LEFT + 130, y1=18, x2=LEFT + 154, y2=18, stroke=MUTED, dashed=True),
        Shape("text", x1=LEFT + 160, y1=22, text=_("Soll-Verlauf")),
        _diamond(LEFT + 272, 18, OK),
        Shape("text", x1=LEFT + 284, y1=22, text=_("Ziel")),
    ]
    tick = low
    while tick <= high + step / 1000:
        shapes.append(
            Shape(
                "line",
                x1=LEFT,
                y1=y(tick),
                x2=WIDTH - RIGHT,
                y2=y(tick),
                stroke=GRID,
                width=1,
                dashed=True,
            )
        )
        shapes.append(
            Shape(
                "text",
                x1=LEFT - 8,
                y1=_r(y(tick) + 4),
                text=number_label(tick),
                anchor="end",
                stroke=MUTED,
            )
        )
        tick += step
    base_y = TOP + plot_h
    shapes.append(
        Shape("line", x1=LEFT, y1=base_y, x2=WIDTH - RIGHT, y2=base_y, stroke=INK, width=1)
    )
    for day, anchor in ((first, "start"), (last, "end")):
        shapes.append(
            Shape(
                "text",
                x1=x(day),
                y1=base_y + 20,
                text=date_format(day, "n/Y"),
                anchor=anchor,
                stroke=MUTED,
            )
        )
    # Planned line, target.
    shapes.append(
        Shape(
            "line",
            x1=x(line.baseline_date),
            y1=y(line.baseline_value),
            x2=x(line.target_date),
            y2=y(line.target_value),
            stroke=MUTED,
            dashed=True,
        )
    )
    shapes.append(_diamond(x(line.target_date), y(line.target_value), OK))
    # Values, in date order.
    ordered = sorted(values, key=lambda v: (v.date, v.pk))
    if len(ordered) > 1:
        shapes.append(
            Shape(
                "polyline",
                points=" ".join(f"{x(v.date)},{y(v.value)}" for v in ordered),
                stroke=BRAND,
                width=3,
            )
        )
    for v in ordered:
        shapes.append(Shape("circle", x1=x(v.date), y1=y(v.value), stroke=BRAND, fill=BRAND))
    if reading.latest_value is not None:
        lx, ly = x(reading.latest_date), y(reading.latest_value)
        anchor = "end" if lx > WIDTH / 2 else "start"
        shapes.append(
            Shape(
                "text",
                x1=_r(lx + (-8 if anchor == "end" else 8)),
                y1=_r(ly - 8),
                text=number_label(reading.latest_value, unit),
                anchor=anchor,
                bold=True,
            )
        )
    return chart
