"""The benchmark suite: per size, every stage measured in its own process, in one run.

    python benchmarks/run.py                         # 1k, 10k, 100k (about ten minutes)
    python benchmarks/run.py --sizes 1m              # the million-relation set (long)
    python benchmarks/run.py --sizes 1k --quick      # a smoke run (seconds; what CI runs)

Fact sets are generated once into ``--data`` (default ``/tmp/regulink-bench``) and reused
while the generator and seed are unchanged. Each stage runs in a fresh child process so its
peak memory (``ru_maxrss`` of that child alone) and time are its own:

- ``parse floor``: read, decode and parse every file with yaml-rs alone, the fastest YAML
  parser we found that gives Python data (garbage collector paused, as the loader does);
- ``validate``: :func:`regulink.loaders.validate.check` in process, and ``regulink validate``
  end to end (CLI wall time, interpreter start included);
- ``load``: parse + validate + build the networkx graph, in process;
- ``cache``: ``load_facts`` filling the fact-base cache, then reading it back;
- ``naive``: the loader a user would write (PyYAML ``safe_load`` + one ``MERGE`` per fact
  through the driver, into embedded FalkorDB Lite), stopped after ``--naive-budget`` seconds;
- ``path``: ``regulink path`` CLI wall time over random pairs (p50, p95), after one call that
  fills the cache;
- ``analyze`` and the store and render commands, when this regulink has them.

Results are printed as a Markdown table and appended as JSON lines to ``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SIZES, generate  # noqa: E402  (a script beside this one)
from igraph_stage import analyze_parts, analyze_vs_igraph, compare_table  # noqa: E402
from load_stage import load_vs_floor  # noqa: E402

sys.path.insert(0, str(HERE.parent / "tests"))

from neo4j_server import start_local, stop_local, wipe  # noqa: E402  (shared with the tests)

__all__ = ["main", "measure", "run_size"]

PY = sys.executable
# the CLI installed beside this interpreter (the project's .venv)
REGULINK = [str(Path(PY).parent / "regulink")]


# -- child stages (run as `run.py --child STAGE DIR`) -------------------------------------------
def _files(d: str) -> list[Path]:
    return sorted(p for p in Path(d).rglob("*") if p.suffix in (".yaml", ".yml"))


def _child(stage: str, d: str, arg: str | None) -> dict:
    import gc

    # Wall time and CPU time of this process: on a shared machine CPU time is the steadier.
    if stage == "floor":
        import yaml_rs

        files = _files(d)
        t, c = time.perf_counter(), time.process_time()
        gc.disable()
        docs = [yaml_rs.loads(f.read_bytes().decode("utf-8"), parse_datetime=False) for f in files]
        return {
            "seconds": time.perf_counter() - t,
            "cpu": time.process_time() - c,
            "files": len(docs),
        }
    if stage == "validate":
        from regulink.loaders.validate import check

        t, c = time.perf_counter(), time.process_time()
        facts, problems = check([d])
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        assert not problems, problems[:3]
        return {"seconds": wall, "cpu": cpu, "relations": len(facts.relations)}
    if stage == "load":
        from regulink.graph.build import to_networkx
        from regulink.loaders.validate import load_facts

        t, c = time.perf_counter(), time.process_time()
        facts = load_facts([d], cache=False)
        t1, c1 = time.perf_counter(), time.process_time()
        G = to_networkx(facts)
        t2, c2 = time.perf_counter(), time.process_time()
        return {
            "seconds": t2 - t,
            "cpu": c2 - c,
            "validate": t1 - t,
            "validate_cpu": c1 - c,
            "build": t2 - t1,
            "build_cpu": c2 - c1,
            "edges": G.number_of_edges(),
        }
    if stage == "cache":
        from regulink.loaders.cache import FactCache
        from regulink.loaders.validate import load_facts

        cache_dir = os.environ["REGULINK_CACHE_DIR"]
        FactCache(cache_dir).clear()
        t, c = time.perf_counter(), time.process_time()
        load_facts([d])
        t1, c1 = time.perf_counter(), time.process_time()
        load_facts([d])
        t2, c2 = time.perf_counter(), time.process_time()
        return {"fill": t1 - t, "fill_cpu": c1 - c, "seconds": t2 - t1, "cpu": c2 - c1}
    if stage == "naive":
        return _naive(d, float(arg or 300))
    if stage == "fill":  # the fact cache and the analysis base saved beside it
        from regulink import api
        from regulink.loaders.validate import load_facts

        t = time.perf_counter()
        facts = load_facts([d])
        t1 = time.perf_counter()
        api.analysis_base([d], facts=facts)
        return {
            "relations": len(facts.relations),
            "facts": t1 - t,
            "analysis_base": time.perf_counter() - t1,
        }
    if stage == "analyze_parts":
        return analyze_parts(d)
    raise SystemExit(f"unknown stage {stage}")


def _naive(d: str, budget: float) -> dict:
    """PyYAML safe_load and one MERGE per fact, as a user's first script would do it."""
    import yaml
    from redislite.falkordb_client import FalkorDB

    tmp = tempfile.mkdtemp(prefix="regulink-naive-")
    db = FalkorDB(os.path.join(tmp, "naive.db"))
    g = db.select_graph("naive")
    t = time.perf_counter()
    done = 0
    try:
        docs = [yaml.safe_load(f.read_text("utf-8")) or {} for f in _files(d)]
        facts = sum(
            len(doc.get(k) or ()) for doc in docs for k in ("entities", "sources", "relations")
        )
        queries = []
        for doc in docs:
            for e in doc.get("entities") or ():
                queries.append(
                    (
                        "MERGE (n:Entity {id: $id}) SET n.kind = $kind, "
                        "n.name = $name, n.jurisdiction = $j",
                        {
                            "id": e["id"],
                            "kind": e["kind"],
                            "name": e["name"],
                            "j": e["jurisdiction"],
                        },
                    )
                )
            for s in doc.get("sources") or ():
                queries.append(
                    (
                        "MERGE (s:Source {id: $id}) SET s.title = $title",
                        {"id": s["id"], "title": s["title"]},
                    )
                )
        for doc in docs:
            for r in doc.get("relations") or ():
                queries.append(
                    (
                        "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) "
                        "MERGE (a)-[r:REL {type: $type, start: $start}]->(b) "
                        "SET r.sources = $sources",
                        {
                            "a": r["from"],
                            "b": r["to"],
                            "type": r["type"],
                            "start": str(r.get("start") or ""),
                            "sources": r["sources"],
                        },
                    )
                )
        parsed = time.perf_counter()
        for q, params in queries:
            g.query(q, params)
            done += 1
            if done % 200 == 0 and time.perf_counter() - t > budget:
                break
    finally:
        wall = time.perf_counter() - t
        db.close()
        shutil.rmtree(tmp, ignore_errors=True)
    finished = done == facts
    parse = parsed - t
    rate = done / (wall - parse) if wall > parse else 0.0
    # Stopped early: parse time plus the rest at the rate so far is a lower bound on the full
    # time (relations come last, and MATCH without an index slows down as the graph grows).
    return {
        "seconds": wall if finished else None,
        "parse": parse,
        "done": done,
        "facts": facts,
        "rate": rate,
        "finished": finished,
        "estimate": wall if finished else (parse + facts / rate if rate else None),
    }


