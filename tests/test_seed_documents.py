"""The bundled knowledge base (seeds/) states what the seed documents state, and is sourced.

For each seed document in ../shared/seed-documents/ the tests list the entities and links the
document states and check that they are in the bundled seeds, read through the public API
(`regulink.load_facts`, `regulink.find`, `regulink.to_networkx`). Then the Part 2 programmes and
the sourcing rule (seeds/README.md) are checked.
"""

from __future__ import annotations

import networkx as nx
import pytest

import regulink

SEED_SOURCE_PREFIX = "seed-"  # sources that are the seed documents themselves (no URL needed)


@pytest.fixture(scope="module")
def facts():
    return regulink.load_facts()


@pytest.fixture(scope="module")
def graph(facts):
    return regulink.to_networkx(facts)


@pytest.fixture(scope="module")
def undirected(graph):
    return graph.to_undirected(as_view=True)


def has_link(facts, src: str, rtype: str, dst: str, *, start: str | None = None) -> bool:
    """True when a relation of `rtype` joins src and dst (either order for symmetric types)."""
    for rel in facts.relations:
        if rel.type != rtype:
            continue
        ends = (rel.from_, rel.to)
        if (ends == (src, dst) or (rel.symmetric and ends == (dst, src))) and (
            start is None or rel.start == start
        ):
            return True
    return False


def assert_entities(facts, ids):
    missing = [i for i in ids if i not in facts.entities]
    assert not missing, f"entities missing from seeds: {missing}"


def assert_links(facts, links):
    missing = [
        link
        for link in links
        if not has_link(facts, *link[:3], start=link[3] if len(link) > 3 else None)
    ]
    assert not missing, f"links missing from seeds: {missing}"


def within(undirected, a: str, b: str, hops: int) -> bool:
    try:
        return nx.shortest_path_length(undirected, a, b) <= hops
    except nx.NetworkXNoPath:
        return False


# ---------------------------------------------------------------- seed document 000, article 1
# Cointelegraph, 30 Oct 2023: MAS partners FSA, FCA and FINMA; Project Guardian policymaker group;
# Leong Sing Chiong; the September 2023 wholesale CBDC test with the BIS, France and Switzerland.

DOC000_MAS_ENTITIES = [
    "mas",
    "fsa-jp",
    "fca-uk",
    "finma",
    "project-guardian",
    "project-guardian-policymaker-group",
    "leong-sing-chiong",
    "bis",
    "banque-de-france",
    "snb",
    "project-mariana",
]
DOC000_MAS_LINKS = [
    ("mas", "launched", "project-guardian", "2022-05-31"),
    ("mas", "launched", "project-guardian-policymaker-group", "2023-10-30"),
    ("mas", "leads", "project-guardian-policymaker-group", "2023-10-30"),
    ("fsa-jp", "member_of", "project-guardian-policymaker-group", "2023-10-30"),
    ("fca-uk", "member_of", "project-guardian-policymaker-group", "2023-10-30"),
    ("finma", "member_of", "project-guardian-policymaker-group", "2023-10-30"),
    ("project-guardian-policymaker-group", "part_of", "project-guardian"),
    ("mas", "partners_with", "fsa-jp", "2023-10-30"),
    ("mas", "partners_with", "fca-uk", "2023-10-30"),
    ("mas", "partners_with", "finma", "2023-10-30"),
    ("leong-sing-chiong", "works_for", "mas"),
    ("mas", "participates_in", "project-mariana"),
    ("banque-de-france", "participates_in", "project-mariana"),
    ("snb", "participates_in", "project-mariana"),
    ("bis", "participates_in", "project-mariana"),
]


def test_doc000_mas_article_entities_and_links(facts):
    assert_entities(facts, DOC000_MAS_ENTITIES)
    assert_links(facts, DOC000_MAS_LINKS)


@pytest.mark.parametrize("other", ["finma", "snb", "fsa-jp", "fca-uk", "banque-de-france", "bis"])
def test_doc000_mas_reaches_partners_within_two_hops(undirected, other):
    assert within(undirected, "mas", other, 2)


