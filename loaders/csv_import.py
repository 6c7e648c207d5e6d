"""Turning spreadsheet rows into a fact file: ``regulink import csv``.

Two passes, as in validation: every row of both CSV files is read and checked on its own
(columns, vocabulary, dates, URLs), names are resolved (an entities file's own rows first,
then the existing facts with the search ``find`` uses), and every problem is reported at
once as ``FILE.csv:ROW:COL: message`` (ROW: the line where the row starts; COL: the column's
position). Then the new records are written as YAML, validated together with the existing
facts, and only then moved into place: the output validates or nothing is written.

Relations file columns: ``from, to, type`` and ``source_url`` (required), ``start, end,
source_title, publisher, date, note``, and optionally ``role, status, source_kind``.
Entities file: ``name, kind, jurisdiction`` (required), ``id`` (else made from the name),
``short_name, aliases`` (separated by ``;``), ``url, description, start, end``.

Sources are made from URLs, one URL one source: a URL the facts already cite is that source;
a new URL needs ``source_title`` and ``publisher`` on (at least) its first row. Re-importing
is harmless: a relation, entity or source already in the facts is skipped and said so, so
the same file imported twice adds nothing.

Files may be UTF-8 with or without a byte order mark, comma-, semicolon- or tab-separated,
with Excel's quoting and line ends.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regulink.errors import (
    AmbiguousEntity,
    EntityNotFound,
    Problem,
    RegulinkError,
    ValidationFailed,
)
from regulink.graph.dates import bounds, parse_partial_date
from regulink.graph.model import FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.graph.search import SearchIndex, normalize, suggest
from regulink.loaders.yaml_files import decode

__all__ = ["ENTITY_COLUMNS", "RELATION_COLUMNS", "ImportReport", "import_csv"]

RELATION_COLUMNS = (
    "from",
    "to",
    "type",
    "start",
    "end",
    "source_url",
    "source_title",
    "publisher",
    "date",
    "note",
    "role",
    "status",
    "source_kind",
)
RELATION_REQUIRED = ("from", "to", "type", "source_url")
ENTITY_COLUMNS = (
    "id",
    "name",
    "kind",
    "jurisdiction",
    "short_name",
    "aliases",
    "url",
    "description",
    "start",
    "end",
)
ENTITY_REQUIRED = ("name", "kind", "jurisdiction")
#: The kind of a source made from a URL when the row gives no ``source_kind``.
DEFAULT_SOURCE_KIND = "website"

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts of new records, what was skipped and why, where it went."""

    output: str
    written: bool = False
    entities: int = 0
    relations: int = 0
    sources: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "output": self.output,
            "written": self.written,
            "entities": self.entities,
            "relations": self.relations,
            "sources": self.sources,
            "notes": self.notes,
        }


@dataclass(slots=True)
class _Row:
    file: str
    line: int
    cells: dict[str, str]
    cols: dict[str, int]

    def at(self, column: str) -> tuple[str, int, int]:
        return self.file, self.line, self.cols.get(column, 1)


class _Problems(list):
    def add(self, where: tuple[str, int, int], message: str) -> None:
        self.append(Problem(*where, message))


def _slug(text: str, limit: int = 60) -> str:
    s = _NOT_SLUG.sub("-", normalize(text)).strip("-")
    return s[:limit].rstrip("-") or "x"


