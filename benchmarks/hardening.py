"""The closing counts of the hardening issue (14), measured, not timed.

- bad inputs refused cleanly, out of those tried: malformed or hostile fact files, each run
  through ``regulink validate`` and ``regulink stats``; clean means exit 1, every problem as
  ``FILE:LINE:COL: message``, a summary line, no traceback and no control character;
- kills survived: SIGKILL of a loading regulink, or of its embedded server, mid-load; survived
  means the next command sees a whole graph (the old one or the new one) and the next load
  works;
- read-only bypasses tried on the embedded store, and those that changed the graph;
- output payloads tried, and those that reached the terminal raw (a control character in the
  output of show, find, query, validate);
- corrupted-cache trials (random bit flips and in-place edits of the fact cache and the path
  index), and the wrong answers or tracebacks they gave.

Run ``python benchmarks/hardening.py [--kills 20] [--cache-trials 40]``; it prints one JSON
object and a sentence per count.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import regulink  # noqa: E402
from regulink.cli.main import cli  # noqa: E402
from regulink.loaders.store import FalkorLiteStore  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini"
HEAD = (
    "sources:\n  - {id: s1, kind: news, publisher: P, title: T}\nentities:\n"
    "  - {id: a, kind: regulator, name: A, jurisdiction: SG}\n"
    "  - {id: b, kind: project, name: B, jurisdiction: INT}\n"
)
REL = "relations:\n  - {type: leads, from: a, to: b, sources: [s1]}\n"
_LOCATED = re.compile(r"^.+:\d+:\d+: \S.*$")
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def bad_inputs() -> dict[str, bytes]:
    """Malformed and hostile fact files, by name."""
    big = "x" * 300_000
    bomb = (
        "a: &a ["
        + ",".join(["x"] * 10)
        + "]\n"
        + "".join(
            f"{c}: &{c} [" + ",".join([f"*{p}"] * 10) + "]\n"
            for p, c in zip("abcdefg", "bcdefgh", strict=False)
        )
    )
    cases = {
        "syntax error": HEAD + "relations:\n  - {type: leads, from: a to: b]\n",
        "tab indentation": HEAD.replace("  - {id: b", "\t- {id: b"),
        "duplicate key": HEAD + "relations:\n  - {type: leads, type: leads, from: a, to: b, "
        "sources: [s1]}\n",
        "duplicate section": HEAD + "entities: []\n",
        "not a mapping": "- just\n- a list\n",
        "scalar document": "hello\n",
        "two documents": HEAD + "---\n" + HEAD,
        "unknown section": HEAD + "relation:\n  - {}\n",
        "unknown field": HEAD + "relations:\n  - {type: leads, from: a, to: b, sources: [s1], "
        "colour: red}\n",
        "missing field": HEAD + "relations:\n  - {type: leads, from: a, sources: [s1]}\n",
        "unknown kind": HEAD + "  - {id: c, kind: bank, name: C, jurisdiction: SG}\n",
        "unknown type": HEAD + "relations:\n  - {type: lead, from: a, to: b, sources: [s1]}\n",
        "unknown jurisdiction": HEAD + "  - {id: c, kind: regulator, name: C, jurisdiction: XX}\n",
        "lowercase jurisdiction": HEAD + "  - {id: c, kind: regulator, name: C, "
        "jurisdiction: sg}\n",
        "unknown entity": HEAD + "relations:\n  - {type: leads, from: a, to: z, sources: [s1]}\n",
        "unknown source": HEAD + "relations:\n  - {type: leads, from: a, to: b, sources: [s9]}\n",
        "no sources": HEAD + "relations:\n  - {type: leads, from: a, to: b, sources: []}\n",
        "sources as text": HEAD + "relations:\n  - {type: leads, from: a, to: b, sources: s1}\n",
        "nested sources list": HEAD + "relations:\n  - {type: leads, from: a, to: b, "
        "sources: [[s1]]}\n",
        "nested sources map": HEAD + "relations:\n  - {type: leads, from: a, to: b, "
        "sources: [{id: s1}]}\n",
        "duplicate entity": HEAD + "  - {id: a, kind: regulator, name: A2, jurisdiction: SG}\n",
        "duplicate relation": HEAD + REL + "  - {type: leads, from: a, to: b, sources: [s1]}\n",
        "self link": HEAD + "relations:\n  - {type: partners_with, from: a, to: a, "
        "sources: [s1]}\n",
        "end before start": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 2023, "
        "end: 2020, sources: [s1]}\n",
        "end before start, no sources": HEAD + "relations:\n  - {type: leads, from: a, to: b, "
        "start: 2023, end: 2020}\n",
        "bad month": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 2023-13, "
        "sources: [s1]}\n",
        "bad day": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 2023-02-30, "
        "sources: [s1]}\n",
        "date with newline": HEAD + "relations:\n  - {type: leads, from: a, to: b, "
        'start: "2023-05-01\\n", sources: [s1]}\n',
        "hex date": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 0x7E7, "
        "sources: [s1]}\n",
        "octal date": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 0o3747, "
        "sources: [s1]}\n",
        "signed date": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: +2023, "
        "sources: [s1]}\n",
        "float date": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 2023.5, "
        "sources: [s1]}\n",
        "boolean date": HEAD + "relations:\n  - {type: leads, from: a, to: b, start: true, "
        "sources: [s1]}\n",
        "id with newline": HEAD + '  - {id: "c\\n", kind: regulator, name: C, jurisdiction: SG}\n',
        "id with double hyphen": HEAD + "  - {id: a--b, kind: regulator, name: C, "
        "jurisdiction: SG}\n",
        "uppercase id": HEAD + "  - {id: C, kind: regulator, name: C, jurisdiction: SG}\n",
        "numeric name": HEAD + "  - {id: c, kind: regulator, name: 42, jurisdiction: SG}\n",
        "empty name": HEAD + '  - {id: c, kind: regulator, name: " ", jurisdiction: SG}\n',
        "ESC in name": HEAD + '  - {id: c, kind: regulator, name: "C\\e]0;owned\\a", '
        "jurisdiction: SG}\n",
        "CSI in note": HEAD + "relations:\n  - {type: leads, from: a, to: b, sources: [s1], "
        'note: "x\\u009b2J"}\n',
        "bidi override in alias": HEAD + "  - {id: c, kind: regulator, name: C, "
        'aliases: ["\\u202eevil"], jurisdiction: SG}\n',
        "bad URL": HEAD + "  - {id: c, kind: regulator, name: C, jurisdiction: SG, url: ftp://x}\n",
        "python tag": HEAD + "  - {id: c, kind: regulator, name: !!python/object:os.system "
        "ls, jurisdiction: SG}\n",
        "custom tag": HEAD + "  - {id: c, kind: regulator, name: !x C, jurisdiction: SG}\n",
        "alias bomb": bomb,
        "string amplification": HEAD + f"  - {{id: c, kind: regulator, name: &s {big}, "
        "jurisdiction: SG}\n"
        + "".join(
            f"  - {{id: c{i}, kind: regulator, name: *s, jurisdiction: SG}}\n" for i in range(20)
        ),
        "unknown alias": HEAD + "  - {id: c, kind: regulator, name: *nope, jurisdiction: SG}\n",
        "mixed key types": HEAD + "x:\n  1: a\n  true: b\n",
        "complex key": HEAD + "? [a, b]\n: c\n",
        "scalar anchor plus error": HEAD + "  - {id: c, kind: regulator, name: &n C, "
        "short_name: *n, jurisdiction: XX}\n",
    }
    out = {k: v.encode() for k, v in cases.items()}
    out["invalid UTF-8"] = (
        HEAD.encode() + b"  - {id: c, kind: regulator, name: caf\xe9, jurisdiction: SG}\n"
    )
    out["NUL byte"] = (
        HEAD.encode() + b"  - {id: c, kind: regulator, name: a\x00b, jurisdiction: SG}\n"
    )
    out["UTF-16"] = HEAD.encode("utf-16")
    return out


def _clean(r, nfiles: int) -> bool:
    lines = r.stderr.splitlines()
    return (
        r.exit_code == 1
        and len(lines) >= 2
        and "Traceback" not in r.output
        and not _RAW.search(r.output)
        and all(_LOCATED.match(x) for x in lines[:-1])
        and re.fullmatch(rf"Error: \d+ problems? in \d+ of {nfiles} files?", lines[-1])
    )


def count_bad_inputs(work: Path) -> dict:
    tried = refused = 0
    failures = []
    for name, data in bad_inputs().items():
        d = work / "bad" / re.sub(r"\W+", "-", name)
        d.mkdir(parents=True)
        (d / "facts.yaml").write_bytes(data)
        for args in (["validate", str(d)], ["--seeds", str(d), "stats"]):
            tried += 1
            r = CliRunner().invoke(cli, args)
            if _clean(r, 1):
                refused += 1
            else:
                failures.append(f"{name} ({args[-1] if args[0] != 'validate' else 'validate'})")
    for name, setup in _odd_files(work).items():  # files that cannot be read as facts
        tried += 1
        r = CliRunner().invoke(cli, ["validate", str(setup)])
        if _clean(r, 1) or (
            r.exit_code == 1
            and "Traceback" not in r.output
            and _LOCATED.match(r.stderr.splitlines()[0])
        ):
            refused += 1
        else:
            failures.append(name)
    return {"tried": tried, "refused_cleanly": refused, "failures": failures}


def _odd_files(work: Path) -> dict[str, Path]:
    out = {}
    d = work / "odd-fifo"
    d.mkdir()
    (d / "ok.yaml").write_text(HEAD)
    os.mkfifo(d / "pipe.yaml")
    out["FIFO"] = d
    d = work / "odd-link"
    d.mkdir()
    (d / "ok.yaml").write_text(HEAD)
    (d / "gone.yaml").symlink_to(d / "nowhere.yaml")
    out["dangling symlink"] = d
    d = work / "odd-name"
    d.mkdir()
    (d / os.fsdecode(b"caf\xe9.yaml")).write_text(
        HEAD + "  - {id: X, kind: regulator, name: X, jurisdiction: SG}\n"
    )
    out["non-UTF-8 file name"] = d
    return out


def count_kills(work: Path, n: int) -> dict:
    """SIGKILL a loader mid-load (odd trials) or its server (even trials)."""
    from tests.test_store_embedded import _spawn_loader, _wait_for_staging
    from tests.test_store_support import dump_graph

    facts = regulink.load_facts([MINI])
    survived = 0
    for i in range(n):
        path = work / f"kill-{i}.db"
        store = FalkorLiteStore(path)
        try:
            regulink.load(facts, store)
            before = dump_graph(store)
            proc = _spawn_loader(path, tag=f"k{i}")
            try:
                _wait_for_staging(store, proc)
                os.kill(store.server_pid if i % 2 == 0 else proc.pid, signal.SIGKILL)
                proc.communicate(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            store.close()
            with FalkorLiteStore(path) as again:
                whole = dump_graph(again) == before
                regulink.load(facts, again)
                survived += whole and dump_graph(again) == before
        except Exception as exc:
            print(f"kill {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            store.close()
    return {"kills": n, "survived": survived}


BYPASSES = [
    "CREATE (:X)",
    "MERGE (:X {id: 'x'})",
    "MATCH (n:Entity) SET n.name = 'x'",
    "MATCH (n:Entity) DETACH DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "MATCH (n:Entity) REMOVE n.name",
    "MATCH (n:Entity) SET n:Other",
    "UNWIND [1] AS i CREATE (:X {i: i})",
    "FOREACH (i IN [1] | CREATE (:X))",
    "CALL { CREATE (:X) } RETURN 1",
    "MATCH (n) WITH n LIMIT 1 CREATE (:X)",
    "CALL db.idx.fulltext.createNodeIndex('Entity', 'name')",
    "CALL db.idx.fulltext.drop('Entity')",
    "CREATE INDEX FOR (n:Entity) ON (n.kind)",
    "DROP INDEX ON :Entity(id)",
    "LOAD CSV FROM 'file:///etc/passwd' AS r CREATE (:X {r: r})",
    "/* comment */ CREATE (:X)",
    "// comment\nCREATE (:X)",
    "create (:X)",
    "RETURN 1; CREATE (:X)",
    "MATCH (n) RETURN n UNION CREATE (:X) RETURN 1",
    "CALL db.labels() YIELD label CREATE (:X {l: label})",
    "MERGE (a:Entity {id: 'mas'}) ON MATCH SET a.x = 1",
    "CREATE (:X)-[:Y]->(:Z)",
    "MATCH (a:Entity),(b:Entity) WITH a,b LIMIT 1 CREATE (a)-[:X]->(b)",
]


def count_bypasses(work: Path) -> dict:
    from tests.test_store_support import dump_graph

    path = work / "ro.db"
    facts = regulink.load_facts([MINI])
    succeeded = []
    with FalkorLiteStore(path) as store:
        regulink.load(facts, store)
        before = dump_graph(store)
        meta = store.meta()
        for q in BYPASSES:
            with contextlib.suppress(regulink.RegulinkError):
                store.run(q)
            if dump_graph(store) != before or store.meta() != meta:
                succeeded.append(q)
                regulink.load(facts, store)
    return {"tried": len(BYPASSES), "succeeded": len(succeeded), "which": succeeded}


PAYLOADS = [
    "\x1b]0;owned\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\x1bP+q\x1b\\",
    "\r\x1b[K",
    "\u202eevil",
    "\x07",
    "[/]",
    "[bold red]styled[/bold red]",
    "[link=file:///]x",
]


def count_payloads(work: Path) -> dict:
    """Each payload as data in the store (query) and as the user's text (show, find,
    validate of a file so named): executed means a raw control character reached the output,
    or rich markup was interpreted (the literal text missing from the output)."""
    path = work / "payloads.db"
    runner = CliRunner()
    runner.invoke(cli, ["--seeds", str(MINI), "load", "--db", str(path)])
    tried = executed = 0
    for p in PAYLOADS:
        runner.invoke(
            cli,
            [
                "--seeds",
                str(MINI),
                "query",
                "--db",
                str(path),
                "--write",
                "CREATE (:P {v: $v})",
                "--param",
                "v=" + json.dumps(p),
            ],
        )
        runs = [
            runner.invoke(
                cli,
                [
                    "--seeds",
                    str(MINI),
                    "query",
                    "--db",
                    str(path),
                    "MATCH (x:P {v: $v}) RETURN x.v AS v",
                    "--param",
                    "v=" + json.dumps(p),
                ],
            ),
            runner.invoke(
                cli,
                [
                    "--seeds",
                    str(MINI),
                    "query",
                    "--db",
                    str(path),
                    "--json",
                    "MATCH (x:P {v: $v}) RETURN x.v AS v",
                    "--param",
                    "v=" + json.dumps(p),
                ],
            ),
            runner.invoke(cli, ["--seeds", str(MINI), "show", "zz" + p]),
            runner.invoke(cli, ["--seeds", str(MINI), "find", "zz" + p]),
        ]
        f = work / f"payload-{tried}{p}.yaml".replace("/", "_")
        f.write_text("entities: [{id: X}]\n")
        runs.append(runner.invoke(cli, ["validate", str(f)]))
        for r in runs:
            tried += 1
            if (
                _RAW.search(r.output)
                or "Traceback" in r.output
                or (
                    p.startswith("[")
                    and r is runs[0]
                    and p.replace(" ", "")
                    not in r.stdout.replace(" ", "").replace("│", "").replace("\n", "")
                )
            ):
                executed += 1
    return {"tried": tried, "executed": executed}


def count_cache_trials(work: Path, n: int) -> dict:
    seeds = work / "cache-seeds"
    shutil.copytree(MINI, seeds)
    os.environ["REGULINK_CACHE_DIR"] = str(work / "cache")
    commands = [
        ["show", "alpha-ma"],
        ["path", "alpha-ma", "omega-settlements"],
        ["path", "gamma-fma", "delta-bank", "--json"],
        ["find", "Alpha"],
    ]

    def answers():
        return [CliRunner().invoke(cli, ["--seeds", str(seeds), *c]) for c in commands]

    want = [r.stdout for r in answers()]
    rng = random.Random(14)
    wrong = tracebacks = 0
    for i in range(n):
        entries = sorted((work / "cache").glob("facts-*"))
        entry = rng.choice(entries)
        data = bytearray(entry.read_bytes())
        if i % 2:
            for _ in range(rng.choice((1, 2, 8))):
                k = rng.randrange(len(data))
                data[k] ^= 1 << rng.randrange(8)
        else:  # an in-place edit: a run of bytes overwritten, same length
            k = rng.randrange(len(data))
            data[k : k + 8] = rng.randbytes(len(data[k : k + 8]))
        entry.write_bytes(bytes(data))
        got = answers()
        wrong += sum(r.stdout != w for r, w in zip(got, want, strict=False))
        tracebacks += sum(
            "Traceback" in r.output
            or (r.exception is not None and not isinstance(r.exception, SystemExit))
            for r in got
        )
    return {
        "trials": n,
        "answers_checked": n * len(commands),
        "wrong": wrong,
        "tracebacks": tracebacks,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--cache-trials", type=int, default=40)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    work = Path(tempfile.mkdtemp(prefix="regulink-hardening-"))
    try:
        res = {
            "bad_inputs": count_bad_inputs(work),
            "payloads": count_payloads(work),
            "bypasses": count_bypasses(work),
            "cache": count_cache_trials(work, args.cache_trials),
            "kills": count_kills(work, args.kills),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res, indent=2))
    b, p, y, c, k = (res[x] for x in ("bad_inputs", "payloads", "bypasses", "cache", "kills"))
    print(
        f"{b['refused_cleanly']} of {b['tried']} bad inputs refused cleanly; "
        f"{k['survived']} of {k['kills']} kills survived; {y['succeeded']} of {y['tried']} "
        f"read-only bypasses (embedded) succeeded; {p['executed']} of {p['tried']} payloads "
        f"executed; {c['wrong']} wrong answers and {c['tracebacks']} tracebacks in "
        f"{c['trials']} corrupted-cache trials ({c['answers_checked']} answers checked)"
    )
    return 0


if __name__ == "__main__":
    time.sleep(0)
    raise SystemExit(main())
