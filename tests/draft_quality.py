"""Recall and precision of ``regulink draft`` on the seed documents, against what
tests/test_seed_documents.py lists for each (not a test module: the tests and
``python tests/draft_quality.py`` both use it).

The seed documents live in ``shared/seed-documents/`` beside the repository (CI copies
``shared/`` next to the clone).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_seed_documents as gold  # noqa: E402

# (file name prefix, article date, gold entities, gold links)
DOCUMENTS = [
    (
        "000_",
        "2023-10-30",
        gold.DOC000_MAS_ENTITIES + gold.DOC000_CYBERPORT_ENTITIES,
        gold.DOC000_MAS_LINKS + gold.DOC000_CYBERPORT_LINKS,
    ),
    (
        "003_",
        "2025-06-27",
        gold.DOC003_LEAP_ENTITIES
        + gold.DOC003_MAELSTROM_ENTITIES
        + gold.DOC003_CIPHERBLADE_ENTITIES
        + gold.DOC003_KOREA_ENTITIES,
        gold.DOC003_LEAP_LINKS
        + gold.DOC003_MAELSTROM_LINKS
        + gold.DOC003_CIPHERBLADE_LINKS
        + gold.DOC003_KOREA_LINKS,
    ),
]


def seed_documents_dir() -> Path | None:
    """``shared/seed-documents`` beside the repository (or beside its worktree folder)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        d = base / "shared" / "seed-documents"
        if d.is_dir():
            return d
    return None


def score(result: dict, entities: list[str], links: list[tuple]) -> dict:
    from regulink.graph.schema import load_schema

    types = load_schema().relation_types
    found_entities = {e["id"] for e in result["entities"] if e["known"] and e["id"]}
    gold_entities = set(entities)

    def norm(t, a, b):
        return (t, *sorted((a, b))) if types[t].symmetric else (t, a, b)

    got = {norm(r["type"], r["from"], r["to"]): r for r in result["relations"]}
    want = {norm(link[1], link[0], link[2]): link for link in links}
    hits = set(got) & set(want)
    dated = [k for k in hits if len(want[k]) > 3]
    return {
        "mentions": {
            "found": len(found_entities & gold_entities),
            "gold": len(gold_entities),
            "reported": len(found_entities),
        },
        "relations": {"found": len(hits), "gold": len(want), "reported": len(got)},
        "dates": {
            "right": sum(1 for k in dated if got[k]["start"] == want[k][3]),
            "of": len(dated),
        },
        "missed": sorted(set(want) - hits),
        "extra": sorted(set(got) - set(want)),
        "mentions missed": sorted(gold_entities - found_entities),
        "mentions extra": sorted(found_entities - gold_entities),
    }


def measure() -> dict:
    import regulink

    folder = seed_documents_dir()
    if folder is None:
        raise FileNotFoundError("shared/seed-documents not found beside the repository")
    out = {}
    for prefix, date, entities, links in DOCUMENTS:
        path = next(folder.glob(f"{prefix}*.txt"))
        out[path.name] = score(regulink.api.draft(path, date=date), entities, links)
    return out


def totals(per_doc: dict) -> dict:
    t = {}
    for part in ("mentions", "relations"):
        found = sum(d[part]["found"] for d in per_doc.values())
        gold_n = sum(d[part]["gold"] for d in per_doc.values())
        reported = sum(d[part]["reported"] for d in per_doc.values())
        t[part] = {
            "recall": found / gold_n,
            "precision": found / reported if reported else 0.0,
            "found": found,
            "gold": gold_n,
            "reported": reported,
        }
    return t


if __name__ == "__main__":
    per_doc = measure()
    for name, d in per_doc.items():
        print(name, d["mentions"], d["relations"], "dates", d["dates"])
        print("  missed:", d["missed"])
        print("  extra:", d["extra"])
        print("  mentions missed:", d["mentions missed"])
        print("  mentions extra:", d["mentions extra"])
    print(totals(per_doc))
