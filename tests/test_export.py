"""regulink export: each format written, then read back by a real reader of that format.

networkx reads GEXF, GraphML and node-link JSON; Python's csv module the CSV files;
followthemoney's own model the FtM lines; a real Neo4j 5 the Cypher script and the
neo4j-admin files (tests/test_export_neo4j.py). Counts and a sample of attributes are
compared with the selection that was exported.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

import regulink
from regulink.cli.main import cli
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.schema import load_schema
from regulink.graph.selection import SelectionError, select_facts
from regulink.loaders.export import ExportError

# Text that breaks naive quoting in every format: quotes, backslashes, line breaks, a
# separator, a non-BMP character, a control character and a Unicode line separator.
TRICKY = 'O\'Brien "Ops" \\ C:\\path\nline two\r\n 🦄𝔘 semi; colon \x07 end\u2028'  # noqa: RUF001  (look-alikes on purpose)


@pytest.fixture(scope="module")
def tricky() -> FactBase:
    return FactBase(
        entities={
            "ob": Entity(
                "ob",
                "regulator",
                TRICKY,
                "O'B",
                ('Ali"as', "ümlaut 🦄"),
                "SG",
                "https://ob.example/a?b=1&c='2'",
                TRICKY,
            ),
            "pj": Entity(
                "pj", "project", "Project \\ Back", None, (), "INT", start="2020-02", end="2022"
            ),
            "org": Entity("org", "international_org", "Org", None, (), "INT"),
        },
        relations=[
            Relation(
                "participates_in",
                "ob",
                "pj",
                "2020-03",
                "2021-06",
                TRICKY,
                "done",
                ("s1", "s2"),
                TRICKY,
            ),
            Relation("member_of", "ob", "org", None, None, None, None, ("s1",)),
        ],
        sources={
            "s1": Source("s1", "news", TRICKY, "T'itle", "2020-03-01", "https://news.example/x"),
            "s2": Source("s2", "website", "Pub", "Title", None, None),
        },
        files=("x.yaml",),
    )


def _counts(facts: FactBase, **options) -> tuple[int, int]:
    chosen = select_facts(facts, **options)
    return len(chosen.entities), len(chosen.relations)


# --- selection ---------------------------------------------------------------------------


def test_default_selection_is_substantive_only(mini):
    structural = load_schema().structural_types
    default = select_facts(mini)
    assert default.relations and not {r.type for r in default.relations} & structural
    everything = select_facts(mini, structural=True)
    assert len(everything.relations) == len(mini.relations)
    named = select_facts(mini, types=["member_of"], structural=True)
    assert {r.type for r in named.relations} == {"member_of"}
    with pytest.raises(SelectionError, match="add structural"):
        select_facts(mini, types=["member_of"])


def test_selection_as_of_uses_the_ends_lives(tricky):
    # The participation is dated 2020-03..2021-06 and the project lives 2020-02..2022.
    assert len(select_facts(tricky, as_of="2021").relations) == 0  # ended 2021-06
    assert len(select_facts(tricky, as_of="2021-05").relations) == 1
    later = select_facts(tricky, as_of="2023", structural=True)
    assert "pj" not in later.entities and "ob" in later.entities
    assert [r.type for r in later.relations] == ["member_of"]


def test_selection_focus_and_errors(mini):
    near = select_facts(mini, focus="project-lark", hops=1)
    assert "project-lark" in near.entities
    assert all("project-lark" in (r.from_, r.to) for r in near.relations)
    assert set(near.sources) == {s for r in near.relations for s in r.sources}
    with pytest.raises(SelectionError, match="did you mean 'regulator'"):
        select_facts(mini, kinds=["regulatr"])
    with pytest.raises(SelectionError, match="invalid date"):
        select_facts(mini, as_of="2023-13")
    with pytest.raises(SelectionError, match="not selected"):
        select_facts(mini, focus="project-lark", kinds=["regulator"])


# --- graph formats -----------------------------------------------------------------------


def test_gexf_read_by_networkx_with_a_timeline(tmp_path, mini):
    out = tmp_path / "g.gexf"
    report = regulink.export(mini, "gexf", out, structural=True)
    G = nx.read_gexf(out)
    assert (
        (G.number_of_nodes(), G.number_of_edges())
        == (report.entities, report.relations)
        == (len(mini.entities), len(mini.relations))
    )
    assert G.nodes["alpha-ma"]["kind"] == mini.entities["alpha-ma"].kind
    assert G.nodes["alpha-ma"]["jurisdiction"] == mini.entities["alpha-ma"].jurisdiction
    # participates_in alpha-ma -> project-lark, 2022-11 .. 2023-09: a widened interval
    (edge,) = [
        d for _, _, d in G.edges("alpha-ma", data=True) if d["relation_type"] == "participates_in"
    ]
    assert (edge["start"], edge["end"]) == ("2022-11-01", "2023-09-30")
    assert edge["class"] == "substantive" and edge["sources"] == "fx-lark"
    assert edge["dates"] == "2022-11 – 2023-09"
    graph = ET.parse(out).getroot().find("{http://www.gexf.net/1.2draft}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    types = {
        a.get("title"): a.get("type") for a in graph.iter("{http://www.gexf.net/1.2draft}attribute")
    }
    assert types["symmetric"] == "boolean" and types["kind"] == "string"


def test_graphml_read_by_networkx(tmp_path, tricky):
    out = tmp_path / "g.graphml"
    regulink.export(tricky, "graphml", out, structural=True)
    G = nx.read_graphml(out, force_multigraph=True)
    assert (G.number_of_nodes(), G.number_of_edges()) == (3, 2)
    # XML holds no U+0007 (it becomes U+FFFD) and reads a CR LF in text as LF.
    assert G.nodes["ob"]["name"] == TRICKY.replace("\x07", "\ufffd").replace("\r\n", "\n")
    assert G.nodes["ob"]["aliases"] == 'Ali"as; ümlaut 🦄'
    assert G.nodes["pj"]["start"] == "2020-02"
    key = "participates_in:ob:pj:2020-03"
    assert G.edges["ob", "pj", key]["relation_type"] == "participates_in"
    assert G.edges["ob", "pj", key]["source_urls"] == "https://news.example/x"


def test_json_is_node_link_networkx_reads(tmp_path, tricky):
    out = tmp_path / "g.json"
    regulink.export(tricky, "json", out, structural=True)
    doc = json.loads(out.read_text("utf-8"))
    G = nx.node_link_graph(doc, edges="links")
    assert G.is_multigraph() and G.is_directed()
    assert (G.number_of_nodes(), G.number_of_edges()) == (3, 2)
    assert G.nodes["ob"]["name"] == TRICKY  # exact, control characters included
    assert G.nodes["ob"]["aliases"] == ['Ali"as', "ümlaut 🦄"]
    data = G.edges["ob", "pj", "participates_in:ob:pj:2020-03"]
    assert data["sources"] == ["s1", "s2"] and data["note"] == TRICKY
    assert {s["id"] for s in doc["sources"]} == {"s1", "s2"}


def test_to_networkx_plain_is_accepted_by_networkx_writers(tmp_path, mini):
    with pytest.raises(TypeError):  # the analytics graph keeps tuples: writers refuse it
        nx.write_gexf(regulink.to_networkx(mini), tmp_path / "raw.gexf")
    G = regulink.to_networkx(mini, plain=True)
    nx.write_gexf(G, tmp_path / "a.gexf")
    nx.write_graphml(G, tmp_path / "a.graphml")
    back = nx.read_graphml(tmp_path / "a.graphml", force_multigraph=True)
    assert back.number_of_edges() == len(mini.relations)


# --- tables ------------------------------------------------------------------------------


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_files_round_trip_exact_text(tmp_path, tricky):
    report = regulink.export(tricky, "csv", tmp_path / "out", structural=True)
    assert sorted(p.rsplit("/", 1)[1] for p in report.files) == [
        "entities.csv",
        "relations.csv",
        "sources.csv",
    ]
    ents = {r["id"]: r for r in _rows(tmp_path / "out" / "entities.csv")}
    rels = _rows(tmp_path / "out" / "relations.csv")
    assert len(ents) == 3 and len(rels) == 2
    assert ents["ob"]["name"] == TRICKY and ents["ob"]["description"] == TRICKY
    assert ents["ob"]["aliases"] == 'Ali"as; ümlaut 🦄'
    part = next(r for r in rels if r["type"] == "participates_in")
    assert (part["from"], part["to"], part["start"], part["end"]) == (
        "ob",
        "pj",
        "2020-03",
        "2021-06",
    )
    assert part["note"] == TRICKY and part["sources"] == "s1; s2"
    assert part["class"] == "substantive" and part["symmetric"] == "false"
    assert (part["undated"], part["end_derived"], part["effective_end"]) == (
        "false",
        "false",
        "2021-06",
    )
    member = next(r for r in rels if r["type"] == "member_of")
    assert member["undated"] == "true" and member["start"] == ""
    assert _rows(tmp_path / "out" / "sources.csv")[0]["publisher"] == TRICKY


def test_neo4j_admin_headers_and_rows(tmp_path, mini):
    regulink.export(mini, "neo4j-admin", tmp_path / "adm", structural=True)
    ents = _rows(tmp_path / "adm" / "entities.csv")
    rels = _rows(tmp_path / "adm" / "relations.csv")
    assert "id:ID(Entity)" in ents[0] and ":LABEL" in ents[0] and "aliases:string[]" in ents[0]
    assert len(ents) == len(mini.entities) and len(rels) == len(mini.relations)
    alpha = next(e for e in ents if e["id:ID(Entity)"] == "alpha-ma")
    assert alpha[":LABEL"] == "Entity;CentralBank"
    assert {r[":TYPE"] for r in rels} >= {"MEMBER_OF", "PARTICIPATES_IN"}
    lead = next(r for r in rels if r["key"] == "leads:omega-settlements:project-lark:")
    assert lead["sources:string[]"] == "fx-lark;fx-group"


def test_neo4j_admin_refuses_a_list_value_holding_its_delimiter(tmp_path, tricky):
    bad = FactBase(
        {**tricky.entities, "x": Entity("x", "regulator", "X", None, ("a;b",), "SG")},
        tricky.relations,
        tricky.sources,
    )
    with pytest.raises(ExportError, match="array delimiter"):
        regulink.export(bad, "neo4j-admin", tmp_path / "adm")
    assert not list((tmp_path / "adm").glob("*.csv"))  # nothing half-written


# --- FollowTheMoney ----------------------------------------------------------------------


def test_ftm_entities_valid_in_followthemoney(tmp_path, mini):
    from followthemoney import model

    out = tmp_path / "g.ftm.json"
    report = regulink.export(mini, "ftm", out, structural=True)
    proxies = [model.get_proxy(json.loads(line)) for line in out.read_text("utf-8").splitlines()]
    assert len(proxies) == report.entities + report.relations
    for p in proxies:
        assert p.schema.validate(p.to_dict()) is None, p.to_dict()
    by_id = {p.id: p for p in proxies}
    assert by_id["alpha-ma"].schema.name == "PublicBody"
    assert by_id["project-kite"].schema.name == "Project"
    assert by_id["jo-tan"].schema.name == "Person"
    links = [p for p in proxies if p.schema.edge]
    assert len(links) == report.relations
    for link in links:  # every link joins two exported entities
        for prop in (link.schema.source_prop, link.schema.target_prop):
            assert set(link.get(prop)) <= set(by_id)
    kinds = {link.first("recordId"): link.schema.name for link in links}
    assert kinds["member_of:beta-fsa:kite-policy-group:2023-10"] == "Membership"
    assert kinds["participates_in:delta-bank:project-lark:2022-11"] == "ProjectParticipant"
    assert kinds["works_for:jo-tan:alpha-ma:"] == "Employment"
    assert kinds["launched:alpha-ma:project-kite:2022"] == "UnknownLink"
    member = next(p for p in links if p.first("recordId").startswith("member_of:beta-fsa"))
    assert member.get("startDate") == ["2023-10"]
    assert member.get("member") == ["beta-fsa"]


def test_ftm_validate_cli_keeps_every_entity_as_written(tmp_path, mini):
    """followthemoney's own ``ftm validate`` re-parses and cleans each entity: it must
    change nothing."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "g.ftm.json"
    regulink.export(mini, "ftm", out, structural=True)
    ftm = shutil.which("ftm", path=str(Path(sys.executable).parent))
    assert ftm, "followthemoney's ftm command is installed with the package"
    checked = tmp_path / "checked.ftm.json"
    done = subprocess.run(
        [ftm, "validate", "-i", str(out), "-o", str(checked)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

    def entities(path):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        return sorted(
            (d["id"], d["schema"], {k: sorted(v) for k, v in d["properties"].items()}) for d in rows
        )

    assert entities(checked) == entities(out)


def test_ftm_source_urls(tmp_path, tricky):
    from followthemoney import model

    out = tmp_path / "t.ftm.json"
    regulink.export(tricky, "ftm", out)
    link = next(
        p
        for p in map(model.get_proxy, map(json.loads, out.open(encoding="utf-8")))
        if p.schema.edge
    )
    assert link.get("sourceUrl") == ["https://news.example/x"]
    assert link.schema.name == "ProjectParticipant"


def test_ftm_mapping_covers_the_vocabulary():
    from regulink.graph.schema import load_schema
    from regulink.loaders.export.ftm import mapping

    schema, m = load_schema(), mapping()
    assert set(m["kinds"]) == set(schema.kinds)
    assert set(m["relation_types"]) == set(schema.relation_types)


# --- CLI ---------------------------------------------------------------------------------


def test_cli_export_writes_and_reports(tmp_path, run_mini, mini):
    out = tmp_path / "m.graphml"
    res = run_mini("export", "--format", "graphml", "-o", str(out))
    assert res.exit_code == 0, res.output
    n_ents, n_rels = _counts(mini)
    assert f"{n_ents} entities, {n_rels} relations" in res.output
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == n_rels


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kinds", "regulatr"], "did you mean 'regulator'"),
        (["--as-of", "2023-02-30"], "is not a date"),
        (["--focus", "project-lark", "--kinds", "regulator"], "not selected"),
    ],
)
def test_cli_export_bad_options_exit_2(tmp_path, run_mini, args, message):
    res = run_mini("export", "-f", "json", "-o", str(tmp_path / "x.json"), *args)
    assert res.exit_code == 2 and message in res.output
    assert not (tmp_path / "x.json").exists()


