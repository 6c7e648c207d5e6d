"""A cache of validated fact bases, so a command run twice on the same files parses them once.

``regulink path``, ``find``, ``show``... each start a new process that needs the validated
facts. Parsing and validating a million relations takes tens of seconds; unpickling the
validated :class:`~regulink.graph.model.FactBase` takes a fraction of one. Only valid fact
sets are cached: a set with problems is validated afresh every time, so its problems are
always reported.

An entry is found by a key over the files' names, sizes and modification times (plus
regulink's version and the code and vocabulary that decide validity). It is used only if
every file's content still has the hash recorded when the entry was written, so an edit that
keeps a file's size and time (a copy with ``cp -p``, a restore from an archive) is caught too.
Entries live in ``$REGULINK_CACHE_DIR``, else ``$XDG_CACHE_HOME/regulink``, else
``~/.cache/regulink``; the newest few are kept. ``REGULINK_CACHE=0`` turns the cache off.

Examples
--------
>>> import tempfile, pathlib
>>> from regulink.graph.model import FactBase
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> f = d / "a.yaml"
>>> _ = f.write_text("entities: []\\n")
>>> cache = FactCache(d / "cache")
>>> cache.get([f]) is None
True
>>> cache.put([f], FactBase(files=(str(f),)), cache.stamp([f]))
>>> cache.get([f]).files == (str(f),)
True
>>> _ = f.write_text("entities: [ ]\\n")   # changed: the entry no longer applies
>>> cache.get([f]) is None
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xxhash

from regulink.graph.model import FactBase
from regulink.loaders.collector import gc_paused

__all__ = ["EntryCache", "FactCache", "cache_dir", "default_cache", "fingerprint", "seal", "verify"]

_FORMAT = 2
# Every entry file ends with this trailer: a magic and a keyed xxh3-128 of everything before
# it (the payload), keyed by the entry's own name. A flipped bit, an in-place edit, a
# truncation or an entry copied under another key fails the check, and the entry is rebuilt.
_SEAL_MAGIC = b"RLSEAL01"
_SEAL_SIZE = len(_SEAL_MAGIC) + 16
#: Entries kept; older ones are deleted when a new one is written.
KEEP = 8
# The code and data that decide what a valid fact base is: any change to them invalidates
# every entry, so a fixed bug or a new rule never hides behind a stale cache.
_DECIDING = (
    "graph/schema.yaml",
    "graph/jurisdictions.yaml",
    "graph/model.py",
    "graph/dates.py",
    "loaders/validate.py",
    "loaders/checks.py",
    "loaders/yaml_files.py",
    "loaders/locate.py",
    "loaders/cache.py",
    "loaders/fanout.py",
    # what the path index and the analysis base precompute (effective dates)
    "graph/semantics.py",
)


def cache_dir() -> Path:
    """Where entries live (see the module docs for the environment variables)."""
    explicit = os.environ.get("REGULINK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "regulink"


@cache
def fingerprint() -> str:
    """A hash of regulink's version and of the files that decide validity."""
    from regulink import __version__

    h = hashlib.sha256(f"{_FORMAT}:{__version__}".encode())
    # graph/ and loaders/ sit side by side both in the source tree and when installed
    root = Path(__file__).resolve().parent.parent
    for rel in _DECIDING:
        path = root / rel
        h.update(rel.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"missing"))
    return h.hexdigest()


def _digest(path: Path) -> str:
    # xxh3 reads 226 MB of YAML in 0.05 s where sha1 took 0.25 s: a quarter of
    # `regulink path`'s budget at a million relations. It guards against accidents (an edit
    # that keeps the size and time), not against an attacker, who could write the cache
    # folder anyway.
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, xxhash.xxh3_128).hexdigest()


def _seal_key(entry: Path) -> int:
    # the hex key in the entry's name (facts-<key>.<suffix>), as an xxh3 seed
    stem = entry.name.split(".", 1)[0].removeprefix("facts-")
    return int(hashlib.sha256(stem.encode()).hexdigest()[:16], 16)


def _payload_digest(fh, size: int, seed: int) -> bytes:
    h = xxhash.xxh3_128(seed=seed)
    fh.seek(0)
    left = size
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    while left > 0:
        n = fh.readinto(view[: min(left, len(buf))])
        if not n:
            break
        h.update(view[:n])
        left -= n
    return h.digest()


