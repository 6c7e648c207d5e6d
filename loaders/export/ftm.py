"""FollowTheMoney entities as JSON lines, for OpenSanctions and Aleph tooling.

Built with the ``followthemoney`` library's own model, so every value is cleaned and checked
by the property's type (dates, countries, URLs) and every entity is one FtM knows. How kinds
and relation types map onto FtM schemata is data (``ftm.yaml``): an entity becomes a
PublicBody, Organization, Company, Person, Project, Document, Event or Address; a relation
the first link schema of its type whose properties accept its two ends (Membership,
ProjectParticipant, Directorship, Employment, Ownership), else an UnknownLink. Each link
carries its dates, its role (or how the type reads), its note as ``summary``, its key as
``recordId``, and its sources' URLs as ``sourceUrl`` and publishers as ``publisher``.

Entity ids are regulink's ids; link ids are derived from the relation's key.

Needs the ``ftm`` extra: ``pip install 'regulink[ftm]'``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import orjson
import yaml_rs

from regulink.graph.model import Entity, FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.loaders.export._common import atomic

__all__ = ["ftm_entities", "mapping", "write_ftm"]

# FtM properties to try for an entity's abbreviation, website, jurisdiction and life, in
# order: the first the entity's FtM schema has is used.
_ABBREVIATION = ("abbreviation", "alias")
_WEBSITE = ("website", "sourceUrl")
_COUNTRY = ("jurisdiction", "country")
_START = ("startDate", "incorporationDate", "date")
_END = ("endDate", "dissolutionDate")


@cache
def mapping() -> dict:
    """``ftm.yaml``: kinds, relation types and jurisdictions onto FtM."""
    text = (resources.files(__package__) / "ftm.yaml").read_text("utf-8")
    return cast("dict[str, Any]", yaml_rs.loads(text, parse_datetime=False))  # a mapping


def _model():
    try:
        from followthemoney import model
    except ImportError:
        from regulink.loaders.export import ExportError

        raise ExportError(
            "the ftm format needs the followthemoney library: pip install 'regulink[ftm]'"
        ) from None
    return model


def _first(schema, names) -> str | None:
    return next((n for n in names if n in schema.properties), None)


def _set(proxy, names, value) -> None:
    prop = _first(proxy.schema, names)
    if prop is not None and value:
        proxy.add(prop, value)


def _entity(model, e: Entity, kinds: dict, countries: dict):
    proxy = model.make_entity(kinds[e.kind])
    proxy.id = e.id
    proxy.add("name", e.name)
    if "full" in proxy.schema.properties:  # an Address's caption
        proxy.add("full", e.name)
    if "title" in proxy.schema.properties:  # a Document's caption
        proxy.add("title", e.name)
    _set(proxy, _ABBREVIATION, e.short_name)
    _set(proxy, ("alias",), list(e.aliases))
    _set(proxy, _COUNTRY, countries.get(e.jurisdiction, e.jurisdiction))
    _set(proxy, _WEBSITE, e.url)
    _set(proxy, ("description",), e.description)
    _set(proxy, _START, e.start)
    _set(proxy, _END, e.end)
    return proxy


def _link(model, r: Relation, facts: FactBase, schemata: dict):
    """The FtM link for ``r``, whose ends have the FtM schemata ``schemata[id]``."""
    rt = load_schema().relation_types[r.type]
    a, b = schemata[r.from_], schemata[r.to]
    for name, from_prop, to_prop in mapping()["relation_types"][r.type]:
        link = model.get(name)
        if a.is_a(link.get(from_prop).range) and b.is_a(link.get(to_prop).range):
            break
    else:
        name, from_prop, to_prop = "UnknownLink", "subject", "object"
    proxy = model.make_entity(name)
    proxy.make_id("regulink", r.key)
    proxy.add(from_prop, r.from_)
    proxy.add(to_prop, r.to)
    proxy.add("role", r.role or rt.label)
    proxy.add("description", rt.label)
    proxy.add("status", r.status)
    proxy.add("summary", r.note)
    proxy.add("startDate", r.start)
    proxy.add("endDate", r.end)
    proxy.add("recordId", r.key)
    cited = [facts.sources[s] for s in r.sources if s in facts.sources]
    proxy.add("sourceUrl", [s.url for s in cited if s.url])
    proxy.add("publisher", sorted({s.publisher for s in cited}))
    return proxy


def ftm_entities(facts: FactBase):
    """Each entity, then each relation, as a FollowTheMoney ``EntityProxy``."""
    model = _model()
    m = mapping()
    kinds, countries = m["kinds"], m.get("jurisdictions", {})
    schemata = {}
    for e in facts.entities.values():
        proxy = _entity(model, e, kinds, countries)
        schemata[e.id] = proxy.schema
        yield proxy
    for r in facts.relations:
        yield _link(model, r, facts, schemata)


def write_ftm(facts: FactBase, path: Path) -> list[Path]:
    """One FtM entity per line (``EntityProxy.to_dict()``), entities before links."""
    with atomic(path, binary=True) as fh:
        for proxy in ftm_entities(facts):
            fh.write(orjson.dumps(proxy.to_dict()))
            fh.write(b"\n")
    return [path]