def test_doc000_leong_sing_chiong_role(facts):
    roles = [
        r.role for r in facts.relations if r.type == "works_for" and r.from_ == "leong-sing-chiong"
    ]
    assert any(role and "Deputy Managing Director" in role for role in roles)


# ---------------------------------------------------------------- seed document 000, article 2
# Cyberport (Feb 2025): AI STR forum, 2025-26 Budget, HK AI R&D Institute, AISC, WDTA, AI Subsidy
# Scheme.

DOC000_CYBERPORT_ENTITIES = [
    "cyberport",
    "ai-str-forum-2025",
    "hksar-government",
    "hk-budget-2025-26",
    "hk-ai-rd-institute",
    "paul-chan",
    "cyberport-aisc",
    "wdta",
    "wdta-apac-institute",
    "yale-li",
    "ai-subsidy-scheme",
]
DOC000_CYBERPORT_LINKS = [
    ("cyberport", "hosts", "ai-str-forum-2025", "2025-02-27"),
    ("wdta", "organises", "ai-str-forum-2025"),
    ("hksar-government", "issued", "hk-budget-2025-26", "2025-02-26"),
    ("paul-chan", "works_for", "hksar-government"),
    ("paul-chan", "announced", "hk-ai-rd-institute", "2025-02-26"),
    ("hksar-government", "funds", "hk-ai-rd-institute"),
    ("cyberport", "operates", "cyberport-aisc", "2024-12-09"),
    ("wdta", "launched", "wdta-apac-institute"),
    ("cyberport", "hosts", "wdta-apac-institute"),
    ("yale-li", "works_for", "wdta"),
    ("hksar-government", "funds", "ai-subsidy-scheme"),
    ("hksar-government", "funds", "cyberport"),
]


def test_doc000_cyberport_article_entities_and_links(facts):
    assert_entities(facts, DOC000_CYBERPORT_ENTITIES)
    assert_links(facts, DOC000_CYBERPORT_LINKS)


def test_doc000_cyberport_names_resolve(facts):
    assert regulink.find(facts, "Cyberport")[0].id == "cyberport"
    assert regulink.find(facts, "AISC")[0].id == "cyberport-aisc"
    assert regulink.find(facts, "WDTA")[0].id == "wdta"


# ---------------------------------------------------------------- seed document 003, main article
# CoinNess, 27 June 2025: FSTB's Policy Statement 2.0 (LEAP), the 2022 statement, the SFC's
# ASPIRe roadmap, the 2023 tokenised green bond, the stablecoin regime, Cyberport's support.

DOC003_LEAP_ENTITIES = [
    "fstb",
    "hksar-government",
    "hk-policy-statement-2",
    "hk-policy-statement-2022",
    "aspire-roadmap",
    "sfc-hk",
    "hk-tokenised-green-bond-2023",
    "hk-stablecoin-licensing-regime",
    "hkma",
    "cyberport",
]
DOC003_LEAP_LINKS = [
    ("fstb", "issued", "hk-policy-statement-2", "2025-06-26"),
    ("fstb", "issued", "hk-policy-statement-2022", "2022-10"),
    ("hk-policy-statement-2", "builds_on", "hk-policy-statement-2022"),
    ("hk-policy-statement-2", "builds_on", "aspire-roadmap"),
    ("sfc-hk", "issued", "aspire-roadmap", "2025-02-19"),
    ("fstb", "part_of", "hksar-government"),
    ("hksar-government", "issued", "hk-tokenised-green-bond-2023", "2023-02"),
    ("hkma", "operates", "hk-stablecoin-licensing-regime", "2025-08-01"),
    ("cyberport", "supports", "hk-policy-statement-2"),
]


def test_doc003_leap_article_entities_and_links(facts):
    assert_entities(facts, DOC003_LEAP_ENTITIES)
    assert_links(facts, DOC003_LEAP_LINKS)


@pytest.mark.parametrize(
    "text", ["FSTB", "Financial Services and the Treasury Bureau", "財經事務及庫務局"]
)
def test_doc003_find_ranks_hong_kong_bureau_first(facts, text):
    assert regulink.find(facts, text)[0].id == "fstb"


