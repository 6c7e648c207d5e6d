"""``regulink load`` of a large fact set on several cores, with no facts moved between them.

Each process validates a chunk of consecutive files (:func:`~regulink.loaders.validate.
first_pass`), describes its facts as graph groups and encodes them for the embedded store's
bulk insert itself; only ids and the encoded calls travel. The exchange, with one helper
process per extra chunk (``python -m regulink.loaders.fanload FILE...``, framed pickles on its
standard input and output):

1. the helper validates its chunk and sends what the checks across chunks need: its entity
   and source ids, the ids its relations name, its relation keys, and its nodes in the order
   they will be sent;
2. this process, having validated its own chunk, checks ids, references and relation keys
   across chunks; on any problem it stops the helpers and the caller validates the whole set
   in one process, which reports every problem (nothing was written);
3. it sends each helper the nodes sent before that helper's (nodes are numbered in the order
   the server receives them), and each side encodes its nodes, then its relationships, and
   adds up the digest of its records; this process sends every node before any relationship.

The graph, its digest and its counts are those of a load of the whole fact base; the
difference is where the work is done. The fact cache is not filled by such a load.
"""

from __future__ import annotations

import array
import contextlib
import itertools
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xxhash

from regulink.graph.model import FactBase
from regulink.loaders.fanout import Fragment, helper_env
from regulink.loaders.store.base import Group, digest_parts, graph_groups
from regulink.loaders.store.bulk import bulk_calls

__all__ = ["Helper", "HelperLost", "Side", "agree", "load_chunks", "numbering"]

ENDS_LABEL = "Entity"
#: Each side validates and encodes its own chunk, so the shares are nearly even; a helper
#: also pickles its encoded calls and this process sends every call to the server.
HELPER_COST = 1.0


class HelperLost(Exception):
    """A helper process ended or answered out of turn: the caller loads the usual way."""


def _send(out: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)
    out.flush()


def _receive(inp: IO[bytes]) -> Any:
    head = inp.read(8)
    if len(head) < 8:
        raise HelperLost("the helper ended")
    size = int.from_bytes(head, "little")
    data = inp.read(size)
    if len(data) < size:
        raise HelperLost("the helper ended mid-answer")
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        raise HelperLost("the helper's answer could not be read") from None


@dataclass
class Side:
    """One chunk's share of a load: its validated facts as graph groups, then encoded."""

    frag: Fragment
    groups: list[Group] = field(default_factory=list)

    @classmethod
    def validate(cls, files: list[Path]) -> Side | None:
        """The chunk's facts, or ``None`` if a record has a problem."""
        from regulink.loaders.validate import first_pass

        frag = first_pass(files)
        if frag is None:
            return None
        return cls(frag, graph_groups(frag.facts))

    def summary(self) -> dict:
        """What the checks across chunks and the numbering of nodes need of this side."""
        facts = self.frag.facts
        return {
            "entities": list(facts.entities),
            "sources": list(facts.sources),
            "entity_refs": self.frag.entity_refs,
            "source_refs": self.frag.source_refs,
            "rel_keys": key_hashes(self.frag.rel_keys),
            "nodes": self.node_ids(),
            "counts": (len(facts.entities), len(facts.relations), len(facts.sources)),
        }

    def node_ids(self) -> list[tuple[bool, list[str]]]:
        """Per node group in sending order: whether relationships end there, and its ids."""
        return [
            (ENDS_LABEL in g.labels, [r[0] for r in g.records]) for g in self.groups if g.labels
        ]

    def node_calls(self, max_bytes: int, max_rows: int | None) -> Iterator[tuple]:
        nodes = [g for g in self.groups if g.labels]
        return bulk_calls(nodes, max_bytes=max_bytes, max_rows=max_rows, ends_label=ENDS_LABEL)

    def relationship_calls(
        self, index: dict[str, int], max_bytes: int, max_rows: int | None
    ) -> Iterator[tuple]:
        rels = [g for g in self.groups if not g.labels]
        return bulk_calls(
            rels, max_bytes=max_bytes, max_rows=max_rows, ends_label=ENDS_LABEL, node_index=index
        )

    def digest_parts(self) -> dict:
        return digest_parts(self.groups)

    def release(self) -> None:
        """Free this side's facts and groups (called while the server saves)."""
        self.groups.clear()
        self.frag.facts = FactBase()
        self.frag.rel_keys = []


