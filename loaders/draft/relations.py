"""Candidate relations: two entities of one sentence joined by a cue phrase of ``cues.yaml``.

The cue says the type; which end is FROM is read from the cue's direction ("partnering with",
"launched by") or, for cues such as a job title, from the ends' kinds. Each end is the entity
nearest the cue on its side (within the cue's word gap) whose kind the cue allows; a cue that
governs a list takes every entity of the list after it ("partnering with A, B and C").

Examples
--------
>>> from regulink.graph.model import Entity, FactBase
>>> from regulink.loaders.draft.gazetteer import Gazetteer
>>> from regulink.loaders.draft.mentions import find_mentions
>>> from regulink.loaders.draft.text import Document
>>> fb = FactBase(entities={
...     "mas": Entity("mas", "central_bank", "Monetary Authority of Singapore", "MAS", (), "SG"),
...     "fca": Entity("fca", "regulator", "Financial Conduct Authority", "FCA", (), "GB"),
...     "finma": Entity("finma", "regulator", "FINMA", None, (), "CH")})
>>> doc = Document("On Oct. 30 MAS said it is partnering with the FCA and FINMA.")
>>> mentions = find_mentions(doc, Gazetteer.from_facts(fb))
>>> rels = find_relations(doc, mentions, reference="2023-11-01")
>>> [(r.type, r.from_.id, r.to.id, r.start, r.cue) for r in rels]  # doctest: +NORMALIZE_WHITESPACE
[('partners_with', 'mas', 'fca', '2023-10-30', 'partnering with'),
 ('partners_with', 'mas', 'finma', '2023-10-30', 'partnering with')]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from regulink.loaders.draft.cues import Cue, load_cues, phrase_key
from regulink.loaders.draft.gazetteer import KnownEntity
from regulink.loaders.draft.mentions import Mention
from regulink.loaders.draft.text import Document, Sentence
from regulink.loaders.draft.tokens import key

__all__ = ["Proposal", "find_relations"]

_WORDS = re.compile(r"[^\W_]+")
_APPOSITION = re.compile(r"[\s)\]\"”’]*(?:\([^)]*\)\s*)?,")
_LIST_GLUE = re.compile(
    r"^[\s,;()\[\]\"“”‘’']*(?:(?:and|or|the|as well as|plus)\b[\s,()\"“”]*)*", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Slot:
    """Consecutive mentions of one entity ("the Financial Services Agency (FSA)")."""

    start: int
    end: int
    entity: KnownEntity


@dataclass(frozen=True, slots=True)
class Proposal:
    type: str
    from_: KnownEntity
    to: KnownEntity
    start: str | None
    date_text: str | None
    cue: str
    sentence: Sentence
    cue_start: int


def _slots(mentions: list[Mention], doc: Document) -> list[_Slot]:
    out: list[_Slot] = []
    for m in mentions:
        if m.entity is None:
            continue
        if (
            out
            and out[-1].entity.id == m.entity.id
            and not _WORDS.search(doc.text[out[-1].end : m.start])
        ):
            out[-1] = _Slot(out[-1].start, m.end, m.entity)
        else:
            out.append(_Slot(m.start, m.end, m.entity))
    return out


def _gap(doc: Document, a: int, b: int, *, subject: bool = False) -> tuple[int, bool]:
    """Words (numbers aside: "$3 billion") and whether a comma lies between two offsets.

    For a subject before its verb, an apposition set off by commas does not count: "The
    FSTB, a policy bureau attached to the government, has released..." reads as "The FSTB
    has released"."""
    between = doc.text[a:b]
    if subject and _APPOSITION.match(between) and between.count(",") >= 2:
        between = between[between.rindex(",") + 1 :]
    words = [w for w in _WORDS.findall(between) if not w.isdigit()]
    return len(words), "," in between


def _allowed(kinds: frozenset[str] | None, slot: _Slot) -> bool:
    return kinds is None or slot.entity.kind in kinds


def _nearest(doc, cue: Cue, slots, at: int, side: str, kinds, end_name: str) -> list[_Slot]:
    """Slots on one side of the cue within its gap, nearest first, of an allowed kind."""
    out = []
    for slot in slots:
        words, comma = (
            _gap(doc, slot.end, at, subject=end_name == "from")
            if side == "left"
            else _gap(doc, at, slot.start)
        )
        if words > cue.max_gap or (comma and end_name in cue.tight):
            continue
        if _allowed(kinds, slot):
            out.append((words, slot))
    return [s for _w, s in sorted(out, key=lambda ws: ws[0])]


def _list_from(
    doc: Document, first: _Slot, others: list[_Slot], kinds, *, backward: bool = False
) -> list[_Slot]:
    """``first`` and the entities listed after it ("A, the B and C"), or before it."""
    out = [first]
    for slot in sorted(others, key=lambda s: s.start, reverse=backward):
        if (slot.start >= out[-1].start) if backward else (slot.start <= out[-1].start):
            continue
        between = (
            doc.text[slot.end : out[-1].start] if backward else doc.text[out[-1].end : slot.start]
        )
        rest = _LIST_GLUE.sub("", between, count=1)  # the glue at its start (may be none)
        if (
            len(_WORDS.findall(rest)) > 3
            or load_cues().pattern.search(between)
            or not _allowed(kinds, slot)
        ):
            break
        out.append(slot)
    return out


