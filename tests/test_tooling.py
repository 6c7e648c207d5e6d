"""Contributors' tools follow the package: type checkers and editors see real files and types.

The top-level folders graph/, loaders/ and seeds/ become regulink.graph, regulink.loaders and
regulink.seeds through committed relative symlinks in regulink/ (docs/contributing.md says
why), so a static tool that finds ``regulink`` in the checkout reaches every module's file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import jedi
import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = "from regulink.graph.model import FactBase\nreveal_type(FactBase)\n"
# the line of `class FactBase` in graph/model.py, found rather than written down
FACTBASE_LINE = next(
    i
    for i, line in enumerate(
        (ROOT / "graph" / "model.py").read_text(encoding="utf-8").splitlines(), 1
    )
    if line.startswith("class FactBase")
)


@pytest.mark.parametrize("name", ["graph", "loaders", "seeds"])
def test_subpackages_are_relative_symlinks_to_the_top_level_folders(name):
    link = ROOT / "regulink" / name
    # relative, so that a clone anywhere (and git on any machine) keeps them working
    assert link.is_symlink() and os.readlink(link) == f"../{name}"
    module = importlib.import_module(f"regulink.{name}")
    assert [Path(p).resolve() for p in module.__path__] == [ROOT / name]


def test_mypy_reveals_the_real_type_through_the_package_name(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--follow-imports=silent",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "-c",
            PROBE,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'Revealed type is "def (' in r.stdout
    assert (
        r.stdout.split('Revealed type is "')[1]
        .split('"')[0]
        .endswith("-> regulink.graph.model.FactBase")
    )


def test_jedi_goes_to_graph_model():
    script = jedi.Script(
        PROBE, path=ROOT / "probe.py", project=jedi.Project(ROOT, environment_path=sys.prefix)
    )
    (found,) = script.goto(1, PROBE.index("FactBase") + 1, follow_imports=True)
    # jedi names the file through the package (regulink/graph/model.py): the same file
    assert Path(found.module_path).resolve() == ROOT / "graph" / "model.py"
    assert (found.line, found.type) == (FACTBASE_LINE, "class")


def test_pyright_resolves_the_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    # pyright's Python wrapper fetches the pyright npm package once, into its own cache
    r = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyright"),
            "--outputjson",
            "--pythonpath",
            sys.executable,
            str(probe),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(r.stdout)
    messages = [(d["severity"], d["message"]) for d in report["generalDiagnostics"]]
    assert messages == [("information", 'Type of "FactBase" is "type[FactBase]"')]


def test_no_generic_top_level_package_is_importable(tmp_path):
    # from outside the checkout, only `regulink` is importable: `graph` is not a package name
    code = (
        "import importlib.util as u, json; "
        "print(json.dumps([u.find_spec(n) is not None for n in "
        "('regulink', 'regulink.graph', 'graph', 'loaders', 'seeds')]))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [True, True, False, False, False]


def _cog_check(readme: Path) -> subprocess.CompletedProcess:
    # run from the checkout: the examples name tests/fixtures/mini relative to it
    return subprocess.run(
        [sys.executable, "-m", "cogapp", "-I", "tests", "--check", "--diff", str(readme)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_readme_command_reference_matches_the_cli():
    r = _cog_check(ROOT / "README.md")
    assert r.returncode == 0, r.stdout + r.stderr + "\nrun: .venv/bin/cog -I tests -r README.md"


@pytest.mark.parametrize(
    ("block", "old", "new"),
    [
        # a help text that changed in the CLI but not in the README
        (
            "### `regulink validate --help`",
            "Check fact files and report every problem",
            "Check fact files and report the first problem",
        ),
        # an example whose output changed
        ("### Examples", "GFMA [gamma-fma]: 1 path", "GFMA [gamma-fma]: 2 paths"),
    ],
)
def test_readme_check_fails_on_drift(tmp_path, block, old, new):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    at = text.index(old, text.index(block))
    readme = tmp_path / "README.md"
    readme.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    r = _cog_check(readme)
    assert r.returncode != 0
    # the diff names the stale line and what the CLI prints now
    line = text[text.rindex("\n", 0, at) + 1 :].splitlines()[0]
    assert f"\n-{line.replace(old, new)}\n" in r.stdout
    assert f"\n+{line}\n" in r.stdout
