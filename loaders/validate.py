"""Validating fact files into a :class:`~regulink.graph.model.FactBase`.

Two passes, followthemoney style: first every file is parsed and every record checked on its
own (shape, field types, vocabulary, dates); then cross-references are resolved across all
files (unknown or duplicate ids, unsourced relations, duplicate relations). Every problem is
collected, never just the first, and located as ``file:line:col`` only once all are known, so
the careful re-parse that finds positions runs only for files that have problems.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.yaml").write_text('''
... entities:
...   - {id: mas, kind: central_bank, name: Monetary Authority of Singapore,
...      short_name: MAS, jurisdiction: SG}
...   - {id: guardian, kind: project, name: Project Guardian, jurisdiction: SG}
... relations:
...   - {type: launched, from: mas, to: guardian, start: 2022-05, sources: [mas-2022]}
... sources:
...   - {id: mas-2022, kind: press_release, publisher: MAS, title: Guardian launch}
... ''')
>>> facts = load_facts([d])
>>> len(facts.entities), len(facts.relations), facts.relations[0].start
(2, 1, '2022-05')
>>> _ = (d / "b.yaml").write_text('''
... relations:
...   - {type: lauched, from: mas, to: guardain, sources: []}
... ''')
>>> facts, problems = check([d])
>>> for p in problems: print(p.message)
unknown relation type 'lauched' (did you mean 'launched'?)
unknown entity 'guardain' (did you mean 'guardian'?)
relation has no source: cite at least one source id
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from regulink.errors import Problem, ValidationFailed
from regulink.graph.dates import bounds
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.schema import Schema, load_schema
from regulink.loaders import locate, structs
from regulink.loaders.checks import CONTROL, Checker, did_you_mean, kind_of
from regulink.loaders.collector import gc_paused
from regulink.loaders.fanout import Fragment
from regulink.loaders.yaml_files import ParsedFile, fact_files, read_file

__all__ = ["SECTIONS", "check", "first_pass", "load_facts"]

SECTIONS = {"entities": "entity", "relations": "relation", "sources": "source"}
# Fast-path modes (see _Run.fast_fields); every other field type is checked by a call.
_MEMO, _TEXT, _REFS, _TEXTS, _CALL = "memo", "text", "refs", "texts", "call"
_MODES = {
    "slug": _MEMO,
    "entity_ref": _MEMO,
    "kind": _MEMO,
    "relation_type": _MEMO,
    "source_kind": _MEMO,
    "jurisdiction": _MEMO,
    "date": _MEMO,
    "text": _TEXT,
    "source_refs": _REFS,
    "text_list": _TEXTS,
}
# Field types whose checks are the same function share one memo.
_MEMO_KEY = {"entity_ref": "slug"}


@dataclass(slots=True)
class _Batch:
    """The reference columns of a relations section that passed the batch path whole."""

    doc: ParsedFile
    section: str
    froms: list
    tos: list
    srcs: list


_NONE = type(None)
_FAILED = object()  # a column that the batch path cannot vouch for


@dataclass(slots=True)
class _Pending:
    """A problem whose position is looked up once all problems are known."""

    doc: ParsedFile
    path: tuple
    message: str
    key: bool = False
    other: tuple[ParsedFile, tuple] | None = None  # fills "{other}" in the message


class _Run:
    """One validation run over a set of files."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.checker = Checker(schema)
        self.pending: list[_Pending] = []
        self.direct: list[Problem] = []
        self.facts = FactBase()
        # where each id and relation key was first defined, for cross-file checks
        self.entity_at: dict[str, tuple[ParsedFile, tuple]] = {}
        self.source_at: dict[str, tuple[ParsedFile, tuple]] = {}
        # Where each relation in facts.relations came from, as spans: (first index, doc,
        # path) for one record, or (first index, doc, section) for a whole section that
        # went through the batch path; looked up only to place a duplicate relation.
        self.span_starts: list[int] = []
        self.spans: list[tuple[int, ParsedFile, tuple | str]] = []
        self.rel_keys: list[str] = []  # Relation.key of each relation, in the same order
        # (doc, path, values) of each relation checked on its own, or a whole _Batch
        self.refs: list[tuple[ParsedFile, tuple, dict] | _Batch] = []
        self.specs = {
            rec: [(f.name, self.checker.by_type[f.type], f.required) for f in specs.values()]
            for rec, specs in schema.fields.items()
        }
        self.allowed = {rec: frozenset(specs) for rec, specs in schema.fields.items()}
        # The fast path's tables: per record, field name -> (mode, check, memo, required).
        # Checks of enumerable values (ids, references, kinds, dates) are memoised by value:
        # a large fact set repeats them millions of times.
        memos: dict[str, dict] = {}
        self.fast = {
            rec: {
                f.name: (
                    _MODES.get(f.type, _CALL),
                    self.checker.by_type[f.type],
                    memos.setdefault(_MEMO_KEY.get(f.type, f.type), {}),
                    f.required,
                )
                for f in specs.values()
            }
            for rec, specs in schema.fields.items()
        }
        self.n_required = {
            rec: sum(f.required for f in specs.values()) for rec, specs in schema.fields.items()
        }
        self.slug_memo = memos.setdefault("slug", {})
        self.columns = {
            rec: [
                (
                    f.name,
                    _MODES.get(f.type, _CALL),
                    self.checker.by_type[f.type],
                    memos[_MEMO_KEY.get(f.type, f.type)],
                    f.required,
                )
                for f in specs.values()
            ]
            for rec, specs in schema.fields.items()
        }
        self.rtypes = dict(schema.relation_types)
        self.raw = structs.raw_types(schema)
        # ids of entities and sources whose records have problems of their own
        self.broken: dict[str, set[str]] = {"entity": set(), "source": set()}

    def problem(self, doc, path, message, **kw) -> None:
        self.pending.append(_Pending(doc, path, message, **kw))

    # -- first pass: each file and record on its own ---------------------------------------
    def add_file(self, doc: ParsedFile) -> None:
        if doc.problems:
            self.direct.extend(doc.problems)
            if doc.data is None:
                return
            # only problems with single values: check the rest of the file too
        data = doc.data
        if data is None:
            return  # an empty file holds no facts, which is fine
        if not isinstance(data, dict):
            # yaml-rs returns several documents as a list: let the careful parser say so.
            if isinstance(data, list):
                _, found = locate.compose(doc.text or "")
                if found:
                    self.direct.extend(Problem(doc.path, p.line, p.col, p.message) for p in found)
                    return
            self.problem(
                doc,
                (),
                "a fact file must be a mapping with the keys "
                f"entities, relations and/or sources, not {kind_of(data)}",
            )
            return
        doc.sizes = {k: len(v) for k, v in data.items() if isinstance(v, list)}
        for section, items in data.items():
            if section not in SECTIONS:
                self.problem(
                    doc,
                    (section,),
                    f"unknown section {section!r}"
                    f"{did_you_mean(section, SECTIONS)}; "
                    "use entities, relations or sources",
                    key=True,
                )
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(
                    doc, (section,), f"{section} must be a list of records, not {kind_of(items)}"
                )
                continue
            if self.add_batch(doc, section, items):
                continue
            record = SECTIONS[section]
            add = getattr(self, f"add_{record}")
            for i, rec in enumerate(items):
                path = (section, i)
                if not isinstance(rec, dict):
                    self.problem(
                        doc, path, f"each {record} must be a mapping of fields, not {kind_of(rec)}"
                    )
                    continue
                values = self.fast_fields(record, rec)
                if values is None:
                    values, ok = self.fields(doc, path, record, rec)
                else:
                    ok = True
                if record == "relation":
                    # Checked even when the record has other problems: report all at once.
                    self.refs.append((doc, path, values))
                    self.add_relation(doc, path, values, ok)
                elif ok:
                    add(doc, path, values)
                elif "id" in values:
                    # Keep the id of a record with a problem of its own (a bad kind...) for
                    # the reference checks: that problem is reported once, at the record,
                    # not again as "unknown" at every reference to it.
                    self.broken[record].add(values["id"])
                    at = self.entity_at if record == "entity" else self.source_at
                    at.setdefault(values["id"], (doc, path))

    def column(self, values: list, mode: str, check, memo: dict, required: bool):
        """``values`` (one field across a section) checked and converted, else _FAILED.

        Only ever accepts what the per-field checks accept, with the same results.
        """
        types = set(map(type, values))
        if _NONE in types:
            if required:
                return _FAILED
            types.discard(_NONE)
        if mode is _MEMO:
            # exact types only: True == 1 == 1.0 would share a set slot with a valid value
            if not types <= {str, int}:
                return _FAILED
            uniq = set(values)
            uniq.discard(None)
            # "uniq - memo.keys()" would walk the whole memo (it grows with every id)
            for v in [v for v in uniq if v not in memo]:
                got, err = check(v)
                if err:
                    return _FAILED
                memo[v] = got
            # The checked value of each: a year written as a number becomes its ISO text,
            # and equal values share one string (a million relations name a few thousand
            # ids, types and dates: one object each instead of one per mention).
            return list(map(memo.get, values))
        if mode is _TEXT:
            if not types <= {str}:
                return _FAILED
            out = [v and v.strip() for v in values]
            if "" in out or CONTROL.search("\n".join(filter(None, out))):
                return _FAILED
            return out
        if mode is _REFS:
            if not types <= {list} or not all(values):
                return _FAILED
            flat = list(itertools.chain.from_iterable(values))
            if not set(map(type, flat)) <= {str}:  # before the set: [[s1]] is unhashable
                return _FAILED
            ids = set(flat)
            for v in [v for v in ids if v not in self.slug_memo]:
                if self.checker.slug(v)[1]:
                    return _FAILED
                self.slug_memo[v] = v
            return list(map(tuple, values))
        out = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            got, err = check(v)
            if err:
                return _FAILED
            out.append(got)
        return out

    def add_batch(self, doc: ParsedFile, section: str, items: list) -> bool:
        """Check and add a whole section column by column; ``False`` if anything is off.

        Nearly every section of a real fact set is valid, and checking it one field at a
        time costs several times the parse. Here each field is checked once per distinct
        value for the whole section, and records are built with no per-field Python call.
        On any doubt (a problem, a duplicate id, an odd value) nothing is added and the
        section goes record by record, which alone reports problems, in its order.
        """
        record = SECTIONS[section]
        if not items:
            return False
        raw = self.raw.get(record)
        typed = None if raw is None else structs.convert(items, raw)
        cols: dict[str, list] = {}
        if typed is not None:
            for name, mode, check, memo, required in self.columns[record]:
                col = structs.fast_column(
                    typed,
                    name,
                    mode,
                    check,
                    memo,
                    control=CONTROL,
                    slug=self.checker.slug,
                    slug_memo=self.slug_memo,
                    exact=functools.partial(
                        self.column, mode=mode, check=check, memo=memo, required=required
                    ),
                )
                if col is _FAILED:
                    return False
                cols[name] = col
        else:
            if not all(r.__class__ is dict for r in items):
                return False
            if not self.allowed[record].issuperset(itertools.chain.from_iterable(items)):
                return False
            for name, mode, check, memo, required in self.columns[record]:
                col = self.column([r.get(name) for r in items], mode, check, memo, required)
                if col is _FAILED:
                    return False
                cols[name] = col
        if record == "entity":
            return self._batch_entities(doc, section, cols)
        if record == "source":
            return self._batch_sources(doc, section, cols)
        return self._batch_relations(doc, section, cols)

    @staticmethod
    def _new_ids(ids: list, seen: dict) -> bool:
        return len(set(ids)) == len(ids) and seen.keys().isdisjoint(ids)

    def _batch_entities(self, doc, section, c) -> bool:
        ids = c["id"]
        if not self._new_ids(ids, self.entity_at):
            return False
        self.entity_at.update((eid, (doc, (section, k))) for k, eid in enumerate(ids))
        for start, end in zip(c["start"], c["end"], strict=False):
            if start and end and bounds(end)[1] < bounds(start)[0]:
                return False
        aliases = [() if a is None else a for a in c["aliases"]]
        self.facts.entities.update(
            zip(
                ids,
                map(
                    Entity,
                    ids,
                    c["kind"],
                    c["name"],
                    c["short_name"],
                    aliases,
                    c["jurisdiction"],
                    c["url"],
                    c["description"],
                    c["start"],
                    c["end"],
                ),
                strict=False,
            )
        )
        return True

    def _batch_sources(self, doc, section, c) -> bool:
        ids = c["id"]
        if not self._new_ids(ids, self.source_at):
            return False
        self.source_at.update((sid, (doc, (section, k))) for k, sid in enumerate(ids))
        self.facts.sources.update(
            zip(
                ids,
                map(Source, ids, c["kind"], c["publisher"], c["title"], c["date"], c["url"]),
                strict=False,
            )
        )
        return True

    def _batch_relations(self, doc, section, c) -> bool:
        rtypes = [self.rtypes[t] for t in c["type"]]
        froms, tos, starts, ends = c["from"], c["to"], c["start"], c["end"]
        for rt, a, b in zip(rtypes, froms, tos, strict=False):
            if a == b and not rt.allow_self:
                return False
        for start, end in zip(starts, ends, strict=False):
            if start and end and bounds(end)[1] < bounds(start)[0]:
                return False
        syms = [rt.symmetric for rt in rtypes]
        rels = list(
            map(
                Relation,
                c["type"],
                froms,
                tos,
                starts,
                ends,
                c["role"],
                c["status"],
                c["sources"],
                c["note"],
                c["id"],
                syms,
            )
        )
        first = len(self.facts.relations)
        self.span_starts.append(first)
        self.spans.append((first, doc, section))
        self.facts.relations.extend(rels)
        self.rel_keys.extend(r.key for r in rels)
        self.refs.append(_Batch(doc, section, froms, tos, c["sources"]))
        return True

    def fast_fields(self, record: str, rec: dict) -> dict | None:
        """The checked values of a record with no problem, else ``None``.

        Valid records are nearly all records, so they take this path: no per-field call for
        memoised or text fields, no problem bookkeeping. Anything unusual (an unknown field, a
        missing or empty value, a value any check refuses) returns ``None`` and the record
        goes through :meth:`fields`, which alone reports problems, in its order; this path
        only ever accepts what :meth:`fields` accepts, with the same values.
        """
        table = self.fast[record]
        values = {}
        required = 0
        for name, v in rec.items():
            spec = table.get(name)
            if spec is None:
                return None
            if v is None:
                continue  # an absent optional field; a required one fails the count below
            mode, check, memo, req = spec
            cls = v.__class__
            if mode is _MEMO:
                if cls is str or cls is int:  # never bool or float: True == 1 == 1.0 as keys
                    got = memo.get(v)
                    if got is None:
                        got, err = check(v)
                        if err:
                            return None
                        memo[v] = got
                else:
                    return None
            elif mode is _TEXT:
                if cls is not str:
                    return None
                got = v.strip()
                if not got or CONTROL.search(got):
                    return None
            elif mode is _REFS:
                if cls is not list or not v:
                    return None
                slugs = self.slug_memo
                for item in v:
                    if item.__class__ is not str or item not in slugs:
                        _, err = self.checker.slug(item)
                        if err:
                            return None
                        slugs[item] = item
                got = tuple(v)
            elif mode is _TEXTS:
                if cls is not list:
                    return None
                got = tuple(item.strip() for item in v if item.__class__ is str)
                if len(got) != len(v) or not all(got) or CONTROL.search("\n".join(got)):
                    return None
            else:
                got, err = check(v)
                if err:
                    return None
            values[name] = got
            required += req
        if required != self.n_required[record]:
            return None
        return values

    def fields(self, doc, path, record, rec) -> tuple[dict, bool]:
        ok = True
        extra = rec.keys() - self.allowed[record]
        for name in extra:
            self.problem(
                doc,
                (*path, name),
                f"unknown {record} field {name!r}{did_you_mean(name, self.allowed[record])}",
                key=True,
            )
            ok = False
        values = {}
        for name, check, required in self.specs[record]:
            v = rec.get(name)
            if v is None:
                if required:
                    self.problem(doc, path, f"{record} is missing required field {name!r}")
                    ok = False
                continue
            value, err = check(v)
            if err:
                self.problem(
                    doc,
                    (*path, name),
                    f"{name}: {err}"
                    if not err.startswith(("unknown", "relation has", "invalid", "sources"))
                    else err,
                )
                ok = False
            else:
                values[name] = value
        return values, ok

    def add_entity(self, doc, path, v) -> None:
        first = self.entity_at.get(v["id"])
        if first is not None:
            self.problem(
                doc,
                (*path, "id"),
                f"duplicate entity id {v['id']!r} (first defined at {{other}})",
                other=(first[0], first[1] + ("id",)),
            )
            return
        self.entity_at[v["id"]] = (doc, path)
        start, end = v.get("start"), v.get("end")
        if start and end and bounds(end)[1] < bounds(start)[0]:
            self.problem(doc, (*path, "end"), f"end {end} is before start {start}")
        self.facts.entities[v["id"]] = Entity(
            v["id"],
            v["kind"],
            v["name"],
            v.get("short_name"),
            v.get("aliases", ()),
            v["jurisdiction"],
            v.get("url"),
            v.get("description"),
            start,
            end,
        )

    def add_source(self, doc, path, v) -> None:
        first = self.source_at.get(v["id"])
        if first is not None:
            self.problem(
                doc,
                (*path, "id"),
                f"duplicate source id {v['id']!r} (first defined at {{other}})",
                other=(first[0], first[1] + ("id",)),
            )
            return
        self.source_at[v["id"]] = (doc, path)
        self.facts.sources[v["id"]] = Source(
            v["id"], v["kind"], v["publisher"], v["title"], v.get("date"), v.get("url")
        )

    def add_relation(self, doc, path, v, ok: bool = True) -> None:
        """Add a relation whose fields passed (``ok``); check what its fields allow either
        way, so that every problem of a record is reported at once."""
        start, end = v.get("start"), v.get("end")
        if start and end and bounds(end)[1] < bounds(start)[0]:
            self.problem(doc, (*path, "end"), f"end {end} is before start {start}")
            ok = False
        rtype = self.schema.relation_types.get(v.get("type"))
        if rtype is None or "from" not in v or "to" not in v:
            return
        if v["from"] == v["to"] and not rtype.allow_self:
            self.problem(
                doc, (*path, "to"), f"a {rtype.name} relation cannot link {v['from']!r} to itself"
            )
            ok = False
        if ok:
            rel = Relation(
                rtype.name,
                v["from"],
                v["to"],
                start,
                end,
                v.get("role"),
                v.get("status"),
                v["sources"],
                v.get("note"),
                v.get("id"),
                rtype.symmetric,
            )
            self.span_starts.append(len(self.facts.relations))
            self.spans.append((len(self.facts.relations), doc, path))
            self.facts.relations.append(rel)
            self.rel_keys.append(rel.key)

    def clean(self) -> bool:
        """No problem so far, and no record set aside for one."""
        return not (self.direct or self.pending or self.broken["entity"] or self.broken["source"])

    def merge(self, frag: Fragment) -> bool:
        """Append a clean chunk's facts (checked in another process); ``False`` if one of its
        entity or source ids is defined here already."""
        facts, other = self.facts, frag.facts
        if not (
            facts.entities.keys().isdisjoint(other.entities)
            and facts.sources.keys().isdisjoint(other.sources)
        ):
            return False
        facts.entities.update(other.entities)
        facts.sources.update(other.sources)
        facts.relations.extend(other.relations)
        self.rel_keys.extend(frag.rel_keys)
        return True

    # -- second pass: references across all files -------------------------------------------
    def resolve(self) -> None:
        entities, sources = self.facts.entities, self.facts.sources
        missing: dict[tuple[str, str], str] = {}

        def unknown(what: str, ref: str, choices) -> str:
            msg = missing.get((what, ref))
            if msg is None:
                msg = missing[(what, ref)] = f"unknown {what} {ref!r}{did_you_mean(ref, choices)}"
            return msg

        bad: set[tuple] = set()

        broken_entities, broken_sources = self.broken["entity"], self.broken["source"]

        def check_refs(doc, path, v) -> None:
            for end_name in ("from", "to"):
                ref = v.get(end_name)
                if ref is not None and ref not in entities:
                    if ref not in broken_entities:
                        self.problem(doc, (*path, end_name), unknown("entity", ref, entities))
                    bad.add((id(doc), path))
            for j, sid in enumerate(v.get("sources", ())):
                if sid not in sources:
                    if sid not in broken_sources:
                        self.problem(doc, (*path, "sources", j), unknown("source", sid, sources))
                    bad.add((id(doc), path))

        for item in self.refs:
            if isinstance(item, _Batch):
                # a whole section at once; record by record only if some reference is unknown
                if (
                    entities.keys() >= set(item.froms)
                    and entities.keys() >= set(item.tos)
                    and sources.keys() >= set(itertools.chain.from_iterable(item.srcs))
                ):
                    continue
                for k, (a, b, srcs) in enumerate(
                    zip(item.froms, item.tos, item.srcs, strict=False)
                ):
                    check_refs(item.doc, (item.section, k), {"from": a, "to": b, "sources": srcs})
            else:
                check_refs(*item)
        self.refs = []

        rel_keys = self.rel_keys
        if not bad and len(set(rel_keys)) == len(rel_keys):
            return  # no duplicate and no dangling reference: every relation is kept
        keys: dict[str, int] = {}
        kept: list[Relation] = []
        for i, rel in enumerate(self.facts.relations):
            doc, path = self.relation_at(i)
            key = rel_keys[i]
            first = keys.get(key)
            if first is not None:
                fdoc, fpath = self.relation_at(first)
                self.problem(doc, path, _duplicate_message(rel), other=(fdoc, fpath))
                continue
            keys[key] = i
            if (id(doc), path) not in bad:
                kept.append(rel)
        self.facts.relations = kept

    def relation_at(self, i: int) -> tuple[ParsedFile, tuple]:
        """The file and path of the ``i``-th relation added (before any was dropped)."""
        start, doc, where = self.spans[bisect.bisect_right(self.span_starts, i) - 1]
        return (doc, where) if where.__class__ is tuple else (doc, (where, i - start))

    def problems(self) -> list[Problem]:
        out = list(self.direct)
        for p in self.pending:
            line, col = p.doc.locate(p.path, key=p.key)
            msg = p.message
            if p.other is not None:
                odoc, opath = p.other
                oline, ocol = odoc.locate(opath)
                msg = msg.replace("{other}", f"{odoc.path}:{oline}:{ocol}")
            out.append(Problem(p.doc.path, line, col, msg))
        return out


