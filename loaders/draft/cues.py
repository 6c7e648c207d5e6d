"""The cue phrases of ``graph/cues.yaml`` as typed objects, checked against the vocabulary.

Examples
--------
>>> c = load_cues()
>>> any(cue.type == "partners_with" and "partnering with" in cue.phrases for cue in c.cues)
True
>>> "person" in c.kinds("organisation")
False
>>> c.months["oct"]
10
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml_rs

from regulink.graph.schema import load_schema
from regulink.loaders.draft.tokens import fold_spelling, key, spelling_regex

__all__ = ["Cue", "Cues", "PossessiveRule", "load_cues", "phrase_key"]

_DIRECTIONS = ("forward", "backward", "symmetric", "kinds")


@dataclass(frozen=True, slots=True)
class Cue:
    type: str
    direction: str
    phrases: tuple[str, ...]
    from_kinds: frozenset[str] | None
    to_kinds: frozenset[str] | None
    list: bool
    max_gap: int
    tight: frozenset[str]
    object_before: bool
    among: bool


@dataclass(frozen=True, slots=True)
class PossessiveRule:
    type: str
    from_kinds: frozenset[str]
    to_kinds: frozenset[str]


@dataclass(frozen=True, slots=True)
class Cues:
    groups: Mapping[str, frozenset[str]]
    cues: tuple[Cue, ...]
    pattern: re.Pattern  # every phrase, longest first, on word boundaries
    by_phrase: Mapping[str, tuple[Cue, ...]]
    possessive_gap: int
    possessive: tuple[PossessiveRule, ...]
    anaphora_within: int
    anaphora: Mapping[str, frozenset[str]]
    part_type: str
    part_heads: frozenset[str]  # folded (tokens.key)
    descriptions: Mapping[str, frozenset[str]]  # as written in cues.yaml
    description_keys: Mapping[str, frozenset[str]]  # folded (tokens.key)
    heads: Mapping[str, str]
    openers: Mapping[str, str]
    connectors: frozenset[str]
    abbreviations: frozenset[str]
    months: Mapping[str, int]
    demonyms: Mapping[str, str]

    def kinds(self, name: str) -> frozenset[str]:
        return self.groups.get(name, frozenset((name,)))


def _kinds(values, groups, known, where: str) -> frozenset[str] | None:
    if values is None:
        return None
    out = set()
    for v in values:
        if v in groups:
            out |= groups[v]
        elif v in known:
            out.add(v)
        else:
            raise ValueError(f"cues.yaml: {where}: unknown kind or group {v!r}")
    return frozenset(out)


def _kind_set(values, groups, known, where: str) -> frozenset[str]:
    # where a list of kinds must be given (groups, possessive rules, anaphora nouns)
    kinds = _kinds(values, groups, known, where)
    if kinds is None:
        raise ValueError(f"cues.yaml: {where}: a list of kinds is required")
    return kinds


def phrase_key(text: str) -> str:
    """A cue phrase as found in text, lowercased, spaced and spelled as in ``by_phrase``."""
    return " ".join(fold_spelling(w) for w in text.lower().split())


def _phrase_regex(phrases) -> re.Pattern:
    # either spelling of each word: "co-organizers of" finds the cue "co-organisers of"
    alternatives = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(spelling_regex(w) for w in p.split()) for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?![\w-])", re.IGNORECASE)


@cache
def load_cues() -> Cues:
    """Load ``graph/cues.yaml`` (cached); a cue naming an unknown type or kind is an error."""
    schema = load_schema()
    # cues.yaml is a mapping at the top (yaml_rs types any document as mapping or list)
    data = cast(
        "dict[str, Any]",
        yaml_rs.loads(
            resources.files("regulink.graph").joinpath("cues.yaml").read_text(encoding="utf-8")
        ),
    )
    known = set(schema.kinds) | {"place", "person"}
    groups: dict[str, frozenset[str]] = {}
    for g, members in data["kind_groups"].items():
        groups[g] = _kind_set(members, {}, known, f"kind group {g}")
    cues: list[Cue] = []
    by_phrase: dict[str, list[Cue]] = {}
    for i, raw in enumerate(data["cues"]):
        where = f"cue {i + 1} ({raw.get('type')})"
        if raw["type"] not in schema.relation_types:
            raise ValueError(f"cues.yaml: {where}: unknown relation type")
        if raw.get("among") and raw["direction"] != "symmetric":
            raise ValueError(f"cues.yaml: {where}: only a symmetric cue may join a list")
        if raw["direction"] not in _DIRECTIONS:
            raise ValueError(f"cues.yaml: {where}: direction must be one of {_DIRECTIONS}")
        cue = Cue(
            raw["type"],
            raw["direction"],
            tuple(p.lower() for p in raw["phrases"]),
            _kinds(raw.get("from_kinds"), groups, known, where),
            _kinds(raw.get("to_kinds"), groups, known, where),
            bool(raw.get("list", False)),
            int(raw.get("max_gap", 8)),
            frozenset(raw.get("tight", ())),
            bool(raw.get("object_before", False)),
            bool(raw.get("among", False)),
        )
        cues.append(cue)
        for p in cue.phrases:
            by_phrase.setdefault(phrase_key(p), []).append(cue)
    possessive = data["possessive"]
    rules = []
    for r in possessive["rules"]:
        if r["type"] not in schema.relation_types:
            raise ValueError(f"cues.yaml: possessive rule: unknown type {r['type']!r}")
        rules.append(
            PossessiveRule(
                r["type"],
                _kind_set(r["from_kinds"], groups, known, "possessive"),
                _kind_set(r["to_kinds"], groups, known, "possessive"),
            )
        )
    if data["named_parts"]["type"] not in schema.relation_types:
        raise ValueError("cues.yaml: named_parts: unknown relation type")
    heads = {**data["candidate_heads"], **data["candidate_openers"]}
    for word, kind in heads.items():
        if kind not in schema.kinds:
            raise ValueError(f"cues.yaml: candidate head {word!r}: unknown kind {kind!r}")
    for word, code in data["demonyms"].items():
        if code not in schema.jurisdictions:
            raise ValueError(f"cues.yaml: demonym {word!r}: unknown jurisdiction {code!r}")
    descriptions = {
        noun: _kind_set(kinds, groups, known, f"description {noun}")
        for noun, kinds in data["descriptions"].items()
    }
    return Cues(
        groups=groups,
        cues=tuple(cues),
        pattern=_phrase_regex(p for c in cues for p in c.phrases),
        by_phrase={k: tuple(v) for k, v in by_phrase.items()},
        possessive_gap=int(possessive["max_gap"]),
        possessive=tuple(rules),
        anaphora_within=int(data["anaphora"]["within"]),
        anaphora={
            noun: _kind_set(kinds, groups, known, f"anaphora {noun}")
            for noun, kinds in data["anaphora"]["nouns"].items()
        },
        part_type=data["named_parts"]["type"],
        part_heads=frozenset(key(n) for n in data["named_parts"]["heads"]),
        descriptions=descriptions,
        description_keys={key(n): k for n, k in descriptions.items()},
        heads=data["candidate_heads"],
        openers=data["candidate_openers"],
        connectors=frozenset(data["name_connectors"]),
        abbreviations=frozenset(data["abbreviations"]),
        months={k: int(v) for k, v in data["months"].items()},
        demonyms=data["demonyms"],
    )