@pytest.mark.parametrize("text", ["LEAP", "ASPIRe", "SFC", "HKMA"])
def test_doc003_policy_names_resolve(facts, text):
    expected = {
        "LEAP": "hk-policy-statement-2",
        "ASPIRe": "aspire-roadmap",
        "SFC": "sfc-hk",
        "HKMA": "hkma",
    }
    assert regulink.find(facts, text)[0].id == expected[text]


def test_doc003_fstb_reaches_sfc_and_cyberport(undirected):
    assert within(undirected, "fstb", "sfc-hk", 3)
    assert within(undirected, "fstb", "cyberport", 2)


# ---------------------------------------------------------------- seed document 003, short articles

DOC003_MAELSTROM_ENTITIES = [
    "maelstrom",
    "arthur-hayes",
    "bitmex",
    "federal-reserve",
    "fed-overnight-rrp",
    "fed-btfp",
]
DOC003_MAELSTROM_LINKS = [
    ("arthur-hayes", "works_for", "maelstrom"),
    ("arthur-hayes", "founded", "bitmex"),
    ("maelstrom", "located_in", "hong-kong"),
    ("federal-reserve", "operates", "fed-overnight-rrp"),
    ("federal-reserve", "operates", "fed-btfp"),
]

DOC003_CIPHERBLADE_ENTITIES = [
    "cipherblade",
    "richard-sanders",
    "justin-maile",
    "singapore",
    "pittsburgh",
]
DOC003_CIPHERBLADE_LINKS = [
    ("cipherblade", "located_in", "singapore", "2023-05"),
    ("cipherblade", "located_in", "pittsburgh"),
    ("richard-sanders", "founded", "cipherblade", "2018"),
    ("richard-sanders", "works_for", "cipherblade"),
    ("justin-maile", "works_for", "cipherblade"),
]

KOREAN_BANKS = ["nonghyup-bank", "hana-bank", "dgb-daegu-bank", "gwangju-bank"]
DOC003_KOREA_ENTITIES = [
    "kftc",
    "geps",
    "kfb",
    "seoul",
    "kr-civil-servant-loan-blockchain",
    *KOREAN_BANKS,
]
DOC003_KOREA_LINKS = [
    ("kftc", "participates_in", "kr-civil-servant-loan-blockchain", "2023-07-14"),
    ("geps", "participates_in", "kr-civil-servant-loan-blockchain", "2023-07-14"),
    ("kftc", "partners_with", "geps", "2023-07-14"),
    ("kfb", "located_in", "seoul"),
    *[
        (bank, "participates_in", "kr-civil-servant-loan-blockchain", "2023-07-14")
        for bank in KOREAN_BANKS
    ],
]


def test_doc003_maelstrom_article(facts):
    assert_entities(facts, DOC003_MAELSTROM_ENTITIES)
    assert_links(facts, DOC003_MAELSTROM_LINKS)


def test_doc003_cipherblade_article(facts):
    assert_entities(facts, DOC003_CIPHERBLADE_ENTITIES)
    assert_links(facts, DOC003_CIPHERBLADE_LINKS)


def test_doc003_korea_article(facts, undirected):
    assert_entities(facts, DOC003_KOREA_ENTITIES)
    assert_links(facts, DOC003_KOREA_LINKS)
    assert within(undirected, "kftc", "geps", 2)
    for bank in KOREAN_BANKS:
        assert within(undirected, bank, "kftc", 2)
        assert within(undirected, bank, "geps", 2)


@pytest.mark.parametrize(
    "text,expected", [("KFTC", "kftc"), ("GEPS", "geps"), ("금융결제원", "kftc")]
)
def test_doc003_korean_names_resolve(facts, text, expected):
    assert regulink.find(facts, text)[0].id == expected


# ---------------------------------------------------------------- Part 2: the programmes

