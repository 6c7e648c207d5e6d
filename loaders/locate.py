"""Exact line/column for problems, from PyYAML's event stream (the slow, careful path).

The fast parser (yaml-rs) gives plain data without positions. When a file has a problem, this
module parses it again with PyYAML's event parser, builds a light tree that keeps every key's
and value's start mark, and answers "where is ``relations[3].from``?". On the way it reports,
located, what yaml-rs only names: duplicate keys, explicit tags (never constructed) and alias
expansion beyond a bound.

Examples
--------
>>> tree, problems = compose("a: 1\\nb:\\n  - {c: 2, c: 3}\\n")
>>> [(p.line, p.col, p.message) for p in problems]
[(3, 12, "duplicate key 'c' (first at 3:6)")]
>>> tree.locate(("b", 0, "c"))
(3, 9)
>>> compose("x: !!python/object:os.system ls\\n")[1][0].message
"tag '!!python/object:os.system' not allowed: fact files use plain YAML, no tags"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

__all__ = ["Node", "LocatedProblem", "compose", "DEFAULT_ALIAS_BUDGET", "MIN_ALIAS_BYTES",
           "alias_bytes_budget"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Events that alias expansion may replay in one file before it is treated as a bomb.
DEFAULT_ALIAS_BUDGET = 100_000
#: Characters alias expansion may replay in one file, at least; a larger file may replay as
#: many characters as it holds (see :func:`alias_bytes_budget`). A million-character string
#: aliased a thousand times is a gigabyte: counting nodes alone does not bound that.
MIN_ALIAS_BYTES = 1_000_000

# YAML 1.2 reads these plain scalars as numbers: a date or id written so (0x7E7 is 2023) must
# be refused, not read as the number. Only plain decimal ("2023", "-5") is allowed.
_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


def alias_bytes_budget(text: str) -> int:
    """Characters aliases may replay in ``text``: at most as many as it holds, or 1 MB."""
    return max(MIN_ALIAS_BYTES, len(text))


def _key_identity(value: str, plain: bool) -> object:
    """The value a mapping key stands for, as the fast parser reads it: ``1``, ``1.0`` and
    ``true`` are one key there (Python's ``True == 1 == 1.0``), ``"1"`` quoted is another."""
    if not plain:
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    text = value.replace("_", "")
    try:
        if _NUMBER.fullmatch(value) and "." not in text:
            return int(text, 0) if text.lstrip("+-")[:2].lower() in ("0x", "0o", "0b") \
                else int(text)
        if _FLOAT.fullmatch(value):
            return float(text)
    except ValueError:
        pass
    return value


@dataclass(slots=True)
class LocatedProblem:
    line: int
    col: int
    message: str
    #: False for a problem with one value (a number in hex...): the data can still be read
    #: and checked, so the file's other problems are reported too.
    fatal: bool = True


@dataclass(slots=True)
class Node:
    """A YAML node with its 1-based start position.

    ``items`` maps key -> (key_line, key_col, value node) for mappings, and holds the child
    nodes for sequences.
    """

    kind: str  # "map" | "seq" | "scalar"
    line: int
    col: int
    items: dict | list | None = None
    size: int = 1
    nbytes: int = 0  # characters of text it holds, keys included: what an alias replays
    open: bool = field(default=True, repr=False)

    def child(self, step: str | int) -> tuple[int, int, "Node"] | None:
        if self.kind == "map":
            try:
                return self.items.get(step)
            except TypeError:  # an unhashable step names no key
                return None
        if self.kind == "seq" and isinstance(step, int) and 0 <= step < len(self.items):
            node = self.items[step]
            return node.line, node.col, node
        return None

    def locate(self, path: tuple, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``path`` (of its key if ``key``).

        A path that goes further than the tree does resolves to its deepest existing node,
        so a "missing field" problem points at the record that lacks it.
        """
        node, pos = self, (self.line, self.col)
        for step in path:
            hit = node.child(step)
            if hit is None:
                break
            key_line, key_col, node = hit
            pos = (key_line, key_col) if key and step == path[-1] else (node.line, node.col)
        return pos


def _mark(m) -> tuple[int, int]:
    return m.line + 1, m.column + 1


def _describe_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _number_problem(value: str) -> str | None:
    if _NUMBER.fullmatch(value) and not _DECIMAL.fullmatch(value):
        return (f"number written as {value!r}: write plain decimal digits (a year as 2023), "
                "or quote it if it is text")
    return None


def compose(text: str, *, alias_budget: int = DEFAULT_ALIAS_BUDGET,
            alias_bytes: int | None = None) -> tuple[Node | None, list[LocatedProblem]]:
    """Build a located tree of the first document and list the problems found on the way.

    ``alias_bytes`` bounds the characters aliases may replay (default:
    :func:`alias_bytes_budget` of ``text``).
    """
    if alias_bytes is None:
        alias_bytes = alias_bytes_budget(text)
    problems: list[LocatedProblem] = []
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    # per open mapping: the pending key (line, col, raw text, identity), or None
    pending_key: list[tuple[int, int, str, object] | None] = []
    raw_keys: list[dict] = []  # per open mapping: identity -> raw text of its first key
    root: Node | None = None
    replayed = replayed_bytes = 0

    def attach(node: Node, plain: bool = False) -> None:
        nonlocal root
        if not stack:
            if root is None:
                root = node
            return
        parent = stack[-1]
        parent.size += node.size
        parent.nbytes += node.nbytes
        if parent.kind == "seq":
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if node.kind != "scalar":
                problems.append(LocatedProblem(node.line, node.col,
                                               "a mapping key must be plain text"))
                pending_key[-1] = (node.line, node.col, "\0complex", object())
            else:
                pending_key[-1] = (node.line, node.col, node.items,
                                   _key_identity(node.items, plain))
            return
        key_line, key_col, raw, ident = key
        pending_key[-1] = None
        try:
            first = parent.items.get(ident)
        except TypeError:
            first = None
        if first is not None:
            first_line, first_col, _ = first
            first_raw = raw_keys[-1].get(ident, raw)
            if first_raw == raw:
                msg = f"duplicate key {raw!r} (first at {first_line}:{first_col})"
            else:
                msg = (f"duplicate key: {raw!r} and {first_raw!r} (at {first_line}:{first_col})"
                       f" are the same key to YAML ({ident!r}); quote keys that are text")
            problems.append(LocatedProblem(key_line, key_col, msg))
        else:
            parent.items[ident] = (key_line, key_col, node)
            raw_keys[-1][ident] = raw

    def check_tag(event) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            line, col = _mark(event.start_mark)
            problems.append(LocatedProblem(
                line, col,
                f"tag {_describe_tag(tag)!r} not allowed: fact files use plain YAML, no tags"))

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent) and root is not None:
                line, col = _mark(event.start_mark)
                problems.append(LocatedProblem(
                    line, col, "a fact file holds one YAML document; split this one"))
                break
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                check_tag(event)
                line, col = _mark(event.start_mark)
                is_map = isinstance(event, yaml.MappingStartEvent)
                node = Node("map" if is_map else "seq", line, col, {} if is_map else [])
                if event.anchor:
                    anchors[event.anchor] = node
                stack.append(node)
                pending_key.append(None)
                raw_keys.append({})
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node = stack.pop()
                pending_key.pop()
                raw_keys.pop()
                node.size += 1
                node.open = False
                attach(node)
            elif isinstance(event, yaml.ScalarEvent):
                check_tag(event)
                line, col = _mark(event.start_mark)
                plain = not event.style  # None or "" (C parser): a plain scalar
                if plain and (stack and (stack[-1].kind == "seq" or pending_key[-1] is not None)):
                    bad = _number_problem(event.value)
                    if bad:
                        problems.append(LocatedProblem(line, col, bad, fatal=False))
                node = Node("scalar", line, col, event.value, nbytes=len(event.value),
                            open=False)
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node, plain)
            elif isinstance(event, yaml.AliasEvent):
                line, col = _mark(event.start_mark)
                target = anchors.get(event.anchor)
                if target is None or target.open:
                    problems.append(LocatedProblem(line, col,
                                                   f"unknown alias *{event.anchor}"))
                    return root, problems
                replayed += target.size
                replayed_bytes += target.nbytes
                if replayed > alias_budget:
                    problems.append(LocatedProblem(
                        line, col,
                        f"alias expansion exceeds {alias_budget:,} nodes (alias bomb?)"))
                    return root, problems
                if replayed_bytes > alias_bytes:
                    problems.append(LocatedProblem(
                        line, col,
                        f"alias expansion exceeds {alias_bytes:,} characters, the size of "
                        "the file or 1 MB (alias bomb?); write the text out instead"))
                    return root, problems
                attach(target)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(LocatedProblem(line, col, f"YAML syntax error: {what}"))
    return root, problems
