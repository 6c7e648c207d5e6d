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

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from regulink.errors import Problem, ValidationFailed
from regulink.graph.dates import bounds, parse_partial_date
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.schema import Schema, load_schema
from regulink.graph.search import suggest
from regulink.loaders import locate
from regulink.loaders.yaml_files import ParsedFile, fact_files, read_file

__all__ = ["check", "load_facts", "SECTIONS"]

SECTIONS = {"entities": "entity", "relations": "relation", "sources": "source"}
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text",
               list: "a list", dict: "a mapping", type(None): "empty"}


def _kind_of(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _did_you_mean(word: object, choices: Iterable[str]) -> str:
    hits = suggest(str(word), choices) if isinstance(word, str) else []
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(h) for h in hits) + "?)"


@dataclass(slots=True)
class _Pending:
    """A problem whose position is looked up once all problems are known."""

    doc: ParsedFile
    path: tuple
    message: str
    key: bool = False
    other: tuple[ParsedFile, tuple] | None = None  # fills "{other}" in the message


class _Checker:
    """Checks field values against the vocabulary; one instance per validation run."""

    def __init__(self, schema: Schema):
        self.schema = schema
        kinds, rtypes = schema.kinds, schema.relation_types
        self.by_type: dict[str, Callable[[object], tuple[object, str | None]]] = {
            "slug": self.slug,
            "text": self.text,
            "text_list": self.text_list,
            "url": self.url,
            "date": self.date,
            "entity_ref": self.slug,
            "source_refs": self.source_refs,
            "kind": self.vocab(kinds, "kind"),
            "relation_type": self.vocab(rtypes, "relation type"),
            "source_kind": self.vocab(schema.source_kinds, "source kind"),
            "jurisdiction": self.jurisdiction,
        }

    @staticmethod
    def slug(v):
        if isinstance(v, str) and _SLUG.match(v):
            return v, None
        if isinstance(v, str):
            return None, (f"invalid id {v!r}: use lowercase letters, digits and single "
                          "hyphens (e.g. 'bank-of-england')")
        return None, f"an id must be text, not {_kind_of(v)}"

    @staticmethod
    def text(v):
        if isinstance(v, str):
            v = v.strip()
            return (v, None) if v else (None, "must not be empty")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return None, f"must be text, not a number (quote it: \"{v}\")"
        return None, f"must be text, not {_kind_of(v)}"

    def text_list(self, v):
        if not isinstance(v, list):
            return None, f"must be a list of text, not {_kind_of(v)} (write [\"...\"])"
        out = []
        for item in v:
            t, err = self.text(item)
            if err:
                return None, f"each item {err}"
            out.append(t)
        return tuple(out), None

    @staticmethod
    def url(v):
        if isinstance(v, str) and _URL.match(v.strip()):
            return v.strip(), None
        return None, f"invalid URL {v!r}: use a full http:// or https:// address"

    @staticmethod
    def date(v):
        d = parse_partial_date(v)
        if d is None:
            return None, (f"invalid date {v!r}: use YYYY, YYYY-MM or YYYY-MM-DD "
                          "(a real calendar date)")
        return d, None

    def source_refs(self, v):
        if isinstance(v, str):
            return None, f"sources must be a list of source ids (write [{v}])"
        if not isinstance(v, list):
            return None, f"sources must be a list of source ids, not {_kind_of(v)}"
        if not v:
            return None, "relation has no source: cite at least one source id"
        out = []
        for item in v:
            s, err = self.slug(item)
            if err:
                return None, f"in sources: {err}"
            out.append(s)
        return tuple(out), None

    @staticmethod
    def vocab(choices, what):
        def check(v):
            if isinstance(v, str) and v in choices:
                return v, None
            if not isinstance(v, str):
                return None, f"a {what} must be text, not {_kind_of(v)}"
            return None, f"unknown {what} {v!r}{_did_you_mean(v, choices)}"
        return check

    def jurisdiction(self, v):
        codes = self.schema.jurisdictions
        if isinstance(v, str) and v in codes:
            return v, None
        if isinstance(v, str) and v.upper() in codes:
            return None, f"unknown jurisdiction {v!r} (did you mean {v.upper()!r}?)"
        return None, (f"unknown jurisdiction {v!r}: use an ISO 3166-1 alpha-2 code "
                      "such as 'SG', or EU / INT for supranational bodies")


