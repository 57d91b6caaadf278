"""Reading numbers and dates from text that people (or their tools) typed.

``str.isdigit()`` and ``int()`` accept more than they should here: "²" is a digit to
``isdigit()`` but not to ``int()``, and ``int()`` refuses more than 4300 digits with a
ValueError. These functions accept ASCII digits of a bounded length only and never raise
for bad input: they answer None, and the caller says what was wrong.
"""

import datetime
import re

from .validators import is_sane_date

# Primary keys are 64-bit (BigAutoField); a larger number names no row.
MAX_ID = 2**63 - 1

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_ID = re.compile(r"[0-9]{1,19}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_int(text: str | None) -> int | None:
    """The integer ``text`` spells in ASCII digits (an optional sign, at most 18 digits),
    else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    return int(text) if _INTEGER.fullmatch(text) else None


def parse_id(value: str | int | None) -> int | None:
    """The primary key ``value`` names (digits only, a number a row can have), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_date(text: str | None) -> datetime.date | None:
    """The calendar date of an ISO ``YYYY-MM-DD`` text within the platform's date range
    (see core.validators), else None: also for 2024-02-30 and 9999-12-31."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text.strip()):
        return None
    try:
        value = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if is_sane_date(value) else None
