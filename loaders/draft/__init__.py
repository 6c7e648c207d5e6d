"""Drafting facts from an article: mentions, new entity candidates, candidate relations and a
source entry, for a person to review (``regulink draft``).

Nothing here writes into a fact set: :func:`draft_facts` returns data, and
:func:`regulink.loaders.draft.output.to_yaml` a fact file of proposals.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from regulink.graph.schema import load_schema
from regulink.loaders.draft.candidates import find_candidates
from regulink.loaders.draft.descriptions import find_descriptions
from regulink.loaders.draft.gazetteer import Gazetteer
from regulink.loaders.draft.mentions import find_mentions
from regulink.loaders.draft.reading import Article
from regulink.loaders.draft.relations import find_relations
from regulink.loaders.draft.text import Document
from regulink.loaders.draft.tokens import key

__all__ = ["draft_facts"]

_SNIPPET = 300


def _source(article: Article, gaz: Gazetteer, *, url, date, publisher, title) -> dict:
    title = (
        title
        or article.title
        or next((line.strip() for line in article.text.splitlines() if line.strip()), "")[:120]
    )
    url = url or article.url
    publisher = publisher or article.publisher or (urlparse(url).hostname if url else None)
    date = date or (article.date if article.date and len(article.date) == 10 else None)
    slug = "-".join(key(title).encode("ascii", "ignore").decode().split())[:40].strip("-")
    wanted = f"draft-{slug or 'article'}" + (f"-{date[:4]}" if date else "")
    return {
        "id": gaz.free_source_id(wanted),
        "kind": "news",
        "publisher": publisher or "unknown publisher",
        "title": title or "untitled article",
        "date": date,
        "url": url,
        "publisher_given": bool(publisher),
    }


def _note(p, schema) -> str:
    label = schema.relation_types[p.type].label
    when = (
        f" on {p.start}"
        if p.start and schema.relation_types[p.type].event
        else f" since {p.start}"
        if p.start
        else ""
    )
    said = f' (the article says "{p.cue.strip()}"' + (
        f', dated "{p.date_text}")' if p.date_text else ")"
    )
    return f"{p.from_.name} {label} {p.to.name}{when}{said}."


def draft_facts(
    article: Article,
    gaz: Gazetteer,
    *,
    url: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    title: str | None = None,
) -> dict:
    """What the article says, as proposals: ``{"source", "entities", "relations",
    "candidates"}`` (see :func:`regulink.api.draft`)."""
    schema = load_schema()
    doc = Document(article.text)
    known = find_mentions(doc, gaz)
    described = find_descriptions(doc, gaz, known)
    # "France" inside "the central bank of France" is part of the description
    known = [m for m in known if not any(d.start < m.end and m.start < d.end for d in described)]
    known += described
    candidates, cand_mentions = find_candidates(doc, gaz, known)
    spelled = [m for m in cand_mentions if m.via == "spelled out"]
    new = [m for m in cand_mentions if m.via == "candidate"]
    # A candidate's name wins over a place inside it ("Singapore Exchange").
    known = [m for m in known if not any(c.start < m.end and m.start < c.end for c in new)]
    mentions = sorted(known + spelled + new, key=lambda m: m.start)
    source = _source(article, gaz, url=url, date=date, publisher=publisher, title=title)
    proposals = find_relations(doc, mentions, reference=date or source["date"])

    entities = []
    for m in mentions:
        line, col = doc.position(m.start)
        item: dict[str, Any] = {
            "id": m.entity.id if m.entity else None,
            "text": m.text,
            "line": line,
            "column": col,
            "known": m.via != "candidate",
            "via": m.via,
        }
        if m.entity is not None:
            item.update(name=m.entity.name, kind=m.entity.kind, jurisdiction=m.entity.jurisdiction)
        if m.via == "candidate":
            item["guessed"] = ["kind", "jurisdiction"]
        if m.candidates:
            item["candidates"] = [c.id for c in m.candidates]
        if m.resolved_by:
            item["resolved_by"] = m.resolved_by
        entities.append(item)

    new_ids = {c.id for c in candidates}
    relations = []
    for p in proposals:
        line, col = doc.position(p.sentence.start)
        known_rel = (
            p.from_.id not in new_ids
            and p.to.id not in new_ids
            and p.type in gaz.known_types(p.from_.id, p.to.id)
        )
        sentence = p.sentence.text
        relations.append(
            {
                "type": p.type,
                "from": p.from_.id,
                "to": p.to.id,
                "start": p.start,
                "evidence": {
                    "line": line,
                    "column": col,
                    "sentence": sentence
                    if len(sentence) <= _SNIPPET
                    else sentence[: _SNIPPET - 1] + "…",
                },
                "known": known_rel,
                "cue": p.cue.strip(),
                "date_text": p.date_text,
                "note": _note(p, schema),
            }
        )
    return {
        "source": source,
        "entities": entities,
        "relations": relations,
        "candidates": [
            {
                "id": c.id,
                "name": c.name,
                "short_name": c.short_name,
                "kind": c.kind,
                "jurisdiction": c.jurisdiction,
                "line": doc.position(c.start)[0],
                "column": doc.position(c.start)[1],
            }
            for c in candidates
        ],
    }
