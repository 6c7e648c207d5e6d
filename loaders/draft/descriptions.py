"""Bodies described rather than named: "the central bank of France", "the central banks of
France and Switzerland", "Singapore's central bank", "the Swiss regulator". A description
names the one known entity of its noun's kinds (``descriptions`` in ``graph/cues.yaml``) in
the place it gives; when several fit, the one whose own name holds the noun ("the government
of ..." and the entity called "... Government"), else none: a guess between bodies would be
a wrong fact, and the curator reads the article anyway.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase
>>> from regulink.loaders.draft.gazetteer import Gazetteer
>>> fb = FactBase(entities={
...     "bdf": Entity("bdf", "central_bank", "Banque de France", None, (), "FR"),
...     "snb": Entity("snb", "central_bank", "Swiss National Bank", "SNB", (), "CH"),
...     "amf": Entity("amf", "regulator", "Autorité des marchés financiers", "AMF", (), "FR"),
...     "acpr": Entity("acpr", "regulator", "Prudential Supervision Authority", None, (), "FR")})
>>> doc = Document("It worked with the central banks of France and Switzerland, "
...                "not with France's regulator.")
>>> [(m.text, m.entity.id) for m in find_descriptions(doc, Gazetteer.from_facts(fb), [])]
[('central banks of France', 'bdf'), ('Switzerland', 'snb')]
"""

from __future__ import annotations

import re
from functools import cache

from regulink.loaders.draft.cues import load_cues
from regulink.loaders.draft.gazetteer import Gazetteer, KnownEntity
from regulink.loaders.draft.mentions import Mention, jurisdiction_words
from regulink.loaders.draft.text import Document
from regulink.loaders.draft.tokens import key

__all__ = ["find_descriptions"]

# Most bodies of a kind looked at in one place: more than this is ambiguous however it ends.
_LOOK_AT = 50


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


@cache
def _patterns() -> tuple[re.Pattern, tuple[re.Pattern, ...]]:
    nouns = sorted(load_cues().descriptions, key=len, reverse=True)
    noun = "(?P<noun>" + "|".join(_words(n) + "s?" for n in nouns) + ")"
    places = sorted(jurisdiction_words(), key=len, reverse=True)
    # a place is written with a capital: "us" and "global" in prose are not places
    place = r"(?=(?-i:[A-Z]))(?:" + "|".join(_words(p) for p in places) + r")(?![\w-])"
    listed = rf"(?P<places>{place}(?:\s*(?:,\s*|,?\s+and\s+){place})*)"
    # "the central bank of France", "the central banks of France and Switzerland", "the
    # government of the special administrative region of Hong Kong"
    of = re.compile(
        rf"(?<![\w-]){noun}\s+of\s+(?:the\s+)?(?:(?:[\w-]+\s+){{1,4}}of\s+(?:the\s+)?)?"
        rf"{listed}",
        re.IGNORECASE,
    )
    # "Singapore's central bank", "the Swiss central bank"
    before = re.compile(
        rf"(?<![\w-])(?P<places>{place})(?:[’']s?)?\s+{noun}(?![\w-])", re.IGNORECASE
    )
    return re.compile(place, re.IGNORECASE), (of, before)


def _the_one(gaz: Gazetteer, noun: str, jurisdiction: str) -> KnownEntity | None:
    cues = load_cues()
    said = key(noun)
    # "central banks" is the plural of a declared noun
    singular = said if said in cues.description_keys else said[:-1]
    kinds = cues.description_keys.get(singular)
    if not kinds:
        return None
    found = gaz.of_kinds_in(kinds, jurisdiction, limit=_LOOK_AT)
    if len(found) > 1:
        words = singular.split()
        found = [
            e for e in found if _holds(key(e.name), words) or _holds(key(e.short_name or ""), words)
        ]
    return found[0] if len(found) == 1 else None


def _holds(name: str, words: list[str]) -> bool:
    have = name.split()
    return any(have[i : i + len(words)] == words for i in range(len(have) - len(words) + 1))


def find_descriptions(doc: Document, gaz: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """Mentions of known bodies by description, where no name was found (see module docs).

    A place named inside the description ("France") and a reference back overlapping it
    give way to it."""
    codes = jurisdiction_words()
    place_re, patterns = _patterns()
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for hit in pattern.finditer(doc.text):
            ps, pe = hit.span("places")
            # a name wins; a reference back ("the Swiss central bank" read as the last
            # central bank named) and a place inside the description give way
            if any(
                m.start < hit.end()
                and hit.start() < m.end
                and m.via != "reference"
                and not (ps <= m.start and m.end <= pe)
                for m in mentions
            ) or any(a < hit.end() and hit.start() < b for a, b in taken):
                continue
            taken.append(hit.span())
            noun = hit.group("noun")
            places = list(place_re.finditer(doc.text, ps, pe))
            if key(noun) not in load_cues().description_keys and len(places) == 1:
                continue  # "the Swiss central banks": a group, not one body
            for i, place in enumerate(places):
                code = codes.get(key(place.group()))
                entity = _the_one(gaz, noun, code) if code else None
                s, e = place.span()
                if i == 0:
                    s, e = min(hit.start(), s), max(e, hit.end("noun"))
                if entity is not None:
                    out.append(Mention(s, e, doc.text[s:e], entity, "description"))
    return out
