"""Reading fact files: finding them, decoding them strictly, parsing them safely and fast.

The fast path is yaml-rs (YAML 1.2, in Rust): duplicate keys are refused, alias replay is
bounded and no tag is ever constructed. Whenever it refuses a file without saying where, or a
file may hold a tag (which yaml-rs would silently drop), :mod:`.locate` parses the file again
with PyYAML's event parser to report each problem at its exact line and column.

Examples
--------
>>> doc = parse_text("entities: []\\r\\n", "f.yaml")
>>> doc.data, doc.problems
({'entities': []}, [])
>>> [str(p) for p in parse_text("a: 1\\na: 2\\n", "f.yaml").problems]
["f.yaml:2:1: duplicate key 'a' (first at 1:1)"]
>>> [str(p) for p in decode(b"name: caf\\xe9\\n", "f.yaml")[1]]
['f.yaml:1:10: invalid UTF-8 (byte 0xe9); save the file as UTF-8']
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml_rs

from regulink.errors import Problem
from regulink.loaders import locate

__all__ = ["ParsedFile", "decode", "fact_files", "parse_text", "read_file"]

SUFFIXES = (".yaml", ".yml")
_BOM = "\ufeff"
# What yaml-rs would read without a word but a fact file must not hold: a tag ("!", never
# constructed, silently dropped by yaml-rs), an alias ("*", whose replayed characters only the
# careful parser counts) or a number in a notation other than plain decimal (0x7E7, 0o3747,
# +2023, 02023, 1_000: all read as numbers). Prose such as "wow!" or "2023-05-01" does not
# look so; a false hit only costs the careful parse. Searched as plain substrings of the text
# with its separators made spaces and its digits 1-9 made "1": a regular expression over a
# large file cost more than parsing it.
_HINT_MAP = bytes.maketrans(b"\t\r\n:,[{23456789", b"       " + b"1" * 8)
_TAG_OR_ALIAS = re.compile(rb"[ -][!*]")
_ZERO_LED = re.compile(rb" 0[01_xXoObB]")
_PLUS = re.compile(rb" \+[01]")
_UNDERSCORE = re.compile(rb"_[01]")


def needs_care(text: str, raw: bytes | None = None) -> bool:
    """Whether ``text`` (whose bytes are ``raw``, if at hand) may hold a tag, an alias or an
    odd number notation (see above)."""
    mapped = b" " + (raw if raw is not None else text.encode("utf-8", "surrogatepass")).translate(
        _HINT_MAP
    )
    if (b"!" in mapped or b"*" in mapped) and _TAG_OR_ALIAS.search(mapped):
        return True
    if _ZERO_LED.search(mapped) or (b"+" in mapped and _PLUS.search(mapped)):
        return True
    return any(mapped[m.start() - 1] in b"01" for m in _UNDERSCORE.finditer(mapped))


_RS_POSITION = re.compile(r"line (\d+), column (\d+)")


@dataclass(slots=True)
class ParsedFile:
    """One file's text, its data (``None`` if it could not be parsed) and its problems."""

    path: str
    text: str | None
    data: object = None
    problems: list[Problem] = field(default_factory=list)
    #: items per section as parsed, kept once ``data`` is dropped: what the quick locator
    #: checks its reading of the layout against
    sizes: dict | None = None
    _tree: locate.Node | None = field(default=None, repr=False)
    _quick: locate.QuickLocator | None = field(default=None, repr=False)

    def locate(self, path: tuple, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``path``: read from the layout when it is the
        usual one, else from the careful parse (composed on first use)."""
        if self._tree is None and self.sizes is not None:
            if self._quick is None:
                self._quick = locate.QuickLocator(self.text or "", self.sizes)
            hit = self._quick.locate(path, key=key)
            if hit is not None:
                return hit
        if self._tree is None:
            self._tree, _ = locate.compose(self.text or "")
        if self._tree is None:
            return 1, 1
        return self._tree.locate(path, key=key)


def _regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a fact file, or ``None`` if it can (never opens it: a
    FIFO would block)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (
            "broken symbolic link: its target does not exist"
            if path.is_symlink()
            else "no such file or folder"
        )
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if stat.S_ISREG(st.st_mode):
        return None
    what = (
        "a FIFO"
        if stat.S_ISFIFO(st.st_mode)
        else "a socket"
        if stat.S_ISSOCK(st.st_mode)
        else "a device"
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "not a regular file"
    )
    return f"not a regular file ({what}): fact files are plain files"


def _take(path: Path, files: list[Path], problems: list[Problem]) -> None:
    why = _regular(path)
    if why is None:
        files.append(path)
    else:
        problems.append(Problem(str(path), 0, 0, why))


def _walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """Every fact file under ``folder``, following folder links once; anything that looks
    like a fact file but cannot be read, and any folder that cannot be listed, is a
    problem: nothing is skipped without a word."""
    found: list[Path] = []
    seen: set[str] = set()

    def refused(exc: OSError) -> None:
        problems.append(
            Problem(str(exc.filename or folder), 0, 0, f"cannot read folder: {exc.strerror}")
        )

    for root, dirs, names in os.walk(folder, onerror=refused, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(names):
            f = Path(root, name)
            if f.suffix not in SUFFIXES:
                continue
            _take(f, found, problems)
    return sorted(found)


def fact_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the sorted fact files they hold."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            before = len(problems)
            found = _walk(p, problems)
            if not found and len(problems) == before:
                problems.append(Problem(str(p), 0, 0, "folder holds no .yaml or .yml files"))
            files.extend(found)
            continue
        _take(p, files, problems)
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique, problems


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Strict UTF-8, a leading BOM dropped, CRLF kept (both parsers accept it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [
            Problem(
                name,
                line,
                col,
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            )
        ]
    if text.startswith(_BOM):
        text = text[1:]
    return text, []


def _careful(text: str, name: str) -> list[Problem]:
    _, found = locate.compose(text)
    return [Problem(name, p.line, p.col, p.message) for p in found]


def parse_text(
    text: str,
    name: str,
    *,
    alias_budget: int = locate.DEFAULT_ALIAS_BUDGET,
    care: bool | None = None,
) -> ParsedFile:
    """Parse one document; on failure, ``problems`` says where and why. ``care``: whether
    :func:`needs_care` (computed if ``None``)."""
    doc = ParsedFile(name, text)
    if needs_care(text) if care is None else care:
        doc._tree, found = locate.compose(text, alias_budget=alias_budget)
        doc.problems = [Problem(name, p.line, p.col, p.message) for p in found]
        if any(p.fatal for p in found):
            return doc
    try:
        doc.data = yaml_rs.loads(
            text,
            parse_datetime=False,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=alias_budget),
        )
    except yaml_rs.YAMLDecodeError as exc:
        # The careful parser locates duplicate keys and alias bombs, which yaml-rs only names.
        doc.data = None
        doc.problems = _careful(text, name)
        if not doc.problems:
            msg = str(exc)
            pos = _RS_POSITION.search(msg)
            line, col = (int(pos[1]), int(pos[2])) if pos else (1, 1)
            detail = msg.strip().splitlines()[-1].strip() if msg.strip() else "invalid YAML"
            doc.problems = [Problem(name, line, col, f"YAML syntax error: {detail}")]
    return doc


#: Memory the parse of a file takes, per byte of the file (measured: the text held twice for
#: non-ASCII text, the parsed records nine times, the parser's own working memory).
PARSE_MEMORY_FACTOR = 14


def memory_available() -> tuple[int, str] | None:
    """Bytes this process may still allocate, and which limit says so; ``None`` if unknown.

    The smallest of: the address-space limit (``ulimit -v``), the container's memory limit
    (cgroup v2) and the memory the system has available. Under any of them a parser that runs
    out aborts the process (yaml-rs panics): the check comes first.
    """
    found: list[tuple[int, str]] = []
    with contextlib.suppress(OSError, ValueError):
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/statm") as fh:
                used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            found.append(
                (soft - used, f"the address-space limit (ulimit -v) of {soft / 1e9:.1f} GB")
            )
    with contextlib.suppress(OSError, ValueError):
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = int(Path("/sys/fs/cgroup/memory.current").read_text())
            found.append(
                (int(limit) - used, f"the container's memory limit of {int(limit) / 1e9:.1f} GB")
            )
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append((int(line.split()[1]) * 1024, "the memory available"))
    return min(found) if found else None


def _too_big(name: str, size: int) -> Problem | None:
    need = size * PARSE_MEMORY_FACTOR
    room = memory_available()
    if room is None or need <= room[0]:
        return None
    return Problem(
        name,
        0,
        0,
        (
            f"too large to read here: this {size / 1e6:,.0f} MB file needs about "
            f"{need / 1e9:.1f} GB to parse ({PARSE_MEMORY_FACTOR} times its size) and "
            f"{max(room[0], 0) / 1e9:.1f} GB is left under {room[1]}; split it into smaller fact "
            "files in one folder (each file is parsed on its own)"
        ),
    )


def read_file(path: Path, *, alias_budget: int = locate.DEFAULT_ALIAS_BUDGET) -> ParsedFile:
    """Read, decode and parse one fact file, never raising for a bad file."""
    name = str(path)
    try:
        refused = _too_big(name, path.stat().st_size)
        if refused is not None:
            return ParsedFile(name, None, problems=[refused])
        raw = path.read_bytes()
    except OSError as exc:
        return ParsedFile(
            name, None, problems=[Problem(name, 0, 0, f"cannot read: {exc.strerror}")]
        )
    text, problems = decode(raw, name)
    if text is None:
        return ParsedFile(name, None, problems=problems)
    care = needs_care(text, raw)
    del raw  # not held while the file is parsed: the peak is what the parse needs
    return parse_text(text, name, alias_budget=alias_budget, care=care)
