"""The package works when installed from a wheel, away from the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel and install it (without deps, already in this venv) into a target dir."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = (tmp / "dist").glob("regulink-*.whl")
    target = tmp / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return target


def _run(target: Path, code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("REGULINK_SEEDS", None)
    # Run from an unrelated folder so nothing can be found relative to the checkout.
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
    )


def test_wheel_holds_code_vocabulary_and_seeds(installed):
    pkg = installed / "regulink"
    assert (pkg / "graph" / "schema.yaml").is_file()
    assert (pkg / "graph" / "jurisdictions.yaml").is_file()
    assert sorted(p.name for p in (pkg / "seeds").glob("*.yaml")) == sorted(
        p.name for p in (ROOT / "seeds").glob("*.yaml")
    )
    assert not (installed / "graph").exists()  # no generic top-level package names


def test_installed_package_finds_bundled_seeds(installed):
    r = _run(
        installed,
        "import json, regulink; f = regulink.load_facts(); "
        "print(json.dumps([regulink.__file__, str(regulink.bundled_seeds_dir()),"
        " len(f.entities), len(f.relations)]))",
    )
    assert r.returncode == 0, r.stderr
    module_file, seeds_dir, n_entities, n_relations = json.loads(r.stdout)
    assert module_file.startswith(str(installed))
    assert seeds_dir == str(installed / "regulink" / "seeds")
    from regulink import load_facts

    checkout = load_facts([ROOT / "seeds"])
    assert (n_entities, n_relations) == (len(checkout.entities), len(checkout.relations))


def test_installed_cli_validates_bundled_seeds(installed):
    r = _run(
        installed,
        "import sys; from regulink.cli.main import cli; sys.argv = ['regulink', 'validate']; cli()",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK: ")


def test_installed_wheel_renders_the_explorer(installed):
    # The explorer's template and scripts are package data: they must ship in the wheel.
    assets = installed / "regulink" / "graph" / "render" / "assets"
    assert sorted(p.name for p in assets.iterdir()) == [
        "explorer.css",
        "explorer.html",
        "explorer.js",
        "exports.js",
        "panel.js",
        "paths.js",
        "search.js",
        "tools.js",
        "view.js",
    ]
    r = _run(
        installed,
        "import json, regulink; "
        "p = regulink.render(regulink.load_facts(), focus='MAS'); "
        "print(json.dumps([regulink.__file__, p.nodes, 'vis.Network' in p.html]))",
    )
    assert r.returncode == 0, r.stderr
    module_file, nodes, has_vis = json.loads(r.stdout)
    assert module_file.startswith(str(installed)) and nodes > 1 and has_vis
