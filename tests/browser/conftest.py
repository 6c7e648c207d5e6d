"""One headless Chromium for all browser tests.

Chromium is Debian's (``./setup.sh test`` installs it). Without it these tests fail, loudly:
a browser test that silently passes proves nothing. Set ``REGULINK_SKIP_BROWSER=1`` to skip
them on purpose (the skip is reported in pytest's summary).
"""

from __future__ import annotations

import os

import pytest

from .harness import CHROMIUM, chromium_path, launch


# Per module, so Chromium is gone before the rest of the suite runs.
@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        if os.environ.get("REGULINK_SKIP_BROWSER") == "1":
            pytest.skip("REGULINK_SKIP_BROWSER=1: browser tests skipped on request")
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM}): run ./setup.sh test, which "
            "installs Debian's chromium, or set REGULINK_SKIP_BROWSER=1 to skip "
            "the browser tests",
            pytrace=False,
        )
    with launch() as b:
        yield b
