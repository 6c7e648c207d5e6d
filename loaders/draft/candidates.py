"""Organisation-like names the base does not know yet: capitalised runs of words holding a
head word of ``cues.yaml`` (Authority, Bank, Commission, Institute, Project...). Kind and
jurisdiction are guesses, and said to be.

An abbreviation in brackets after such a name ("Korea Exchange Authority (KEA)") names it too
wherever it recurs; if the abbreviation is a known entity's, the name is that entity spelled
out, not a new one.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase
>>> from regulink.loaders.draft.gazetteer import Gazetteer
>>> from regulink.loaders.draft.mentions import find_mentions
>>> from regulink.loaders.draft.text import Document
>>> fb = FactBase(entities={"seoul": Entity("seoul", "place", "Seoul", None, (), "KR")})
>>> g = Gazetteer.from_facts(fb)
>>> doc = Document("The Korea Digital Asset Authority (KDAA) in Seoul met. KDAA agreed.")
>>> ms = find_mentions(doc, g)
>>> cands, extra = find_candidates(doc, g, ms)
>>> [(c.id, c.name, c.kind, c.jurisdiction, c.short_name) for c in cands]
[('korea-digital-asset-authority', 'Korea Digital Asset Authority', 'regulator', 'KR', 'KDAA')]
>>> [(m.text, m.via) for m in extra]
[('Korea Digital Asset Authority', 'candidate'), ('KDAA', 'candidate'), ('KDAA', 'candidate')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regulink.loaders.draft.cues import load_cues
from regulink.loaders.draft.gazetteer import Gazetteer, KnownEntity
from regulink.loaders.draft.mentions import Mention, jurisdiction_words
from regulink.loaders.draft.text import Document
from regulink.loaders.draft.tokens import key, tokenize

__all__ = ["Candidate", "find_candidates"]

_WORD = r"[A-Z](?:[\w&-]|\.(?=\w))*"


@dataclass(slots=True)
class Candidate:
    id: str
    name: str
    kind: str
    jurisdiction: str
    short_name: str | None
    start: int

    def as_known(self) -> KnownEntity:
        return KnownEntity(self.id, self.kind, self.name, self.short_name, self.jurisdiction)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key(name)).strip("-")[:60].strip("-") or "entity"


def _guess_jurisdiction(doc: Document, name: str, start: int, known: list[Mention]) -> str:
    words = jurisdiction_words()
    toks = [t.norm for t in tokenize(name)]
    for size in (3, 2, 1):
        for a in range(len(toks) - size + 1):
            code = words.get(" ".join(toks[a : a + size]))
            if code:
                return code
    sent = doc.sentence_at(start)
    for lo, hi in ((sent.start, sent.end), (0, len(doc.text))):
        counts: dict[str, int] = {}
        for m in known:
            if m.entity is not None and lo <= m.start < hi and m.entity.jurisdiction != "INT":
                counts[m.entity.jurisdiction] = counts.get(m.entity.jurisdiction, 0) + 1
        if counts:
            return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return "INT"


def find_candidates(
    doc: Document, gaz: Gazetteer, known: list[Mention]
) -> tuple[list[Candidate], list[Mention]]:
    """New entity candidates and their mentions (see the module docs)."""
    cues = load_cues()
    connectors = "|".join(sorted(map(re.escape, cues.connectors), key=len, reverse=True))
    run = re.compile(rf"{_WORD}(?:(?:\s+(?:{connectors}))*\s+{_WORD})*")
    heads = {**cues.heads, **cues.openers}
    candidates: dict[str, Candidate] = {}
    mentions: list[Mention] = []
    taken: set[str] = set()
    for hit in run.finditer(doc.text):
        words = hit.group().split()
        # Leading sentence words ("The", "Under") and trailing connectors are not the name.
        while words and (
            words[0].lower() in cues.connectors
            or words[0].lower() in {"under", "in", "on", "at", "by", "with", "as", "a", "an"}
        ):
            words.pop(0)
        while words and words[-1].lower() in cues.connectors:
            words.pop()
        if len(words) < 2:
            continue
        lowered = [w.lower().strip(".") for w in words]
        kind, head = None, 0
        if lowered[0] in cues.openers:
            kind = cues.openers[lowered[0]]
        for i in range(len(lowered)):
            two = " ".join(lowered[i : i + 2])
            if two in heads:
                kind, head = heads[two], i
            elif lowered[i] in cues.heads and i > 0:
                kind, head = cues.heads[lowered[i]], i
        if kind is None:
            continue
        name = " ".join(words)
        s = doc.text.index(words[0], hit.start())
        e = s + len(name) if doc.text.startswith(name, s) else hit.end()
        head_at = s + len(" ".join(words[:head])) + (1 if head else 0)
        inside = [
            m
            for m in known
            if m.start < e and s < m.end and (m.entity is None or m.entity.kind != "place")
        ]
        # A known name holding the head word, opening the run or reaching past it is the
        # base's entity (or a headline: "Acme Opens Tokyo Office"); one inside the run before
        # its head modifies a new body ("the Korea Digital Asset Bureau" beside the firm
        # Digital Asset).
        if any(m.start <= s or m.end > e or m.start <= head_at < m.end for m in inside):
            continue
        abbr = re.match(r"\s*\(([A-Z][A-Za-z0-9&]{1,11})\)", doc.text[e:])
        if abbr:
            named = [
                ent for ent, field, _c in gaz.named(key(abbr.group(1))) if field == "short_name"
            ]
            if len(named) == 1:  # the known entity's name spelled out
                mentions.append(Mention(s, e, name, named[0], "spelled out"))
                continue
        cand = candidates.get(key(name))
        if cand is None:
            cand = Candidate(
                gaz.free_entity_id(_slug(name), taken),
                name,
                kind,
                _guess_jurisdiction(doc, name, s, known),
                abbr.group(1) if abbr else None,
                s,
            )
            taken.add(cand.id)
            candidates[key(name)] = cand
        mentions.append(Mention(s, e, name, cand.as_known(), "candidate"))
    for cand in candidates.values():
        if cand.short_name:
            for hit in re.finditer(rf"(?<![\w-]){re.escape(cand.short_name)}(?![\w-])", doc.text):
                if hit.start() > cand.start and not any(
                    m.start < hit.end() and hit.start() < m.end for m in known
                ):
                    mentions.append(
                        Mention(hit.start(), hit.end(), hit.group(), cand.as_known(), "candidate")
                    )
    return list(candidates.values()), sorted(mentions, key=lambda m: m.start)
