"""Dates as rosters write them — 2019年3月25日, 2014.5, 二〇一四年五月, 2012, Excel day serials in either of the
workbook's date systems — to ISO text that keeps exactly the precision the cell had: 2012, 2014-05 or 2019-03-25."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from loaders.text import normalise_text

# Day 0 of Excel's two date systems (ECMA-376 Part 1 §18.17.4.1): the 1900 system counts from 1899-12-30 (the
# phantom 1900-02-29 makes serials from 61 on line up with this base), the 1904 system (old Mac Excel, and any
# workbook with <workbookPr date1904="1"/>) from 1904-01-01.
EPOCH_1900 = datetime(1899, 12, 30)
EPOCH_1904 = datetime(1904, 1, 1)
FIRST_YEAR, LAST_YEAR = 1949, 2100  # no roster names a date outside these years
_SERIAL = re.compile(r"\d{5}(\.0+)?")
_FULL = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(\s.*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20190325, as other systems export dates
_MONTH = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月份?|[./-]\s*(\d{1,2}))")
_YEAR = re.compile(r"(\d{4})\s*(?:年度?)?")
_CHINESE_NUMERAL = re.compile(r"[〇零一二三四五六七八九十两]")


def serial_to_date(serial: float, date1904: bool = False) -> date:
    """The calendar day of an Excel day serial in the 1900 or 1904 date system (OverflowError/ValueError if absurd)."""
    return ((EPOCH_1904 if date1904 else EPOCH_1900) + timedelta(days=int(serial))).date()


def _chinese_numerals_to_digits(s: str) -> str:
    """二〇一四年五月二十日 → 2014年5月20日 (cn2an reads each run of Chinese numerals; years digit by digit)."""
    if not _CHINESE_NUMERAL.search(s):
        return s
    import cn2an  # imported lazily: it is only needed for dates written in Chinese numerals

    try:
        return cn2an.transform(s, "cn2an")
    except (ValueError, KeyError, IndexError):  # cn2an raises these for runs it cannot read
        return s


def _year_ok(y: int) -> bool:
    return FIRST_YEAR <= y <= LAST_YEAR


def parse_date(value, date1904: bool = False) -> str:
    """ISO text for a roster date, as precise as the value and no more; '' when it is not a date.

    "2019年3月25日", "2019.3.25", "2019/3/25", "2019-03-25", "20190325", a datetime, or an Excel day serial (5 digits, in the
    workbook's 1900 or 1904 date system) → "2019-03-25"; "2014年5月", "2014.5", "2014-05", "二〇一四年五月" →
    "2014-05"; "2012", "2012年" → "2012". A day or month that does not exist (2019年2月30日) or a year outside
    1949–2100 gives ''. Consumers that need a year read the first four characters.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    s = _chinese_numerals_to_digits(normalise_text(str(value)))
    if _SERIAL.fullmatch(s):
        try:
            d = serial_to_date(float(s), date1904)
        except (OverflowError, ValueError):
            return ""
        return d.isoformat() if _year_ok(d.year) else ""
    if m := _FULL.fullmatch(s) or _COMPACT.fullmatch(s):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return ""
        return d.isoformat() if _year_ok(d.year) else ""
    if m := _MONTH.fullmatch(s):
        y, mo = int(m[1]), int(m[2] or m[3])
        return f"{y:04d}-{mo:02d}" if _year_ok(y) and 1 <= mo <= 12 else ""
    if m := _YEAR.fullmatch(s):
        return m[1] if _year_ok(int(m[1])) else ""
    return ""
