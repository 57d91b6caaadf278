"""Validators that model fields of every app share."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The dates a person can mean on this platform. Outside them a date is a typing error
# (0024 for 2024) or a placeholder (9999-12-31), and such dates break what is computed from
# them: a day after 9999-12-31 does not exist, so calendars and reports cannot be built.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def is_sane_date(value: datetime.date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def date_range_message() -> str:
    return _("Bitte ein Datum zwischen dem %(earliest)s und dem %(latest)s angeben.") % {
        "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
        "latest": date_format(LATEST_DATE, "SHORT_DATE_FORMAT"),
    }


def validate_date_range(value: datetime.date | None) -> None:
    """Refuse a date outside EARLIEST_DATE … LATEST_DATE.

    Attached to the model fields, so that forms, API serializers and the services'
    ``full_clean()`` all refuse the same dates with the same message.
    """
    if value is not None and not is_sane_date(value):
        raise ValidationError(date_range_message(), code="date_out_of_range")
