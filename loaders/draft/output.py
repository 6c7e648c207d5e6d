"""A draft as a fact file: every proposal commented as a draft, known entities referenced
by id and never repeated, relations the base already has commented out rather than stated
twice. As written it is a valid fact file beside the facts it was drafted against; the curator
keeps or deletes each proposal and rewrites its note.
"""

from __future__ import annotations

import json

__all__ = ["to_yaml"]


def _q(value: str) -> str:
    # JSON strings are YAML double-quoted scalars: every character escaped safely.
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def to_yaml(draft: dict, *, article: str) -> str:
    src = draft["source"]
    out = [
        f"# DRAFT drafted by `regulink draft` from {_comment(article)}.",
        "# Nothing below is verified. Review every proposal: keep it (rewrite its note in your",
        "# own words, check its date and the guessed fields) or delete it; then",
        "# `regulink validate` this file together with the seeds.",
        "",
        "sources:",
        "  # DRAFT: the article itself"
        + ("" if src["publisher_given"] else "; fill in its publisher"),
        f"  - id: {src['id']}",
        f"    kind: {src['kind']}",
        f"    publisher: {_q(src['publisher'])}",
        f"    title: {_q(src['title'])}",
    ]
    if src.get("date"):
        out.append(f"    date: {src['date']}")
    if src.get("url"):
        out.append(f"    url: {_q(src['url'])}")

    known: dict[str, dict] = {}
    for e in draft["entities"]:
        if e["known"] and e["id"]:
            known.setdefault(e["id"], e)
    ambiguous = [e for e in draft["entities"] if e["id"] is None]
    out += ["", "# Known entities mentioned (referenced by id, not repeated):"]
    for eid, e in known.items():
        out.append(f"#   {eid}: {_comment(e['text'])!s} (line {e['line']}, column {e['column']})")
    for e in ambiguous:
        out.append(
            f"#   AMBIGUOUS {_comment(e['text'])} (line {e['line']}, column "
            f"{e['column']}): one of {', '.join(e['candidates'])}"
        )
    if draft["candidates"]:
        out += ["", "entities:"]
        for c in draft["candidates"]:
            out += [
                f"  # DRAFT new entity, line {c['line']}, column {c['column']}: kind and "
                "jurisdiction are guesses",
                f"  - id: {c['id']}",
                f"    kind: {c['kind']}            # guessed",
                f"    name: {_q(c['name'])}",
            ]
            if c["short_name"]:
                out.append(f"    short_name: {_q(c['short_name'])}")
            out.append(f"    jurisdiction: {c['jurisdiction']}       # guessed")

    proposed = [r for r in draft["relations"] if not r["known"]]
    already = [r for r in draft["relations"] if r["known"]]
    if proposed:
        out += ["", "relations:"]
        for r in proposed:
            ev = r["evidence"]
            out += [
                f"  # DRAFT from line {ev['line']}, column {ev['column']}: "
                f"{_comment(ev['sentence'])}",
                f"  - type: {r['type']}",
                f"    from: {r['from']}",
                f"    to: {r['to']}",
            ]
            if r["start"]:
                out.append(f"    start: {r['start']}")
            out += [f"    sources: [{src['id']}]", f"    note: {_q(r['note'])}"]
    if already:
        out += ["", "# Already in the base (not proposed again):"]
        for r in already:
            ev = r["evidence"]
            out.append(
                f"#   {r['from']} {r['type']} {r['to']}"
                + (f" ({r['start']})" if r["start"] else "")
                + f", line {ev['line']}, column {ev['column']}"
            )
    return "\n".join(out) + "\n"
