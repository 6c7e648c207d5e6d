"""``regulink draft``: hand-written short texts with known answers, bad input, the CLI, the
saved matcher, and the seed documents' measured recall and precision."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli
from regulink.errors import ArticleError

BASE = """
entities:
  - {id: mas, kind: central_bank, name: Monetary Authority of Singapore, short_name: MAS,
     aliases: [新加坡金融管理局], jurisdiction: SG}
  - {id: fsa-jp, kind: regulator, name: Financial Services Agency, short_name: FSA,
     aliases: [金融庁], jurisdiction: JP}
  - {id: fsa-xx, kind: regulator, name: Financial Supervisory Authority, short_name: FSA,
     jurisdiction: IS}
  - {id: finma, kind: regulator, name: Swiss Financial Market Supervisory Authority,
     short_name: FINMA, aliases: [Eidgenössische Finanzmarktaufsicht], jurisdiction: CH}
  - {id: fca-uk, kind: regulator, name: Financial Conduct Authority, short_name: FCA,
     jurisdiction: GB}
  - {id: project-orchid, kind: project, name: Project Orchid, jurisdiction: SG}
  - {id: leong-sing-chiong, kind: person, name: Leong Sing Chiong, jurisdiction: SG}
  - {id: korea-exchange-authority, kind: company, name: Korea Exchange Authority Holdings,
     jurisdiction: KR}
  - {id: open-ledger, kind: company, name: Open Ledger, jurisdiction: US}
  - {id: budget-2025, kind: framework, name: 2025-26 Budget, jurisdiction: HK}
relations:
  - {type: partners_with, from: mas, to: fca-uk, sources: [s1], note: known}
sources:
  - {id: s1, kind: news, publisher: P, title: T, date: 2023-01-01, url: "https://example.org/"}
