"""A whole section of records typed by msgspec in one pass, then checked column by column.

Nearly every section of a real fact set is valid. :func:`convert` types a section's records
in C (required fields present, no unknown field, each value of its field's type), so that
the checks left are on distinct values (ids, kinds, dates: a million relations name a few
thousand) and on whole text columns at once. The record types come from the fields in
``graph/schema.yaml``. Anything msgspec refuses, or a check doubts, goes the slower ways in
:mod:`regulink.loaders.validate`, which alone report problems: this path only ever accepts
what they accept, with the same values.

Examples
--------
>>> from regulink.graph.schema import load_schema
>>> raw = raw_types(load_schema())["relation"]
>>> recs = convert([{"type": "leads", "from": "a", "to": "b", "sources": ["s"]}], raw)
>>> recs[0].from_, recs[0].start
('a', None)
>>> convert([{"type": "leads", "from": "a", "to": "b"}], raw) is None  # no sources
True
"""

from __future__ import annotations

import itertools
import keyword
import re
from collections.abc import Callable
from operator import attrgetter

import msgspec

from regulink.graph.schema import Schema

__all__ = ["attribute", "convert", "fast_column", "raw_types"]

# What msgspec accepts for each field type of the schema; the checks of the values follow.
# A date may be written as a number (a year).
_ACCEPTS: dict[str, object] = {
    "slug": str,
    "entity_ref": str,
    "kind": str,
    "relation_type": str,
    "source_kind": str,
    "jurisdiction": str,
    "text": str,
    "url": str,
    "date": str | int,
    "source_refs": list[str],
    "text_list": list[str],
}


def _plain(values: list[str], control: re.Pattern) -> bool:
    """No value is empty, none would change if stripped, none holds a control character."""
    stripped = list(map(str.strip, values))
    return stripped == values and "" not in stripped and not control.search("\n".join(values))


def attribute(name: str) -> str:
    """The attribute a field is read from: ``from`` is a keyword, so ``from_``."""
    return name + "_" if keyword.iskeyword(name) or not name.isidentifier() else name


_MADE: dict[int, tuple[Schema, dict[str, type]]] = {}


def _raw_types(schema: Schema) -> dict[str, type]:
    out: dict[str, type] = {}
    for record, specs in schema.fields.items():
        fields = []
        for f in specs.values():
            accepts = _ACCEPTS.get(f.type)
            if accepts is None:
                return {}  # a field type this path does not know: the other paths only
            fields.append(
                (attribute(f.name), accepts) if f.required else (attribute(f.name), accepts, None)
            )
        out[record] = msgspec.defstruct(
            f"Raw{record.title()}",
            fields,
            kw_only=True,
            rename={attribute(f.name): f.name for f in specs.values()},
            forbid_unknown_fields=True,
            gc=False,  # records of strings and lists: no reference cycles to find
        )
    return out


def raw_types(schema: Schema) -> dict[str, type]:
    """Per record kind (entity, relation, source), the msgspec type of its raw record;
    empty if the schema has a field type this path does not know."""
    made = _MADE.get(id(schema))
    if made is None or made[0] is not schema:  # the schema kept: its id stays its own
        made = _MADE[id(schema)] = (schema, _raw_types(schema))
    return made[1]


def convert(items: list, raw: type) -> list | None:
    """``items`` typed as ``raw`` records, or ``None`` if any record does not fit."""
    try:
        return msgspec.convert(items, list[raw], strict=True)  # type: ignore[valid-type]
    except msgspec.ValidationError:
        return None


def fast_column(
    records: list,
    name: str,
    mode: str,
    check: Callable,
    memo: dict,
    *,
    control: re.Pattern,
    slug: Callable,
    slug_memo: dict,
    exact: Callable[[list], object],
):
    """One field across typed ``records``, checked and converted as ``exact`` (the
    per-value column check) would, which it falls back to when a quick check doubts.

    ``mode`` is the validator's: ``memo`` (enumerable values, each checked once by
    ``check`` and remembered in ``memo``), ``text``, ``refs``, ``texts`` or ``call``.
    """
    col = list(map(attrgetter(attribute(name)), records))
    if mode == "memo":
        uniq = set(col)
        uniq.discard(None)
        # msgspec let through only text (and numbers for dates), never True == 1 == 1.0
        for v in [v for v in uniq if v not in memo]:
            got, err = check(v)
            if err:
                return exact(col)
            memo[v] = got
        # the checked value of each: a year written as a number becomes its ISO text, and
        # equal values share one string
        return list(map(memo.get, col))
    if mode == "text":
        values = [v for v in col if v is not None]
        if not _plain(values, control):
            return exact(col)
        return col
    if mode == "refs":
        if not all(col):
            return exact(col)
        flat = set(itertools.chain.from_iterable(col))
        for v in [v for v in flat if v not in slug_memo]:
            if slug(v)[1]:
                return exact(col)
            slug_memo[v] = v
        return list(map(tuple, col))
    if mode == "texts":
        items = list(itertools.chain.from_iterable(v for v in col if v))
        if not _plain(items, control):
            return exact(col)
        return [None if v is None else tuple(v) for v in col]
    return exact(col)
