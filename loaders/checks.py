r"""Checking one field's value against its type in the vocabulary (``graph/schema.yaml``).

Each check takes a raw value and returns ``(value, None)`` with the value as stored, or
``(None, message)``. Patterns are full-matched; text may not hold control characters.

Examples
--------
>>> from regulink.graph.schema import load_schema
>>> c = Checker(load_schema())
>>> c.slug("bank-of-england"), c.slug("a--b")[1][:14]
(('bank-of-england', None), "invalid id 'a-")
>>> c.text("  MAS ")
('MAS', None)
>>> c.text("A\x1b]0;x\x07")[1]
"control character '\\x1b' not allowed in text (at character 2)"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from regulink.graph.dates import parse_partial_date
from regulink.graph.schema import Schema
from regulink.graph.search import suggest

__all__ = ["CONTROL", "Checker", "did_you_mean", "kind_of"]

# Patterns are only ever used with fullmatch: "$" also matches before a final newline.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s/$.?#]\S*", re.IGNORECASE)
# Characters that drive a terminal or reorder text rather than print: C0 controls but tab and
# newline, DEL, C1 controls (ESC and OSC sequences start here), bidirectional overrides.
# Fact text holds none of them. (regulink.cli.common.safe escapes the same set on output.)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TYPE_NAMES = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}


def kind_of(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    hits = suggest(str(word), choices) if isinstance(word, str) else []
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(h) for h in hits) + "?)"


class Checker:
    """Checks field values against the vocabulary; one instance per validation run."""

    def __init__(self, schema: Schema):
        self.schema = schema
        kinds, rtypes = schema.kinds, schema.relation_types
        self.by_type: dict[str, Callable[[object], tuple[object, str | None]]] = {
            "slug": self.slug,
            "text": self.text,
            "text_list": self.text_list,
            "url": self.url,
            "date": self.date,
            "entity_ref": self.slug,
            "source_refs": self.source_refs,
            "kind": self.vocab(kinds, "kind"),
            "relation_type": self.vocab(rtypes, "relation type"),
            "source_kind": self.vocab(schema.source_kinds, "source kind"),
            "jurisdiction": self.jurisdiction,
        }

    @staticmethod
    def slug(v):
        if isinstance(v, str) and _SLUG.fullmatch(v):
            return v, None
        if isinstance(v, str):
            return None, (
                f"invalid id {v!r}: use lowercase letters, digits and single "
                "hyphens (e.g. 'bank-of-england')"
            )
        return None, f"an id must be text, not {kind_of(v)}"

    @staticmethod
    def text(v):
        if isinstance(v, str):
            v = v.strip()
            bad = CONTROL.search(v)
            if bad:
                return None, (
                    f"control character {bad[0]!r} not allowed in text (at "
                    f"character {bad.start() + 1})"
                )
            return (v, None) if v else (None, "must not be empty")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return None, f'must be text, not a number (quote it: "{v}")'
        return None, f"must be text, not {kind_of(v)}"

    def text_list(self, v):
        if not isinstance(v, list):
            return None, f'must be a list of text, not {kind_of(v)} (write ["..."])'
        out = []
        for item in v:
            t, err = self.text(item)
            if err:
                return None, f"each item {err}"
            out.append(t)
        return tuple(out), None

    @staticmethod
    def url(v):
        if isinstance(v, str) and _URL.fullmatch(v.strip()) and not CONTROL.search(v):
            return v.strip(), None
        return None, f"invalid URL {v!r}: use a full http:// or https:// address"

    @staticmethod
    def date(v):
        d = parse_partial_date(v)
        if d is None:
            return None, (
                f"invalid date {v!r}: use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)"
            )
        return d, None

    def source_refs(self, v):
        if isinstance(v, str):
            return None, f"sources must be a list of source ids (write [{v}])"
        if not isinstance(v, list):
            return None, f"sources must be a list of source ids, not {kind_of(v)}"
        if not v:
            return None, "relation has no source: cite at least one source id"
        out = []
        for item in v:
            s, err = self.slug(item)
            if err:
                return None, f"sources: {err.replace('an id', 'each item', 1)}"
            out.append(s)
        return tuple(out), None

    @staticmethod
    def vocab(choices, what):
        def check(v):
            if isinstance(v, str) and v in choices:
                return v, None
            if not isinstance(v, str):
                return None, f"a {what} must be text, not {kind_of(v)}"
            return None, f"unknown {what} {v!r}{did_you_mean(v, choices)}"

        return check

    def jurisdiction(self, v):
        codes = self.schema.jurisdictions
        if isinstance(v, str) and v in codes:
            return v, None
        if isinstance(v, str) and v.upper() in codes:
            return None, f"unknown jurisdiction {v!r} (did you mean {v.upper()!r}?)"
        return None, (
            f"unknown jurisdiction {v!r}: use an ISO 3166-1 alpha-2 code "
            "such as 'SG', or EU / INT for supranational bodies"
        )
