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
from typing import Any

import yaml

__all__ = [
    "DEFAULT_ALIAS_BUDGET",
    "MIN_ALIAS_BYTES",
    "LocatedProblem",
    "Node",
    "alias_bytes_budget",
    "compose",
]

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
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


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
            return (
                int(text, 0) if text.lstrip("+-")[:2].lower() in ("0x", "0o", "0b") else int(text)
            )
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
    # by kind: a dict (map), a list (seq) or the text (scalar); a tagged union that the
    # checks on `kind` narrow, which mypy cannot follow through a dataclass field
    items: Any = None
    size: int = 1
    nbytes: int = 0  # characters of text it holds, keys included: what an alias replays
    open: bool = field(default=True, repr=False)

    def child(self, step: str | int) -> tuple[int, int, Node] | None:
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
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _number_problem(value: str) -> str | None:
    if _NUMBER.fullmatch(value) and not _DECIMAL.fullmatch(value):
        return (
            f"number written as {value!r}: write plain decimal digits (a year as 2023), "
            "or quote it if it is text"
        )
    return None


def compose(
    text: str, *, alias_budget: int = DEFAULT_ALIAS_BUDGET, alias_bytes: int | None = None
) -> tuple[Node | None, list[LocatedProblem]]:
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
                problems.append(
                    LocatedProblem(node.line, node.col, "a mapping key must be plain text")
                )
                pending_key[-1] = (node.line, node.col, "\0complex", object())
            else:
                pending_key[-1] = (
                    node.line,
                    node.col,
                    node.items,
                    _key_identity(node.items, plain),
                )
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
                msg = (
                    f"duplicate key: {raw!r} and {first_raw!r} (at {first_line}:{first_col})"
                    f" are the same key to YAML ({ident!r}); quote keys that are text"
                )
            problems.append(LocatedProblem(key_line, key_col, msg))
        else:
            parent.items[ident] = (key_line, key_col, node)
            raw_keys[-1][ident] = raw

    def check_tag(event) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            line, col = _mark(event.start_mark)
            problems.append(
                LocatedProblem(
                    line,
                    col,
                    f"tag {_describe_tag(tag)!r} not allowed: fact files use plain YAML, no tags",
                )
            )

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent) and root is not None:
                line, col = _mark(event.start_mark)
                problems.append(
                    LocatedProblem(line, col, "a fact file holds one YAML document; split this one")
                )
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
                node = Node("scalar", line, col, event.value, nbytes=len(event.value), open=False)
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node, plain)
            elif isinstance(event, yaml.AliasEvent):
                line, col = _mark(event.start_mark)
                target = anchors.get(event.anchor) if event.anchor else None
                if target is None or target.open:
                    problems.append(LocatedProblem(line, col, f"unknown alias *{event.anchor}"))
                    return root, problems
                replayed += target.size
                replayed_bytes += target.nbytes
                if replayed > alias_budget:
                    problems.append(
                        LocatedProblem(
                            line,
                            col,
                            f"alias expansion exceeds {alias_budget:,} nodes (alias bomb?)",
                        )
                    )
                    return root, problems
                if replayed_bytes > alias_bytes:
                    problems.append(
                        LocatedProblem(
                            line,
                            col,
                            f"alias expansion exceeds {alias_bytes:,} characters, the size of "
                            "the file or 1 MB (alias bomb?); write the text out instead",
                        )
                    )
                    return root, problems
                attach(target)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(LocatedProblem(line, col, f"YAML syntax error: {what}"))
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ESC...)
        at = max(0, min(exc.position, len(text)))
        line = text.count("\n", 0, at) + 1
        col = at - text.rfind("\n", 0, at)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problems.append(
            LocatedProblem(line, col, f"character U+{code:04X} is not allowed in YAML; remove it")
        )
    return root, problems


