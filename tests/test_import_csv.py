"""regulink import csv: spreadsheet rows to a fact file that validates, or nothing.

Against the mini world (tests/fixtures/mini): each bad row is reported at its FILE:ROW:COL,
all at once; a good import validates with the facts; importing twice adds nothing."""

from __future__ import annotations

import pytest
from conftest import MINI

import regulink
from regulink.errors import ValidationFailed
from regulink.loaders.csv_import import RELATION_COLUMNS

HEADER = "from,to,type,start,end,source_url,source_title,publisher,date,note\n"
GOOD = (
    "Alpha Monetary Authority,Project Lark,funds,2024-02,,https://news.example/lark-funds,"
    '"Alpha funds Lark, again",Example News,2024-02-03,"Alpha said ""yes"""\n'
)


def _run(
    tmp_path, relations: str | bytes, entities: str | None = None, *, paths=None, output="new.yaml"
):
    rel = tmp_path / "links.csv"
    if isinstance(relations, bytes):
        rel.write_bytes(relations)
    else:
        rel.write_text(relations, "utf-8", newline="")
    ent = None
    if entities is not None:
        ent = tmp_path / "bodies.csv"
        ent.write_text(entities, "utf-8", newline="")
    return regulink.import_csv(rel, tmp_path / output, entities=ent, paths=paths or [MINI])


def _problems(tmp_path, relations, entities=None) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        _run(tmp_path, relations, entities)
    assert not (tmp_path / "new.yaml").exists()  # nothing written
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


def test_good_rows_make_a_valid_fact_file(tmp_path):
    report = _run(tmp_path, HEADER + GOOD)
    assert report.written and (report.relations, report.sources) == (1, 1)
    facts = regulink.load_facts([MINI, tmp_path / "new.yaml"], cache=False)
    (rel,) = [r for r in facts.relations if r.type == "funds"]
    assert (rel.from_, rel.to, rel.start) == ("alpha-ma", "project-lark", "2024-02")
    assert rel.note == 'Alpha said "yes"'
    src = facts.sources[rel.sources[0]]
    assert (src.url, src.title, src.publisher, src.date) == (
        "https://news.example/lark-funds",
        "Alpha funds Lark, again",
        "Example News",
        "2024-02-03",
    )


def test_importing_twice_adds_nothing(tmp_path):
    first = _run(tmp_path, HEADER + GOOD)
    assert first.written
    again = _run(tmp_path, HEADER + GOOD, paths=[MINI, tmp_path / "new.yaml"], output="again.yaml")
    assert not again.written and not (tmp_path / "again.yaml").exists()
    assert (again.relations, again.sources, again.entities) == (0, 0, 0)
    assert any("already in the facts: skipped" in n for n in again.notes)


def test_one_url_is_one_source(tmp_path):
    second = GOOD.replace("funds,2024-02", "supports,2024-03").replace(
        '"Alpha funds Lark, again",Example News', ","
    )
    report = _run(tmp_path, HEADER + GOOD + second)
    assert (report.relations, report.sources) == (2, 1)
    facts = regulink.load_facts([MINI, tmp_path / "new.yaml"], cache=False)
    cited = {r.sources for r in facts.relations if r.type in ("funds", "supports")}
    assert len(cited) == 1


def test_a_url_the_facts_already_cite_is_that_source(tmp_path):
    (url,) = [s.url for s in regulink.load_facts([MINI]).sources.values() if s.url]
    report = _run(tmp_path, HEADER + f"delta-bank,Project Kite,supports,2024,,{url},,,,\n")
    assert (report.relations, report.sources) == (1, 0)


def test_a_row_that_repeats_an_existing_relation_is_skipped(tmp_path):
    # The mini world has: gamma-fma partners_with delta-bank, start 2021 (symmetric).
    repeat = "delta-bank,gamma-fma,partners_with,2021,,https://news.example/p,P,Pub,,\n"
    report = _run(tmp_path, HEADER + GOOD + repeat)
    assert report.relations == 1 and report.sources == 1  # the repeat's new URL is unused
    assert any(
        "links.csv:3:1: delta-bank partners_with gamma-fma (2021) is already in the "
        "facts: skipped" in n
        for n in report.notes
    )


def test_bad_rows_each_located(tmp_path):
    rows = [
        "Alpha Monetary Authority,Project Lark,partcipates_in,2023,,https://a.example/1,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds,2023-02-30,,https://a.example/2,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds,2023,2022,https://a.example/3,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds,2023,,https://a.example/4,T,P,,a, b\n",
        "Nobody Known,Project Lark,funds,2023,,https://a.example/5,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds,2021,,ftp://a.example/6,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds,2020,,https://a.example/7,,,,\n",
        "Alpha Monetary Authority,Alpha Monetary Authority,funds,2019,,https://a.example/8,T,P,,\n",
        "Alpha Monetary Authority,Project Lark,funds\n",
    ]
    found = _problems(tmp_path, HEADER + "".join(rows))
    assert found == [
        "links.csv:2:3: unknown relation type 'partcipates_in' (did you mean 'participates_in'?)",
        "links.csv:3:4: invalid date '2023-02-30': use YYYY, YYYY-MM or YYYY-MM-DD (a real "
        "calendar date)",
        "links.csv:4:5: end 2022 is before start 2023",
        "links.csv:5:11: row has 11 fields, more than the header's 10: quote values that "
        "contain the separator (',')",
        found[4],
        "links.csv:7:6: invalid URL 'ftp://a.example/6': use a full http:// or https:// address",
        "links.csv:8:7: empty 'source_title': a source not yet in the facts needs its title "
        "and publisher",
        "links.csv:8:8: empty 'publisher': a source not yet in the facts needs its title and "
        "publisher",
        "links.csv:9:2: a funds relation cannot link 'alpha-ma' to itself",
        "links.csv:10:4: row has 3 fields, fewer than the header's 10",
    ]
    assert found[4].startswith("links.csv:6:1: no entity matches 'Nobody Known'")
    assert found[4].endswith("Define it in the entities file (--entities).")