def test_cli_export_format_needs_a_folder_or_a_file(tmp_path, run_mini):
    (tmp_path / "f").write_text("")
    res = run_mini("export", "-f", "csv", "-o", str(tmp_path / "f"))
    assert res.exit_code == 1 and "writes a folder" in res.output
    res = run_mini("export", "-f", "gexf", "-o", str(tmp_path))
    assert res.exit_code == 1 and "writes one file" in res.output


def test_cli_help_lists_every_format():
    from click.testing import CliRunner

    out = CliRunner().invoke(cli, ["export", "--help"]).output
    for fmt in ("gexf", "graphml", "json", "csv", "cypher", "neo4j-admin", "ftm"):
        assert fmt in out


def test_gexf_timeline_uses_effective_dates(tmp_path):
    # A participation with no end of its own ends when its project does (a derived end);
    # the project starts after the authority joined it on paper.
    facts = FactBase(
        {
            "a": Entity("a", "regulator", "A", None, (), "SG"),
            "p": Entity("p", "project", "P", None, (), "INT", start="2021-04", end="2022-06"),
        },
        [Relation("participates_in", "a", "p", "2021", None, None, None, ("s",))],
        {"s": Source("s", "news", "P", "T", None, None)},
    )
    out = tmp_path / "e.gexf"
    regulink.export(facts, "gexf", out)
    (edge,) = [d for _, _, d in nx.read_gexf(out).edges(data=True)]
    assert (edge["start"], edge["end"]) == ("2021-04-01", "2022-06-30")
    assert edge["end_derived"] is True and edge["dates"] == "2021 –"
    assert (edge["effective_start"], edge["effective_end"]) == ("2021-04", "2022-06")


def test_gexf_keeps_hard_text(tmp_path, tricky):
    out = tmp_path / "t.gexf"
    regulink.export(tricky, "gexf", out, structural=True)
    G = nx.read_gexf(out)
    assert G.nodes["ob"]["label"] == "O'B"
    assert G.nodes["ob"]["description"] == TRICKY.replace("\x07", "\ufffd")
    assert (G.nodes["pj"]["start"], G.nodes["pj"]["end"]) == ("2020-02-01", "2022-12-31")


def test_the_export_package_and_its_data_are_installed():
    import tomllib
    from pathlib import Path

    from setuptools import find_packages

    root = Path(__file__).parent.parent
    conf = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    tool = conf["tool"]["setuptools"]
    # the build discovers packages under regulink/ (graph/ and loaders/ through its symlinks)
    found = find_packages(str(root), include=tool["packages"]["find"]["include"])
    assert "regulink.loaders.export" in found
    assert "*.yaml" in tool["package-data"]["regulink.loaders.export"]  # ftm.yaml
    assert "*.json" in tool["package-data"]["regulink.graph"]  # regulink.schema.json