def _duplicate_message(rel: Relation) -> str:
    """What two relations with one key share: their id, else type, ends and start."""
    if rel.id:
        return f"duplicate relation id {rel.id!r} (first used at {{other}}); ids are unique"
    ends = f"{rel.from_!r} and {rel.to!r}" + (" (in either order)" if rel.symmetric else "")
    when = f"start {rel.start}" if rel.start else "no start date"
    return (
        f"duplicate relation: the same type {rel.type!r}, ends {ends} and {when} as "
        "{other}; merge the two or give each an id"
    )


def check(
    paths: Iterable[str | os.PathLike], *, schema: Schema | None = None
) -> tuple[FactBase, list[Problem]]:
    """Validate fact files and folders; return the facts and every problem found.

    The facts are complete only when ``problems`` is empty. A large set with the bundled
    vocabulary is checked on several cores (:mod:`regulink.loaders.fanout`); the result is
    the same.
    """
    files, problems = fact_files(paths)
    if not problems and schema is None:
        from regulink.loaders import fanout

        n = fanout.plan(files)
        if n > 1:
            facts = _check_fanned(fanout.split(files, n))
            if facts is not None:
                facts.files = tuple(str(f) for f in files)
                return facts, []
    run = _Run(schema or load_schema())
    run.direct.extend(problems)
    order = {str(f): i for i, f in enumerate(files)}
    with gc_paused():
        for f in files:
            _add(run, f)
        run.resolve()
    found = run.problems()
    found.sort(key=lambda p: (order.get(p.file, -1), p.line, p.col))
    run.facts.files = tuple(str(f) for f in files)
    return run.facts, found


