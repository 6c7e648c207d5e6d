"""Helpers shared by the store tests (no tests here): expected graphs and query results
computed from the facts in plain Python, synthetic fact bases, graph dumps through Cypher."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.schema import load_schema

__all__ = ["MINI", "dump_graph", "expected_graph", "expected_saved", "synthetic"]

MINI = Path(__file__).parent / "fixtures" / "mini"


def _canonical(item: tuple) -> str:
    # Sorted by content whatever order a store gives properties in.
    return repr([sorted(v.items()) if isinstance(v, dict) else v for v in item])


def _present(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], ())}


def expected_graph(facts: FactBase) -> tuple[list, list]:
    """The nodes and relationships the graph model says ``facts`` become (sorted)."""
    schema = load_schema()
    nodes = []
    for e in facts.entities.values():
        nodes.append((("Entity", schema.kinds[e.kind].label), _present(e.as_dict())))
    for s in facts.sources.values():
        nodes.append((("Source",), _present(s.as_dict())))
    rels = []
    for r in facts.relations:
        props = _present(
            {
                "key": r.key,
                "class": schema.relation_types[r.type].relation_class,
                "id": r.id,
                "start": r.start,
                "end": r.end,
                "role": r.role,
                "status": r.status,
                "note": r.note,
                "sources": list(r.sources),
            }
        )
        rels.append((r.from_, schema.relation_types[r.type].cypher_type, r.to, props))
    return sorted(nodes, key=_canonical), sorted(rels, key=_canonical)


def dump_graph(store) -> tuple[list, list]:
    """Every :Entity and :Source node and every relationship, read back through Cypher."""
    res = store.run("MATCH (n) WHERE n:Entity OR n:Source RETURN n")
    nodes = []
    for (n,) in res.rows:
        labels = tuple(sorted(n.pop("_labels"), key=lambda s: (s != "Entity", s)))
        nodes.append((labels, n))
    res = store.run("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, r, b.id")
    rels = []
    for a, r, b in res.rows:
        rtype = r.pop("_type")
        rels.append((a, rtype, b, r))
    return sorted(nodes, key=_canonical), sorted(rels, key=_canonical)


def expected_saved(name: str, facts: FactBase, params: dict) -> list[dict]:
    """What each saved query must return for ``facts``, computed without Cypher."""
    ents, rels = facts.entities, facts.relations
    if name == "entities-by-jurisdiction":
        rows = [
            {"kind": e.kind, "id": e.id, "name": e.name}
            for e in ents.values()
            if e.jurisdiction == params["jurisdiction"]
        ]
        return sorted(rows, key=lambda r: (r["kind"], r["id"]))
    if name == "relations-citing-source":
        src = facts.sources[params["source"]]
        rows = [
            {
                "from_id": r.from_,
                "type": r.type.upper(),
                "to_id": r.to,
                "start": r.start,
                "source_title": src.title,
            }
            for r in rels
            if src.id in r.sources
        ]
        return sorted(rows, key=lambda r: (r["from_id"], r["type"], r["to_id"]))
    if name == "jurisdiction-links":
        pairs: dict = {}  # unordered jurisdiction pair -> {unordered entity pair: relations}
        for r in rels:
            ja, jb = ents[r.from_].jurisdiction, ents[r.to].jurisdiction
            if ja == jb:
                continue
            (ja, a), (jb, b) = sorted([(ja, r.from_), (jb, r.to)])
            linked = pairs.setdefault((ja, jb), Counter())
            linked[(a, b)] += 1
        rows = [
            {
                "jurisdiction_a": a,
                "jurisdiction_b": b,
                "links": len(c),
                "relations": sum(c.values()),
            }
            for (a, b), c in pairs.items()
        ]
        return sorted(
            rows,
            key=lambda r: (-r["links"], -r["relations"], r["jurisdiction_a"], r["jurisdiction_b"]),
        )
    if name == "most-connected":
        # degree: distinct entities linked, through substantive relations unless structural
        structural = params.get("structural", False)
        types = load_schema().relation_types
        linked: dict[str, set] = {}
        for r in rels:
            if r.from_ != r.to and (structural or not types[r.type].structural):
                linked.setdefault(r.from_, set()).add(r.to)
                linked.setdefault(r.to, set()).add(r.from_)
        rows = [
            {
                "id": i,
                "name": ents[i].name,
                "kind": ents[i].kind,
                "jurisdiction": ents[i].jurisdiction,
                "degree": len(ns),
            }
            for i, ns in linked.items()
        ]
        rows.sort(key=lambda r: (-r["degree"], r["id"]))
        return rows[: params.get("limit", 20)]
    if name == "partners-by-year":
        me = params["entity"]
        rows = []
        for r in rels:
            if r.type in ("partners_with", "signed_mou_with") and me in (r.from_, r.to):
                other = r.to if r.from_ == me else r.from_
                rows.append(
                    {
                        "year": (r.start or "")[:4],
                        "link": r.type.upper(),
                        "partner": other,
                        "name": ents[other].name,
                        "jurisdiction": ents[other].jurisdiction,
                    }
                )
        return sorted(rows, key=lambda r: (r["year"], r["partner"], r["link"]))
    if name == "cross-border-projects":
        types = {"participates_in", "member_of", "leads", "launched", "observer_of"}
        members: dict[str, set] = {}
        for r in rels:
            if r.type in types and ents[r.to].kind == "project":
                members.setdefault(r.to, set()).add(r.from_)
        rows = []
        for p, ms in members.items():
            jur = {ents[m].jurisdiction for m in ms}
            if len(jur) > 1:
                rows.append(
                    {
                        "project": p,
                        "name": ents[p].name,
                        "n_jurisdictions": len(jur),
                        "jurisdictions": sorted(jur),
                        "members": sorted(ms),
                    }
                )
        return sorted(rows, key=lambda r: (-r["n_jurisdictions"], r["project"]))
    raise KeyError(name)


def normalise_saved(name: str, rows: list[dict]) -> list[dict]:
    """Lists collected by Cypher have no set order: sort them before comparing."""
    if name == "cross-border-projects":
        return [
            {**r, "jurisdictions": sorted(r["jurisdictions"]), "members": sorted(r["members"])}
            for r in rows
        ]
    return rows


def synthetic(n_entities: int, n_relations: int, *, tag: str = "s") -> FactBase:
    """A valid fact base of the given size (ids prefixed by ``tag``), built in memory."""
    kinds = ["regulator", "central_bank", "project", "company"]
    types = ["member_of", "participates_in", "leads", "funds", "regulates"]
    jur = ["SG", "JP", "CH", "GB", "HK", "INT"]
    ents = {}
    for i in range(n_entities):
        eid = f"{tag}-e{i}"
        ents[eid] = Entity(
            eid,
            kinds[i % len(kinds)],
            f"Entity {tag} {i}",
            None,
            (f"alias {i}",),
            jur[i % len(jur)],
        )
    srcs = {
        f"{tag}-src{i}": Source(
            f"{tag}-src{i}", "report", "Publisher", f"Title {i}", "2024-01-01", None
        )
        for i in range(10)
    }
    rels = []
    for i in range(n_relations):
        a, b = i % n_entities, (i * 7 + 1) % n_entities
        if a == b:
            b = (b + 1) % n_entities
        rels.append(
            Relation(
                types[i % len(types)],
                f"{tag}-e{a}",
                f"{tag}-e{b}",
                f"20{10 + i % 15}",
                None,
                None,
                None,
                (f"{tag}-src{i % 10}",),
                id=f"{tag}-r{i}",
            )
        )
    return FactBase(ents, rels, srcs, ("synthetic",))


def check_saved_query(store, facts: FactBase, name: str) -> None:
    """Load ``facts`` into ``store``, run saved query ``name`` with parameters the mini world
    answers, and compare with the answer computed without Cypher."""
    import regulink
    from regulink.loaders.store import saved_queries

    regulink.load(facts, store)
    params = {"entity": "gamma-fma", "jurisdiction": "SG", "source": "fx-group"}
    q = saved_queries()[name]
    bound = q.bind({p.name: params[p.name] for p in q.params if p.name in params})
    got = regulink.query(store, q.cypher, bound).records()
    want = expected_saved(name, facts, bound)
    assert want, f"the fixture should give {name} something to find"
    assert normalise_saved(name, got) == want
