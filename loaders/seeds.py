"""Where fact files come from when the user names none: ``REGULINK_SEEDS`` or the bundled seeds."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["bundled_seeds_dir", "default_seed_paths"]


def bundled_seeds_dir() -> Path:
    """The folder of fact files shipped inside the package (works from a wheel too)."""
    return Path(str(resources.files("regulink.seeds")))


def default_seed_paths() -> list[Path]:
    """``REGULINK_SEEDS`` (``os.pathsep``-separated) if set, else the bundled seeds."""
    env = os.environ.get("REGULINK_SEEDS", "").strip()
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    return [bundled_seeds_dir()]
