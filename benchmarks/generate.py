"""Write a synthetic but realistically shaped, valid fact set of a chosen size.

The shape follows what a full knowledge base would look like (issue 7):

- up to every jurisdiction in ``graph/jurisdictions.yaml`` (a few hundred), each with a central
  bank, one to three regulators and a ministry, plus international and EU bodies;
- financial institutions and companies whose degree is heavy-tailed (Zipf weights: a few
  global banks sit in hundreds of relations, most firms in one or two), spread over
  jurisdictions that are themselves heavy-tailed (a few financial centres hold most firms);
- projects with 3 to 40 participants (also heavy-tailed), each launched or led by an
  authority, its relations sharing the project's announcement as a source;
- relations dated over 15 years (2011-2025) at year, month or day precision, some ended;
- sources shared across relations (about three relations per source on average).

Relations are written one per line in flow style and entities in block style, as in the
bundled seeds, and split over several files that each hold all three sections (references
cross files, as they do in real fact sets). Output is deterministic for a given size and seed:
same arguments, same bytes.

Run ``python benchmarks/generate.py --relations 100000 --out /tmp/regulink-bench/100k``.

Examples
--------
>>> import tempfile
>>> out = generate(tempfile.mkdtemp(), relations=200, seed=1)
>>> out.relations, out.files >= 2
(200, True)
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml_rs

__all__ = ["SIZES", "GenerateResult", "generate", "main"]

#: The benchmark sizes (relations), by the short name used in folder names and tables.
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

_FIRST_YEAR, _YEARS = 2011, 15
#: Relations per output file: large fact sets are split by topic into files of this order.
_PER_FILE = 25_000
_MIN_FILES = 4

_WORDS = (
    "harbour",
    "summit",
    "meridian",
    "northern",
    "pacific",
    "atlantic",
    "crown",
    "union",
    "capital",
    "pioneer",
    "sterling",
    "granite",
    "beacon",
    "cedar",
    "delta",
    "equinox",
    "falcon",
    "horizon",
    "ivory",
    "juniper",
    "keystone",
    "lotus",
    "monarch",
    "nova",
    "orchid",
    "polaris",
    "quartz",
    "river",
    "sapphire",
    "tidal",
    "unity",
    "vertex",
    "willow",
    "zenith",
    "amber",
    "bridge",
    "coral",
    "dawn",
    "emerald",
    "frontier",
    "golden",
    "heritage",
    "island",
)
_FI_SUFFIX = (
    "Bank",
    "Securities",
    "Asset Management",
    "Capital Markets",
    "Insurance",
    "Exchange",
    "Trust",
    "Investment Bank",
    "Clearing House",
    "Payments",
)
_CO_SUFFIX = (
    "Technologies",
    "Labs",
    "Systems",
    "Digital",
    "Networks",
    "Consulting",
    "Analytics",
    "Software",
)
_PROJECT_TOPICS = (
    "tokenised deposits",
    "wholesale CBDC",
    "cross-border payments",
    "green bonds",
    "digital identity",
    "tokenised funds",
    "FX settlement",
    "regulatory reporting",
    "trade finance",
    "programmable money",
    "DeFi supervision",
    "climate risk data",
    "instant payments",
    "securities settlement",
    "open finance",
)
_PROJECT_NAMES = (
    "Aurora",
    "Borealis",
    "Cobalt",
    "Dunbar",
    "Ember",
    "Fennel",
    "Garnet",
    "Helvetia",
    "Icebreaker",
    "Jura",
    "Kestrel",
    "Lumen",
    "Mandala",
    "Nexus",
    "Onyx",
    "Pine",
    "Quill",
    "Rialto",
    "Sela",
    "Tourbillon",
    "Ubin",
    "Vega",
)
# Non-ASCII aliases, as real fact files carry names in their own scripts.
_NATIVE = (
    "金融管理局",
    "中央銀行",
    "金融庁",
    "Autorité des marchés",
    "Bundesanstalt",
    "Banco Central",
    "Центральный банк",
    "البنك المركزي",
)
_SOURCE_KINDS = (
    "press_release",
    "press_release",
    "news",
    "news",
    "news",
    "report",
    "speech",
    "website",
    "statement",
    "paper",
)
_NEWS = (
    "Global Finance Wire",
    "The Ledger",
    "Central Banking Daily",
    "Fintech Times",
    "Markets Herald",
    "Regulation Review",
)
_ROLES = (
    "pilot lead",
    "pilot participant",
    "technology provider",
    "observer",
    "settlement bank",
    "working group member",
)
_NOTES = (
    "Named among the participants in the announcement",
    "Took part in the pilot phase and its live trades",
    "Signed the cooperation arrangement covering information sharing",
    "Listed by the regulator as a supervised firm",
    "Joined as a member after the annual meeting",
    "Described in the report as a partner on settlement",
    "Confirmed by the institution in its own statement",
    "Reported by the trade press and confirmed by the sponsor",
)


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """What :func:`generate` wrote."""

    out: Path
    files: int
    entities: int
    relations: int
    sources: int
    bytes: int


class _Ents:
    """Entity records (as YAML text) and the id pools relations draw from."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.ids: list[str] = []

    def add(
        self,
        eid: str,
        kind: str,
        name: str,
        jur: str,
        *,
        short: str | None = None,
        aliases: tuple[str, ...] = (),
        url: str | None = None,
        description: str | None = None,
    ) -> str:
        lines = [f"  - id: {eid}", f"    kind: {kind}", f"    name: {name}"]
        if short:
            lines.append(f"    short_name: {short}")
        if aliases:
            lines.append("    aliases: [" + ", ".join(aliases) + "]")
        lines.append(f"    jurisdiction: {jur}")
        if url:
            lines.append(f"    url: {url}")
        if description:
            lines.append(f"    description: {description}")
        self.blocks.append("\n".join(lines) + "\n")
        self.ids.append(eid)
        return eid