def _pairs(doc: Document, cue: Cue, slots, s: int, e: int):
    left = [x for x in slots if x.end <= s]
    right = [x for x in slots if x.start >= e]
    if cue.among:  # "A, B and C are coming together": each with each
        near = _nearest(doc, cue, left, s, "left", cue.from_kinds, "from")
        if near:  # the list's last entity, however an apposition counted the words
            last = max(near, key=lambda x: x.end)
            listed = _list_from(doc, last, left, cue.from_kinds, backward=True)
            yield from itertools.combinations(reversed(listed), 2)
        return
    if cue.direction == "kinds":
        froms = _nearest(doc, cue, left, s, "left", cue.from_kinds, "from") + _nearest(
            doc, cue, right, e, "right", cue.from_kinds, "from"
        )
        tos = _nearest(doc, cue, left, s, "left", cue.to_kinds, "to") + _nearest(
            doc, cue, right, e, "right", cue.to_kinds, "to"
        )
        nearest = lambda xs: min(xs, key=lambda x: min(abs(x.end - s), abs(x.start - e)))  # noqa: E731
        if froms and tos:
            yield nearest(froms), nearest(tos)
        return
    if cue.direction == "backward":
        objs = _nearest(doc, cue, left, s, "left", cue.to_kinds, "to")
        subs = _nearest(doc, cue, right, e, "right", cue.from_kinds, "from")
        if objs and subs:
            targets = _list_from(doc, subs[0], right, cue.from_kinds) if cue.list else subs[:1]
            for sub in targets:
                yield sub, objs[0]
        return
    subs = _nearest(doc, cue, left, s, "left", cue.from_kinds, "from")
    objs = _nearest(doc, cue, right, e, "right", cue.to_kinds, "to")
    if subs and not objs and cue.object_before:
        objs = [
            x
            for x in _nearest(doc, cue, left, s, "left", cue.to_kinds, "to")
            if x.end <= subs[0].start
        ]
    if subs and objs:
        targets = _list_from(doc, objs[0], right, cue.to_kinds) if cue.list else objs[:1]
        for obj in targets:
            yield subs[0], obj


def _date_near(doc: Document, sentence: Sentence, at: int, reference: str | None):
    dates = doc.dates(
        sentence.start, sentence.end, reference=doc.reference(sentence.start, reference)
    )
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - at))


def _possessives(doc: Document, slots: list[_Slot]):
    """ "X's Y": X's own platform, programme or framework."""
    cues = load_cues()
    for a, b in itertools.pairwise(slots):
        between = doc.text[a.end : b.start]
        # "X's Y", or "X Y" with nothing but a space between ("the Fed BTFP")
        m = re.match(r"[’']s?\s", between) or re.fullmatch(r"[ \t]+", between)
        if (
            not m
            or "," in between
            or cues.pattern.search(between)
            or len(_WORDS.findall(between[m.end() :])) > cues.possessive_gap
        ):
            continue
        for rule in cues.possessive:
            if a.entity.kind in rule.from_kinds and b.entity.kind in rule.to_kinds:
                yield rule.type, a, b, a.end
                break


def _named_parts(slots: list[_Slot]):
    """ "Project X steering group" is part of Project X, when the article names both."""
    cues = load_cues()
    first: dict[str, _Slot] = {}  # each entity at its first mention
    for slot in slots:
        first.setdefault(slot.entity.id, slot)
    named: dict[str, _Slot] = {}
    for slot in first.values():
        for name in (slot.entity.name, slot.entity.short_name):
            if name:
                named.setdefault(key(name), slot)
    for slot in first.values():
        words = key(slot.entity.name).split()
        for cut in range(len(words) - 1, 0, -1):
            whole = named.get(" ".join(words[:cut]))
            if whole is not None and " ".join(words[cut:]) in cues.part_heads:
                yield cues.part_type, slot, whole
                break


def find_relations(
    doc: Document, mentions: list[Mention], *, reference: str | None
) -> list[Proposal]:
    """Relations the sentences state between mentioned entities, once each, in text order."""
    cues = load_cues()
    slots_all = _slots(sorted(mentions, key=lambda m: m.start), doc)
    found: dict[tuple, Proposal] = {}

    def offer(rtype, a: _Slot, b: _Slot, sentence, cue_text, at, *, dated=True) -> None:
        if a.entity.id == b.entity.id:
            return
        date = _date_near(doc, sentence, at, reference) if dated else None
        symmetric = any(c.type == rtype and c.direction == "symmetric" for c in cues.cues)
        ends = sorted((a.entity.id, b.entity.id)) if symmetric else (a.entity.id, b.entity.id)
        k = (rtype, *ends)
        prop = Proposal(
            rtype,
            a.entity,
            b.entity,
            date.value if date else None,
            date.text if date else None,
            cue_text,
            sentence,
            at,
        )
        if k not in found or (found[k].start is None and prop.start is not None):
            found[k] = prop

    for sentence in doc.sentences:
        slots = [x for x in slots_all if sentence.start <= x.start and x.end <= sentence.end]
        if len(slots) < 2:
            continue
        for hit in cues.pattern.finditer(doc.text, sentence.start, sentence.end):
            s, e = hit.span()
            if any(x.start < e and s < x.end for x in slots):
                continue  # inside a name ("Bank Term Funding Program")
            phrase = phrase_key(hit.group())
            for cue in cues.by_phrase.get(phrase, ()):
                for a, b in _pairs(doc, cue, slots, s, e):
                    offer(cue.type, a, b, sentence, hit.group(), s)
        for rtype, a, b, at in _possessives(doc, slots):
            offer(rtype, a, b, sentence, doc.text[a.end : a.end + 2], at)
    # a name says nothing of when: undated, at the part's first mention
    for rtype, part, whole in _named_parts(slots_all):
        sentence = doc.sentence_at(part.start)
        offer(
            rtype, part, whole, sentence, doc.text[part.start : part.end], part.start, dated=False
        )
    return sorted(found.values(), key=lambda p: (p.cue_start, p.from_.id, p.to.id))
