"""A small fact world whose every text field tries to run script in the explorer page.

Each payload, if it ever ran, would set ``window.__xss`` (or open a dialog); the tests check
that nothing did and that the text shows literally.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CSV_NAME", "XSS_NAME", "XSS_YAML", "write_xss_world"]

XSS_NAME = '<img src=x onerror="window.__xss=1">'
#: A name a spreadsheet would run as a formula if an export wrote it as it is.
CSV_NAME = '=HYPERLINK("https://example.org/x","click")'

XSS_YAML = r"""
entities:
  - id: evil-reg
    kind: regulator
    name: "<img src=x onerror=\"window.__xss=1\">"
    short_name: "</script><script>window.__xss=2</script>"
    aliases: ["<svg onload=window.__xss=3>", "Évil alias"]
    jurisdiction: SG
    description: "<b onmouseover=window.__xss=4>bold?</b> & \u2028 line separator"
  - id: good-bank
    kind: central_bank
    name: Good Bank
    short_name: GB
    jurisdiction: CH
  - id: plain-project
    kind: project
    name: "Project {{7*7}} ${alert(1)}"
    jurisdiction: INT
  - id: formula-firm
    kind: company
    name: "=HYPERLINK(\"https://example.org/x\",\"click\")"
    short_name: "@SUM(A1:A9)"
    aliases: ["+cmd|' /C calc'!A0", "-2+3"]
    jurisdiction: SG
relations:
  - type: participates_in
    from: evil-reg
    to: plain-project
    start: 2021
    role: "<i onclick=window.__xss=5>role</i>"
    sources: [evil-source]
    note: "<script>window.__xss=6</script> note"
  - type: partners_with
    from: good-bank
    to: evil-reg
    start: 2023-05
    sources: [evil-source]
  - type: partners_with
    from: formula-firm
    to: good-bank
    start: 2024
    sources: [evil-source]
    note: "=cmd|' /C calc'!A0"
sources:
  - id: evil-source
    kind: news
    publisher: "<iframe src=javascript:window.__xss=7>"
    title: "<a href=javascript:window.__xss=8>title</a>"
    date: 2023-05-01
    url: https://example.org/<script>
"""


def write_xss_world(folder: Path) -> Path:
    """Write the world as one fact file in ``folder``; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "xss.yaml"
    path.write_text(XSS_YAML.lstrip("\n"), encoding="utf-8")
    return path
