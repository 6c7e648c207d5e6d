"""Saved analysis bases: ``regulink analyze`` at a million relations without reading the facts.

An :class:`~regulink.graph.analysis_base.AnalysisBase` of a validated fact set is written
beside the fact cache's entry for the same files (same key, content check and sealed hash:
see :mod:`regulink.loaders.cache`) as one uncompressed ``.npz`` file of plain arrays (no
pickled objects: it is read with ``allow_pickle=False``). It records the code that made it;
an entry from other code, or one that fails any check, is rebuilt, never trusted.
``REGULINK_CACHE=0`` turns it off with the fact cache.

Examples
--------
>>> import tempfile, pathlib
>>> from regulink.graph.analysis_base import AnalysisBase
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> f = d / "facts.yaml"
>>> _ = f.write_text("entities: []\\n")
>>> fb = FactBase(entities={"a": Entity("a", "regulator", "A", None, (), "SG"),
...                         "b": Entity("b", "project", "B", None, (), "SG")},
...               relations=[Relation("leads", "a", "b", "2020", None, None, None, ("s",))])
>>> cache = AnalysisCache(d / "cache")
>>> cache.put([f], AnalysisBase.from_facts(fb), cache.stamp([f]))
>>> cache.get([f]).graph().ids
['a', 'b']
>>> _ = f.write_text("entities: [ ]\\n")   # changed: the entry no longer applies
>>> cache.get([f]) is None
True
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from regulink.graph.analysis_base import AnalysisBase
from regulink.loaders.cache import EntryCache, default_cache, verify

__all__ = ["AnalysisCache", "default_analysis_cache"]

_FORMAT = 1


@cache
def _code() -> str:
    """A hash of the code that turns facts into an analysis base: any change to it makes
    every saved base stale."""
    h = hashlib.sha256(str(_FORMAT).encode())
    pkg = resources.files("regulink.graph")
    for name in ("analysis_base.py", "compact.py", "semantics.py"):
        h.update((pkg / name).read_bytes())
    return h.hexdigest()


class AnalysisCache(EntryCache):
    """Analysis bases on disk, found and checked like the fact cache's entries."""

    suffix = ".analysis.npz"
    write_errors = (ValueError,)

    def get(self, files: Sequence[Path]) -> AnalysisBase | None:
        """The saved base for exactly these files, unchanged since, or ``None``."""
        found = self._find(files)
        if found is None:
            return None
        entry, stats = found
        if not verify(entry):  # the whole file's sealed hash, before any of it is read
            return None
        try:
            with np.load(entry, allow_pickle=False) as npz:
                meta = orjson.loads(bytes(npz["meta"]))
                if meta.get("code") != _code() or not self._unchanged(meta["digests"], stats):
                    return None
                return AnalysisBase.from_arrays(npz)
        except (
            OSError,
            KeyError,
            ValueError,
            TypeError,
            zipfile.BadZipFile,
            orjson.JSONDecodeError,
        ):
            return None  # unreadable or from other code: rebuild it

    def put(self, files: Sequence[Path], base: AnalysisBase, stamp: list | None) -> None:
        """Save ``base`` made from these files, unless they changed since ``stamp``."""

        def write(path: Path, digests: list[str]) -> None:
            meta = np.frombuffer(orjson.dumps({"code": _code(), "digests": digests}), np.uint8)
            # typed loosely: numpy's stub cannot tell these names from savez's own keywords
            arrays: dict[str, Any] = {"meta": meta, **base.to_arrays()}
            with open(path, "wb") as fh:
                np.savez(fh, **arrays)

        self._save(files, stamp, write)


def default_analysis_cache() -> AnalysisCache | None:
    """The analysis cache beside the fact cache, or ``None`` when ``REGULINK_CACHE`` turns
    the caches off."""
    return None if default_cache() is None else AnalysisCache()