# -- the parent: run children, time them, collect a table --------------------------------------
def measure(
    cmd: list[str],
    *,
    env: dict | None = None,
    timeout: float | None = None,
    stdout=subprocess.DEVNULL,
) -> dict:
    """Run ``cmd``; its wall and CPU time, peak RSS (MiB) and exit code."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    deadline = None if timeout is None else t + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {
                "wall": None,
                "timeout": timeout,
                "rss_mb": usage.ru_maxrss / 1024,
                "cpu": usage.ru_utime + usage.ru_stime,
            }
        time.sleep(0.005)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    # CPU time of the child and the children it waited for (an embedded server, say): on a
    # shared machine the steadier measure.
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rc": proc.returncode,
        "rss_mb": usage.ru_maxrss / 1024,
        "stdout": out,
        "stderr": err.decode("utf-8", "replace")[-2000:],
    }


def _stage(
    stage: str, d: Path, env: dict, arg: str | None = None, timeout: float | None = None
) -> dict:
    cmd = [PY, str(Path(__file__).resolve()), "--child", stage, str(d)]
    if arg is not None:
        cmd += ["--arg", arg]
    m = measure(cmd, env=env, timeout=timeout, stdout=subprocess.PIPE)
    if m.get("wall") is None:
        return {"timeout": timeout, "rss_mb": m["rss_mb"]}
    if m["rc"] != 0:
        raise RuntimeError(f"stage {stage} failed:\n{m['stderr']}")
    res = json.loads(m["stdout"].decode().strip().splitlines()[-1])
    res["rss_mb"] = m["rss_mb"]
    res["process_wall"] = m["wall"]
    return res


def _neo4j_load(base: list[str], env: dict, timeout: float) -> dict:
    """``regulink load`` into the checkout's local Neo4j 5 (``./setup.sh neo4j start``), its
    graph emptied first; the server is stopped afterwards if this started it. Its heap is
    ``REGULINK_NEO4J_HEAP`` (setup.sh's default if unset), recorded with the result."""
    server, started = start_local()
    try:
        with server.store() as store:
            wipe(store)
        m = measure(
            [*base, "load", "--json"],
            env={**env, **server.env()},
            timeout=timeout,
            stdout=subprocess.PIPE,
        )
    finally:
        if started:
            stop_local()
    return {
        **_load_result(m),
        "heap": os.environ.get("REGULINK_NEO4J_HEAP", "1g"),
        "started": started,
    }


def _load_result(m: dict) -> dict:
    out = {
        "wall": m.get("wall"),
        "cpu": m.get("cpu"),
        "rss_mb": m["rss_mb"],
        "timeout": m.get("timeout"),
    }
    if m.get("wall") is not None and m["rc"] == 0:
        with contextlib.suppress(ValueError):
            out["reported"] = json.loads(m["stdout"])
    elif m.get("wall") is not None:
        out["error"] = m["stderr"].strip().splitlines()[-1] if m["stderr"].strip() else m["rc"]
    return out


def _one_file(d: Path, out: Path, *, late_error: bool = False) -> Path:
    """The whole fact set of ``d`` as one file (issue 14's case), optionally with one unknown
    entity in its last relation."""
    sections: dict[str, list[str]] = {}
    for f in _files(str(d)):
        current = None
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line[:1] not in ("", " ", "#", "-"):
                current = sections.setdefault(line.split(":", 1)[0], [])
            elif current is not None and line.strip():
                current.append(line)
    rels = sections.get("relations", [])
    if late_error and rels:
        rels[-1] = rels[-1].replace("to: ", "to: no-such-entity-", 1)
    with open(out, "w", encoding="utf-8") as fh:
        for name, lines in sections.items():
            fh.write(f"{name}:\n")
            fh.write("\n".join(lines) + "\n")
    return out


def _validate_bounds(d: Path, work: Path, env: dict, timeout: float) -> dict:
    """Peak memory of `regulink validate` on the set as one file, as a multiple of its size,
    and the time to report one error at its end against the time to accept it."""
    one = _one_file(d, work / "one.yaml")
    late = _one_file(d, work / "late.yaml", late_error=True)
    mb = one.stat().st_size / 1e6
    ok = measure([*REGULINK, "validate", str(one)], env=env, timeout=timeout)
    bad = measure([*REGULINK, "validate", str(late)], env=env, timeout=timeout)
    return {
        "file_mb": round(mb, 1),
        "wall": ok.get("wall"),
        "rss_mb": ok["rss_mb"],
        "rss_x": round(ok["rss_mb"] * 1.048576 / mb, 1) if mb else None,
        "late_error_wall": bad.get("wall"),
        "late_error_rc": bad.get("rc"),
        "late_error_rss_mb": bad["rss_mb"],
    }


def _has_command(name: str) -> bool:
    m = measure([*REGULINK, name, "--help"])
    return m["rc"] == 0


def _pairs(d: Path, n: int, seed: int) -> list[tuple[str, str]]:
    from regulink.loaders.validate import load_facts

    facts = load_facts([d])
    linked = sorted({r.from_ for r in facts.relations} | {r.to for r in facts.relations})
    rng = random.Random(seed)
    return [tuple(rng.sample(linked, 2)) for _ in range(n)]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


STAGES = (
    "floor",
    "loadx",
    "validate",
    "load",
    "cache",
    "store",
    "neo4j",
    "naive",
    "igraph",
    "path",
    "analyze",
    "render",
)


def run_size(
    name: str,
    n: int,
    data: Path,
    *,
    quick: bool,
    pairs: int,
    naive_budget: float,
    cli_timeout: float,
    seed: int = 0,
    only: frozenset = frozenset(STAGES),
    rounds: int = 3,
    louvain: bool = False,
) -> dict:
    d = data / name
    stamp = d / ".generated"
    gen_id = f"{n}:{seed}:{(HERE / 'generate.py').stat().st_mtime_ns}"
    if not stamp.exists() or stamp.read_text() != gen_id:
        t = time.perf_counter()
        g = generate(d, relations=n, seed=seed)
        stamp.write_text(gen_id)
        print(
            f"[{name}] generated {g.files} files, {g.bytes / 1e6:.1f} MB in "
            f"{time.perf_counter() - t:.1f} s",
            flush=True,
        )
    size_mb = sum(f.stat().st_size for f in _files(str(d))) / 1e6
    cache_dir = tempfile.mkdtemp(prefix="regulink-bench-cache-")
    env = {**os.environ, "REGULINK_CACHE_DIR": cache_dir, "PYTHONHASHSEED": "0"}
    res: dict = {"size": name, "relations": n, "mb": round(size_mb, 1)}

    def note(key: str, value) -> None:
        res[key] = value
        print(f"[{name}] {key}: {value}", flush=True)

    base = [*REGULINK, "--seeds", str(d)]
    work = Path(cache_dir)
    try:
        if "floor" in only:
            note("floor", _stage("floor", d, env))
        if "validate" in only:
            note("validate", _stage("validate", d, env))
            m = measure([*REGULINK, "validate", str(d)], env=env, timeout=cli_timeout)
            note("validate_cli", {"wall": m["wall"], "cpu": m["cpu"], "rss_mb": m["rss_mb"]})
            note("validate_bounds", _validate_bounds(d, Path(cache_dir), env, cli_timeout))
        if "load" in only:
            note("load", _stage("load", d, env))
        if "cache" in only:
            note("cache", _stage("cache", d, env))
        # the store loads run without the fact cache: parse + validate + store, end to end
        nocache = {**env, "REGULINK_CACHE": "0"}
        if "store" in only and not quick and _has_command("load"):
            m = measure(
                [*base, "load", "--db", str(work / "bench.db"), "--json"],
                env=nocache,
                timeout=cli_timeout,
                stdout=subprocess.PIPE,
            )
            note("store", _load_result(m))
        if "loadx" in only and not quick:
            note(
                "loadx",
                load_vs_floor(
                    d,
                    env,
                    run=measure,
                    stage=_stage,
                    regulink=REGULINK,
                    rounds=rounds,
                    timeout=cli_timeout,
                ),
            )
        if "neo4j" in only and not quick and _has_command("load"):
            note("neo4j", _neo4j_load(base, nocache, cli_timeout))
        if "naive" in only and naive_budget > 0:
            note(
                "naive",
                _stage("naive", d, env, arg=str(naive_budget), timeout=naive_budget * 3 + 120),
            )
        if "igraph" in only and not quick:
            note(
                "igraph",
                analyze_vs_igraph(
                    d,
                    env,
                    work,
                    run=measure,
                    stage=_stage,
                    regulink=REGULINK,
                    rounds=rounds,
                    timeout=cli_timeout,
                    louvain=louvain,
                ),
            )
        if "path" not in only:
            return res
        # path: one call on an empty cache fills it, then the timed pairs read it
        os.environ["REGULINK_CACHE_DIR"] = cache_dir
        pp = _pairs(d, pairs, seed)
        from regulink.loaders.cache import FactCache

        FactCache(cache_dir).clear()
        base = [*REGULINK, "--seeds", str(d)]
        first = measure([*base, "path", *pp[0]], env=env, timeout=cli_timeout)
        walls, cpus, rss, codes = [], [], 0.0, set()
        for a, b in pp:
            m = measure([*base, "path", a, b], env=env, timeout=cli_timeout)
            if m.get("wall") is None:
                walls = []
                break
            walls.append(m["wall"])
            cpus.append(m["cpu"])
            rss = max(rss, m["rss_mb"])
            codes.add(m["rc"])
        note(
            "path",
            {
                "first": first.get("wall"),
                "first_cpu": first.get("cpu"),
                "p50": _pct(walls, 0.5) if walls else None,
                "p95": _pct(walls, 0.95) if walls else None,
                "cpu_p50": _pct(cpus, 0.5) if cpus else None,
                "cpu_p95": _pct(cpus, 0.95) if cpus else None,
                "pairs": len(walls),
                "rss_mb": rss,
                "exit_codes": sorted(codes),
            },
        )
        if "analyze" in only and not quick:
            m = measure([*base, "analyze", "--json"], env=env, timeout=cli_timeout)
            note(
                "analyze",
                {
                    "wall": m.get("wall"),
                    "cpu": m.get("cpu"),
                    "rss_mb": m["rss_mb"],
                    "timeout": m.get("timeout"),
                },
            )
        if "render" in only and not quick and _has_command("render"):
            page = work / "bench.html"
            m = measure([*base, "render", "-o", str(page)], env=env, timeout=cli_timeout)
            note(
                "render",
                {
                    "wall": m.get("wall"),
                    "cpu": m.get("cpu"),
                    "rss_mb": m["rss_mb"],
                    "timeout": m.get("timeout"),
                    "rc": m.get("rc"),
                    "mb": page.stat().st_size / 1e6 if page.exists() else None,
                },
            )
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return res


def _fmt(x, unit: str = "s") -> str:
    if x is None:
        return "—"
    return f"{x:.2f} {unit}" if x < 10 else f"{x:.1f} {unit}" if x < 100 else f"{x:.0f} {unit}"


def _ratio(a, b) -> str:
    return f"{a / b:.1f}×" if a and b else "—"


def _cli(stage: dict | None) -> str:
    if not stage:
        return "—"
    if stage.get("timeout"):
        return f"> {stage['timeout']:.0f} s"
    if stage.get("error"):
        return "fails: " + str(stage["error"])[:60].replace("|", "/")
    cpu = stage.get("cpu")
    refused = f", exit {stage['rc']}" if stage.get("rc") else ""
    return _fmt(stage.get("wall")) + (
        f" ({_fmt(cpu)} CPU{refused})" if cpu is not None else refused
    )


def _neo4j_cell(stage: dict | None, embedded: float | None) -> str:
    if not stage or not stage.get("wall") or stage.get("error"):
        return _cli(stage)
    return f"{_cli(stage)} ({_ratio(stage['wall'], embedded)}; heap {stage.get('heap', '?')})"


def table(results: list[dict]) -> str:
    """benchmarks/README.md's two tables: loading, then reading (wall time, CPU in brackets)."""
    load_rows = [
        "| relations | YAML | parse floor | validate (÷ floor) | parse + validate + graph "
        "(÷ floor) | `regulink load`, embedded (÷ floor) | `regulink load`, Neo4j (÷ embedded) "
        "| naive loader (÷ embedded) | peak RSS: validate / embedded load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    read_rows = [
        "| relations | `regulink validate` | cached `load_facts` (fill) | `regulink path` p50 / "
        "p95 (first call) | `regulink analyze` | `regulink render` |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        fl, v, ld = r.get("floor") or {}, r.get("validate") or {}, r.get("load") or {}
        floor = fl.get("seconds")
        store = r.get("store") or {}
        sw = store.get("wall") if not store.get("error") else None
        naive = r.get("naive") or {}
        if naive.get("finished"):
            nv = f"{_fmt(naive['seconds'])} ({_ratio(naive['seconds'], sw)})"
        elif naive.get("rate"):
            nv = (
                f"stopped after {naive['done']:,} of {naive['facts']:,} facts "
                f"({naive['rate']:.0f}/s): ≥ {_fmt(naive['estimate'])} "
                f"(≥ {_ratio(naive['estimate'], sw)})"
            )
        else:
            nv = "—"

        def timed(x, floor=floor, fl=fl):  # bound now: B023
            if not x:
                return "—"
            return (
                f"{_fmt(x['seconds'])} ({_fmt(x.get('cpu'))} CPU; "
                f"{_ratio(x['seconds'], floor)}, CPU {_ratio(x.get('cpu'), fl.get('cpu'))})"
            )

        rss = f"{v.get('rss_mb', 0):.0f} / {store.get('rss_mb', 0):.0f} MiB" if v else "—"
        load_rows.append(
            f"| {r['relations']:,} | {r['mb']} MB | "
            f"{_fmt(floor)} ({_fmt(fl.get('cpu'))} CPU) | {timed(v or None)} | "
            f"{timed(ld or None)} | {_cli(store)} ({_ratio(sw, floor)}, CPU "
            f"{_ratio(store.get('cpu'), fl.get('cpu'))}) | "
            f"{_neo4j_cell(r.get('neo4j'), sw)} | {nv} | {rss} |"
        )
        p, c = r.get("path") or {}, r.get("cache") or {}
        read_rows.append(
            f"| {r['relations']:,} | {_cli(r.get('validate_cli'))} | "
            f"{_fmt(c.get('seconds'))}, CPU {_fmt(c.get('cpu'))} ({_fmt(c.get('fill'))}) | "
            f"{_fmt(p.get('p50'))} / {_fmt(p.get('p95'))} ({_fmt(p.get('first'))}); CPU "
            f"{_fmt(p.get('cpu_p50'))} / {_fmt(p.get('cpu_p95'))} ({_fmt(p.get('first_cpu'))}) | "
            f"{_cli(r.get('analyze'))} | {_cli(r.get('render'))} |"
        )
    bound_rows = [
        "| relations | as one file | `regulink validate`: time, peak RSS (× file) | one "
        "error at the end: time (÷ valid), peak RSS |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        vb = r.get("validate_bounds")
        if vb:
            bound_rows.append(
                f"| {r['relations']:,} | {vb['file_mb']} MB | {_fmt(vb['wall'])}, "
                f"{vb['rss_mb']:.0f} MiB ({vb['rss_x']}×) | {_fmt(vb['late_error_wall'])} "
                f"({_ratio(vb['late_error_wall'], vb['wall'])}), "
                f"{vb['late_error_rss_mb']:.0f} MiB |"
            )
    bounds = "\n\n" + "\n".join(bound_rows) if len(bound_rows) > 2 else ""
    return "\n".join(load_rows) + "\n\n" + "\n".join(read_rows) + bounds


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024**2:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="1k,10k,100k", help="comma-separated, from " + ", ".join(SIZES)
    )
    ap.add_argument("--data", default="/tmp/regulink-bench", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="append JSON lines here")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 3 path pairs, a 10 s naive budget, no analyze",
    )
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument(
        "--naive-budget",
        type=float,
        default=300.0,
        help="seconds before the naive loader is stopped (0: skip it)",
    )
    ap.add_argument("--cli-timeout", type=float, default=900.0)
    ap.add_argument(
        "--only",
        default=",".join(STAGES),
        help="comma-separated stages to run (default: all): " + ", ".join(STAGES),
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="interleaved rounds of analyze and its igraph reference, and of the parse floor "
        "and regulink load (loadx)",
    )
    ap.add_argument(
        "--louvain",
        action="store_true",
        help="also run networkx's Louvain on the reference graph (its modularity)",
    )
    ap.add_argument(
        "--table",
        type=Path,
        metavar="JSONL",
        help="print the tables from a results file, latest stage values win",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--arg", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.rest[0], args.arg)))
        return 0
    if args.table:
        # one row per size: the latest value of each stage across runs
        merged: dict[str, dict] = {}
        for line in args.table.read_text("utf-8").splitlines():
            row = json.loads(line)
            merged.setdefault(row["size"], {}).update(row)
        rows = sorted(merged.values(), key=lambda r: r["relations"])
        print(table(rows))
        print("\n" + compare_table(rows))
        return 0
    if args.quick:
        args.pairs, args.naive_budget = min(args.pairs, 3), min(args.naive_budget, 10.0)
    results = []
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}", flush=True)
    for name in args.sizes.split(","):
        name = name.strip().lower()
        r = run_size(
            name,
            SIZES[name],
            args.data,
            quick=args.quick,
            pairs=args.pairs,
            naive_budget=args.naive_budget,
            cli_timeout=args.cli_timeout,
            only=frozenset(x.strip() for x in args.only.split(",")),
            rounds=args.rounds,
            louvain=args.louvain,
        )
        results.append(r)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with open(args.out, "a", encoding="utf-8") as fh:
                fh.write(
                    json.dumps(
                        {
                            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                            "machine": machine(),
                            **r,
                        }
                    )
                    + "\n"
                )
    print()
    print(table(results))
    print("\n" + compare_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
