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

from dataclasses import dataclass, field

import yaml

__all__ = ["Node", "LocatedProblem", "compose", "DEFAULT_ALIAS_BUDGET"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Events that alias expansion may replay in one file before it is treated as a bomb.
DEFAULT_ALIAS_BUDGET = 100_000


@dataclass(slots=True)
class LocatedProblem:
    line: int
    col: int
    message: str


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
    open: bool = field(default=True, repr=False)

    def child(self, step: str | int) -> tuple[int, int, "Node"] | None:
        if self.kind == "map" and isinstance(step, str) and step in self.items:
            return self.items[step]
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


def compose(text: str, *, alias_budget: int = DEFAULT_ALIAS_BUDGET
            ) -> tuple[Node | None, list[LocatedProblem]]:
    """Build a located tree of the first document and list the problems found on the way."""
    problems: list[LocatedProblem] = []
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    pending_key: list[tuple[int, int, str] | None] = []
    root: Node | None = None
    replayed = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            if root is None:
                root = node
            return
        parent = stack[-1]
        parent.size += node.size
        if parent.kind == "seq":
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if node.kind != "scalar":
                problems.append(LocatedProblem(node.line, node.col,
                                               "a mapping key must be plain text"))
                pending_key[-1] = (node.line, node.col, "\0complex")
            else:
                pending_key[-1] = (node.line, node.col, node.items)
            return
        key_line, key_col, name = key
        pending_key[-1] = None
        if name in parent.items:
            first_line, first_col, _ = parent.items[name]
            problems.append(LocatedProblem(
                key_line, key_col,
                f"duplicate key {name!r} (first at {first_line}:{first_col})"))
        else:
            parent.items[name] = (key_line, key_col, node)

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
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node = stack.pop()
                pending_key.pop()
                node.size += 1
                node.open = False
                attach(node)
            elif isinstance(event, yaml.ScalarEvent):
                check_tag(event)
                line, col = _mark(event.start_mark)
                node = Node("scalar", line, col, event.value)
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node)
            elif isinstance(event, yaml.AliasEvent):
                line, col = _mark(event.start_mark)
                target = anchors.get(event.anchor)
                if target is None or target.open:
                    problems.append(LocatedProblem(line, col,
                                                   f"unknown alias *{event.anchor}"))
                    return root, problems
                replayed += target.size
                if replayed > alias_budget:
                    problems.append(LocatedProblem(
                        line, col,
                        f"alias expansion exceeds {alias_budget:,} nodes (alias bomb?)"))
                    return root, problems
                attach(target)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(LocatedProblem(line, col, f"YAML syntax error: {what}"))
    return root, problems