BIS_PROJECTS = {
    # project: central banks (or BIS Hub centres) that must take part in or lead it
    "project-mariana": ["banque-de-france", "mas", "snb"],
    "project-dunbar": ["rba", "bnm", "mas", "sarb"],
    "project-mbridge": ["hkma", "bot", "pboc-dci", "cbuae", "sama"],
    "project-agora": ["banque-de-france", "boj", "bok", "banxico", "snb", "boe", "frbny"],
    "project-jura": ["banque-de-france", "snb"],
    "project-helvetia": ["snb"],
    "project-icebreaker": ["bank-of-israel", "norges-bank", "riksbank"],
    "project-nexus": ["bnm", "bsp", "mas", "bot", "rbi"],
    "project-aurum": ["hkma"],
    "project-sela": ["hkma", "bank-of-israel"],
}


@pytest.mark.parametrize("project", sorted(BIS_PROJECTS))
def test_bis_innovation_hub_projects_and_their_central_banks(facts, project):
    assert project in facts.entities
    for bank in BIS_PROJECTS[project]:
        assert has_link(facts, bank, "participates_in", project) or has_link(
            facts, bank, "leads", project
        ), (bank, project)


def test_bis_projects_are_linked_to_the_hub(undirected):
    for project in BIS_PROJECTS:
        assert within(undirected, project, "bis-innovation-hub", 2) or within(
            undirected, project, "bis", 2
        ), project


def test_mbridge_builds_on_inthanon_lionrock(facts):
    assert has_link(facts, "project-mbridge", "builds_on", "project-inthanon-lionrock")
    assert has_link(facts, "hkma", "launched", "project-inthanon-lionrock")


def test_mas_and_hkma_programmes(facts):
    assert_links(
        facts,
        [
            ("mas", "launched", "project-ubin", "2016-11-16"),
            ("mas", "launched", "project-orchid"),
            ("hkma", "launched", "project-ensemble", "2024-03"),
            ("gfma", "member_of", "project-guardian-industry-group", "2024-06-27"),
            ("icma", "member_of", "project-guardian-industry-group", "2024-06-27"),
            ("isda", "member_of", "project-guardian-industry-group", "2024-06-27"),
        ],
    )


@pytest.mark.parametrize(
    "regulator,body",
    [
        ("mas", "bis"),
        ("hkma", "bis"),
        ("snb", "bis"),
        ("banque-de-france", "bis"),
        ("mas", "bcbs"),
        ("finma", "bcbs"),
        ("fsa-jp", "bcbs"),
        ("snb", "fsb"),
        ("fca-uk", "gfin"),
        ("mas", "gfin"),
        ("hkma", "gfin"),
        ("sfc-hk", "gfin"),
    ],
)
def test_standard_setter_memberships(facts, regulator, body):
    assert has_link(facts, regulator, "member_of", body)


# ---------------------------------------------------------------- size and sourcing rule


def test_size_targets(facts):
    stats = regulink.stats(facts)
    assert stats["entities"] >= 150
    assert stats["relations"] >= 400
    assert stats["relations_without_source"] == 0


def test_every_non_seed_source_has_a_url(facts):
    missing = [
        s.id
        for s in facts.sources.values()
        if not s.id.startswith(SEED_SOURCE_PREFIX) and not s.url
    ]
    assert not missing, f"sources without URL: {missing}"


def test_part2_relations_cite_only_sources_with_urls(facts):
    """A relation that cites no seed document is a Part 2 fact: every source it cites has a URL."""
    bad = []
    for rel in facts.relations:
        if any(s.startswith(SEED_SOURCE_PREFIX) for s in rel.sources):
            continue
        if not all(facts.sources[s].url for s in rel.sources):
            bad.append((rel.type, rel.from_, rel.to))
    assert not bad, bad


def test_seed_only_relations_are_few(facts):
    """Relations backed only by a seed document (no URL found) stay the exception."""
    seed_only = [r for r in facts.relations if not any(facts.sources[s].url for s in r.sources)]
    assert all(all(s.startswith(SEED_SOURCE_PREFIX) for s in r.sources) for r in seed_only)
    assert len(seed_only) <= 10, [(r.type, r.from_, r.to) for r in seed_only]


def test_every_relation_has_an_evidence_note(facts):
    assert all(r.note for r in facts.relations)