def _add(run: _Run, f: Path) -> None:
    doc = read_file(f)
    run.add_file(doc)
    # The records are built: drop the parsed tree now rather than at the end (a third of the
    # peak memory on large sets). The text stays, to locate problems.
    doc.data = None


def first_pass(files: list[Path]) -> Fragment | None:
    """The first pass over ``files`` alone, as a fragment for :func:`check` to merge;
    ``None`` if any record has a problem (the caller then validates the whole set itself)."""
    run = _Run(load_schema())
    with gc_paused():
        for f in files:
            _add(run, f)
            if not run.clean():
                return None
    entity_refs: set[str] = set()
    source_refs: set[str] = set()
    for item in run.refs:
        if isinstance(item, _Batch):
            entity_refs.update(item.froms)
            entity_refs.update(item.tos)
            source_refs.update(itertools.chain.from_iterable(item.srcs))
        else:
            values = item[2]
            entity_refs.update((values["from"], values["to"]))
            source_refs.update(values["sources"])
    return Fragment(run.facts, run.rel_keys, entity_refs, source_refs)


def _check_fanned(chunks: list[list[Path]]) -> FactBase | None:
    """The facts of clean ``chunks``, the first checked here and each other in a helper
    process; ``None`` at the first sign of a problem (see :mod:`regulink.loaders.fanout`)."""
    from regulink.loaders.fanout import Helper

    helpers: list[Helper] = []
    try:
        try:
            helpers = [Helper(c) for c in chunks[1:]]
        except OSError:
            return None
        run = _Run(load_schema())
        with gc_paused():
            for f in chunks[0]:
                _add(run, f)
                if not run.clean():
                    return None
            entity_refs: list[set[str]] = []
            source_refs: list[set[str]] = []
            for h in helpers:
                frag = h.result()
                if frag is None or not run.merge(frag):
                    return None
                entity_refs.append(frag.entity_refs)
                source_refs.append(frag.source_refs)
            facts = run.facts
            if not all(facts.entities.keys() >= refs for refs in entity_refs):
                return None
            if not all(facts.sources.keys() >= refs for refs in source_refs):
                return None
            run.resolve()
        return facts if run.clean() else None
    finally:
        for h in helpers:
            h.stop()


def load_facts(
    paths: Iterable[str | os.PathLike] | None = None,
    *,
    schema: Schema | None = None,
    cache: bool = True,
) -> FactBase:
    """Validated facts from ``paths`` (default: the bundled seeds).

    With ``cache`` (and the bundled vocabulary), a fact set validated before and unchanged
    since is read back from :mod:`regulink.loaders.cache` instead of being parsed again; a
    fresh copy each call.

    Raises
    ------
    ValidationFailed
        With every located problem, if any file has one.
    """
    if paths is None:
        from regulink.loaders.seeds import default_seed_paths

        paths = default_seed_paths()
    paths = list(paths)
    store = None
    if cache and schema is None:
        from regulink.loaders.cache import default_cache

        store = default_cache()
    files: list[Path] = []
    stamp = None
    if store is not None:
        files, missing = fact_files(paths)
        if not missing and files:
            hit = store.get(files)
            if hit is not None:
                return hit
            stamp = store.stamp(files)
    facts, problems = check(paths, schema=schema)
    if problems:
        raise ValidationFailed(problems, len(facts.files))
    if store is not None and stamp is not None:
        store.put(files, facts, stamp)
    return facts
