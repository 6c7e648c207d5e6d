"""``regulink draft`` end to end: a 5,000-word article against a fact set, CLI wall time.

    python benchmarks/draft.py                                  # the bundled seeds
    python benchmarks/draft.py --seeds /tmp/regulink-bench/1m   # a generated set

The article is the seed documents (``shared/seed-documents`` beside the repository) repeated
to 5,000 words, plus one sentence per 50 of the set's entities naming two of them with a cue
("A is partnering with B."), so the matcher finds and links something in a synthetic base
too. The first run builds and saves the matcher (and the fact cache if it is cold); the
next ``--runs`` read it back, and their times are reported as p50 and max.

With ``--compare`` (spaCy installed), the same run also times finding the known entities
in process both ways: regulink's saved matcher, and spaCy's PhraseMatcher (blank pipeline,
LOWER attribute) built over the same names, import included, with how many mentions each
finds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from draft_quality import seed_documents_dir  # noqa: E402  (shared with the tests)

REGULINK = Path(sys.executable).with_name("regulink")


def article(seeds: list[str] | None, words: int = 5000) -> str:
    import regulink

    folder = seed_documents_dir()
    if folder is None:
        raise SystemExit("shared/seed-documents not found beside the repository")
    base = " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    facts = regulink.load_facts(seeds)
    names = [e.name for e in list(facts.entities.values())[:: max(1, len(facts.entities) // 100)]]
    extra = " ".join(
        f"{a} is partnering with {b}." for a, b in zip(names[::2], names[1::2], strict=False)
    )
    text = extra + "\n"
    while len(text.split()) < words:
        text += base + "\n"
    return text


def compare(seeds: list[str] | None, text: str) -> None:
    import regulink
    from regulink.loaders.draft.mentions import find_mentions
    from regulink.loaders.draft.text import Document

    facts = regulink.load_facts(seeds)
    index = regulink.api.draft_index(seeds, facts=facts)
    t = time.perf_counter()
    ours = find_mentions(Document(text), index)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("xx")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    names = [n for e in facts.entities.values() for n in (e.name, e.short_name, *e.aliases) if n]
    matcher.add("ENTITY", list(nlp.tokenizer.pipe(names)))
    built = time.perf_counter() - t
    theirs = matcher(nlp.make_doc(text))
    spacy_s = time.perf_counter() - t
    print(
        f"known-entity scan: regulink {ours_s:.2f} s ({len(ours)} mentions); spaCy "
        f"PhraseMatcher {spacy_s:.2f} s incl. import and build {built:.2f} s "
        f"({len(theirs)} matches, overlapping, no accent folding); ratio "
        f"{spacy_s / ours_s:.1f}x"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", action="append", help="fact file or folder (default: bundled)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--compare", action="store_true", help="also time spaCy's PhraseMatcher")
    args = ap.parse_args()
    text = article(args.seeds)
    if args.compare:
        compare(args.seeds, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        cmd = (
            [str(REGULINK)]
            + [a for s in args.seeds or () for a in ("--seeds", s)]
            + ["draft", str(path), "--date", "2023-10-30", "--json"]
        )
        times = []
        for _ in range(args.runs + 1):
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, env=os.environ)
            times.append(time.perf_counter() - t)
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode(errors="replace"))
    print(
        f"{len(text.split())} words; first run (builds the matcher) {times[0]:.2f} s; "
        f"then p50 {statistics.median(times[1:]):.2f} s, max {max(times[1:]):.2f} s "
        f"over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
