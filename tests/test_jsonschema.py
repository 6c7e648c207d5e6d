"""The JSON Schema of fact files: generated from the vocabulary, committed in sync, accepting
every seed file and rejecting each bad record for the right reason."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml_rs

import regulink
from regulink.graph.jsonschema import SCHEMA_FILE, committed, dumps, json_schema
from regulink.loaders.validate import fact_files

SEEDS = Path(regulink.bundled_seeds_dir())
GRAPH = Path(__file__).parent.parent / "graph"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _load(text: str):
    # As editors read YAML 1.2: a bare year is a number, a longer date text.
    return yaml_rs.loads(text, parse_datetime=False)


def test_committed_file_is_the_generated_schema():
    assert committed() == dumps(json_schema()), (
        "graph/regulink.schema.json is stale: run 'regulink schema -o graph/regulink.schema.json'"
    )
    assert (GRAPH / SCHEMA_FILE).read_text("utf-8") == committed()


@pytest.mark.parametrize("path", fact_files([SEEDS])[0], ids=lambda p: p.name)
def test_every_seed_file_validates(validator, path):
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(_load(path.read_text("utf-8")))
    ]
    assert errors == []


def test_the_test_fixtures_validate(validator):
    for path in fact_files([Path(__file__).parent / "fixtures" / "mini"])[0]:
        assert list(validator.iter_errors(_load(path.read_text("utf-8")))) == []


GOOD_ENTITY = "{id: mas, kind: central_bank, name: MAS, jurisdiction: SG}"
GOOD_REL = "{type: launched, from: mas, to: g, start: 2022-05, sources: [s]}"
GOOD_SOURCE = "{id: s, kind: press_release, publisher: MAS, title: T, date: 2022}"

# (what is wrong, the document, the path of the offending value, the keyword that rejects it)
BAD = [
    (
        "unknown kind",
        "entities: [{id: mas, kind: centralbank, name: MAS, jurisdiction: SG}]",
        ["entities", 0, "kind"],
        "enum",
    ),
    (
        "unknown relation type",
        "relations: [{type: lauched, from: mas, to: g, sources: [s]}]",
        ["relations", 0, "type"],
        "enum",
    ),
    (
        "unknown jurisdiction",
        "entities: [{id: mas, kind: regulator, name: M, jurisdiction: sg}]",
        ["entities", 0, "jurisdiction"],
        "enum",
    ),
    (
        "unknown source kind",
        "sources: [{id: s, kind: tweet, publisher: P, title: T}]",
        ["sources", 0, "kind"],
        "enum",
    ),
    (
        "month 13",
        "relations: [{type: launched, from: mas, to: g, start: 2023-13, sources: [s]}]",
        ["relations", 0, "start"],
        "anyOf",
    ),
    (
        "day first",
        "sources: [{id: s, kind: news, publisher: P, title: T, date: 31-05-2022}]",
        ["sources", 0, "date"],
        "anyOf",
    ),
    (
        "missing name",
        "entities: [{id: mas, kind: regulator, jurisdiction: SG}]",
        ["entities", 0],
        "required",
    ),
    (
        "missing sources",
        "relations: [{type: launched, from: mas, to: g}]",
        ["relations", 0],
        "required",
    ),
    (
        "misspelt field",
        "entities: [{id: mas, kind: regulator, nmae: M, name: M, jurisdiction: SG}]",
        ["entities", 0],
        "additionalProperties",
    ),
    (
        "bad id",
        "entities: [{id: Bank_Of_X, kind: regulator, name: M, jurisdiction: SG}]",
        ["entities", 0, "id"],
        "pattern",
    ),
    (
        "no source cited",
        "relations: [{type: launched, from: mas, to: g, sources: []}]",
        ["relations", 0, "sources"],
        "minItems",
    ),
    (
        "sources not a list",
        "relations: [{type: launched, from: mas, to: g, sources: s}]",
        ["relations", 0, "sources"],
        "type",
    ),
    (
        "not a web address",
        "entities: [{id: m, kind: regulator, name: M, jurisdiction: SG, url: 'ftp://x.org'}]",
        ["entities", 0, "url"],
        "pattern",
    ),
    (
        "blank name",
        "entities: [{id: m, kind: regulator, name: ' ', jurisdiction: SG}]",
        ["entities", 0, "name"],
        "pattern",
    ),
    (
        "aliases not a list",
        "entities: [{id: m, kind: regulator, name: M, jurisdiction: SG, aliases: M}]",
        ["entities", 0, "aliases"],
        "type",
    ),
    ("unknown section", "entity: []", [], "additionalProperties"),
    (
        "a year as text of 3 digits",
        "relations: [{type: launched, from: mas, to: g, start: 999, sources: [s]}]",
        ["relations", 0, "start"],
        "anyOf",
    ),
]


@pytest.mark.parametrize("what, text, where, keyword", BAD, ids=[b[0] for b in BAD])
def test_bad_record_rejected_for_the_right_reason(validator, what, text, where, keyword):
    errors = list(validator.iter_errors(_load(text)))
    assert len(errors) == 1, [e.message for e in errors]
    assert list(errors[0].absolute_path) == where
    assert errors[0].validator == keyword


def test_good_records_pass(validator):
    doc = _load(f"entities: [{GOOD_ENTITY}]\nrelations: [{GOOD_REL}]\nsources: [{GOOD_SOURCE}]")
    assert list(validator.iter_errors(doc)) == []


def test_vocabulary_enums_come_from_schema_yaml():
    from regulink.graph.schema import load_schema

    s, vocab = json_schema()["definitions"], load_schema()
    assert s["kind"]["enum"] == list(vocab.kinds)
    assert s["relation_type"]["enum"] == list(vocab.relation_types)
    assert set(s["jurisdiction"]["enum"]) == set(vocab.jurisdictions)
    assert set(s["entity"]["properties"]) == set(vocab.fields["entity"])


def test_cli_schema_prints_and_writes(tmp_path, run_mini):
    res = run_mini("schema", "--format", "json-schema")
    assert res.exit_code == 0 and json.loads(res.output) == json_schema()
    out = tmp_path / "s.json"
    res = run_mini("schema", "-o", str(out))
    assert res.exit_code == 0 and out.read_text("utf-8") == committed()
    assert run_mini("schema", "--format", "xsd").exit_code == 2
    assert regulink.schema() == json_schema()


@pytest.mark.parametrize("path", fact_files([SEEDS])[0], ids=lambda p: p.name)
def test_seed_files_name_the_schema_for_editors(path):
    first = path.read_text("utf-8").split("\n", 1)[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix) :]).resolve()
    assert target == (GRAPH / SCHEMA_FILE).resolve() and target.is_file()
