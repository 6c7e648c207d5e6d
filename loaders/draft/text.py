"""Where things are in an article: lines and columns, sentences, and the dates it gives.

Dates are read at the precision the text gives them: "9 December 2024" is a day, "in
September 2023" a month, "in 2018" a year. A date without its year ("on Oct. 30") is placed in
the year that puts it nearest the reference date (the article's date, or a dateline line such
as "June 27, 2025, 6:28 AM" above it); without a reference it is left out.

Examples
--------
>>> doc = Document("MAS said on Oct. 30 it partners FINMA. "
...                "It joined in September 2023.\\nNew line.")
>>> [s.text for s in doc.sentences]
['MAS said on Oct. 30 it partners FINMA.', 'It joined in September 2023.', 'New line.']
>>> doc.position(40)
(1, 41)
>>> [(d.value, d.text) for d in doc.dates(0, 38, reference="2023-11-02")]
[('2023-10-30', 'Oct. 30')]
>>> [(d.value, d.text) for d in doc.dates(39, 67, reference=None)]
[('2023-09', 'September 2023')]
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from functools import cached_property

from regulink.graph.dates import bounds, parse_partial_date
from regulink.loaders.draft.cues import load_cues
from regulink.loaders.draft.tokens import Token, tokenize

__all__ = ["Document", "Sentence", "TextDate"]


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TextDate:
    value: str  # a partial ISO date
    start: int
    end: int
    text: str
    relative: bool  # resolved against a reference date


def _month_alternation() -> str:
    names = sorted(load_cues().months, key=len, reverse=True)
    return "|".join(n.capitalize() for n in names)


class _Patterns:
    """Date patterns, compiled on first use from the month names of cues.yaml."""

    _compiled = None

    @classmethod
    def get(cls):
        if cls._compiled is None:
            m = rf"(?P<m>{_month_alternation()})\.?"
            d = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
            y = r"(?P<y>(?:19|20)\d\d)(?![\d–-])"
            cls._compiled = [
                ("day", re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b")),
                ("day", re.compile(rf"\b{m}\s+{d},?\s+{y}")),
                ("day", re.compile(rf"\b{d}\s+{m},?\s+{y}")),
                ("month", re.compile(rf"\b{m},?\s+(?:of\s+)?{y}")),
                ("relative", re.compile(rf"\b{m}\s+{d}\b(?!\s*,?\s*(?:19|20)\d\d)")),
                ("relative", re.compile(rf"\b{d}\s+{m}\b(?!\.?,?\s*(?:19|20)\d\d)")),
                ("year", re.compile(r"(?<![\d$£€,.–/-])\b(?P<y>(?:19|20)\d\d)\b(?![–/-]\d|,\d)")),
                (
                    "today",
                    re.compile(r"\b(?P<w>today|yesterday|this year|last year)\b", re.IGNORECASE),
                ),
            ]
        return cls._compiled


def _nearest_year(month: int, day: int, reference: str) -> str | None:
    lo, _hi = bounds(reference)
    if reference.count("-") == 0:
        year = lo.year
        return parse_partial_date(f"{year:04d}-{month:02d}-{day:02d}")
    best = None
    for year in (lo.year - 1, lo.year, lo.year + 1):
        iso = parse_partial_date(f"{year:04d}-{month:02d}-{day:02d}")
        if iso is None:
            continue
        gap = abs((_dt.date.fromisoformat(iso) - lo).days)
        if best is None or gap < best[0]:
            best = (gap, iso)
    return best[1] if best else None


class Document:
    """An article's text with its lines, sentences and datelines."""

    def __init__(self, text: str):
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.sentences = self._split()
        self._starts = [s.start for s in self.sentences]
        self.datelines = self._datelines()

    @cached_property
    def tokens(self) -> list[Token]:
        """The article's folded words (see :mod:`regulink.loaders.draft.tokens`)."""
        return tokenize(self.text)

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def words(self, lo: int, hi: int) -> list[str]:
        """The folded words starting between two offsets."""
        a = bisect.bisect_left(self._token_starts, lo)
        b = bisect.bisect_left(self._token_starts, hi)
        return [t.norm for t in self.tokens[a:b]]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def sentence_at(self, offset: int) -> Sentence:
        return self.sentences[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    # -- sentences --------------------------------------------------------------------------
    def _split(self) -> list[Sentence]:
        abbreviations = load_cues().abbreviations
        out: list[Sentence] = []
        text = self.text

        def add(s: int, e: int) -> None:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append(Sentence(len(out), s, e, text[s:e]))

        # A stop ends a sentence before a space and a capital, digit or quote, or glued to
        # a capital that starts a word ("innovations.Top"); never after an abbreviation.
        stop = re.compile(r"[.!?]+[\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9\u00c0-\u024f]|[A-Z][a-z]|\s*$)")
        for ls, le in zip(self._line_starts, [*self._line_starts[1:], len(text) + 1], strict=False):
            line_end = min(le, len(text))
            s = ls
            for m in stop.finditer(text, ls, line_end):
                before = re.search(r"([\w.]+)\.*$", text[s : m.start()])
                word = before.group(1).lower() if before else ""
                if word in abbreviations or (len(word) == 1 and word.isalpha()):
                    continue
                add(s, m.end())
                s = m.end()
            add(s, line_end)
        return out

    # -- dates ------------------------------------------------------------------------------
    def _datelines(self) -> list[tuple[int, str]]:
        """(offset, date) of short lines that are mostly a full date: an article's dateline."""
        out = []
        for ls, le in zip(
            self._line_starts, [*self._line_starts[1:], len(self.text)], strict=False
        ):
            line = self.text[ls:le]
            if len(line) > 80:
                continue
            for d in self._find_dates(line, ls, None):
                if not d.relative and d.value.count("-") == 2:
                    rest = (line[: d.start - ls] + line[d.end - ls :]).split()
                    if len(rest) <= 6:
                        out.append((ls, d.value))
                        break
        return out

    def reference(self, offset: int, default: str | None) -> str | None:
        """The date relative dates at ``offset`` count from: the last dateline above it,
        else ``default`` (the article's date)."""
        ref = default
        for at, value in self.datelines:
            if at <= offset:
                ref = value
        return ref

    def dates(self, start: int, end: int, *, reference: str | None) -> list[TextDate]:
        """The dates the text gives between two offsets, in order."""
        return self._find_dates(self.text[start:end], start, reference)

    def _find_dates(self, chunk: str, base: int, reference: str | None) -> list[TextDate]:
        months = load_cues().months
        found: list[TextDate] = []
        taken: list[tuple[int, int]] = []
        for precision, pattern in _Patterns.get():
            for m in pattern.finditer(chunk):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                value, relative = None, False
                g = m.groupdict()
                if g.get("iso"):
                    value = parse_partial_date(g["iso"])
                elif precision == "today":
                    value, relative = self._word_date(g["w"].lower(), reference), True
                elif precision == "year":
                    value = g["y"]
                else:
                    month = months[g["m"].lower()]
                    if precision == "month":
                        value = f"{g['y']}-{month:02d}"
                    elif precision == "day":
                        value = parse_partial_date(f"{g['y']}-{month:02d}-{int(g['d']):02d}")
                    elif reference is not None:
                        value, relative = _nearest_year(month, int(g["d"]), reference), True
                if value is None:
                    continue
                taken.append((s, e))
                found.append(TextDate(value, base + s, base + e, m.group(), relative))
        return sorted(found, key=lambda d: d.start)

    @staticmethod
    def _word_date(word: str, reference: str | None) -> str | None:
        if reference is None:
            return None
        lo, _hi = bounds(reference)
        if word == "today":
            return reference
        if word == "yesterday":
            return (lo - _dt.timedelta(days=1)).isoformat() if reference.count("-") == 2 else None
        return str(lo.year if word == "this year" else lo.year - 1)
