"""Dates known only in part (a year, a month, a range of years, "before 2017-03"), written in a subset of ISO 8601-2
(EDTF) intervals, with the earliest and latest day they allow and the words that show them.

Forms (the roster's approved_on and status_as_of, batches.csv's approved_on):
    2019-03-25   a day                     shown 2019-03-25
    2014-01      a month                   shown 2014年1月
    2015         a year                    shown 2015年
    2011/2012    a range (either bound may be a year, month or day)   shown 2011年—2012年
    /2017-03     known only to be no later than the bound             shown 2017年3月前
Nothing is invented: the reader keeps what the source says, and arithmetic uses the bounds.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_POINT = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
PARTIAL_DATE_PATTERN = rf"^(?:{_POINT}|{_POINT}/{_POINT}|/{_POINT})$"


@dataclass(frozen=True)
class DateBounds:
    earliest: date | None  # None: no lower bound known ("/2017-03")
    latest: date
    exact: bool  # a whole day is known


def _point(value: str, *, end: bool) -> date | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    year = int(m[1])
    month = int(m[2]) if m[2] else (12 if end else 1)
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(m[3]) if m[3] else (last if end else 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_bounds(value: str) -> DateBounds | None:
    """The earliest and latest day a partial date allows; None when `value` is not one of the forms above.

    >>> date_bounds("2011/2012")
    DateBounds(earliest=datetime.date(2011, 1, 1), latest=datetime.date(2012, 12, 31), exact=False)"""
    value = str(value or "").strip()
    if not re.fullmatch(PARTIAL_DATE_PATTERN, value):
        return None
    if "/" in value:
        start, _, stop = value.partition("/")
        earliest = _point(start, end=False) if start else None
        latest = _point(stop, end=True)
        if latest is None or (start and earliest is None) or (earliest and earliest > latest):
            return None
        return DateBounds(earliest, latest, False)
    earliest, latest = _point(value, end=False), _point(value, end=True)
    if earliest is None or latest is None:
        return None
    return DateBounds(earliest, latest, earliest == latest)


def is_partial_date(value: str) -> bool:
    return date_bounds(value) is not None


def exact_day(value: str) -> date | None:
    """The day, when the value names one (2019-03-25); None for a year, month, range or unreadable value."""
    b = date_bounds(value)
    return b.latest if b and b.exact else None


def _show_point(value: str) -> str:
    parts = value.split("-")
    if len(parts) == 3:
        return value
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月"
    return f"{parts[0]}年"


def format_partial_date(value: str) -> str:
    """How a partial date is shown: 2019-03-25, 2014年1月, 2015年, 2011年—2012年, 2017年3月前; the value itself
    when it is not a partial date (so nothing is hidden)."""
    value = str(value or "").strip()
    if date_bounds(value) is None:
        return value
    if value.startswith("/"):
        return f"{_show_point(value[1:])}前"
    if "/" in value:
        start, stop = value.split("/")
        return f"{_show_point(start)}—{_show_point(stop)}"
    return _show_point(value)


def sort_key(value: str) -> tuple[date, date]:
    """Order partial dates by their latest, then earliest day (unreadable values last)."""
    b = date_bounds(value)
    if b is None:
        return (date.max, date.max)
    return (b.latest, b.earliest or date.min)


def year_bounds(value: str) -> tuple[int | None, int] | None:
    """(first year, last year) a partial date allows; first is None when there is no lower bound."""
    b = date_bounds(value)
    if b is None:
        return None
    return (b.earliest.year if b.earliest else None, b.latest.year)
