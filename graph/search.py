"""Finding entities by what a person types: id, name, abbreviation or alias.

Matching is case- and accent-insensitive and tolerant of typos (rapidfuzz). An exact hit on
an abbreviation or name beats any fuzzy hit, so ``FSTB`` finds Hong Kong's Financial Services
and the Treasury Bureau before anything that merely looks like it.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase
>>> fb = FactBase(entities={
...     "fstb": Entity("fstb", "government_body",
...                    "Financial Services and the Treasury Bureau", "FSTB", (), "HK"),
...     "fsb": Entity("fsb", "international_org", "Financial Stability Board", "FSB", (), "INT"),
...     "finma": Entity("finma", "regulator",
...                     "Swiss Financial Market Supervisory Authority", "FINMA",
...                     ("Eidgenössische Finanzmarktaufsicht",), "CH"),
... })
>>> find(fb, "FSTB")[0].id
'fstb'
>>> find(fb, "eidgenossische finanzmarktaufsicht")[0].id
'finma'
>>> find(fb, "Finnma")[0].id
'finma'
>>> resolve(fb, "financial stability board").id
'fsb'
>>> resolve(fb, "Bank of Nowhere")
Traceback (most recent call last):
...
regulink.errors.EntityNotFound: no entity matches 'Bank of Nowhere'
>>> suggest("centralbank", ["central_bank", "regulator", "project"])
['central_bank']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from regulink.errors import AmbiguousEntity, EntityNotFound
from regulink.graph.model import FactBase

__all__ = ["Match", "SearchIndex", "find", "normalize", "resolve", "suggest"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# Exact hits rank by how deliberately the text names the entity.
_EXACT_SCORE = {"short_name": 100.0, "name": 100.0, "id": 99.0, "alias": 98.0}
#: Exact hits score at least this; fuzzy ones at most 97 (see ``find``).
_EXACT_MIN = min(_EXACT_SCORE.values())
# How far below the best a candidate may score and still make the best one unclear.
_AMBIGUITY_MARGIN = 8.0


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: ``"Banque  de-France"`` -> ``"banque de france"``.

    >>> normalize("Eidgenössische  Finanzmarkt-Aufsicht")
    'eidgenossische finanzmarkt aufsicht'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Match:
    """One search hit; ``matched`` is the text that scored, ``field`` where it came from."""

    id: str
    name: str
    kind: str
    jurisdiction: str
    score: float
    matched: str
    field: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "score": self.score,
        }


class SearchIndex:
    """Normalised names of every entity, built once and queried many times."""

    def __init__(self, facts: FactBase):
        self._facts = facts
        self._texts: list[str] = []
        self._owners: list[tuple[str, str, str]] = []  # (entity id, field, original text)
        self._exact: dict[str, list[int]] = {}
        for ent in facts.entities.values():
            names = [("id", ent.id), ("name", ent.name)]
            if ent.short_name:
                names.append(("short_name", ent.short_name))
            names.extend(("alias", a) for a in ent.aliases)
            for fld, original in names:
                norm = normalize(original)
                if not norm:
                    continue
                self._exact.setdefault(norm, []).append(len(self._texts))
                self._texts.append(norm)
                self._owners.append((ent.id, fld, original))

    def find(self, text: str, *, limit: int = 10, cutoff: float = 70.0) -> list[Match]:
        """Entities matching ``text``, best first, at most ``limit``."""
        q = normalize(text)
        if not q:
            return []
        best: dict[str, tuple[float, tuple[float, int], str, str]] = {}

        def offer(score: float, idx: int) -> None:
            ent_id, fld, original = self._owners[idx]
            # Between equal scores: the field that names best, then the text closest in
            # length to what was typed (a typo of "FINMA" is "Fimna", not a long name).
            prio = (-_EXACT_SCORE.get(fld, 0), abs(len(self._texts[idx]) - len(q)))
            cur = best.get(ent_id)
            if cur is None or (score, -prio[0], -prio[1]) > (cur[0], -cur[1][0], -cur[1][1]):
                best[ent_id] = (score, prio, original, fld)

        for idx in self._exact.get(q, ()):
            offer(_EXACT_SCORE[self._owners[idx][1]], idx)
        for _, score, idx in process.extract(
            q, self._texts, scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff
        ):
            if len(self._texts[idx]) < len(q):
                # WRatio credits a name found inside the query ("FI" in "Fimna"); a name
                # shorter than what was typed must match it as a whole.
                score = fuzz.ratio(q, self._texts[idx])
                if score < cutoff:
                    continue
            # Fuzzy hits stay below exact ones: a typo never outranks the real name.
            offer(min(float(score), 97.0), idx)
            if self._texts[idx].startswith(q) and len(q) >= 3:
                offer(max(min(float(score), 97.0), 90.0), idx)

        ranked = sorted(
            best.items(),
            key=lambda kv: (-kv[1][0], kv[1][1], len(self._facts.entities[kv[0]].name), kv[0]),
        )
        out = []
        for ent_id, (score, _prio, original, fld) in ranked[:limit]:
            ent = self._facts.entities[ent_id]
            out.append(
                Match(ent.id, ent.name, ent.kind, ent.jurisdiction, round(score, 1), original, fld)
            )
        return out

    def resolve(self, text: str):
        """The one entity ``text`` names, or raise.

        Raises
        ------
        EntityNotFound
            Nothing matches; ``suggestions`` holds near misses.
        AmbiguousEntity
            Several entities match about equally well and none is clearly best.
        """
        ents = self._facts.entities
        if text in ents:
            return ents[text]
        hits = self.find(text, limit=10)
        # A fuzzy hit names the entity only if every word typed is in its name, as typed,
        # misspelt or cut short: "Bank of Nowhere" shares "bank" with many names but names
        # none of them, so it matches nothing rather than being "ambiguous".
        q = normalize(text).split()
        named = [h for h in hits if h.score >= _EXACT_MIN or _covers(q, normalize(h.matched))]
        if not named:
            raise EntityNotFound(text, hits[:5] or self.find(text, limit=5, cutoff=50.0))
        hits = named
        top = hits[0]
        # An exact hit (id, name, abbreviation or alias as typed) is only ever ambiguous with
        # another exact hit: typing "Project Jura 7" in full must not stall on "Project Jura
        # 1", which merely looks like it.
        rivals = (
            [h for h in hits[1:] if h.score >= _EXACT_MIN] if top.score >= _EXACT_MIN else hits[1:]
        )
        close = [h for h in rivals if top.score - h.score < _AMBIGUITY_MARGIN]
        if not close:
            return ents[top.id]
        raise AmbiguousEntity(text, [top, *close])


def _covers(words: list[str], name: str) -> bool:
    """Whether each of ``words`` is a word of ``name``, a start of one, or a near miss."""
    tokens = name.split()
    return all(any(t.startswith(w) or fuzz.ratio(w, t) >= 80 for t in tokens) for w in words)


def find(facts: FactBase, text: str, *, limit: int = 10, cutoff: float = 70.0) -> list[Match]:
    """Entities matching ``text``, best first (see :class:`SearchIndex`)."""
    return SearchIndex(facts).find(text, limit=limit, cutoff=cutoff)


def resolve(facts: FactBase, text: str):
    """The one entity ``text`` names (see :meth:`SearchIndex.resolve`)."""
    return SearchIndex(facts).resolve(text)


def suggest(
    word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 60.0
) -> list[str]:
    """Nearest ``choices`` to a misspelt ``word``, for "did you mean" messages."""
    choices = list(choices)
    hits = process.extract(word, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
    if not hits:
        return []
    # Offer only the near-best: a second guess far behind the first is noise.
    best = hits[0][1]
    return [c for c, score, _idx in hits if score >= best - 10]
