"""How an indicator stands: latest value, the expected value on the straight line from its
baseline to its target, and a status. Pure functions over plain values; no database."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

INCREASE, DECREASE = "increase", "decrease"
EXPECTED_PLACES = Decimal("0.001")


class IndicatorStatus(models.TextChoices):
    NO_DATA = "no_data", _("keine Werte")
    ON_TRACK = "on_track", _("im Plan")
    BEHIND = "behind", _("im Rückstand")
    ACHIEVED = "achieved", _("erreicht")


@dataclass(frozen=True)
class Line:
    """The planned course of an indicator: from baseline to target."""

    direction: str
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date

    def expected_on(self, day: datetime.date) -> Decimal:
        """The value on the straight line at ``day``; the baseline before it starts and the
        target after it ends."""
        if day <= self.baseline_date:
            return self.baseline_value
        if day >= self.target_date:
            return self.target_value
        share = Decimal((day - self.baseline_date).days) / Decimal(
            (self.target_date - self.baseline_date).days
        )
        value = self.baseline_value + (self.target_value - self.baseline_value) * share
        return value.quantize(EXPECTED_PLACES, rounding=ROUND_HALF_UP)

    def at_least(self, value: Decimal, mark: Decimal) -> bool:
        """Whether ``value`` is as good as ``mark`` or better, in the indicator's direction."""
        return value <= mark if self.direction == DECREASE else value >= mark


@dataclass(frozen=True)
class Reading:
    latest_value: Decimal | None
    latest_date: datetime.date | None
    expected_value: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return IndicatorStatus(self.status).label


def read(line: Line, values: Iterable[tuple[datetime.date, Decimal]]) -> Reading:
    """How the indicator stands after ``values`` (date, value), in the order they were
    recorded; the latest is the one with the latest date (the later record on the same day).

    Achieved: the latest value reaches the target. On track: it is at least what the line
    expects on its date. Behind: it is not.
    """
    latest = None
    for day, value in values:
        if latest is None or day >= latest[0]:
            latest = (day, value)
    if latest is None:
        return Reading(None, None, None, IndicatorStatus.NO_DATA)
    day, value = latest
    expected = line.expected_on(day)
    if line.at_least(value, line.target_value):
        status = IndicatorStatus.ACHIEVED
    elif line.at_least(value, expected):
        status = IndicatorStatus.ON_TRACK
    else:
        status = IndicatorStatus.BEHIND
    return Reading(value, day, expected, status)


def number(value: Decimal | None) -> int | float | None:
    """A value as a JSON number: an integer when it is whole, else a float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


FIGURE_PLACES = Decimal("0.01")


def figure(value) -> str:
    """A value for people: at most two decimals, no trailing zeros, in the active language's
    number format ("12,5", "100", "65,66")."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "–"
    rounded = Decimal(str(value)).quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)
    text = format(rounded.normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(Decimal(text), decimal_pos=places)
