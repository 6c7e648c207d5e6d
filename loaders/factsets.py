"""Versions of the facts to compare: from paths or from git revisions, with where each record
is written (``FILE:LINE``), for ``regulink diff``.

A git revision's fact files are read with ``git show REV:FILE`` into a private temporary
folder (nothing in the work tree is touched) and validated like any others; their places
are reported by their paths in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from regulink.errors import Problem, RegulinkError, ValidationFailed
from regulink.graph.dates import parse_partial_date
from regulink.graph.model import FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.loaders.validate import fact_files, load_facts
from regulink.loaders.yaml_files import ParsedFile, read_file

__all__ = ["FactSet", "GitError", "git_factsets", "read_factset"]


class GitError(RegulinkError):
    """A revision range that git cannot resolve, or a folder outside any repository."""


@dataclass(slots=True)
class FactSet:
    """One version of the facts: a name for it, the facts, and where each record is.

    Places are found on demand: the files are indexed (fast parser) the first time one is
    asked for, and only a file that holds a record asked for is parsed again for line
    numbers, so comparing two versions that differ in a few records stays cheap.
    """

    label: str
    facts: FactBase
    display: Callable[[str], str] = str
    _index: dict[tuple[str, str], tuple[ParsedFile, str, int]] | None = None

    def indexed(self) -> FactSet:
        """Read the files for :meth:`where` now (their text is kept: they may go)."""
        if self._index is None:
            self._index = _index(self.facts.files)
        return self

    def where(self, section: str, key: str) -> str | None:
        """``FILE:LINE`` of a record (``section`` as in fact files; an id, or a relation's
        key), or None if it cannot be found."""
        index = self.indexed()._index
        hit = index.get((section, key)) if index is not None else None
        if hit is None:
            return None
        doc, sec, i = hit
        return f"{self.display(doc.path)}:{doc.locate((sec, i))[0]}"


def _relation_key(rec: dict) -> str | None:
    rtype = load_schema().relation_types.get(rec.get("type", ""))
    if rtype is None:
        return None
    return Relation(
        rtype.name,
        # None in an invalid record: the key still names it
        cast(str, rec.get("from")),
        cast(str, rec.get("to")),
        parse_partial_date(rec.get("start")) if rec.get("start") is not None else None,
        None,
        None,
        None,
        (),
        id=rec.get("id"),
        symmetric=rtype.symmetric,
    ).key


def _index(files: Iterable[str]) -> dict[tuple[str, str], tuple[ParsedFile, str, int]]:
    """``(section, id or key) -> (file, section, position)`` for every record."""
    out: dict[tuple[str, str], tuple[ParsedFile, str, int]] = {}
    for name in files:
        doc = read_file(Path(name))
        if not isinstance(doc.data, dict):
            continue
        for section in ("entities", "relations", "sources"):
            for i, rec in enumerate(doc.data.get(section) or ()):
                if not isinstance(rec, dict):
                    continue
                key = _relation_key(rec) if section == "relations" else rec.get("id")
                if key is not None:
                    out[(section, key)] = (doc, section, i)
        doc.data = None  # the text stays, to locate; the parsed data is not needed again
    return out


def read_factset(
    paths: Iterable[str | os.PathLike],
    *,
    label: str,
    display: Callable[[str], str] = str,
    cache: bool = True,
) -> FactSet:
    """Validated facts from ``paths`` (``display`` names their files in places and problems),
    through the fact cache unless ``cache`` is false.

    Raises :class:`ValidationFailed` if any file has a problem.
    """
    try:
        facts = load_facts(list(paths), cache=cache)
    except ValidationFailed as exc:
        raise ValidationFailed(
            [Problem(display(p.file), p.line, p.col, p.message) for p in exc.problems]
        ) from None
    return FactSet(label, facts, display)


def _git(args: list[str], cwd: Path, *, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(what or f"git {' '.join(args)}: {detail or 'failed'}")
    return done.stdout


def git_factsets(spec: str, paths: Iterable[str | os.PathLike]) -> tuple[FactSet, FactSet]:
    """The facts at two revisions: ``REV1..REV2``; ``REV1..`` or ``REV1`` compares REV1 with
    the work tree as it is now. ``paths`` (files or folders in one repository) say which
    fact files; places are their paths relative to the repository's top."""
    old_rev, _sep, new_rev = spec.partition("..")
    if not old_rev:
        raise GitError(f"no revision in {spec!r}: use REV1..REV2 (or REV1.. for the work tree)")
    resolved = [Path(p).resolve() for p in paths]
    top = Path(
        _git(
            ["rev-parse", "--show-toplevel"],
            resolved[0] if resolved[0].is_dir() else resolved[0].parent,
            what=f"{resolved[0]} is not in a git repository",
        )
        .decode()
        .strip()
    )
    rel = []
    for p in resolved:
        try:
            rel.append(p.relative_to(top).as_posix())
        except ValueError:
            raise GitError(f"{p} is not in the repository at {top}") from None
    tmp = Path(tempfile.mkdtemp(prefix="regulink-diff-"))
    try:
        sets = [_at_revision(old_rev, rel, top, tmp / "old")]
        if new_rev:
            sets.append(_at_revision(new_rev, rel, top, tmp / "new"))
        else:
            files, _ = fact_files(resolved)
            sets.append(read_factset(files, label="work tree", display=lambda f: _relative(f, top)))
        return sets[0], sets[1]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _relative(name: str, top: Path) -> str:
    try:
        return Path(name).resolve().relative_to(top).as_posix()
    except ValueError:
        return name


def _at_revision(rev: str, rel: list[str], top: Path, root: Path) -> FactSet:
    commit = (
        _git(
            ["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            top,
            what=f"unknown revision {rev!r}",
        )
        .decode()
        .strip()
    )
    listed = _git(["ls-tree", "-r", "--name-only", "-z", commit, "--", *rel], top)
    names = [n for n in listed.decode("utf-8").split("\0") if n.endswith((".yaml", ".yml"))]
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(["show", f"{commit}:{name}"], top))
    if not names:
        return FactSet(rev, FactBase())
    # Indexed before the temporary folder goes; lines are found later from the kept text.
    return read_factset(
        [root / n for n in names],
        label=rev,
        cache=False,
        display=lambda f: Path(f).relative_to(root).as_posix(),
    ).indexed()