def _read(
    path: Path, columns: tuple[str, ...], required: tuple[str, ...], problems: _Problems
) -> list[_Row]:
    """The rows of one CSV file, each with the line it starts on and its cells by column."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add((name, 0, 0), f"cannot read: {exc.strerror}")
        return []
    text, bad = decode(raw, name)  # strict UTF-8, a BOM dropped, located if invalid
    if text is None:
        problems.extend(bad)
        return []
    first = text.split("\n", 1)[0]
    # Excel writes ';' where the decimal mark is a comma; tab-separated text is common too.
    delimiter = max(
        ",;\t", key=lambda d: sum(normalize(c).replace(" ", "_") in columns for c in first.split(d))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        problems.add((name, 1, 1), "the file is empty: it needs a header row")
        return []
    cols: dict[str, int] = {}
    for i, cell in enumerate(header, 1):
        key = normalize(cell).replace(" ", "_")
        if key in columns:
            cols[key] = i
        elif key:
            hint = suggest(key, columns)
            problems.add(
                (name, 1, i),
                f"unknown column {cell.strip()!r}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; columns: {', '.join(columns)}",
            )
    missing = [c for c in required if c not in cols]
    for c in missing:
        problems.add((name, 1, 1), f"missing column {c!r}")
    if missing:
        return []
    rows = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                what = "more" if len(cells) > len(header) else "fewer"
                quote = (
                    f": quote values that contain the separator ({delimiter!r})"
                    if what == "more"
                    else ""
                )
                # the first extra field, or the first missing one
                problems.add(
                    (name, line, min(len(cells), len(header)) + 1),
                    f"row has {len(cells)} fields, {what} than the header's {len(header)}{quote}",
                )
                continue
            # A line break inside a cell reads as one LF, whatever wrote the file.
            rows.append(
                _Row(
                    name,
                    line,
                    {c: cells[i - 1].replace("\r\n", "\n").strip() for c, i in cols.items()},
                    cols,
                )
            )
    except csv.Error as exc:
        problems.add((name, reader.line_num, 1), f"CSV syntax error: {exc}")
    return rows


def _date(row: _Row, column: str, problems: _Problems) -> str | None:
    value = row.cells.get(column) or None
    if value is None:
        return None
    parsed = parse_partial_date(value)
    if parsed is None:
        problems.add(
            row.at(column),
            f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)",
        )
    return parsed


def _dates(row: _Row, problems: _Problems) -> tuple[str | None, str | None]:
    start, end = _date(row, "start", problems), _date(row, "end", problems)
    if start and end and bounds(end)[1] < bounds(start)[0]:
        problems.add(row.at("end"), f"end {end} is before start {start}")
    return start, end


def _vocab(row: _Row, column: str, choices, what: str, problems: _Problems) -> str | None:
    value = row.cells.get(column, "")
    if value in choices:
        return value
    hint = suggest(value, choices)
    problems.add(
        row.at(column),
        f"unknown {what} {value!r}"
        + (f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""),
    )
    return None


class _Names:
    """Resolves a name: an entities file's own rows first (id or exact name, abbreviation or
    alias), then the existing facts with ``find``'s search."""

    def __init__(self, facts: FactBase, defined: dict[str, dict]):
        self.index = SearchIndex(facts)
        self.facts = facts
        self.defined: dict[str, str] = {}
        for eid, rec in defined.items():
            for n in (eid, rec["name"], rec.get("short_name"), *rec.get("aliases", ())):
                if n:
                    self.defined.setdefault(normalize(n), eid)

    def resolve(self, row: _Row, column: str, problems: _Problems, notes: list[str]) -> str | None:
        text = row.cells[column]
        if not text:
            problems.add(row.at(column), f"empty {column!r}: name an entity")
            return None
        own = self.defined.get(normalize(text))
        if own is not None:
            return own
        try:
            ent = self.index.resolve(text)
        except EntityNotFound as exc:
            near = ", ".join(f"{m.id} ({m.name})" for m in exc.suggestions[:3])
            problems.add(
                row.at(column),
                f"no entity matches {text!r}"
                + (f"; did you mean {near}?" if near else "")
                + " Define it in the entities file (--entities).",
            )
            return None
        except AmbiguousEntity as exc:
            problems.add(
                row.at(column),
                f"{text!r} is ambiguous: "
                + ", ".join(f"{m.id} ({m.name})" for m in exc.candidates)
                + "; write one of these ids",
            )
            return None
        exact = {normalize(n) for n in (ent.id, ent.name, ent.short_name, *ent.aliases) if n}
        if normalize(text) not in exact:
            notes.append(
                f"{row.file}:{row.line}:{row.cols[column]}: {text!r} read as {ent.id} ({ent.name})"
            )
        return ent.id


