"""The vocabulary (kinds, relation types, source kinds, fields) loaded from ``schema.yaml``.

The vocabulary is data, declared once; this module turns it into typed, immutable objects.
Store labels (``CentralBank``) and relationship types (``PARTICIPATES_IN``) are derived here and
nowhere else, so any identifier that reaches a Cypher string comes from this file.

Examples
--------
>>> s = load_schema()
>>> s.kinds["central_bank"].label
'CentralBank'
>>> rt = s.relation_types["participates_in"]
>>> rt.cypher_type, rt.label, rt.inverse
('PARTICIPATES_IN', 'participates in', 'has participant')
>>> s.relation_types["partners_with"].symmetric
True
>>> rt.structural, rt.event, s.relation_types["member_of"].structural
(False, False, True)
>>> s.relation_types["launched"].event
True
>>> sorted(s.structural_types)[:2]
['located_in', 'member_of']
>>> "central_bank" in s.actor_kinds, "framework" in s.actor_kinds, sorted(s.joint_kinds)
(True, False, ['programme', 'project'])
>>> s.jurisdictions["SG"]
'Singapore'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

import yaml_rs

__all__ = [
    "RELATION_CLASSES",
    "TEMPORAL",
    "FieldSpec",
    "Kind",
    "RelationType",
    "Schema",
    "load_schema",
]

_CYPHER_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Kind:
    """An entity kind; ``label`` is its store label (CamelCase)."""

    name: str
    label: str
    description: str
    actor: bool = False
    joint: bool = False


@dataclass(frozen=True, slots=True)
class RelationType:
    """A relation type: how it reads forwards (``label``) and backwards (``inverse``)."""

    name: str
    label: str
    inverse: str
    symmetric: bool
    allow_self: bool
    description: str
    relation_class: str = "substantive"
    temporal: str = "state"
    via: str | None = None
    bounded_by: tuple[str, ...] = ("from", "to")

    @property
    def structural(self) -> bool:
        """Standing membership, location, employment and the like (see schema.yaml)."""
        return self.relation_class == "structural"

    @property
    def event(self) -> bool:
        """A dated act ("launched on 2022-05-31") rather than a state that holds."""
        return self.temporal == "event"

    @property
    def cypher_type(self) -> str:
        """The relationship type in the stores, e.g. ``MEMBER_OF``."""
        return self.name.upper()

    def reading(self, forward: bool) -> str:
        """The phrase for walking this relation forwards or backwards."""
        return self.label if forward or self.symmetric else self.inverse


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a record may carry: its value type and whether it is required."""

    name: str
    type: str
    required: bool


@dataclass(frozen=True, slots=True)
class Schema:
    """The whole vocabulary. Mappings are read-only views, ordered as in the file."""

    kinds: Mapping[str, Kind]
    relation_types: Mapping[str, RelationType]
    source_kinds: Mapping[str, str]
    fields: Mapping[str, Mapping[str, FieldSpec]]
    jurisdictions: Mapping[str, str]
    supranational: frozenset[str]

    @property
    def structural_types(self) -> frozenset[str]:
        """The relation types of class ``structural``."""
        return frozenset(n for n, t in self.relation_types.items() if t.structural)

    @property
    def actor_kinds(self) -> frozenset[str]:
        """The kinds that can act and partner (``actor: true``)."""
        return frozenset(n for n, k in self.kinds.items() if k.actor)

    @property
    def joint_kinds(self) -> frozenset[str]:
        """The kinds of joint undertakings (``joint: true``): projects, programmes."""
        return frozenset(n for n, k in self.kinds.items() if k.joint)

    @property
    def event_types(self) -> frozenset[str]:
        """The relation types that are dated acts (``temporal: event``)."""
        return frozenset(n for n, t in self.relation_types.items() if t.event)


#: The values ``class`` and ``temporal`` may take in schema.yaml.
RELATION_CLASSES = ("structural", "substantive")
TEMPORAL = ("state", "event")


def _one_of(value, allowed: tuple[str, ...], what: str) -> str:
    # Every relation type must say both: a missing class would silently read as substantive.
    if value not in allowed:
        raise ValueError(f"schema.yaml: {what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _bounded_by(value, name: str) -> tuple[str, ...]:
    ends = {"both": ("from", "to"), "from": ("from",), "to": ("to",)}
    if value not in ends:
        raise ValueError(
            f"schema.yaml: bounded_by of {name} must be both, from or to, not {value!r}"
        )
    return ends[value]


def _check_ident(name: str, what: str) -> str:
    # A schema edit must never be able to smuggle Cypher into a label or type.
    if not _CYPHER_IDENT.match(name):
        raise ValueError(f"schema.yaml: {what} {name!r} is not a safe identifier")
    return name


@cache
def load_schema() -> Schema:
    """Load the bundled vocabulary (cached: it never changes at run time)."""
    pkg = resources.files("regulink.graph")
    # both files are mappings at the top (yaml_rs types any document as mapping or list)
    raw = cast(
        "dict[str, Any]",
        yaml_rs.loads((pkg / "schema.yaml").read_text("utf-8"), parse_datetime=False),
    )
    jur = cast(
        "dict[str, Any]",
        yaml_rs.loads((pkg / "jurisdictions.yaml").read_text("utf-8"), parse_datetime=False),
    )

    kinds = {
        name: Kind(
            _check_ident(name, "kind"),
            _check_ident(spec["label"], "label"),
            spec.get("description", ""),
            bool(spec.get("actor", False)),
            bool(spec.get("joint", False)),
        )
        for name, spec in raw["kinds"].items()
    }
    rtypes = {
        name: RelationType(
            _check_ident(name, "relation type"),
            spec["label"],
            spec["inverse"],
            bool(spec.get("symmetric", False)),
            bool(spec.get("allow_self", False)),
            spec.get("description", ""),
            _one_of(spec.get("class"), RELATION_CLASSES, f"class of {name}"),
            _one_of(spec.get("temporal"), TEMPORAL, f"temporal of {name}"),
            spec.get("via"),
            _bounded_by(spec.get("bounded_by", "both"), name),
        )
        for name, spec in raw["relation_types"].items()
    }
    fields = {
        record: MappingProxyType(
            {
                fname: FieldSpec(fname, spec["type"], bool(spec.get("required", False)))
                for fname, spec in specs.items()
            }
        )
        for record, specs in raw["fields"].items()
    }
    jurisdictions = {**jur["supranational"], **jur["iso3166"]}
    return Schema(
        kinds=MappingProxyType(kinds),
        relation_types=MappingProxyType(rtypes),
        source_kinds=MappingProxyType(dict(raw["source_kinds"])),
        fields=MappingProxyType(fields),
        jurisdictions=MappingProxyType(jurisdictions),
        supranational=frozenset(jur["supranational"]),
    )
