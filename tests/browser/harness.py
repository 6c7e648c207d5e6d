"""Open explorer pages in real headless Chromium (Debian's) with the network cut off.

Shared by the browser tests, the benchmark and the screenshot script. Each page is served
from memory at a made-up address; every other request the page makes is refused and
recorded, so a test can assert that the page needed none.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PAGE_URL",
    "Visit",
    "assert_clean",
    "chromium_path",
    "launch",
    "visit",
]

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium phones home at start; this machine's
# closed network refuses those connections and they would muddy the request counts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--mute-audio",
]
PAGE_URL = "http://regulink.invalid/explorer.html"


def chromium_path() -> str | None:
    """Debian's Chromium if installed (``REGULINK_CHROMIUM`` overrides the path)."""
    path = os.environ.get("REGULINK_CHROMIUM", CHROMIUM)
    return path if os.path.exists(path) else shutil.which("chromium")


@contextmanager
def launch():
    """A Playwright Chromium browser, closed afterwards."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as pw:
        # Playwright gives each launch a fresh temporary profile of its own.
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What happened while a page was open."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def wait_ready(self, timeout_ms: int = 120_000) -> None:
        """Wait until the page says it is interactive (layout done, first frame drawn)."""
        self.page.wait_for_function(
            "() => window.regulink && window.regulink.ready === true", timeout=timeout_ms
        )

    def problems(self) -> list[str]:
        return (
            [f"blocked request {u}" for u in self.blocked]
            + [f"failed request {u}" for u in self.failed]
            + [f"console error {m}" for m in self.console_errors]
            + [f"page error {m}" for m in self.page_errors]
            + [f"dialog {m}" for m in self.dialogs]
        )


@contextmanager
def visit(browser, html: str, *, width: int = 1400, height: int = 900) -> Iterator[Visit]:
    """Open ``html`` in a fresh context; yields a :class:`Visit` recording what it did."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )
    page = context.new_page()
    v = Visit(page)
    body = html.encode("utf-8")

    def route(r):
        url = r.request.url
        if url == PAGE_URL:
            r.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
        else:
            v.blocked.append(url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page.on("request", lambda req: v.requests.append(req.url))
    page.on("requestfailed", lambda req: v.failed.append(req.url))
    page.on("console", lambda m: v.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.page_errors.append(str(e)))

    def on_dialog(d):
        v.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(PAGE_URL, wait_until="load", timeout=120_000)
        yield v
    finally:
        context.close()


def assert_clean(v: Visit) -> None:
    """Nothing left the page, nothing failed, nothing complained: the one request made is
    the page itself (reloads included)."""
    assert v.problems() == []
    assert v.requests and set(v.requests) == {PAGE_URL}
