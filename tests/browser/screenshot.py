"""Make docs/screenshot.png: the explorer on the bundled seeds, a path asked in the page.

.venv/bin/python -m tests.browser.screenshot [OUT.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import regulink
from regulink.graph.render import build_page

from .harness import launch, visit

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path) -> None:
    facts = regulink.load_facts()
    page = build_page(facts, title="regulink: the bundled seeds")
    with launch() as browser, visit(browser, page.html, width=1500, height=900) as v:
        v.wait_ready(180_000)
        # Typed as a reader would, typo included: the From and To boxes search like the CLI.
        for box, text in (("#path-from", "Finnma"), ("#path-to", "Banque de France")):
            v.page.locator(box).fill(text)
            v.page.locator(box).press("Enter")
        v.page.wait_for_function("() => window.regulink.path() !== null")
        v.page.evaluate("() => window.regulink.setAsOf('2023')")
        v.page.evaluate("() => window.regulink.network.fit({animation: false})")
        v.page.wait_for_timeout(500)
        if v.problems():
            raise SystemExit(f"the page had problems: {v.problems()}")
        out.parent.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
