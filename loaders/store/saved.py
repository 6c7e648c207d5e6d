"""Saved analyst queries shipped with the package (``queries/*.cypher``).

Each file starts with ``//`` comment lines: the first is the description, then one line per
parameter, ``// param: NAME [= DEFAULT]  description`` (the default is read as JSON, so
``20`` is a number). The body is Cypher that both stores accept.

Examples
--------
>>> q = saved_query("entities-by-jurisdiction")
>>> q.params[0].name, q.params[0].required
('jurisdiction', True)
>>> q.bind({"jurisdiction": "SG"})
{'jurisdiction': 'SG'}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from regulink.errors import QueryError

__all__ = ["SavedParam", "SavedQuery", "parse_value", "saved_queries", "saved_query"]

_PARAM = re.compile(r"^//\s*param:\s*([A-Za-z_]\w*)\s*(?:=\s*(\S+))?\s*(.*)$")


def parse_value(text: str):
    """A ``--param`` value: JSON if it parses (numbers, true, null, lists), else the text.

    >>> parse_value("20"), parse_value("mas"), parse_value('["a", "b"]'), parse_value('"20"')
    (20, 'mas', ['a', 'b'], '20')
    """
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class SavedParam:
    """A parameter of a saved query; ``required`` when it has no default."""

    name: str
    default: object
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A named query: description, parameters, Cypher text."""

    name: str
    description: str
    params: tuple[SavedParam, ...]
    cypher: str

    def bind(self, given: dict) -> dict:
        """The parameters to run with: defaults filled in; a missing required one is an error."""
        out = {p.name: p.default for p in self.params if not p.required}
        out.update(given)
        missing = [p.name for p in self.params if p.required and p.name not in out]
        if missing:
            raise QueryError(
                f"saved query {self.name!r} needs " + ", ".join(f"--param {m}=..." for m in missing)
            )
        return out


def _parse(name: str, text: str) -> SavedQuery:
    description = ""
    params: list[SavedParam] = []
    body: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        m = _PARAM.match(s)
        if m:
            default = parse_value(m.group(2)) if m.group(2) is not None else None
            params.append(SavedParam(m.group(1), default, m.group(2) is None, m.group(3).strip()))
        elif s.startswith("//") and not body and not description:
            description = s[2:].strip()
        elif s and not s.startswith("//"):
            body.append(line)
    return SavedQuery(name, description, tuple(params), "\n".join(body))


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name (the file name without ``.cypher``), sorted."""
    folder = resources.files("regulink.loaders.store") / "queries"
    out = {}
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".cypher"):
            name = f.name[: -len(".cypher")]
            out[name] = _parse(name, f.read_text("utf-8"))
    return out


def saved_query(name: str) -> SavedQuery:
    """The saved query called ``name``; ``QueryError`` listing the names if there is none."""
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"no saved query {name!r}; saved queries: " + ", ".join(queries))
    return queries[name]
