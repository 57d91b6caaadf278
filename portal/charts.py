"""Server-rendered SVG charts: figures become plain geometry (rectangles, lines, text) that
``portal/includes/chart.html`` writes out as SVG with presentation attributes (the CSP forbids
style attributes), together with a title, a description and a data table holding the same
figures. Nothing here knows what is counted.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

# Colours of site.css; each has at least 4.5:1 contrast against white, so they serve as
# graphics (3:1 needed) and as text, and white text on them stays readable.
INK = "#1b1f24"
MUTED = "#4a5561"
BRAND = "#0b4f6c"
OK = "#1d6b38"
WARN = "#8a5a00"
BAD = "#a4161a"
WHITE = "#ffffff"
TINT = "#f3f6f8"
OUTLINE = "#6b7785"  # outline of bar tracks: 4.7:1 against white
GRID = "#c9d3dc"  # decorative grid lines only; values are always written out


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = "none"


@dataclass(frozen=True)
class Line:
    kind: ClassVar[str] = "line"
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    x: float
    y: float
    content: str
    anchor: str = "start"
    fill: str = INK
    bold: bool = False
    size: int = 14


@dataclass(frozen=True)
class DataTable:
    """The chart's figures as a table: one row header and its cells per row."""

    caption: str
    columns: Sequence[str]  # the first one heads the row headers
    rows: Sequence[tuple[str, Sequence[str]]]


@dataclass
class Chart:
    key: str  # unique on the page; prefixes the ids of title and description
    title: str
    description: str
    width: int
    height: int
    table: DataTable
    elements: list[Rect | Line | Text] = field(default_factory=list)  # in paint order

    @property
    def title_id(self) -> str:
        return f"{self.key}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.key}-desc"


def nice_scale(maximum: float) -> tuple[int, int]:
    """An upper bound of at least ``maximum`` and a step that divides it into at most five
    parts, both round numbers (1, 2 or 5 times a power of ten), for counting axes."""
    if maximum <= 0:
        return 1, 1
    magnitude = 10 ** max(0, math.floor(math.log10(maximum)) - 1)
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) <= 5:
                return math.ceil(maximum / step) * step, step
        magnitude *= 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data, drawn as an empty track with ``value_label``
    value_label: str
    fill: str = BRAND


def _r(value: float) -> float:
    """A coordinate to one decimal, without a trailing ".0" (shorter markup)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def horizontal_bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float,
    ticks: Sequence[float],
    tick_label: Callable[[float], str],
    table: DataTable,
) -> Chart:
    """One row per bar: its label above, the bar in a track of the full scale, the value
    written right of the bar; a scale with grid lines below."""
    width, pad, row, bar_height, value_space = 640, 16, 58, 22, 64
    plot = width - 2 * pad - value_space
    chart = Chart(key, title, description, width, 0, table)
    bar_top = [pad + index * row + 22 for index in range(len(bars))]
    axis_y = pad + len(bars) * row + 2

    for top in bar_top:
        chart.elements.append(Rect(pad, top, plot, bar_height, TINT, OUTLINE))
    for tick in ticks:
        x = _r(pad + plot * tick / maximum)
        chart.elements.append(Line(x, pad + 18, x, axis_y, GRID, dashed=True))
    for bar, top in zip(bars, bar_top, strict=True):
        length = _r(plot * min(bar.value, maximum) / maximum) if bar.value else 0
        if length:
            chart.elements.append(Rect(pad, top, length, bar_height, bar.fill))
        chart.elements.append(Text(pad, top - 7, bar.label, bold=True))
        if bar.value is None:
            chart.elements.append(Text(pad + 8, top + 16, bar.value_label, fill=MUTED))
        else:
            chart.elements.append(Text(_r(pad + length + 6), top + 16, bar.value_label, bold=True))
    chart.elements.append(Line(pad, axis_y, pad + plot, axis_y, OUTLINE))
    for tick in ticks:
        x = _r(pad + plot * tick / maximum)
        anchor = "start" if tick == 0 else "end" if tick == maximum else "middle"
        chart.elements.append(Text(x, axis_y + 18, tick_label(tick), anchor, MUTED, size=13))
    chart.height = axis_y + 28
    return chart


@dataclass(frozen=True)
class Series:
    label: str
    fill: str


@dataclass(frozen=True)
class Column:
    label_lines: tuple[str, ...]  # written under the column, one line each
    values: tuple[int, ...]  # one per series, stacked from the bottom


def stacked_column_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: Sequence[Series],
    columns: Sequence[Column],
    table: DataTable,
) -> Chart:
    """Columns of stacked counts with a legend above, a count axis on the left, each segment
    labelled with its count where it is tall enough and each column with its total."""
    left, right, slot, column_width, legend_height = 48, 16, 64, 38, 36
    width = max(left + len(columns) * slot + right, 460)
    maximum, step = nice_scale(max((sum(c.values) for c in columns), default=0))
    plot_height = min(max(maximum * 20, 160), 360)
    unit = plot_height / maximum
    plot_top = legend_height + 24  # room for the total above the tallest column
    base = plot_top + plot_height
    chart = Chart(key, title, description, width, base + 48, table)

    x = left
    for item in series:
        chart.elements.append(Rect(x, 10, 16, 16, item.fill))
        chart.elements.append(Text(x + 22, 23, item.label))
        x += 22 + 8 * len(item.label) + 24  # about 8 units per character at 14 units
    for tick in range(0, maximum + 1, step):
        y = _r(base - tick * unit)
        if tick:
            chart.elements.append(Line(left, y, width - right, y, GRID, dashed=True))
        chart.elements.append(Text(left - 8, _r(y + 5), str(tick), "end", MUTED, size=13))
    for index, column in enumerate(columns):
        x = left + index * slot + (slot - column_width) / 2
        centre = _r(x + column_width / 2)
        top = base
        for item, value in zip(series, column.values, strict=True):
            if not value:
                continue
            height = value * unit
            top -= height
            chart.elements.append(Rect(_r(x), _r(top), column_width, _r(height), item.fill, WHITE))
            if height >= 17:
                chart.elements.append(
                    Text(centre, _r(top + height / 2 + 5), str(value), "middle", WHITE, True, 13)
                )
        chart.elements.append(
            Text(centre, _r(top - 6), str(sum(column.values)), "middle", INK, True, 13)
        )
        for line, text in enumerate(column.label_lines):
            chart.elements.append(Text(centre, base + 18 + line * 16, text, "middle", size=13))
    chart.elements.append(Line(left, base, width - right, base, INK))
    return chart