"""


@pytest.fixture
def base(write):
    return write("base/facts.yaml", BASE)


@pytest.fixture
def facts(base):
    return regulink.load_facts([base], cache=False)


def run(facts, write, text, **options):
    return regulink.api.draft(write("article.txt", text), facts=facts, **options)


def test_mentions_in_any_script_with_line_and_column(facts, write):
    d = run(
        facts,
        write,
        "Today MAS spoke.\n金融庁と新加坡金融管理局が合意。 Die Eidgenossische "
        "Finanzmarktaufsicht nickte.",
    )
    got = [(e["id"], e["line"], e["column"], e["text"]) for e in d["entities"]]
    assert ("mas", 1, 7, "MAS") in got
    assert ("fsa-jp", 2, 1, "金融庁") in got
    assert ("mas", 2, 5, "新加坡金融管理局") in got
    assert any(e[0] == "finma" and e[3] == "Eidgenossische Finanzmarktaufsicht" for e in got)


def test_lowercase_word_is_not_an_abbreviation(facts, write):
    d = run(facts, write, "The mas of people was fca-free.")
    assert d["entities"] == []


def test_a_cased_name_in_plain_lowercase_words_is_prose(facts, write):
    d = run(facts, write, "An open ledger is not Open Ledger.\nThe 2025-26 budget passed.")
    got = [(e["id"], e["line"], e["column"]) for e in d["entities"] if e["known"]]
    assert got == [("open-ledger", 1, 23), ("budget-2025", 2, 5)]


def test_ambiguous_abbreviation_resolved_from_a_spelled_out_name(facts, write):
    d = run(facts, write, "The Financial Services Agency met MAS.\nLater the FSA agreed.")
    fsa = [e for e in d["entities"] if e["text"] == "FSA"]
    assert fsa[0]["id"] == "fsa-jp" and "elsewhere" in fsa[0]["resolved_by"]


def test_ambiguous_abbreviation_resolved_from_a_nearby_jurisdiction(facts, write):
    d = run(facts, write, "In Japan, the FSA said so.")
    assert [e["id"] for e in d["entities"] if e["text"] == "FSA"] == ["fsa-jp"]


def test_ambiguous_abbreviation_listed_with_candidates(facts, write):
    d = run(facts, write, "The FSA said so.")
    (fsa,) = d["entities"]
    assert fsa["id"] is None and fsa["candidates"] == ["fsa-jp", "fsa-xx"]
    assert "AMBIGUOUS FSA" in d["yaml"]


def test_new_candidate_gets_guesses_and_a_free_id(facts, write):
    d = run(facts, write, "The Korea Exchange Authority (KXA) partnered with MAS. KXA grew.")
    (cand,) = d["candidates"]
    assert cand["name"] == "Korea Exchange Authority" and cand["short_name"] == "KXA"
    assert (cand["kind"], cand["jurisdiction"]) == ("regulator", "KR")
    assert cand["id"] == "korea-exchange-authority-2"  # the plain slug is taken
    kxa = [e for e in d["entities"] if e["id"] == cand["id"]]
    assert len(kxa) == 3 and not any(e["known"] for e in kxa)
    assert {(r["type"], r["from"], r["to"]) for r in d["relations"]} == {
        ("partners_with", cand["id"], "mas")
    }


def test_relations_from_cues_with_direction_and_dates(facts, write):
    d = run(
        facts,
        write,
        "MAS said on Oct. 30 that it is partnering with the FSA of Japan, FINMA and the FCA.\n"
        "Project Orchid was launched by MAS in September 2023.\n"
        "MAS deputy managing director, Leong Sing Chiong, spoke.",
        date="2023-11-02",
    )
    rels = {(r["type"], r["from"], r["to"]): r for r in d["relations"]}
    assert set(rels) == {
        ("partners_with", "mas", "fsa-jp"),
        ("partners_with", "mas", "finma"),
        ("partners_with", "mas", "fca-uk"),
        ("launched", "mas", "project-orchid"),
        ("works_for", "leong-sing-chiong", "mas"),
    }
    assert rels[("partners_with", "mas", "finma")]["start"] == "2023-10-30"
    assert rels[("launched", "mas", "project-orchid")]["start"] == "2023-09"
    assert rels[("works_for", "leong-sing-chiong", "mas")]["start"] is None
    ev = rels[("launched", "mas", "project-orchid")]["evidence"]
    assert (ev["line"], ev["column"]) == (2, 1) and ev["sentence"].startswith("Project Orchid")
    assert rels[("partners_with", "mas", "fca-uk")]["known"] is True
    assert rels[("partners_with", "mas", "finma")]["known"] is False


def test_subject_read_past_an_apposition_and_amounts(facts, write):
    d = run(
        facts,
        write,
        "The MAS, the central bank and financial regulator of the city state, has launched "
        "Project Orchid.\nThe MAS funded $3 billion 200 million dollars to the FCA.",
    )
    assert {(r["type"], r["from"], r["to"]) for r in d["relations"]} == {
        ("launched", "mas", "project-orchid"),
        ("funds", "mas", "fca-uk"),
    }


def test_role_noun_reads_its_ends_by_kind(facts, write):
    d = run(
        facts,
        write,
        "Leong Sing Chiong, chief of the FCA, spoke.\n"
        "The MAS chief, Leong Sing Chiong, spoke.\n"
        "Project Orchid, a MAS project, chief among them, grew.",
    )
    assert [(r["type"], r["from"], r["to"]) for r in d["relations"]] == [
        ("works_for", "leong-sing-chiong", "fca-uk"),
        ("works_for", "leong-sing-chiong", "mas"),
    ]


def test_reference_back_to_an_entity_of_a_fitting_kind(facts, write):
    d = run(
        facts,
        write,
        "Project Orchid started. MAS spoke. The regulator then joined the "
        "new project. The regulator of the city state agreed.",
    )
    refs = [(e["text"], e["id"]) for e in d["entities"] if e["via"] == "reference"]
    # "the regulator of ..." describes rather than refers back: not a mention
    assert refs == [("The regulator", "mas"), ("the new project", "project-orchid")]
    assert [(r["type"], r["from"], r["to"]) for r in d["relations"]] == [
        ("participates_in", "mas", "project-orchid")
    ]


def test_relative_date_without_article_date_is_left_out(facts, write):
    d = run(facts, write, "On Oct. 30 MAS partnered with FINMA.")
    assert d["relations"][0]["start"] is None


def test_draft_yaml_validates_with_the_base_and_does_not_repeat_known_facts(
    facts, base, write, tmp_path
):
    d = run(
        facts,
        write,
        "MAS is partnering with FINMA and the FCA. The Korea Digital Asset "
        "Bureau joined Project Orchid.",
        url="https://example.org/a",
        date="2024-01-05",
        publisher="Example News",
    )
    out = tmp_path / "draft.yaml"
    out.write_text(d["yaml"], encoding="utf-8")
    report = regulink.validate([base, out])
    assert report.ok, [str(p) for p in report.problems]
    rels = [(r.type, r.from_, r.to) for r in report.facts.relations]
    assert rels.count(("partners_with", "mas", "fca-uk")) == 1  # known: not stated again
    assert ("partners_with", "mas", "finma") in rels
    assert ("participates_in", "korea-digital-asset-bureau", "project-orchid") in rels
    assert "# Already in the base" in d["yaml"] and "DRAFT" in d["yaml"]
    src = report.facts.sources[d["source"]["id"]]
    assert (src.publisher, src.url, src.date) == (
        "Example News",
        "https://example.org/a",
        "2024-01-05",
    )
    assert report.facts.entities["korea-digital-asset-bureau"].jurisdiction == "KR"


def test_html_boilerplate_and_scripts_are_stripped(facts, write):
    html = (
        "<html><head><title>MAS news</title><script>var FINMA = 1;</script></head><body>"
        "<nav>Home FCA</nav><article><h1>MAS teams up</h1><p>The Monetary Authority of "
        "Singapore is partnering with the Swiss Financial Market Supervisory Authority on "
        "tokenisation pilots, the regulators said on Monday in a joint statement.</p>"
        "</article><footer>FCA cookies</footer></body></html>"
    )
    d = regulink.api.draft(html.encode(), facts=facts)
    assert {e["id"] for e in d["entities"]} == {"mas", "finma"}


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-8-sig"])
def test_other_encodings_are_read(facts, write, encoding):
    text = "Die Eidgenössische Finanzmarktaufsicht und die MAS arbeiten zusammen, sagte sie."
    d = regulink.api.draft(text.encode(encoding), facts=facts)
    assert {e["id"] for e in d["entities"]} == {"finma", "mas"}


def test_html_without_article_text_is_refused(facts):
    html = b"<html><head><script>document.write('MAS')</script></head><body></body></html>"
    with pytest.raises(ArticleError, match="no article text"):
        regulink.api.draft(html, facts=facts)


def test_names_inside_unspaced_script_runs(facts, write):
    d = run(facts, write, "新加坡金融管理局与金融庁合作。")  # no spaces, no word boundaries
    assert [(e["id"], e["column"]) for e in d["entities"]] == [("mas", 1), ("fsa-jp", 10)]


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "PNG image"),
        (b"abc\x00\x01\x02def", "NUL bytes"),
        (bytes(range(1, 9)) * 100, "control characters"),
    ],
)
def test_bad_input_is_refused_with_a_message(facts, data, message):
    with pytest.raises(ArticleError, match=message):
        regulink.api.draft(data, facts=facts)


@pytest.fixture
def cli_run(base, cache_dir):
    def _run(*args):
        return CliRunner().invoke(cli, ["--seeds", str(base), "draft", *args])

    return _run


def test_cli_json_shape(cli_run, write, base):
    article = write("a.txt", "MAS is partnering with FINMA.")
    res = cli_run(str(article), "--json", "--date", "2024-02-01", "--publisher", "P")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert list(d) == ["source", "entities", "relations"]
    assert {"id", "text", "line", "column", "known"} <= set(d["entities"][0])
    (rel,) = d["relations"]
    assert {"type", "from", "to", "start", "evidence", "known"} <= set(rel)
    assert set(rel["evidence"]) == {"line", "column", "sentence"}
    # through the API: the same answer
    api = regulink.api.draft(
        article, facts=regulink.load_facts([base]), date="2024-02-01", publisher="P"
    )
    assert api["relations"] == d["relations"] and api["entities"] == d["entities"]


def test_cli_writes_the_draft_file_and_never_the_seeds(cli_run, write, base, tmp_path):
    before = base.read_bytes(), os.stat(base).st_mtime_ns
    article = write("a.txt", "MAS is partnering with FINMA.")
    out = tmp_path / "draft.yaml"
    res = cli_run(str(article), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert "1 relations proposed" in res.stderr
    assert "type: partners_with" in out.read_text(encoding="utf-8")
    assert (base.read_bytes(), os.stat(base).st_mtime_ns) == before


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"\x7fELF\x02\x01\x01\x00", "program"),
    ],
)
def test_cli_bad_input_exits_1_without_traceback(cli_run, write, content, message):
    res = cli_run(str(write("bad.txt", content)))
    assert res.exit_code == 1 and message in res.output
    assert "Traceback" not in res.output


def test_cli_refuses_a_50_mb_file(cli_run, tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    res = cli_run(str(big))
    assert res.exit_code == 1 and "50 MB" in res.output and "Traceback" not in res.output


def test_cli_bad_date_is_a_usage_error(cli_run, write):
    res = cli_run(str(write("a.txt", "MAS.")), "--date", "2023-02-30")
    assert res.exit_code == 2 and "not a date" in res.output


def test_matcher_is_saved_and_a_damaged_one_rebuilt(base, cache_dir, write):
    facts = regulink.load_facts([base], cache=False)
    first = regulink.api.draft_index([base], facts=facts)
    saved = list(cache_dir.glob("facts-*.draft.sqlite"))
    assert len(saved) == 1 and first is not None
    assert regulink.api.draft_index([base]) is not None  # read back, no facts
    saved[0].write_bytes(b"not a database at all")
    assert regulink.api.draft_index([base]) is None  # failed its check
    again = regulink.api.draft_index([base], facts=facts)  # rebuilt
    assert again.entity("mas").name == "Monetary Authority of Singapore"
    base.write_text(base.read_text() + "\n")  # the facts changed
    assert regulink.api.draft_index([base]) is None
    from regulink.loaders.cache import FactCache

    FactCache(cache_dir).clear()
    assert not list(cache_dir.glob("facts-*.draft.sqlite"))


# ---------------------------------------------------------------- the seed documents


def test_seed_documents_recall_and_precision():
    """The figures docs/draft.md reports; the thresholds sit at what was measured, so a
    change that loses recall or precision fails here."""
    import draft_quality as q

    if q.seed_documents_dir() is None:
        pytest.skip("shared/seed-documents is not beside the repository")
    t = q.totals(q.measure())
    assert t["mentions"]["recall"] >= 0.90 and t["mentions"]["precision"] >= 0.93
    assert t["relations"]["recall"] >= 0.62 and t["relations"]["precision"] >= 0.95


def test_cli_with_caches_off_builds_the_matcher_in_memory(base, write, cache_dir, monkeypatch):
    monkeypatch.setenv("REGULINK_CACHE", "0")
    article = write("a.txt", "MAS is partnering with FINMA.")
    res = CliRunner().invoke(cli, ["--seeds", str(base), "draft", str(article), "--json"])
    assert res.exit_code == 0, res.output
    assert [r["to"] for r in json.loads(res.stdout)["relations"]] == ["finma"]
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_html_metadata_fills_the_source(facts):
    html = (
        "<html><head><title>MAS and FINMA team up</title>"
        "<meta property='og:site_name' content='Example Wire'>"
        "<meta property='article:published_time' content='2024-03-05'>"
        "<link rel='canonical' href='https://example.org/mas-finma'></head><body><article>"
        "<p>The Monetary Authority of Singapore is partnering with the Swiss Financial "
        "Market Supervisory Authority on tokenisation pilots, the regulators said.</p>"
        "</article></body></html>"
    )
    src = regulink.api.draft(html.encode(), facts=facts)["source"]
    assert (src["title"], src["publisher"], src["date"], src["url"]) == (
        "MAS and FINMA team up",
        "Example Wire",
        "2024-03-05",
        "https://example.org/mas-finma",
    )


# ------------------------------------------- general mechanisms, on texts written for them

MORE = """
entities:
  - {id: bank-fr, kind: central_bank, name: Banque Exemple, jurisdiction: FR}
  - {id: bank-ch, kind: central_bank, name: Helvetic Reserve, jurisdiction: CH}
  - {id: reg-jp-1, kind: regulator, name: Tokyo Markets Board, jurisdiction: JP}
  - {id: reg-jp-2, kind: regulator, name: Osaka Exchange Watch, jurisdiction: JP}
  - {id: gov-nz, kind: government_body, name: New Zealand Government, jurisdiction: NZ}
  - {id: treasury-nz, kind: government_body, name: Kiwi Treasury Office, jurisdiction: NZ}
  - {id: green-note, kind: project, name: Green Note 2030, aliases: [tokenised green note],
     jurisdiction: NZ}
  - {id: data-summit, kind: event, name: Data Ethics Summit 2031, short_name: DE Summit,
     jurisdiction: NZ}
  - {id: ledger-lab, kind: academic_institution, name: Ledger Lab, jurisdiction: NZ}
  - {id: rail-guild, kind: industry_body, name: Rail Bankers Guild, short_name: RBG,
     jurisdiction: NZ}
  - {id: auckland, kind: place, name: Auckland, jurisdiction: NZ}
  - {id: clearing-house, kind: financial_institution, name: Southern Clearing House,
     jurisdiction: NZ}
  - {id: pension-office, kind: government_body, name: Civil Pension Office, jurisdiction: NZ}
  - {id: kiwi-bank, kind: financial_institution, name: Fern Bank, jurisdiction: NZ}
  - {id: sandbox-x, kind: project, name: Project Kea, jurisdiction: NZ}
  - {id: sandbox-x-group, kind: programme, name: Project Kea steering group, jurisdiction: NZ}
  - {id: swap-line, kind: infrastructure, name: Standing Swap Line, short_name: SSL,
     jurisdiction: FR}