def _entities(
    rows: list[_Row], facts: FactBase, problems: _Problems, notes: list[str]
) -> tuple[dict[str, dict], dict[str, dict]]:
    """(every entity the file defines, the new ones to write), by id."""
    schema = load_schema()
    defined: dict[str, dict] = {}
    new: dict[str, dict] = {}
    for row in rows:
        c = row.cells
        for col in ENTITY_REQUIRED:
            if not c.get(col):
                problems.add(row.at(col), f"empty {col!r}: an entity needs a {col}")
        if not c.get("name"):
            continue
        eid = c.get("id") or _slug(c["name"])
        rec: dict[str, Any] = {
            "id": eid,
            "kind": _vocab(row, "kind", schema.kinds, "kind", problems) if c.get("kind") else None,
            "name": c["name"],
            "short_name": c.get("short_name") or None,
            "aliases": [a.strip() for a in (c.get("aliases") or "").split(";") if a.strip()],
            "jurisdiction": c.get("jurisdiction") or None,
            "url": c.get("url") or None,
            "description": c.get("description") or None,
        }
        rec["start"], rec["end"] = _dates(row, problems)
        if rec["url"] and not _URL.match(rec["url"]):
            problems.add(
                row.at("url"), f"invalid URL {rec['url']!r}: use a full http:// or https:// address"
            )
        if rec["jurisdiction"] and rec["jurisdiction"] not in schema.jurisdictions:
            upper = rec["jurisdiction"].upper()
            problems.add(
                row.at("jurisdiction"),
                f"unknown jurisdiction {rec['jurisdiction']!r}"
                + (
                    f" (did you mean {upper!r}?)"
                    if upper in schema.jurisdictions
                    else ": use an ISO 3166-1 alpha-2 code, or EU / INT"
                ),
            )
        if eid in defined:
            problems.add(
                row.at("id" if c.get("id") else "name"),
                f"entity {eid!r} is defined twice in this file",
            )
            continue
        defined[eid] = rec
        if eid in facts.entities:
            notes.append(
                f"{row.file}:{row.line}:1: entity {eid!r} is already in the facts: skipped"
            )
        else:
            new[eid] = {k: v for k, v in rec.items() if v not in (None, [])}
    return defined, new


def _source(
    row: _Row, facts: FactBase, by_url: dict[str, str], new: dict[str, dict], problems: _Problems
) -> str | None:
    url = row.cells.get("source_url", "")
    if not url:
        problems.add(row.at("source_url"), "empty 'source_url': every relation needs a source")
        return None
    if not _URL.match(url):
        problems.add(
            row.at("source_url"), f"invalid URL {url!r}: use a full http:// or https:// address"
        )
        return None
    if url in by_url:
        return by_url[url]
    title, publisher = row.cells.get("source_title"), row.cells.get("publisher")
    for col, value in (("source_title", title), ("publisher", publisher)):
        if not value:
            problems.add(
                row.at(col),
                f"empty {col!r}: a source not yet in the facts needs its title and publisher",
            )
    kind: str | None = DEFAULT_SOURCE_KIND
    if row.cells.get("source_kind"):
        kind = _vocab(row, "source_kind", load_schema().source_kinds, "source kind", problems)
    if not (title and publisher and kind):
        return None
    base = _slug(re.sub(r"^https?://(www\.)?", "", url, flags=re.I))
    sid, n = base, 2
    while sid in facts.sources or sid in new:
        sid, n = f"{base}-{n}", n + 1
    rec = {
        "id": sid,
        "kind": kind,
        "publisher": publisher,
        "title": title,
        "date": _date(row, "date", problems),
        "url": url,
    }
    new[sid] = {k: v for k, v in rec.items() if v is not None}
    by_url[url] = sid
    return sid