class _Run:
    """One validation run over a set of files."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.checker = _Checker(schema)
        self.pending: list[_Pending] = []
        self.direct: list[Problem] = []
        self.facts = FactBase()
        # where each id and relation key was first defined, for cross-file checks
        self.entity_at: dict[str, tuple[ParsedFile, tuple]] = {}
        self.source_at: dict[str, tuple[ParsedFile, tuple]] = {}
        self.relation_at: list[tuple[ParsedFile, tuple]] = []
        self.refs: list[tuple[ParsedFile, tuple, dict]] = []
        self.specs = {
            rec: [(f.name, self.checker.by_type[f.type], f.required) for f in specs.values()]
            for rec, specs in schema.fields.items()
        }
        self.allowed = {rec: frozenset(specs) for rec, specs in schema.fields.items()}

    def problem(self, doc, path, message, **kw) -> None:
        self.pending.append(_Pending(doc, path, message, **kw))

    # -- first pass: each file and record on its own ---------------------------------------
    def add_file(self, doc: ParsedFile) -> None:
        if doc.problems:
            self.direct.extend(doc.problems)
            return
        data = doc.data
        if data is None:
            return  # an empty file holds no facts, which is fine
        if not isinstance(data, dict):
            # yaml-rs returns several documents as a list: let the careful parser say so.
            if isinstance(data, list):
                _, found = locate.compose(doc.text or "")
                if found:
                    self.direct.extend(Problem(doc.path, p.line, p.col, p.message)
                                       for p in found)
                    return
            self.problem(doc, (), "a fact file must be a mapping with the keys "
                                  f"entities, relations and/or sources, not {_kind_of(data)}")
            return
        for section, items in data.items():
            if section not in SECTIONS:
                self.problem(doc, (section,), f"unknown section {section!r}"
                             f"{_did_you_mean(section, SECTIONS)}; "
                             "use entities, relations or sources", key=True)
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(doc, (section,),
                             f"{section} must be a list of records, not {_kind_of(items)}")
                continue
            record = SECTIONS[section]
            add = getattr(self, f"add_{record}")
            for i, rec in enumerate(items):
                path = (section, i)
                if not isinstance(rec, dict):
                    self.problem(doc, path, f"each {record} must be a mapping of fields, "
                                            f"not {_kind_of(rec)}")
                    continue
                values, ok = self.fields(doc, path, record, rec)
                if record == "relation":
                    # Checked even when the record has other problems: report all at once.
                    self.refs.append((doc, path, values))
                if ok:
                    add(doc, path, values)

    def fields(self, doc, path, record, rec) -> tuple[dict, bool]:
        ok = True
        extra = rec.keys() - self.allowed[record]
        for name in extra:
            self.problem(doc, path + (name,), f"unknown {record} field {name!r}"
                         f"{_did_you_mean(name, self.allowed[record])}", key=True)
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
                self.problem(doc, path + (name,), f"{name}: {err}" if not
                             err.startswith(("unknown", "relation has", "invalid", "sources"))
                             else err)
                ok = False
            else:
                values[name] = value
        return values, ok

    def add_entity(self, doc, path, v) -> None:
        first = self.entity_at.get(v["id"])
        if first is not None:
            self.problem(doc, path + ("id",), f"duplicate entity id {v['id']!r} "
                         "(first defined at {other})", other=(first[0], first[1] + ("id",)))
            return
        self.entity_at[v["id"]] = (doc, path)
        self.facts.entities[v["id"]] = Entity(
            v["id"], v["kind"], v["name"], v.get("short_name"), v.get("aliases", ()),
            v["jurisdiction"], v.get("url"), v.get("description"))

    def add_source(self, doc, path, v) -> None:
        first = self.source_at.get(v["id"])
        if first is not None:
            self.problem(doc, path + ("id",), f"duplicate source id {v['id']!r} "
                         "(first defined at {other})", other=(first[0], first[1] + ("id",)))
            return
        self.source_at[v["id"]] = (doc, path)
        self.facts.sources[v["id"]] = Source(v["id"], v["kind"], v["publisher"], v["title"],
                                             v.get("date"), v.get("url"))

    def add_relation(self, doc, path, v) -> None:
        rtype = self.schema.relation_types[v["type"]]
        start, end = v.get("start"), v.get("end")
        ok = True
        if start and end and bounds(end)[1] < bounds(start)[0]:
            self.problem(doc, path + ("end",), f"end {end} is before start {start}")
            ok = False
        if v["from"] == v["to"] and not rtype.allow_self:
            self.problem(doc, path + ("to",), f"a {rtype.name} relation cannot link "
                                              f"{v['from']!r} to itself")
            ok = False
        if ok:
            self.facts.relations.append(Relation(
                rtype.name, v["from"], v["to"], start, end, v.get("role"), v.get("status"),
                v["sources"], v.get("note"), v.get("id"), rtype.symmetric))
            self.relation_at.append((doc, path))

    # -- second pass: references across all files -------------------------------------------
    def resolve(self) -> None:
        entities, sources = self.facts.entities, self.facts.sources
        missing: dict[tuple[str, str], str] = {}

        def unknown(what: str, ref: str, choices) -> str:
            msg = missing.get((what, ref))
            if msg is None:
                msg = missing[(what, ref)] = (f"unknown {what} {ref!r}"
                                              f"{_did_you_mean(ref, choices)}")
            return msg

        bad: set[tuple] = set()
        for doc, path, v in self.refs:
            for end_name in ("from", "to"):
                ref = v.get(end_name)
                if ref is not None and ref not in entities:
                    self.problem(doc, path + (end_name,), unknown("entity", ref, entities))
                    bad.add((id(doc), path))
            for j, sid in enumerate(v.get("sources", ())):
                if sid not in sources:
                    self.problem(doc, path + ("sources", j), unknown("source", sid, sources))
                    bad.add((id(doc), path))

        keys: dict[str, int] = {}
        kept: list[Relation] = []
        for i, rel in enumerate(self.facts.relations):
            doc, path = self.relation_at[i]
            key = rel.key
            first = keys.get(key)
            if first is not None:
                fdoc, fpath = self.relation_at[first]
                self.problem(doc, path, "duplicate relation: same type, ends and start as "
                             "{other}; merge the two or give each an id", other=(fdoc, fpath))
                continue
            keys[key] = i
            if (id(doc), path) not in bad:
                kept.append(rel)
        self.facts.relations = kept

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


def check(paths: Iterable[str | os.PathLike], *, schema: Schema | None = None
          ) -> tuple[FactBase, list[Problem]]:
    """Validate fact files and folders; return the facts and every problem found.

    The facts are complete only when ``problems`` is empty.
    """
    run = _Run(schema or load_schema())
    files, problems = fact_files(paths)
    run.direct.extend(problems)
    order = {str(f): i for i, f in enumerate(files)}
    for f in files:
        run.add_file(read_file(f))
    run.resolve()
    found = run.problems()
    found.sort(key=lambda p: (order.get(p.file, -1), p.line, p.col))
    run.facts.files = tuple(str(f) for f in files)
    return run.facts, found


def load_facts(paths: Iterable[str | os.PathLike] | None = None, *,
               schema: Schema | None = None) -> FactBase:
    """Validated facts from ``paths`` (default: the bundled seeds).

    Raises
    ------
    ValidationFailed
        With every located problem, if any file has one.
    """
    if paths is None:
        from regulink.loaders.seeds import default_seed_paths
        paths = default_seed_paths()
    facts, problems = check(paths, schema=schema)
    if problems:
        raise ValidationFailed(problems)
    return facts
