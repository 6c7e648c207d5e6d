"""A curator's linter: valid facts that are probably not yet good facts.

Validation (:mod:`regulink.loaders.validate`) says whether facts *can* be loaded; the linter
says where valid facts fall short of the curation rules in ``seeds/README.md``: relations left
undated although their source is dated, notes too short to state evidence, source URLs that
point at a mirror or carry tracking parameters, likely duplicate entities, redundant parallel
relations, entities linked to the rest only through a place, kinds their names contradict,
and ``INT`` used for "unknown". The rules' settings are data (``lint_rules.yaml``, beside the
schema); like the rest of the code this module names no kind or relation type.

:func:`lint` works on a :class:`FactBase` and returns :class:`Issue` records that point at a
record and field; :func:`locate` turns them into located :class:`Finding` lines
(``FILE:LINE:COL: message [rule]``) using the parsed files, so the same positions as
``regulink validate`` are reported. A finding is silenced, after review, by a comment
``# lint: ignore[rule-name]`` on the line it points at.

Examples
--------
>>> from regulink.graph.model import Entity, Relation, Source, FactBase
>>> fb = FactBase(
...     {"a": Entity("a", "regulator", "Alpha Authority", None, (), "SG"),
...      "b": Entity("b", "regulator", "Alpha Authority", None, (), "SG")},
...     [Relation("partners_with", "a", "b", None, None, None, None, ("s",), "Partners.")],
...     {"s": Source("s", "news", "P", "T", "2024-01-02", "https://x.org/a?utm_source=t")})
>>> sorted(i.rule for i in lint(fb))
['duplicate-entity', 'short-note', 'source-url', 'undated-relation']
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import yaml_rs

from regulink.graph.model import FactBase
from regulink.graph.schema import Schema, load_schema

__all__ = ["RULES", "Finding", "Issue", "LintReport", "lint", "load_rules", "locate"]

#: The rule names, in the order findings of one record are reported.
RULES = (
    "undated-relation",
    "short-note",
    "source-url",
    "duplicate-entity",
    "redundant-relation",
    "place-only",
    "kind-name",
    "unknown-jurisdiction",
)

_IGNORE = re.compile(r"#\s*lint:\s*ignore(?:\[([a-z\-, ]+)\])?")


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding before it is located: a record (section and id, or relation index) and field.

    ``other`` names a second record the message refers to as ``{other}`` (its location).
    """

    rule: str
    message: str
    section: str
    key: str | int
    field: str | None = None
    other: tuple[str, str | int] | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One located finding: ``FILE:LINE:COL: message [rule]``."""

    file: str
    line: int
    col: int
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class LintReport:
    """The files linted and every finding, in file order."""

    files: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def by_rule(self) -> dict[str, int]:
        counts = dict.fromkeys(RULES, 0)
        for f in self.findings:
            counts[f.rule] += 1
        return {rule: n for rule, n in counts.items() if n}


@cache
def load_rules() -> Mapping:
    """The bundled rule settings (``lint_rules.yaml``)."""
    text = (resources.files("regulink.graph") / "lint_rules.yaml").read_text("utf-8")
    return cast("Mapping[str, Any]", yaml_rs.loads(text, parse_datetime=False))  # a mapping


def lint(
    facts: FactBase,
    *,
    rules: Mapping | None = None,
    schema: Schema | None = None,
    select: Iterable[str] | None = None,
) -> list[Issue]:
    """Every rule's findings on ``facts`` (or only the rules named in ``select``).

    Parameters
    ----------
    facts : FactBase
        Validated facts.
    rules : mapping, optional
        Rule settings; default the bundled ``lint_rules.yaml``.
    schema : Schema, optional
        Vocabulary (relation classes); default the bundled one.
    select : iterable of str, optional
        Rule names to run; default all of :data:`RULES`.

    Returns
    -------
    list of Issue
        Unlocated findings; see :func:`locate`.
    """
    rules = load_rules() if rules is None else rules
    schema = schema or load_schema()
    chosen = set(RULES if select is None else select)
    unknown = chosen - set(RULES)
    if unknown:
        from regulink.errors import RegulinkError

        raise RegulinkError(
            f"unknown lint rule(s): {', '.join(sorted(unknown))}; choose from {', '.join(RULES)}"
        )
    checks = {
        "undated-relation": _undated,
        "short-note": _short_notes,
        "source-url": _source_urls,
        "duplicate-entity": _duplicates,
        "redundant-relation": _redundant,
        "place-only": _place_only,
        "kind-name": _kind_names,
        "unknown-jurisdiction": _unknown_jurisdiction,
    }
    found: list[Issue] = []
    for rule in RULES:
        if rule in chosen:
            found.extend(checks[rule](facts, rules, schema))
    return found


# ---------------------------------------------------------------- the rules
def _undated(facts, rules, schema):
    exempt = set(rules["undated_relation"]["exempt_source_kinds"])
    for i, rel in enumerate(facts.relations):
        if rel.start is not None or rel.end is not None:
            continue
        for sid in rel.sources:
            src = facts.sources[sid]
            if src.date and src.kind not in exempt:
                yield Issue(
                    "undated-relation",
                    f"relation has no date, but its source {sid!r} is dated {src.date}: "
                    "give the date the source states for this fact",
                    "relations",
                    i,
                )
                break


def _short_notes(facts, rules, schema):
    least = rules["short_note"]["min_words"]
    for i, rel in enumerate(facts.relations):
        words = len(rel.note.split()) if rel.note else 0
        if words < least:
            yield Issue(
                "short-note",
                f"note has {words} word{'s' if words != 1 else ''}: state the evidence "
                f"(what the source says happened) in {least} or more",
                "relations",
                i,
                "note",
            )


def _tracking(names: list[str]):
    exact = {n for n in names if not n.endswith("*")}
    prefixes = tuple(n[:-1] for n in names if n.endswith("*"))
    return lambda param: param in exact or (bool(prefixes) and param.startswith(prefixes))


def _source_urls(facts, rules, schema):
    cfg = rules["source_url"]
    mirrors = [h.lower() for h in cfg["mirror_hosts"]]
    is_tracking = _tracking(cfg["tracking_params"])
    for sid, src in facts.sources.items():
        if not src.url:
            continue
        parts = urlsplit(src.url)
        host = (parts.hostname or "").lower()
        mirror = next((m for m in mirrors if host == m or host.endswith("." + m)), None)
        first_label = host.split(".", 1)[0]
        if not mirror and first_label in cfg["copy_subdomains"] and host.count(".") >= 2:
            mirror = host
        if mirror:
            yield Issue(
                "source-url",
                f"URL is a copy on {mirror}: cite the publisher's canonical address",
                "sources",
                sid,
                "url",
            )
        params = sorted(
            {k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if is_tracking(k)}
        )
        if params:
            yield Issue(
                "source-url",
                f"URL carries tracking parameter(s) {', '.join(params)}: drop them",
                "sources",
                sid,
                "url",
            )


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _duplicates(facts, rules, schema):
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    cfg = rules["duplicate_entity"]
    cutoff, min_len = cfg["min_score"], cfg["min_fuzzy_length"]
    groups: dict[str, list[str]] = defaultdict(list)
    for eid, ent in facts.entities.items():
        groups[ent.jurisdiction].append(eid)
    order = {eid: i for i, eid in enumerate(facts.entities)}
    for ids in groups.values():
        if len(ids) < 2:
            continue
        # every name, abbreviation and alias of the group, with the entity it names
        strings: list[str] = []
        owner: list[str] = []
        for eid in ids:
            ent = facts.entities[eid]
            for name in {_norm(n) for n in (ent.name, ent.short_name, *ent.aliases) if n}:
                if name:
                    strings.append(name)
                    owner.append(eid)
        pairs: dict[tuple[str, str], tuple[str, str, float]] = {}
        exact: dict[str, str] = {}
        for s, eid in zip(strings, owner, strict=False):
            first = exact.setdefault(s, eid)
            if first != eid:
                a, b = sorted((first, eid), key=order.__getitem__)
                pairs.setdefault((a, b), (s, s, 100.0))
        long_idx = [i for i, s in enumerate(strings) if len(s) >= min_len]
        long = [strings[i] for i in long_idx]
        # rows in blocks: memory stays bounded by block x group size
        for lo in range(0, len(long), 1024):
            scores = cdist(
                long[lo : lo + 1024], long, scorer=fuzz.ratio, score_cutoff=cutoff, dtype="uint8"
            )
            for r, c in zip(*scores.nonzero(), strict=False):
                a, b = owner[long_idx[lo + r]], owner[long_idx[c]]
                if a != b and order[a] < order[b]:
                    pairs.setdefault((a, b), (long[lo + r], long[c], float(scores[r, c])))
        for (first, second), (sa, sb, score) in sorted(
            pairs.items(), key=lambda kv: order[kv[0][1]]
        ):
            how = f"both named {sa!r}" if sa == sb else f"{sa!r} ~ {sb!r} ({score:.0f})"
            yield Issue(
                "duplicate-entity",
                f"entity {second!r} looks like {first!r} at {{other}}, same "
                f"jurisdiction, {how}: merge them or tell them apart",
                "entities",
                second,
                "name",
                ("entities", first),
            )


def _redundant(facts, rules, schema):
    cfg = rules["redundant_relation"]
    most = cfg["max_parallel"]
    overlap = {frozenset(p) for p in cfg["overlapping_types"]}
    by_pair: dict[frozenset, list[int]] = defaultdict(list)
    for i, rel in enumerate(facts.relations):
        by_pair[frozenset((rel.from_, rel.to))].append(i)
    for idx in by_pair.values():
        if len(idx) < 2:
            continue
        rels = [facts.relations[i] for i in idx]
        if len(idx) > most:
            types = ", ".join(sorted({r.type for r in rels}))
            a, b = rels[0].from_, rels[0].to
            for i in idx[most:]:
                yield Issue(
                    "redundant-relation",
                    f"{len(idx)} relations link {a!r} and {b!r} ({types}): keep the "
                    f"one or two that say it",
                    "relations",
                    i,
                    "type",
                )
        for j, (i, rel) in enumerate(zip(idx, rels, strict=False)):
            for i0, r0 in zip(idx[:j], rels[:j], strict=False):
                if (
                    (r0.from_, r0.to) == (rel.from_, rel.to)
                    and r0.start == rel.start
                    and frozenset((r0.type, rel.type)) in overlap
                ):
                    yield Issue(
                        "redundant-relation",
                        f"{rel.type!r} repeats {r0.type!r} at {{other}} for the same "
                        "two entities and date: keep one",
                        "relations",
                        i,
                        "type",
                        ("relations", i0),
                    )
                    break


def _place_only(facts, rules, schema):
    places = set(rules["place_only"]["place_kinds"])
    structural = schema.structural_types
    through_place: dict[str, bool] = {}
    for rel in facts.relations:
        for end, other in ((rel.from_, rel.to), (rel.to, rel.from_)):
            if facts.entities[end].kind in places:
                continue
            only = rel.type in structural and facts.entities[other].kind in places
            through_place[end] = through_place.get(end, True) and only
    for eid, only in through_place.items():
        if only:
            yield Issue(
                "place-only",
                f"{eid!r} is linked to the rest only through a place: add the "
                "relation that says what it does, or leave it out",
                "entities",
                eid,
            )


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _kind_names(facts, rules, schema):
    for eid, ent in facts.entities.items():
        for rule in rules["kind_name"]:
            if not _compiled(rule["pattern"]).search(ent.name):
                continue
            allowed, banned = rule.get("kinds"), rule.get("not_kinds", ())
            if (allowed and ent.kind not in allowed) or ent.kind in banned:
                want = (
                    f"expected {' or '.join(allowed)}" if allowed else f"not {' or '.join(banned)}"
                )
                yield Issue(
                    "kind-name",
                    f"{ent.name!r} is a {ent.kind} but its name says otherwise "
                    f"({want}: {rule['why']})",
                    "entities",
                    eid,
                    "kind",
                )


def _unknown_jurisdiction(facts, rules, schema):
    cfg = rules["unknown_jurisdiction"]
    kinds, codes = set(cfg["kinds"]), set(cfg["codes"])
    for eid, ent in facts.entities.items():
        if ent.kind in kinds and ent.jurisdiction in codes:
            yield Issue(
                "unknown-jurisdiction",
                f"a {ent.kind} is never {ent.jurisdiction}: give its real "
                "jurisdiction, or leave it out",
                "entities",
                eid,
                "jurisdiction",
            )


# ---------------------------------------------------------------- locating
def locate(issues: list[Issue], docs: Iterable) -> list[Finding]:
    """Located findings, in file order, minus those silenced by ``# lint: ignore[rule]``.

    ``docs`` are the parsed fact files the facts came from, in load order (objects with
    ``path``, ``data``, ``text`` and ``locate(path)``, as
    :func:`regulink.loaders.yaml_files.read_file` returns).
    """
    docs = list(docs)
    where: dict[tuple[str, Any], tuple[Any, tuple]] = {}
    n_rel = 0
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        for section, items in data.items():
            for j, rec in enumerate(items or ()):
                if section == "relations":
                    where[(section, n_rel)] = (doc, (section, j))
                    n_rel += 1
                elif isinstance(rec, dict):
                    where[(section, rec.get("id"))] = (doc, (section, j))
    lines = {id(doc): (doc.text or "").splitlines() for doc in docs}
    order = {id(doc): k for k, doc in enumerate(docs)}
    fast = {id(doc): _ItemIndex.of(doc, lines[id(doc)]) for doc in docs}

    def position(doc, path):
        index = fast[id(doc)]
        hit = index.find(path) if index is not None else None
        return hit if hit is not None else doc.locate(path)

    out: list[tuple[int, Finding]] = []
    for issue in issues:
        doc, path = where[(issue.section, issue.key)]
        target = (*path, issue.field) if issue.field else path
        line, col = position(doc, target)
        if _silenced(lines[id(doc)], line, issue.rule):
            continue
        message = issue.message
        if issue.other is not None:
            odoc, opath = where[issue.other]
            oline, ocol = position(odoc, opath)
            message = message.replace("{other}", f"{odoc.path}:{oline}:{ocol}")
        out.append((order[id(doc)], Finding(doc.path, line, col, message, issue.rule)))
    out.sort(key=lambda t: (t[0], t[1].line, t[1].col, RULES.index(t[1].rule)))
    return [f for _, f in out]


def _silenced(lines: list[str], line: int, rule: str) -> bool:
    if not 0 < line <= len(lines):
        return False
    m = _IGNORE.search(lines[line - 1])
    if m is None:
        return False
    return m.group(1) is None or rule in {r.strip() for r in m.group(1).split(",")}


_TOP_KEY = re.compile(r"^([A-Za-z_]\w*):[ \t]*(?:#.*)?$")
_ITEM = re.compile(r"^( *)- ")


class _ItemIndex:
    """Where each record of a fact file starts, read from its lines: the fast path of locate.

    Composing a large file with PyYAML to place findings costs several times the validation
    itself (a 100k-relation set: 33 s against 5 s), and lint places findings in every file.
    Fact files keep one record per top-level list item, so a record's line is the n-th item
    line of its section. The index is used only when the item count of every section equals
    the parsed data's, and a field's position only when the text there starts with the
    parsed value; anything else falls back to the careful parser (``doc.locate``).
    """

    __slots__ = ("data", "lines", "sections")

    def __init__(self, sections, lines, data):
        self.sections, self.lines, self.data = sections, lines, data

    @classmethod
    def of(cls, doc, lines: list[str]) -> _ItemIndex | None:
        data = doc.data
        if not isinstance(data, dict):
            return None
        tops = [(i, m.group(1)) for i, text in enumerate(lines) if (m := _TOP_KEY.match(text))]
        sections = {}
        for k, (first, name) in enumerate(tops):
            end = tops[k + 1][0] if k + 1 < len(tops) else len(lines)
            starts, indent = [], None
            for j in range(first + 1, end):
                m = _ITEM.match(lines[j])
                if m and (indent is None or len(m.group(1)) == indent):
                    indent = len(m.group(1))
                    starts.append(j)
            items = data.get(name)
            if not isinstance(items, list) or len(starts) != len(items):
                return None
            sections[name] = (starts, end, indent)
        if set(sections) != set(data):
            return None
        return cls(sections, lines, data)

    def find(self, path: tuple) -> tuple[int, int] | None:
        """(line, col) of a record ``(section, i)`` or of its field ``(section, i, name)``."""
        section, i = path[0], path[1]
        starts, end, indent = self.sections[section]
        first = starts[i]
        if len(path) == 2:
            return first + 1, indent + 3
        name = path[2]
        record = self.data[section][i]
        if name not in record:
            # as the careful parser does: a missing field is placed at its record
            return first + 1, indent + 3
        value = record[name]
        if not isinstance(value, str):
            return None
        last = starts[i + 1] if i + 1 < len(starts) else end
        key = re.compile(rf"(?:^ *- +|[{{,] *|^ +){re.escape(name)}: *")
        for j in range(first, last):
            for m in key.finditer(self.lines[j]):
                if _starts_with_value(self.lines[j][m.end() :], value):
                    return j + 1, m.end() + 1
        return None


def _starts_with_value(text: str, value: str) -> bool:
    head = value[:12]
    if text[:1] in "\"'":
        return text[1 : 1 + len(head)] == head or (text[:1] == '"' and "\\" in text[:40])
    return text.startswith(head) or text[:1] in ">|"