def _relations(
    rows: list[_Row], facts: FactBase, names: _Names, problems: _Problems, notes: list[str]
) -> tuple[list[dict], dict[str, dict]]:
    schema = load_schema()
    by_url = {s.url: s.id for s in facts.sources.values() if s.url}
    known = {r.key for r in facts.relations}
    seen: dict[str, int] = {}
    new_sources: dict[str, dict] = {}
    out: list[dict] = []
    for row in rows:
        before = len(problems)
        a = names.resolve(row, "from", problems, notes)
        b = names.resolve(row, "to", problems, notes)
        rtype = _vocab(row, "type", schema.relation_types, "relation type", problems)
        start, end = _dates(row, problems)
        sid = _source(row, facts, by_url, new_sources, problems)
        # a, b and rtype are None only where a problem was added
        if len(problems) > before or a is None or b is None or rtype is None:
            continue
        rt = schema.relation_types[rtype]
        if a == b and not rt.allow_self:
            problems.add(row.at("to"), f"a {rtype} relation cannot link {a!r} to itself")
            continue
        key = Relation(rtype, a, b, start, end, None, None, (), symmetric=rt.symmetric).key
        if key in known:
            notes.append(
                f"{row.file}:{row.line}:1: {a} {rtype} {b} "
                f"({start or 'undated'}) is already in the facts: skipped"
            )
            continue
        if key in seen:
            problems.add(
                (row.file, row.line, 1),
                f"repeats the relation of line {seen[key]} "
                "(same type, ends and start); merge the two rows",
            )
            continue
        seen[key] = row.line
        rec: dict[str, Any] = {
            "type": rtype,
            "from": a,
            "to": b,
            "start": start,
            "end": end,
            "role": row.cells.get("role") or None,
            "status": row.cells.get("status") or None,
            "sources": [sid],
            "note": row.cells.get("note") or None,
        }
        out.append({k: v for k, v in rec.items() if v is not None})
    used = {r["sources"][0] for r in out}
    return out, {k: v for k, v in new_sources.items() if k in used}


def import_csv(
    relations: str | os.PathLike,
    output: str | os.PathLike,
    *,
    entities: str | os.PathLike | None = None,
    paths: Iterable[str | os.PathLike],
) -> ImportReport:
    """Import spreadsheet rows as a new fact file ``output``, against the facts at ``paths``.

    Raises :class:`ValidationFailed` with every located problem (nothing is written), or
    :class:`RegulinkError` when the output cannot be written.
    """
    import yaml_rs

    from regulink.loaders.validate import check

    paths = list(paths)
    facts, existing = check(paths)
    if existing:
        raise ValidationFailed(existing)
    out = Path(output)
    problems = _Problems()
    report = ImportReport(str(out))
    defined: dict[str, Any] = {}
    new_ents: dict[str, Any] = {}
    if entities is not None:
        ent_rows = _read(Path(entities), ENTITY_COLUMNS, ENTITY_REQUIRED, problems)
        defined, new_ents = _entities(ent_rows, facts, problems, report.notes)
    rel_rows = _read(Path(relations), RELATION_COLUMNS, RELATION_REQUIRED, problems)
    names = _Names(facts, defined)
    rels, new_srcs = _relations(rel_rows, facts, names, problems, report.notes)
    if problems:
        order = {str(entities): 0, str(relations): 1}
        raise ValidationFailed(
            sorted(problems, key=lambda p: (order.get(p.file, 2), p.line, p.col))
        )
    report.entities, report.relations, report.sources = len(new_ents), len(rels), len(new_srcs)
    if not (new_ents or rels or new_srcs):
        return report  # everything is in the facts already: nothing to write
    if out.exists():
        raise RegulinkError(f"{out} exists; write the import to a new file")
    doc = {
        k: v
        for k, v in (
            ("entities", list(new_ents.values())),
            ("relations", rels),
            ("sources", list(new_srcs.values())),
        )
        if v
    }
    text = (
        f"# Imported by 'regulink import csv' from {Path(relations).name}.\n"
        + yaml_rs.dumps(doc).removeprefix("---\n").rstrip("\n")
        + "\n"
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".yaml", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise RegulinkError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        _, found = check([*paths, tmp])
        if found:
            raise ValidationFailed(
                [
                    Problem(str(out) if p.file == tmp else p.file, p.line, p.col, p.message)
                    for p in found
                ]
            )
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    report.written = True
    return report