class _Picker:
    """Heavy-tailed choice from a pool: weight 1/rank**alpha over a shuffled order."""

    def __init__(self, rng: random.Random, items: list[str], alpha: float) -> None:
        self.items = items[:]
        rng.shuffle(self.items)
        self.cum = list(
            itertools.accumulate(1.0 / (i + 1) ** alpha for i in range(len(self.items)))
        )
        self.rng = rng

    def __call__(self) -> str:
        x = self.rng.random() * self.cum[-1]
        return self.items[min(bisect.bisect_left(self.cum, x), len(self.items) - 1)]


def _date(rng: random.Random, year: int | None = None) -> str:
    y = year if year is not None else _FIRST_YEAR + rng.randrange(_YEARS)
    p = rng.random()
    if p < 0.2:
        return str(y)
    m = rng.randint(1, 12)
    if p < 0.55:
        return f"{y}-{m:02d}"
    return f"{y}-{m:02d}-{rng.randint(1, 28):02d}"


def _later(rng: random.Random, start: str) -> str:
    # An end strictly after the whole start interval, so "end before start" never fires.
    y = int(start[:4]) + 1 + rng.randrange(4)
    return str(y) if rng.random() < 0.5 else f"{y}-{rng.randint(1, 12):02d}"


def _jurisdictions() -> list[str]:
    root = Path(__file__).resolve().parent.parent / "graph" / "jurisdictions.yaml"
    data = yaml_rs.loads(root.read_text("utf-8"), parse_datetime=False)
    return sorted(data["iso3166"])


