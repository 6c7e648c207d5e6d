"""Make docs/screenshot.png: the explorer on the bundled seeds, one entity selected.

    .venv/bin/python -m tests.browser.screenshot [OUT.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import regulink
from regulink.graph.render import build_page

from .harness import visit, launch

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path) -> None:
    facts = regulink.load_facts()
    page = build_page(facts, title="regulink: the bundled seeds")
    with launch() as browser, visit(browser, page.html, width=1500, height=900) as v:
        v.wait_ready(180_000)
        box = v.page.locator("#search")
        box.fill("MAS")
        box.press("Enter")
        v.page.wait_for_function("() => window.regulink.selected !== null "
                                 "&& window.regulink.selected !== undefined")
        v.page.wait_for_timeout(800)  # let the focus animation finish
        if v.problems():
            raise SystemExit(f"the page had problems: {v.problems()}")
        out.parent.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
