"""The explorer works when regulink is installed from a wheel: its template and scripts ship."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_renders_the_explorer(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (wheel,) = (tmp_path / "dist").glob("regulink-*.whl")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True)
    assets = target / "regulink" / "graph" / "render" / "assets"
    assert sorted(p.name for p in assets.iterdir()) == ["explorer.css", "explorer.html",
                                                        "explorer.js"]
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("REGULINK_SEEDS", None)
    code = ("import json, regulink; p = regulink.render(regulink.load_facts(), focus='MAS'); "
            "print(json.dumps([regulink.__file__, p.nodes, 'vis.Network' in p.html]))")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    module_file, nodes, has_vis = json.loads(r.stdout)
    assert module_file.startswith(str(target)) and nodes > 1 and has_vis