"""


@pytest.fixture
def more(write):
    return regulink.load_facts([write("more/facts.yaml", MORE)], cache=False)


def test_american_and_british_spellings_fold_together(more, write):
    d = run(more, write, "The tokenized green note sold out.")
    assert [(e["id"], e["text"]) for e in d["entities"]] == [("green-note", "tokenized green note")]


def test_reference_with_a_modifier_from_the_name_reaches_further_back(more, write):
    filler = " ".join(f"Sentence {i} says nothing." for i in range(6))
    d = run(
        more,
        write,
        f"The Data Ethics Summit 2031 met. {filler} Ledger Lab, one of the "
        "co-organizers of the ethics summit, spoke. The spring summit closed.\n"
        f"Fern Bank opened. {filler} The summit closed.",
    )
    refs = [(e["text"], e["id"]) for e in d["entities"] if e["via"] == "reference"]
    # "ethics" is a word of the summit's name: far back, still the summit. "spring" is not,
    # and a bare "the summit" reaches only a few sentences back.
    assert refs == [("the ethics summit", "data-summit")]
    assert [(r["type"], r["from"], r["to"]) for r in d["relations"]] == [
        ("organises", "ledger-lab", "data-summit")
    ]


def _rels(d):
    return {(r["type"], r["from"], r["to"]) for r in d["relations"]}


def rels_in(facts, write, text):
    """The (type, from, to) the draft of ``text`` proposes."""
    return _rels(run(facts, write, text))


def test_bodies_described_by_kind_and_place(more, write):
    d = run(
        more,
        write,
        "Ledger Lab is partnering with the central banks of France and Switzerland.\n"
        "Japan's regulator declined. The government of New Zealand agreed.\n"
        "Banque Exemple spoke; later the Swiss central bank and the French regulators spoke.",
    )
    described = [(e["text"], e["id"]) for e in d["entities"] if e["via"] == "description"]
    # two regulators in Japan: no guess; two government bodies in New Zealand: the one whose
    # name holds "government"; "the Swiss central bank" is not a reference back to the
    # central bank just named; "the French regulators" is a group, not one body
    assert described == [
        ("central banks of France", "bank-fr"),
        ("Switzerland", "bank-ch"),
        ("government of New Zealand", "gov-nz"),
        ("Swiss central bank", "bank-ch"),
    ]
    assert _rels(d) == {
        ("partners_with", "ledger-lab", "bank-fr"),
        ("partners_with", "ledger-lab", "bank-ch"),
    }


def test_a_body_in_a_place_and_what_sits_at_a_body(more, write):
    text = (
        "The Rail Bankers Guild in Auckland opened the Ledger Lab at the Southern Clearing "
        "House.\nFern Bank said in Auckland that Ledger Lab, at Fern Bank, grew."
    )
    # a word or a comma between the two is not the construction
    assert rels_in(more, write, text) == {
        ("located_in", "rail-guild", "auckland"),
        ("hosts", "clearing-house", "ledger-lab"),
    }


def test_coordinated_subjects_of_a_symmetric_cue_pair_up(more, write):
    text = (
        "Under the plan, Auckland, Fern Bank, the Southern Clearing House and the Civil Pension "
        "Office are coming together to build a ledger.\n"
        "Fern Bank hired many new staff while the Rail Bankers Guild teamed up."
    )
    # the place is not a body, and a clause between two names ends the list
    assert rels_in(more, write, text) == {
        ("partners_with", "kiwi-bank", "clearing-house"),
        ("partners_with", "kiwi-bank", "pension-office"),
        ("partners_with", "clearing-house", "pension-office"),
    }


def test_a_name_that_is_another_plus_a_group_head_is_part_of_it(more, write):
    # Project Kea itself is not named
    assert rels_in(more, write, "The Project Kea steering group met in 2031.") == set()
    d = run(more, write, "Project Kea grew.\nThe Project Kea steering group met in 2031.")
    assert [(r["type"], r["from"], r["to"], r["start"]) for r in d["relations"]] == [
        ("part_of", "sandbox-x-group", "sandbox-x", None)
    ]


def test_a_body_named_as_a_modifier_of_its_facility(more, write):
    text = "The Banque Exemple SSL expired. Banque Exemple, SSL and others met."
    assert rels_in(more, write, text) == {("operates", "bank-fr", "swap-line")}


def test_a_matcher_saved_with_other_name_folding_is_rebuilt(base, cache_dir, monkeypatch):
    from regulink.loaders.draft import gazetteer

    facts = regulink.load_facts([base], cache=False)
    monkeypatch.setattr(gazetteer, "_FORMAT", "folded the old way")
    assert regulink.api.draft_index([base], facts=facts) is not None
    monkeypatch.undo()
    assert regulink.api.draft_index([base]) is None  # failed its check: rebuilt on demand


def test_a_known_name_inside_a_new_body_name_is_a_modifier(facts, write):
    d = run(
        facts,
        write,
        "The Korea Open Ledger Bureau joined Project Orchid.\nOpen Ledger Opens Tokyo Office\n",
    )
    # the firm opening a headline is the firm, not a new "... Office"
    assert [c["name"] for c in d["candidates"]] == ["Korea Open Ledger Bureau"]
    assert [(r["type"], r["from"], r["to"]) for r in d["relations"]] == [
        ("participates_in", "korea-open-ledger-bureau", "project-orchid")
    ]
