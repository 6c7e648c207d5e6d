"""``regulink draft`` works when installed from a wheel: its package and cue data are in it."""

from __future__ import annotations

import json

from test_wheel import _run, installed  # noqa: F401  (the wheel fixture, shared)


def test_installed_wheel_drafts_from_an_article(installed, tmp_path):  # noqa: F811
    assert (installed / "regulink" / "graph" / "cues.yaml").is_file()
    article = tmp_path / "story.txt"
    article.write_text(
        "MAS is partnering with the Swiss Financial Market Supervisory Authority.", encoding="utf-8"
    )
    r = _run(
        installed,
        "import json, sys, regulink; d = regulink.api.draft(sys.argv[1]); "
        "print(json.dumps([(x['type'], x['from'], x['to']) "
        "for x in d['relations']]))",
        str(article),
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [["partners_with", "mas", "finma"]]