class QuickLocator:
    """Positions of record paths in the usual layout, without parsing the file again.

    The careful parse costs six times the fast one, so a single problem late in a large file
    would cost far more to place than to find. Fact files nearly always have one layout: top
    level keys at column 0, each section a block sequence of records written in flow style
    (``- {type: ..., from: ...}``) or block style (``- id: ...``). This reads that layout
    from the text alone: the section's key, its items (their count checked against what the
    parser read), and in an item a field's key and value, skipping quoted text and nested
    brackets. It answers ``None`` for anything else, and the caller falls back to
    :func:`compose`, so it never guesses.

    >>> q = QuickLocator("relations:\\n  - {type: a, to: b}\\n  - type: c\\n    to: d\\n",
    ...                  {"relations": 2})
    >>> q.locate(("relations", 0, "to")), q.locate(("relations", 1, "to"), key=True)
    ((2, 19), (4, 5))
    """

    def __init__(self, text: str, sizes: dict):
        self.text = text
        self.sizes = sizes  # items per section, as the fast parser read them
        # both filled by _outline(), on first use
        self.starts: list[int] = []
        self.sections: dict = {}
        self._outlined = False

    # -- the file's outline ----------------------------------------------------------------
    def _outline(self) -> bool:
        if self._outlined:
            return bool(self.sections) or not self.sizes
        self._outlined = True
        text = self.text
        if any(c in text for c in ("\r", "\x85", "\u2028", "\u2029", "\t")):
            return False  # other line breaks or tabs: leave it to the parser
        self.starts = starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        current: dict | None = None
        for n, at in enumerate(starts):
            c = text[at : at + 1]
            if c in ("", "\n", "#", " "):
                if current is not None and c == " ":
                    self._item(current, n, at)
                continue
            if c == "-" and current is not None and current["indent"] in (None, 0):
                self._item(current, n, at)
                continue
            m = _TOP_KEY.match(text, at)
            if m is None:
                self.sections = {}
                return False
            name = m["dq"] if m["dq"] is not None else m["plain"].rstrip()
            current = {"line": n, "key_col": 0, "value": m.end(), "indent": None, "items": []}
            self.sections[name] = current
        for name, size in self.sizes.items():
            sec = self.sections.get(name)
            if sec is None or len(sec["items"]) != size:
                self.sections = {}
                return False
        return True

    def _item(self, sec: dict, n: int, at: int) -> None:
        line = self.text[at : self.text.find("\n", at) if self.text.find("\n", at) >= 0 else None]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped.startswith("-") or stripped[1:2] not in (" ", ""):
            return
        if sec["indent"] is None:
            sec["indent"] = indent
        if indent == sec["indent"]:
            sec["items"].append(n)

    # -- positions ---------------------------------------------------------------------------
    def _pos(self, offset: int) -> tuple[int, int]:
        import bisect

        n = bisect.bisect_right(self.starts, offset) - 1
        return n + 1, offset - self.starts[n] + 1

    def _skip(self, i: int, end: int) -> int:
        """The next offset at or after ``i`` that is not blank, a line break or a comment."""
        text = self.text
        while i < end:
            c = text[i]
            if c in " \n,":
                i += 1
            elif c == "#" and (i == 0 or text[i - 1] in " \n"):
                j = text.find("\n", i)
                i = end if j < 0 else j
            else:
                return i
        return -1

    def locate(self, path: tuple, *, key: bool = False) -> tuple[int, int] | None:
        """Line and column of ``path`` as :meth:`Node.locate` gives them, or ``None``."""
        if not path or not self._outline():
            return None
        sec = self.sections.get(path[0])
        if sec is None:
            return None
        text = self.text
        if len(path) == 1:
            if key:
                return sec["line"] + 1, 1
            i = self._skip(sec["value"], len(text))
            return None if i < 0 else self._pos(i)
        k = path[1]
        if not isinstance(k, int) or not 0 <= k < len(sec["items"]):
            return None
        n = sec["items"][k]
        end = (
            self.starts[sec["items"][k + 1]]
            if k + 1 < len(sec["items"])
            else self._section_end(sec)
        )
        start = self.starts[n] + sec["indent"] + 1
        i = self._skip(start, end)
        if i < 0 or self._pos(i)[0] != n + 1:
            return None  # the record starts on a line of its own
        if len(path) == 2:
            return self._pos(i)
        hit = self._field(i, end, path[2])
        if hit is None:
            return self._pos(i) if len(path) == 3 and not key else None
        key_at, value_at = hit
        if len(path) == 3:
            return self._pos(key_at if key else value_at)
        if len(path) == 4 and isinstance(path[3], int) and not key:
            at = self._element(value_at, end, path[3])
            return None if at is None else self._pos(at)
        return None

    def _section_end(self, sec: dict) -> int:
        later = [s["line"] for s in self.sections.values() if s["line"] > sec["line"]]
        return self.starts[min(later)] if later else len(self.text)

    def _field(self, i: int, end: int, name) -> tuple[int, int] | None:
        """(key offset, value offset) of field ``name`` of the record at ``i``, else None."""
        if not isinstance(name, str):
            return None
        text = self.text
        if text[i] == "{":
            for key_at, key_text, colon in self._flow_keys(i + 1, end):
                if key_text == name:
                    return key_at, self._skip(colon + 1, end)
            return None
        col = i - self.starts[self._pos(i)[0] - 1]
        at = i
        while 0 <= at < end:  # block style: keys at the record's column, one per line
            m = _BLOCK_KEY.match(text, at)
            if m is not None and (m["dq"] if m["dq"] is not None else m["plain"].rstrip()) == name:
                return at, self._skip(m.end(), end)
            nl = text.find("\n", at)
            if nl < 0 or nl >= end:
                return None
            at = nl + 1 + col
            while at < end and text[at - col : at].strip(" ") == "" and text[at : at + 1] in " \n":
                nl = text.find("\n", at)
                if nl < 0 or nl >= end:
                    return None
                at = nl + 1 + col
            if text[at - col : at].strip(" "):
                return None
        return None

    def _flow_keys(self, i: int, end: int):
        """The keys of a flow mapping whose "{" is just before ``i``: (offset, text, colon
        offset), skipping quoted text and nested brackets."""
        text = self.text
        while True:
            i = self._skip(i, end)
            if i < 0 or text[i] == "}":
                return
            if text[i] in "\"'":
                close = text.find(text[i], i + 1)
                if close < 0 or "\\" in text[i:close]:
                    return
                key_text, j = text[i + 1 : close], close + 1
            else:
                j = i
                while (
                    j < end
                    and text[j] not in ":,{}[]\n"
                    and not (text[j] == ":" and text[j + 1 : j + 2] in " \n")
                ):
                    j += 1
                key_text = text[i:j].rstrip()
            while j < end and text[j] == " ":
                j += 1
            if j >= end or text[j] != ":":
                return
            yield i, key_text, j
            j = self._scalar_end(j + 1, end)
            if j < 0:
                return
            i = j

    def _scalar_end(self, i: int, end: int) -> int:
        """Offset just after a flow value starting at or after ``i``: at its "," or "}"."""
        text = self.text
        depth = 0
        token_start = True  # a quote opens a quoted scalar only where a scalar starts
        while i < end:
            c = text[i]
            if c in "\"'" and token_start:
                close = i + 1
                while True:
                    close = text.find(c, close)
                    if close < 0 or close >= end:
                        return -1
                    if c == "'" and text[close + 1 : close + 2] == "'":
                        close += 2
                        continue
                    if c == '"' and _escaped(text, close):
                        close += 1
                        continue
                    break
                i = close + 1
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                if depth == 0:
                    return i
                depth -= 1
            elif c == "," and depth == 0:
                return i + 1
            if c not in " \n":
                token_start = c in "[{,:"
            i += 1
        return -1

    def _element(self, at: int, end: int, j: int) -> int | None:
        """Offset of the ``j``-th item of the flow or block sequence at ``at``."""
        text = self.text
        if at < 0:
            return None
        if text[at] == "[":
            i = at + 1
            for _ in range(j):
                i = self._scalar_end(i, end)
                if i < 0 or text[i - 1] != ",":
                    return None
            i = self._skip(i, end)
            return None if i < 0 or text[i] == "]" else i
        if text[at] == "-":
            col = at - self.starts[self._pos(at)[0] - 1]
            i = at
            for _ in range(j):
                nl = text.find("\n", i)
                if nl < 0 or nl >= end:
                    return None
                i = nl + 1 + col
                if text[i - col : i].strip(" ") or text[i : i + 2].rstrip() != "-":
                    return None
            i = self._skip(i + 1, end)
            return None if i < 0 else i
        return None


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and text[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


# a mapping key at the start of a line: plain or double-quoted, then ":" and a space or the end
_TOP_KEY = _BLOCK_KEY = re.compile(
    r'(?:"(?P<dq>[^"\\\n]*)"|(?P<plain>[^\s:#"\'{\[&*!|>%@`-][^:#\n]*?))'
    r" *:(?= |\n|$)"
)
