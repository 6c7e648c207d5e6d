"""Partial dates: ``2023``, ``2023-10`` or ``2023-10-30``, kept as ISO strings.

Facts are often dated only to a year or a month. A partial date stands for an interval; these
helpers give its first and last day so that "in force at" and "end before start" are decided
on intervals, never on a guessed day.

Examples
--------
>>> parse_partial_date("2023-10")
'2023-10'
>>> bounds("2023-02")
(datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
>>> parse_partial_date("2023-02-30") is None
True
>>> in_force(start="2023", end=None, at="2023-06-01")
True
>>> in_force(start="2023-10", end="2024", at="2025")
False
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

__all__ = ["bounds", "in_force", "parse_partial_date", "precision"]

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_partial_date(value: object) -> str | None:
    """Return the canonical ISO form of a partial date, or ``None`` if it is not one.

    Accepts an ``int`` year, a :class:`datetime.date` or an ISO string with 1-3 parts.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, _dt.datetime):
        return None
    elif isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    m = _DATE_RE.fullmatch(value)  # not match + $: that accepts a final newline
    if m is None:
        return None
    year, month, day = m.groups()
    y = int(year)
    if y < 1000:
        return None
    if month is not None:
        mo = int(month)
        if not 1 <= mo <= 12:
            return None
        if day is not None and not 1 <= int(day) <= calendar.monthrange(y, mo)[1]:
            return None
    return value


def precision(value: str) -> str:
    """``"year"``, ``"month"`` or ``"day"`` for a canonical partial date."""
    return ("year", "month", "day")[value.count("-")]


def bounds(value: str) -> tuple[_dt.date, _dt.date]:
    """First and last day covered by a canonical partial date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        return _dt.date(y, m, 1), _dt.date(y, m, calendar.monthrange(y, m)[1])
    d = _dt.date(*parts)
    return d, d


def in_force(*, start: str | None, end: str | None, at: str) -> bool:
    """Whether a relation dated ``start``..``end`` may hold at the partial date ``at``.

    Generous on partial dates: a relation started "2023" is in force at any day of 2023, and
    one ended "2024" is in force up to the last day of 2024. No start means "always had".
    """
    at_lo, at_hi = bounds(at)
    if start is not None and bounds(start)[0] > at_hi:
        return False
    return not (end is not None and bounds(end)[1] < at_lo)
