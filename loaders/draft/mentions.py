"""Entities named in an article: known ones found by every name the base has for them, then
abbreviations shared by several bodies resolved from context, people's surnames and
references back ("the regulator") tied to what they name.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase
>>> from regulink.loaders.draft.gazetteer import Gazetteer
>>> from regulink.loaders.draft.text import Document
>>> fb = FactBase(entities={
...     "fsa-jp": Entity("fsa-jp", "regulator", "Financial Services Agency", "FSA", (), "JP"),
...     "fsa-kr": Entity("fsa-kr", "regulator", "Financial Supervisory Service", "FSA", (), "KR"),
...     "mas": Entity("mas", "central_bank", "Monetary Authority of Singapore", "MAS", (), "SG"),
...     "arthur-hayes": Entity("arthur-hayes", "person", "Arthur Hayes", None, (), "HK")})
>>> doc = Document("MAS met the Japanese FSA. Arthur Hayes spoke. "
...                "Later Hayes left; the regulator agreed.")
>>> ms = find_mentions(doc, Gazetteer.from_facts(fb))
>>> [(m.text, m.entity.id, m.via) for m in ms]  # doctest: +NORMALIZE_WHITESPACE
[('MAS', 'mas', 'short_name'), ('FSA', 'fsa-jp', 'short_name'),
 ('Arthur Hayes', 'arthur-hayes', 'name'), ('Hayes', 'arthur-hayes', 'surname'),
 ('the regulator', 'fsa-jp', 'reference')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from regulink.graph.schema import load_schema
from regulink.loaders.draft.cues import load_cues
from regulink.loaders.draft.gazetteer import Gazetteer, KnownEntity
from regulink.loaders.draft.text import Document
from regulink.loaders.draft.tokens import key

__all__ = ["Mention", "find_mentions", "jurisdiction_words"]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    entity: KnownEntity | None  # None while ambiguous
    via: str  # name, short_name, alias, surname, reference, ...
    candidates: tuple[KnownEntity, ...] = field(default=())
    resolved_by: str | None = None  # how an ambiguity was settled


def _scan(doc: Document, gaz: Gazetteer) -> list[Mention]:
    """Longest names first, left to right; a name never spans a line break."""
    text = doc.text
    toks = doc.tokens
    out: list[Mention] = []
    i, n = 0, len(toks)
    while i < n:
        k = toks[i].norm
        best: tuple[int, list[tuple[KnownEntity, str]]] | None = None
        j = i
        while gaz.is_prefix(k):
            hits = gaz.named(k)
            if hits:
                span = text[toks[i].start : toks[j].end]
                # A cased name is not found in lowercase words: "fed up", "a leap", and the
                # firm Digital Asset in "a digital asset" are prose, not names. A number
                # makes a stretch specific ("the 2025-26 budget" is the Budget).
                lower = span == span.lower() and not any(c.isdigit() for c in span)
                ok = [(e, f) for e, f, cased in hits if not (cased and lower)]
                if ok:
                    best = (j, ok)
            j += 1
            if j >= n or "\n" in text[toks[j - 1].end : toks[j].start]:
                break
            k = f"{k} {toks[j].norm}"
        if best is None:
            i += 1
            continue
        j, named = best
        ents: dict[str, tuple[KnownEntity, str]] = {}
        for e, f in named:
            ents.setdefault(e.id, (e, f))
        s, e_ = toks[i].start, toks[j].end
        choices = tuple(v[0] for v in ents.values())
        via = next(iter(ents.values()))[1]
        out.append(
            Mention(
                s,
                e_,
                text[s:e_],
                choices[0] if len(choices) == 1 else None,
                via,
                choices if len(choices) > 1 else (),
            )
        )
        i = j + 1
    return out


@cache
def jurisdiction_words() -> dict[str, str]:
    """Folded country names and demonyms to jurisdiction codes."""
    words = {
        key(name.split(",")[0].split("(")[0]): code
        for code, name in load_schema().jurisdictions.items()
    }
    words.update({key(w): c for w, c in load_cues().demonyms.items()})
    words.pop("", None)
    return words


def _context_jurisdictions(doc: Document, mentions: list[Mention], m: Mention) -> dict[str, int]:
    """Jurisdictions named in the sentence of ``m`` and the ones either side."""
    sent = doc.sentence_at(m.start)
    lo = doc.sentences[max(0, sent.index - 1)].start
    hi = doc.sentences[min(len(doc.sentences) - 1, sent.index + 1)].end
    counts: dict[str, int] = {}
    for other in mentions:
        if other.entity is not None and lo <= other.start < hi and other is not m:
            counts[other.entity.jurisdiction] = counts.get(other.entity.jurisdiction, 0) + 1
    words = jurisdiction_words()
    toks = doc.words(lo, hi)
    for size in (1, 2, 3):
        for a in range(len(toks) - size + 1):
            code = words.get(" ".join(toks[a : a + size]))
            if code:
                counts[code] = counts.get(code, 0) + 1
    return counts


def _resolve(doc: Document, mentions: list[Mention]) -> list[Mention]:
    spelled = {m.entity.id for m in mentions if m.entity is not None and m.via != "short_name"}
    out = []
    for m in mentions:
        if m.entity is None:
            ids = [c for c in m.candidates if c.id in spelled]
            if len(ids) == 1:
                m = replace(m, entity=ids[0], resolved_by="named in full elsewhere in the article")
            else:
                counts = _context_jurisdictions(doc, mentions, m)
                scored = sorted(
                    ((counts.get(c.jurisdiction, 0), c) for c in m.candidates),
                    key=lambda sc: -sc[0],
                )
                if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
                    m = replace(
                        m,
                        entity=scored[0][1],
                        resolved_by=(f"jurisdiction {scored[0][1].jurisdiction} named nearby"),
                    )
        out.append(m)
    return out


def _free(mentions: list[Mention], s: int, e: int) -> bool:
    return not any(m.start < e and s < m.end for m in mentions)


def _surnames(doc: Document, gaz_kind_person: str, mentions: list[Mention]) -> list[Mention]:
    """A person named in full may be called by the last word of their name afterwards."""
    extra: list[Mention] = []
    for m in mentions:
        if m.entity is None or m.entity.kind != gaz_kind_person:
            continue
        words = m.entity.name.split()
        if len(words) < 2 or len(words[-1]) < 3 or not words[-1][0].isupper():
            continue
        for hit in re.finditer(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", doc.text):
            if hit.start() > m.end and _free(mentions + extra, *hit.span()):
                extra.append(Mention(hit.start(), hit.end(), hit.group(), m.entity, "surname"))
    return extra


def _named_by(entity: KnownEntity, modifiers: list[str]) -> bool:
    """Whether every modifier of a reference is a word of the entity's names ("the AI forum"
    and the AI STR Forum)."""
    words = set(key(entity.name).split()) | set(key(entity.short_name or "").split())
    return bool(modifiers) and all(w in words for w in modifiers)


def _references(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """ "The regulator", "the firm": the latest entity of a fitting kind a few sentences back;
    "the AI forum": the latest of a fitting kind whose name has the modifiers, however far
    back."""
    cues = load_cues()
    nouns = sorted(cues.anaphora, key=len, reverse=True)
    # Up to two modifiers may come before the noun: "the AI forum", "the new framework".
    pattern = re.compile(
        rf"\b(?:the|its|this|that)\s+(?P<mods>(?:[\w-]+\s+){{0,2}}?)"
        rf"(?:{'|'.join(map(re.escape, nouns))})\b"
        rf"(?!\s+of\b)(?!\s+(?-i:[A-Z]))",
        re.IGNORECASE,
    )
    known = sorted((m for m in mentions if m.entity is not None), key=lambda m: m.start)
    out = []
    for hit in pattern.finditer(doc.text):
        if not _free(mentions, *hit.span()):
            continue
        said = re.sub(r"\s+", " ", hit.group().lower())
        kinds = next(cues.anaphora[n] for n in nouns if said.endswith(" " + n))
        modifiers = key(hit.group("mods")).split()
        here = doc.sentence_at(hit.start()).index
        near = True
        for m in reversed(known):
            if m.start >= hit.start():
                continue
            near = near and here - doc.sentence_at(m.start).index <= cues.anaphora_within
            if not near and not modifiers:
                break
            # `known` holds only mentions with an entity
            if (
                m.entity is not None
                and m.entity.kind in kinds
                and (near or _named_by(m.entity, modifiers))
            ):
                out.append(Mention(hit.start(), hit.end(), hit.group(), m.entity, "reference"))
                break
    return out


def find_mentions(doc: Document, gaz: Gazetteer) -> list[Mention]:
    """Every mention of a known entity, in text order (see the module docs)."""
    mentions = _resolve(doc, _scan(doc, gaz))
    mentions += _surnames(doc, "person", mentions)
    mentions.sort(key=lambda m: m.start)
    mentions += _references(doc, mentions)
    return sorted(mentions, key=lambda m: m.start)