def numbering(blocks: list[list[tuple[bool, list[str]]]]) -> dict[str, int]:
    """The number of each entity node when the sides' nodes are sent block after block.

    >>> numbering([[(True, ["a", "b"]), (False, ["s1"])], [(True, ["c"])]])
    {'a': 0, 'b': 1, 'c': 3}
    """
    index: dict[str, int] = {}
    n = 0
    for block in blocks:
        for ends, ids in block:
            if ends:
                index.update(zip(ids, itertools.count(n), strict=False))
            n += len(ids)
    return index


def key_hashes(keys: list[str]) -> array.array:
    """The relation keys as 64-bit hashes, 8 bytes each to send and compare. Two
    keys with one hash (about one chance in 10^7 at a million relations) only send the load
    the usual way, which compares the keys themselves.

    >>> len(key_hashes(["a", "b"])), key_hashes(["a"]) == key_hashes(["a"])
    (2, True)
    """
    return array.array("Q", map(xxhash.xxh3_64_intdigest, map(str.encode, keys)))


def agree(summaries: list[dict]) -> bool:
    """Whether the chunks' facts fit together: no id defined twice, every reference defined
    somewhere, no relation stated twice (in one chunk or across chunks: ``rel_keys`` are
    :func:`key_hashes`)."""
    entities: set[str] = set()
    sources: set[str] = set()
    keys: set[int] = set()
    for s in summaries:
        if not entities.isdisjoint(s["entities"]) or not sources.isdisjoint(s["sources"]):
            return False
        entities.update(s["entities"])
        sources.update(s["sources"])
        before = len(keys)
        keys.update(s["rel_keys"])
        if len(keys) != before + len(s["rel_keys"]):
            return False
    return all(
        entities.issuperset(s["entity_refs"]) and sources.issuperset(s["source_refs"])
        for s in summaries
    )