def seal(path: Path, entry: Path) -> None:
    """Append the trailer that :func:`verify` checks to the file at ``path``, which will be
    renamed to ``entry``."""
    with open(path, "r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        digest = _payload_digest(fh, size, _seal_key(entry))
        fh.seek(size)
        fh.write(_SEAL_MAGIC + digest)


def verify(entry: Path) -> bool:
    """Whether ``entry`` holds exactly the payload it was sealed with. An entry that does
    not is removed, with one warning line, so the caller rebuilds it: a damaged cache is
    never read, never trusted and never the cause of a traceback."""
    try:
        with open(entry, "rb") as fh:
            size = fh.seek(0, os.SEEK_END) - _SEAL_SIZE
            if size >= 0:
                fh.seek(size)
                trailer = fh.read(_SEAL_SIZE)
                if (
                    trailer[: len(_SEAL_MAGIC)] == _SEAL_MAGIC
                    and _payload_digest(fh, size, _seal_key(entry)) == trailer[len(_SEAL_MAGIC) :]
                ):
                    return True
    except OSError:
        return False
    discard(entry)
    return False


def discard(entry: Path) -> None:
    """Remove a damaged entry, saying so once."""
    print(
        f"warning: the cache entry {entry} failed its integrity check (damaged or "
        "edited); rebuilding it",
        file=sys.stderr,
    )
    with contextlib.suppress(OSError):
        entry.unlink()


@dataclass(frozen=True, slots=True)
class _Stat:
    name: str  # the file as given: it is what FactBase.files reports
    real: str
    size: int
    mtime_ns: int


def _stats(files: Sequence[Path]) -> list[_Stat] | None:
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            return None
        out.append(_Stat(str(f), str(f.resolve()), st.st_size, st.st_mtime_ns))
    return out


class EntryCache:
    """Entries on disk found by the files they were made from (see the module docs): the
    key, the ownership and content checks, atomic writes and pruning, shared by the fact
    cache and the path indexes (:mod:`regulink.loaders.path_cache`). Subclasses say what an
    entry holds."""

    #: The end of an entry's file name; entries of one kind share the key of the others.
    suffix = ".pickle"
    #: What a failed write may raise, beyond OSError, and is then skipped.
    write_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = Path(directory) if directory is not None else cache_dir()

    def _entry(self, stats: list[_Stat]) -> Path:
        h = hashlib.sha256(fingerprint().encode())
        for s in stats:
            # surrogateescape: a file name that is not UTF-8 is still a name
            h.update(
                f"{s.name}\0{s.real}\0{s.size}\0{s.mtime_ns}\n".encode("utf-8", "surrogateescape")
            )
        return self.dir / f"facts-{h.hexdigest()[:32]}{self.suffix}"

    def stamp(self, files: Sequence[Path]) -> list[_Stat] | None:
        """The files' names, sizes and times now: take it before reading them."""
        return _stats(files)

    def _find(self, files: Sequence[Path]) -> tuple[Path, list[_Stat]] | None:
        """The entry for exactly these files, if it exists and is our own: a file someone
        else could have written into the cache folder is never read."""
        stats = _stats(files)
        if stats is None:
            return None
        entry = self._entry(stats)
        try:
            if entry.stat().st_uid != os.getuid():
                return None
        except OSError:
            return None
        return entry, stats

    @staticmethod
    def _unchanged(digests, stats: list[_Stat]) -> bool:
        """Whether every file still has the content hash recorded in the entry."""
        try:
            return digests == [_digest(Path(s.real)) for s in stats]
        except OSError:
            return False

    def _save(
        self,
        files: Sequence[Path],
        stamp: list[_Stat] | None,
        write: Callable[[Path, list[str]], None],
    ) -> None:
        """``write(path, digests)`` an entry for these files, unless they changed since
        ``stamp``: a file edited while it was being read would otherwise be saved with what
        was read from its old content under its new content's hash. Written whole, then
        renamed, so a reader never sees half an entry; a cache that cannot be written is
        skipped."""
        stats = _stats(files)
        if stats is None or stats != stamp:
            return
        try:
            digests = [_digest(Path(s.real)) for s in stats]
            self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            entry = self._entry(stats)
            fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=self.suffix)
            os.close(fd)
            try:
                write(Path(tmp), digests)
                seal(Path(tmp), entry)
                os.replace(tmp, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self._prune(keep=entry)
        except (OSError, *self.write_errors):  # type: ignore[misc]  # a tuple of exception types
            return

    def _prune(self, keep: Path) -> None:
        entries = sorted(
            self.dir.glob(f"facts-*{self.suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True
        )
        for old in entries[KEEP:]:
            if old != keep:
                with contextlib.suppress(OSError):
                    old.unlink()


class FactCache(EntryCache):
    """Validated fact bases on disk, keyed by the files they were read from."""

    def get(self, files: Sequence[Path]) -> FactBase | None:
        """The cached facts for exactly these files, or ``None``."""
        found = self._find(files)
        if found is None:
            return None
        entry, stats = found
        if not verify(entry):
            return None
        try:
            with open(entry, "rb") as fh, gc_paused():
                digests, facts = pickle.load(fh)  # stops before the trailer
        except OSError:
            return None
        except Exception:
            discard(entry)
            return None
        if not self._unchanged(digests, stats):
            return None
        if not isinstance(facts, FactBase):
            discard(entry)
            return None
        return facts

    def put(self, files: Sequence[Path], facts: FactBase, stamp: list | None) -> None:
        """Store ``facts`` read from these files, unless they changed since ``stamp``."""

        def write(path: Path, digests: list[str]) -> None:
            with open(path, "wb") as fh, gc_paused():
                pickle.dump((digests, facts), fh, protocol=pickle.HIGHEST_PROTOCOL)

        self._save(files, stamp, write)

    def clear(self) -> int:
        """Delete every entry, and the path indexes and draft matchers saved beside them
        (:mod:`regulink.loaders.path_cache`, :mod:`regulink.loaders.draft.gazetteer`); return
        how many fact entries there were."""
        for pattern in ("facts-*.paths.sqlite", "facts-*.draft.sqlite", "facts-*.analysis.npz"):
            for old in self.dir.glob(pattern):
                with contextlib.suppress(OSError):
                    old.unlink()
        n = 0
        for old in self.dir.glob("facts-*.pickle"):
            with contextlib.suppress(OSError):
                old.unlink()
                n += 1
        return n


def default_cache() -> FactCache | None:
    """The cache in :func:`cache_dir`, or ``None`` when ``REGULINK_CACHE`` turns it off."""
    if os.environ.get("REGULINK_CACHE", "1").strip().lower() in ("0", "off", "no", "false"):
        return None
    return FactCache()