def generate(out: str | Path, *, relations: int, seed: int = 0) -> GenerateResult:
    """Write a valid fact set with exactly ``relations`` relations into ``out``.

    Existing ``facts-*.yaml`` files in ``out`` are replaced; nothing else is touched.
    """
    if relations < 100:
        raise ValueError("generate at least 100 relations")
    rng = random.Random(seed)
    n = relations
    codes = _jurisdictions()
    n_jur = min(len(codes), max(20, n // 40))
    jurs = sorted(rng.sample(codes, n_jur))
    ents = _Ents()

    # -- authorities: per jurisdiction, and international -----------------------------------
    authorities: list[str] = []
    regulators_of: dict[str, list[str]] = {}
    for j in jurs:
        lj = j.lower()
        word = rng.choice(_WORDS).capitalize()
        cb = ents.add(
            f"cb-{lj}",
            "central_bank",
            f"Central Bank of {word} {j}",
            j,
            short=f"CB{j}",
            aliases=(rng.choice(_NATIVE),) if rng.random() < 0.3 else (),
            url=f"https://www.cb-{lj}.example.org/",
            description=f"The central bank and monetary authority of {j}.",
        )
        regs = [cb]
        for r in range(1 + rng.randrange(3)):
            regs.append(
                ents.add(
                    f"reg-{lj}-{r}",
                    "regulator",
                    f"{word} {j} Financial Authority {r + 1}",
                    j,
                    short=f"FA{j}{r + 1}",
                    url=f"https://www.fa{r}-{lj}.example.org/",
                    description="Supervises banks, insurers and securities markets.",
                )
            )
        ents.add(f"mof-{lj}", "government_body", f"Ministry of Finance of {j}", j)
        regulators_of[j] = regs
        authorities.extend(regs)
    intl = [
        ents.add(
            f"intl-{i}",
            "international_org",
            f"International {rng.choice(_WORDS).capitalize()} Board {i}",
            "INT",
            short=f"IB{i}",
        )
        for i in range(max(5, n_jur // 8))
    ]
    intl += [
        ents.add(f"eu-agency-{i}", "international_org", f"European Agency {i}", "EU")
        for i in range(3)
    ]

    # -- firms, heavy-tailed over jurisdictions ---------------------------------------------
    jur_pick = _Picker(rng, jurs, 1.1)
    firms: list[str] = []
    firms_of: dict[str, list[str]] = {j: [] for j in jurs}
    for i in range(max(60, n // 8)):
        j = jur_pick()
        a, b = rng.sample(_WORDS, 2)
        if rng.random() < 0.75:
            kind, suffix = "financial_institution", rng.choice(_FI_SUFFIX)
        else:
            kind, suffix = "company", rng.choice(_CO_SUFFIX)
        name = f"{a.capitalize()} {b.capitalize()} {suffix}"
        eid = ents.add(
            f"{a}-{b}-{j.lower()}-{i}",
            kind,
            name,
            j,
            aliases=(f"{a.capitalize()} {b.capitalize()}",) if rng.random() < 0.2 else (),
            url=f"https://www.{a}{b}{i}.example.com/" if rng.random() < 0.6 else None,
        )
        firms.append(eid)
        firms_of[j].append(eid)
    industry = [
        ents.add(
            f"industry-body-{i}",
            "industry_body",
            f"{rng.choice(_WORDS).capitalize()} Markets Association {i}",
            "INT",
        )
        for i in range(max(5, n // 2000))
    ]
    academia = [
        ents.add(
            f"university-{i}",
            "academic_institution",
            f"University of {rng.choice(_WORDS).capitalize()} {i}",
            rng.choice(jurs),
        )
        for i in range(max(3, n // 5000))
    ]
    for j in jurs:  # each jurisdiction's capital (located_in relations below use the ids)
        ents.add(f"city-{j.lower()}", "place", f"Capital City of {j}", j)
    people = [
        ents.add(
            f"person-{i}",
            "person",
            f"{rng.choice(_WORDS).capitalize()} {rng.choice(_WORDS).capitalize()}",
            rng.choice(jurs),
        )
        for i in range(max(10, n // 40))
    ]
    frameworks = [
        ents.add(
            f"framework-{i}",
            "framework",
            f"Framework on {rng.choice(_PROJECT_TOPICS)} {i}",
            rng.choice(jurs),
        )
        for i in range(max(10, n // 100))
    ]
    programmes = [
        ents.add(
            f"programme-{i}",
            "programme",
            f"{rng.choice(_WORDS).capitalize()} Innovation Network {i}",
            "INT",
        )
        for i in range(max(3, n // 2000))
    ]

    # -- sources: a pool shared across relations --------------------------------------------
    src_blocks: list[str] = []
    src_ids: list[str] = []
    publishers = [f"Authority {a}" for a in authorities[:50]] + list(_NEWS)

    def new_source(year: int | None = None) -> str:
        sid = f"src-{len(src_ids):07d}"
        kind = rng.choice(_SOURCE_KINDS)
        date = _date(rng, year)
        lines = [
            f"  - id: {sid}",
            f"    kind: {kind}",
            f"    publisher: {rng.choice(publishers)}",
            f"    title: {rng.choice(_PROJECT_TOPICS).capitalize()} update {len(src_ids)}",
            f"    date: {date}",
        ]
        if rng.random() < 0.85:
            lines.append(f"    url: https://news.example.org/{date[:4]}/{sid}")
        src_blocks.append("\n".join(lines) + "\n")
        src_ids.append(sid)
        return sid

    for _ in range(max(20, n // 6)):
        new_source()
    src_pick = _Picker(rng, src_ids, 0.8)

    # -- relations --------------------------------------------------------------------------
    rel_lines: list[str] = []
    keys: set[str] = set()
    symmetric = {"partners_with", "signed_mou_with"}

    def rel(
        rtype: str,
        a: str,
        b: str,
        start: str | None,
        sources: list[str],
        *,
        role: str | None = None,
        end: str | None = None,
        note: bool = True,
    ) -> bool:
        if a == b or len(rel_lines) >= n:
            return False
        x, y = (min(a, b), max(a, b)) if rtype in symmetric else (a, b)
        key = f"{rtype}:{x}:{y}:{start or ''}"
        if key in keys:
            return False  # the same fact twice would be invalid; the caller draws again
        keys.add(key)
        parts = [f"type: {rtype}", f"from: {a}", f"to: {b}"]
        if start:
            parts.append(f"start: {start}")
        if end:
            parts.append(f"end: {end}")
        if role:
            parts.append(f"role: {role}")
        parts.append("sources: [" + ", ".join(dict.fromkeys(sources)) + "]")
        if note:
            parts.append(f'note: "{rng.choice(_NOTES)}."')
        rel_lines.append("  - {" + ", ".join(parts) + "}\n")
        return True

    firm_pick = _Picker(rng, firms, 1.0)
    auth_pick = _Picker(rng, authorities, 0.9)
    person_pick = _Picker(rng, people, 0.5)

    # projects: about 35% of relations, 3..40 participants each, one shared source per phase
    budget = int(n * 0.35)
    used = 0
    p_index = 0
    while used < budget:
        k = min(40, 3 + int(rng.paretovariate(1.3)) - 1)
        year = _FIRST_YEAR + rng.randrange(_YEARS)
        home = rng.choice(jurs)
        pid = ents.add(
            f"project-{p_index}",
            "project",
            f"Project {rng.choice(_PROJECT_NAMES)} {p_index}",
            home,
            description=f"A pilot on {rng.choice(_PROJECT_TOPICS)}.",
        )
        p_index += 1
        announce = new_source(year)
        lead = rng.choice(regulators_of[home])
        used += rel("launched", lead, pid, _date(rng, year), [announce])
        used += rel("leads", lead, pid, _date(rng, year), [announce], note=False)
        for _ in range(k):
            who = firm_pick() if rng.random() < 0.85 else auth_pick()
            start = _date(rng, min(year + rng.randrange(3), _FIRST_YEAR + _YEARS - 1))
            srcs = [announce] + ([src_pick()] if rng.random() < 0.3 else [])
            role = rng.choice(_ROLES) if rng.random() < 0.5 else None
            used += rel("participates_in", who, pid, start, srcs, role=role)

    # everything else, by weight; each draw retries until it adds a new relation
    def regulates() -> bool:
        j = jur_pick()
        if not firms_of[j]:
            return False
        return rel(
            rng.choice(("regulates", "supervises")),
            rng.choice(regulators_of[j]),
            rng.choice(firms_of[j]),
            _date(rng),
            [src_pick()],
            note=rng.random() < 0.3,
        )

    def member() -> bool:
        if rng.random() < 0.5:
            return rel("member_of", auth_pick(), rng.choice(intl), _date(rng), [src_pick()])
        return rel("member_of", firm_pick(), rng.choice(industry), _date(rng), [src_pick()])

    def mou() -> bool:
        start = _date(rng)
        return rel(
            "signed_mou_with",
            auth_pick(),
            auth_pick(),
            start,
            [src_pick()],
            end=_later(rng, start) if rng.random() < 0.1 else None,
        )

    def partners() -> bool:
        start = _date(rng)
        return rel(
            "partners_with",
            firm_pick(),
            firm_pick(),
            start,
            [src_pick(), src_pick()] if rng.random() < 0.3 else [src_pick()],
            end=_later(rng, start) if rng.random() < 0.15 else None,
        )

    def issued() -> bool:
        return rel("issued", auth_pick(), rng.choice(frameworks), _date(rng), [src_pick()])

    def subsidiary() -> bool:
        return rel("subsidiary_of", firm_pick(), firm_pick(), _date(rng), [src_pick()], note=False)

    def works_for() -> bool:
        start = _date(rng)
        return rel(
            "works_for",
            person_pick(),
            auth_pick() if rng.random() < 0.5 else firm_pick(),
            start,
            [src_pick()],
            role="director",
            end=_later(rng, start) if rng.random() < 0.3 else None,
        )

    def located() -> bool:
        j = jur_pick()
        if not firms_of[j]:
            return False
        return rel(
            "located_in",
            rng.choice(firms_of[j]),
            f"city-{j.lower()}",
            None,
            [src_pick()],
            note=False,
        )

    def misc() -> bool:
        rtype, a, b = rng.choice(
            (
                ("observer_of", auth_pick(), rng.choice(intl)),
                ("participates_in", auth_pick(), rng.choice(programmes)),
                ("funds", firm_pick(), rng.choice(academia)),
                ("builds_on", rng.choice(frameworks), rng.choice(frameworks)),
                ("announced", auth_pick(), rng.choice(frameworks)),
                ("operates", auth_pick(), rng.choice(programmes)),
                ("hosts", rng.choice(authorities), rng.choice(programmes)),
            )
        )
        return rel(rtype, a, b, _date(rng), [src_pick()])

    makers = (regulates, member, mou, partners, issued, subsidiary, works_for, located, misc)
    weights = list(itertools.accumulate((30, 18, 8, 12, 6, 6, 8, 5, 7)))
    misses = 0
    while len(rel_lines) < n:
        if not rng.choices(makers, cum_weights=weights)[0]():
            misses += 1
            if misses > 50 * n:  # a pool too small for the size asked; never loops forever
                raise RuntimeError("could not draw enough distinct relations")

    # -- write: several files, each with all three sections ---------------------------------
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("facts-*.yaml"):
        old.unlink()
    nfiles = max(_MIN_FILES, -(-n // _PER_FILE))
    rng.shuffle(rel_lines)  # a file mixes every kind of fact, as topical files do
    total = 0
    for i in range(nfiles):
        parts = [
            f"# Synthetic regulink facts, part {i + 1} of {nfiles} (seed {seed}).\n",
            "entities:\n",
            *ents.blocks[i::nfiles],
            "relations:\n",
            *rel_lines[i::nfiles],
            "sources:\n",
            *src_blocks[i::nfiles],
        ]
        data = "".join(parts).encode("utf-8")
        (out / f"facts-{i + 1:03d}.yaml").write_bytes(data)
        total += len(data)
    return GenerateResult(out, nfiles, len(ents.ids), len(rel_lines), len(src_ids), total)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--relations",
        "-n",
        required=True,
        help="number of relations: an integer or one of " + ", ".join(SIZES),
    )
    ap.add_argument("--out", "-o", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    size = SIZES.get(args.relations.lower()) or int(args.relations)
    r = generate(args.out, relations=size, seed=args.seed)
    print(
        f"{r.out}: {r.files} files, {r.entities} entities, {r.relations} relations, "
        f"{r.sources} sources, {r.bytes / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