def test_missing_and_unknown_columns(tmp_path):
    found = _problems(tmp_path, "from,to,kind,source_url,notes\nA,B,funds,https://x.org/,\n")
    columns = ", ".join(RELATION_COLUMNS)
    assert found == [
        "links.csv:1:1: missing column 'type'",
        f"links.csv:1:3: unknown column 'kind'; columns: {columns}",
        f"links.csv:1:5: unknown column 'notes' (did you mean 'note'?); columns: {columns}",
    ]


def test_ambiguous_name(tmp_path):
    # Two entities share the abbreviation "AMB" only in this test's fact set.
    facts_dir = tmp_path / "facts"
    facts_dir.mkdir()
    (facts_dir / "f.yaml").write_text(
        "entities:\n"
        "  - {id: amb-one, kind: regulator, name: Ambient One, short_name: AMB, "
        "jurisdiction: SG}\n"
        "  - {id: amb-two, kind: regulator, name: Ambient Two, short_name: AMB, "
        "jurisdiction: HK}\n",
        "utf-8",
    )
    rel = tmp_path / "links.csv"
    rel.write_text(HEADER + "AMB,Ambient One,partners_with,2024,,https://x.org/a,T,P,,\n", "utf-8")
    with pytest.raises(ValidationFailed) as info:
        regulink.import_csv(rel, tmp_path / "new.yaml", paths=[facts_dir])
    (p,) = info.value.problems
    assert (p.line, p.col) == (2, 1) and "'AMB' is ambiguous: amb-one" in p.message


def test_bom_and_excel_dialect(tmp_path):
    # Excel's "CSV UTF-8": a BOM, CRLF line ends, ';' where the decimal mark is a comma,
    # doubled quotes, and a quoted field holding a line break.
    text = (
        HEADER.replace(",", ";").replace("\n", "\r\n")
        + "Alpha Monetary Authority;Project Lark;funds;2024;;https://x.example/e;"
        '"Title; with ""quotes""";Pub;;"two\r\nlines"\r\n'
    )
    report = _run(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert report.written and report.relations == 1
    facts = regulink.load_facts([MINI, tmp_path / "new.yaml"], cache=False)
    (rel,) = [r for r in facts.relations if r.type == "funds"]
    assert rel.note == "two\nlines"
    assert facts.sources[rel.sources[0]].title == 'Title; with "quotes"'


def test_not_utf8(tmp_path):
    found = _problems(tmp_path, (HEADER + GOOD.replace("Alpha", "Alph\xe9")).encode("cp1252"))
    assert found == ["links.csv:2:5: invalid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_entities_file_defines_new_entities(tmp_path):
    entities = (
        "name,kind,jurisdiction,short_name,aliases,url\n"
        "Zeta Exchange,financial_institution,CH,ZX,Zeta; ZetaX,https://zeta.example/\n"
    )
    rels = HEADER + "ZX,Project Lark,participates_in,2024,,https://z.example/1,T,P,,\n"
    report = _run(tmp_path, rels, entities)
    assert (report.entities, report.relations) == (1, 1)
    facts = regulink.load_facts([MINI, tmp_path / "new.yaml"], cache=False)
    zeta = facts.entities["zeta-exchange"]
    assert (zeta.short_name, zeta.aliases, zeta.kind) == (
        "ZX",
        ("Zeta", "ZetaX"),
        "financial_institution",
    )


def test_bad_entity_rows(tmp_path):
    entities = "name,kind,jurisdiction\nZeta,finantial_institution,ch\n,company,SG\n"
    found = _problems(tmp_path, HEADER + GOOD, entities)
    assert found == [
        "bodies.csv:2:2: unknown kind 'finantial_institution' (did you mean "
        "'financial_institution'?)",
        "bodies.csv:2:3: unknown jurisdiction 'ch' (did you mean 'CH'?)",
        "bodies.csv:3:1: empty 'name': an entity needs a name",
    ]


def test_cli(tmp_path, run_mini):
    rel = tmp_path / "links.csv"
    rel.write_text(HEADER + GOOD, "utf-8")
    out = tmp_path / "new.yaml"
    res = run_mini("import", "csv", str(rel), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert "1 relation, 1 source" in res.output and out.exists()
    assert regulink.validate([MINI, out]).ok
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD.replace("funds", "fundz"), "utf-8")
    res = run_mini("import", "csv", str(bad), "-o", str(tmp_path / "bad.yaml"))
    assert res.exit_code == 1 and "bad.csv:2:3: unknown relation type 'fundz'" in res.output
    assert not (tmp_path / "bad.yaml").exists()
    res = run_mini("import", "csv", str(rel), "-o", str(out))  # exists: refused
    assert res.exit_code == 1 and "exists" in res.output


def test_terminal_safe_output(tmp_path, run_mini):
    # A spreadsheet cell with an escape sequence (it could retitle or clear a terminal) is
    # shown escaped in the problem that names it.
    rel = tmp_path / "links.csv"
    rel.write_text(
        HEADER + GOOD.replace("Alpha Monetary Authority", "Evil\x1b]0;owned\x07"), "utf-8"
    )
    res = run_mini("import", "csv", str(rel), "-o", str(tmp_path / "x.yaml"))
    assert res.exit_code == 1
    assert "\x1b" not in res.output and "\x07" not in res.output
    assert "Evil\\x1b]0;owned\\x07" in res.output