class Helper:
    """A helper process loading one chunk with this one (see the module's steps)."""

    def __init__(self, files: list[Path], max_rows: int | None):
        env = helper_env()
        rows = "-" if max_rows is None else str(max_rows)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "regulink.loaders.fanload", rows, *map(str, files)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        self.reader: threading.Thread | None = None

    def _io(self) -> tuple[IO[bytes], IO[bytes]]:
        if self.proc.stdin is None or self.proc.stdout is None:
            raise HelperLost("no pipes to the helper")
        return self.proc.stdin, self.proc.stdout

    def summary(self) -> dict | None:
        """Step 1's answer; ``None`` if the chunk has a problem."""
        got = _receive(self._io()[1])
        if got is not None and not isinstance(got, dict):
            raise HelperLost("an unexpected answer")
        return got

    def go(self, index: dict[str, int]) -> None:
        """Step 3: the number of every entity node, so the helper may encode; its answers
        are then read into memory as they come, by a thread (reading releases the
        interpreter's lock), so that the helper never waits on a full pipe."""
        try:
            _send(self._io()[0], index)
        except OSError as exc:
            raise HelperLost(f"the helper ended: {exc}") from None
        self.reader = threading.Thread(target=self._read, name="regulink-fanload", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        inp = self._io()[1]
        try:
            while True:
                got = _receive(inp)
                self.answers.put(got)
                if not isinstance(got, dict) or "digest" in got:
                    return
        except HelperLost as exc:
            self.answers.put(exc)

    def answer(self, *, wait: bool = True) -> dict | None:
        """The helper's next answer: its nodes' calls, then each relationship call, then its
        digest; ``None`` if ``wait`` is false and none has come yet."""
        try:
            got = self.answers.get() if wait else self.answers.get_nowait()
        except queue.Empty:
            return None
        if isinstance(got, HelperLost):
            raise got
        if not isinstance(got, dict):
            raise HelperLost("an unexpected answer")
        return got

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.reader is not None:
            self.reader.join(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                if pipe is not None:
                    pipe.close()


def _main(argv: list[str]) -> int:
    from regulink.loaders.collector import gc_paused
    from regulink.loaders.store.bulk import MAX_CALL_BYTES

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    max_rows = None if argv[0] == "-" else int(argv[0])
    with gc_paused():
        side = Side.validate([Path(a) for a in argv[1:]])
        if side is None:
            _send(out, None)
            return 0
        _send(out, side.summary())
        index = _receive(inp)
        _send(out, {"nodes": list(side.node_calls(MAX_CALL_BYTES, max_rows))})
        for call in side.relationship_calls(index, MAX_CALL_BYTES, max_rows):
            _send(out, {"call": call})
        _send(out, {"digest": side.digest_parts()})
    return 0


if __name__ == "__main__":
    try:
        code = _main(sys.argv[1:])
    except HelperLost:
        code = 1
    # No interpreter teardown: see regulink.loaders.fanout.
    os._exit(code)


def load_chunks(
    chunks: list[list[Path]],
    store,
    *,
    version: str,
    max_rows: int | None = None,
    progress=None,
    lock_timeout: float = 300.0,
) -> dict | None:
    """Load ``chunks`` of fact files into the embedded ``store`` (its ``bulk`` write path),
    the first here and each other in a :class:`Helper`; the meta properties written (counts
    and digest included), or ``None`` (the store untouched) if the facts have a problem or
    do not fit together. Raises :class:`HelperLost` if a helper fails once writing has begun
    (the store then keeps its previous graph)."""
    from regulink.loaders.collector import gc_paused
    from regulink.loaders.forked import Forked
    from regulink.loaders.store.base import add_parts, digest, graph_meta_for

    helpers: list[Helper] = []
    try:
        try:
            helpers = [Helper(c, max_rows) for c in chunks[1:]]
        except OSError:
            return None
        with gc_paused():
            mine = Side.validate(chunks[0])
            if mine is None:
                return None
            summaries = [mine.summary()]
            for h in helpers:
                got = h.summary()
                if got is None:
                    return None
                summaries.append(got)
            if not agree(summaries):
                return None
            index = numbering([s["nodes"] for s in summaries])
            counts = (
                sum(s["counts"][0] for s in summaries),
                sum(s["counts"][1] for s in summaries),
                sum(s["counts"][2] for s in summaries),
            )
            digests: list[dict] = []
            size = store.bulk_bytes
            meta: dict = {}
            # forked before the helpers' reader threads start (a fork needs one thread)
            with Forked(mine.digest_parts) as my_parts:
                for h in helpers:
                    h.go(index)

                def waiting(h: Helper, *, wait: bool) -> Iterator[tuple]:
                    # the helper's relationship calls that have come (all of them if wait)
                    while h in busy:
                        got = h.answer(wait=wait)
                        if got is None:
                            return
                        if "digest" in got:
                            digests.append(got["digest"])
                            busy.remove(h)
                            return
                        yield got["call"]

                def calls() -> Iterator[tuple]:
                    yield from mine.node_calls(size, max_rows)
                    for h in helpers:
                        got = h.answer()
                        if got is None or "nodes" not in got:
                            raise HelperLost("an unexpected answer")
                        yield from got["nodes"]
                    for call in mine.relationship_calls(index, size, max_rows):
                        yield call
                        # a helper's call that is ready goes next: the server stays busy
                        for h in list(busy):
                            yield from waiting(h, wait=False)
                    for h in list(busy):
                        yield from waiting(h, wait=True)

                busy = list(helpers)

                def finished_meta() -> dict:
                    parts = my_parts.result()
                    for d in digests:
                        parts = add_parts(parts, d)
                    meta.update(graph_meta_for(counts, version, digest(parts)))
                    return meta

                store.replace_graph_calls(
                    calls(),
                    sum(counts),
                    finished_meta,
                    progress=progress,
                    lock_timeout=lock_timeout,
                    written=mine.release,
                )
        return meta
    finally:
        for h in helpers:
            h.stop()
