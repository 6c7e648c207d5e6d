"""Validation: every error class is reported, located as file:line:col, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from regulink import ValidationFailed, load_facts, validate
from tests.conftest import MINI

HEAD = """\
sources:
  - {id: s1, kind: news, publisher: P, title: T}
entities:
  - {id: a, kind: regulator, name: A, jurisdiction: SG}
  - {id: b, kind: project, name: B, jurisdiction: INT}
"""  # 5 lines: records below start on line 6 or later


def problems(*paths: Path) -> list[str]:
    return [str(p) for p in validate(list(paths)).problems]


def test_mini_world_is_valid():
    report = validate([MINI])
    assert report.ok, report.problems
    assert len(report.facts.entities) == 9
    assert len(report.facts.relations) == 10
    assert len(report.facts.sources) == 3


def test_yaml_syntax_error_is_located(write):
    f = write("bad.yaml", HEAD + "relations:\n  - {type: leads, from: a to: b]\n")
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:7:")
    assert "YAML syntax error" in msg


def test_duplicate_key_is_located_at_second_key(write):
    f = write(
        "dup.yaml",
        HEAD + "  - id: c\n    kind: project\n    name: C\n    id: d\n    jurisdiction: SG\n",
    )
    assert problems(f) == [f"{f}:9:5: duplicate key 'id' (first at 6:5)"]


def test_tags_are_reported_and_never_constructed(write, tmp_path):
    marker = tmp_path / "pwned"
    f = write(
        "tag.yaml",
        HEAD + f'  - id: !!python/object/apply:os.system ["touch {marker}"]\n'
        "    kind: project\n    name: !custom C\n    jurisdiction: SG\n",
    )
    assert problems(f) == [
        f"{f}:6:9: tag '!!python/object/apply:os.system' not allowed: "
        "fact files use plain YAML, no tags",
        f"{f}:8:11: tag '!custom' not allowed: fact files use plain YAML, no tags",
    ]
    assert not marker.exists()


def test_alias_bomb_is_bounded_and_located(write):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    f = write("bomb.yaml", "\n".join(lines) + "\n")
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:5:45:")
    assert msg.endswith("alias expansion exceeds 100,000 nodes (alias bomb?)")


def test_small_aliases_are_allowed(write):
    f = write(
        "alias.yaml",
        HEAD + "relations:\n"
        "  - {type: leads, from: a, to: b, sources: &src [s1]}\n"
        "  - {type: participates_in, from: a, to: b, sources: *src}\n",
    )
    assert problems(f) == []


def test_invalid_utf8_is_located(write):
    f = write(
        "latin1.yaml",
        (HEAD + "  - {id: c, kind: project, name: Caf\xe9, jurisdiction: FR}\n").encode("latin-1"),
    )
    assert problems(f) == [f"{f}:6:37: invalid UTF-8 (byte 0xe9); save the file as UTF-8"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "- a\n- b\n",
            "1:1: a fact file must be a mapping with the keys entities, relations "
            "and/or sources, not a list",
        ),
        ("entities: {id: a}\n", "1:11: entities must be a list of records, not a mapping"),
        ("entities:\n  - just text\n", "2:5: each entity must be a mapping of fields, not text"),
        (
            "entites: []\n",
            "1:1: unknown section 'entites' (did you mean 'entities'?); "
            "use entities, relations or sources",
        ),
        (
            "entities: []\n---\nsources: []\n",
            "2:1: a fact file holds one YAML document; split this one",
        ),
    ],
)
def test_wrong_shape(write, text, expected):
    f = write("shape.yaml", text)
    assert problems(f) == [f"{f}:{expected}"]


def test_wrong_field_types(write):
    f = write(
        "types.yaml",
        HEAD + "  - id: c\n    kind: project\n    name: 2023\n"
        "    aliases: Cee\n    jurisdiction: SG\n"
        "    url: not a url\n",
    )
    assert problems(f) == [
        f'{f}:8:11: name: must be text, not a number (quote it: "2023")',
        f'{f}:9:14: aliases: must be a list of text, not text (write ["..."])',
        f"{f}:11:10: invalid URL 'not a url': use a full http:// or https:// address",
    ]


def test_unknown_vocabulary_suggests(write):
    f = write(
        "vocab.yaml",
        HEAD + "  - {id: c, kind: centralbank, name: C, jurisdiction: sg}\n"
        "relations:\n"
        "  - {type: partcipates_in, from: a, to: b, sources: [s1]}\n",
    )
    assert problems(f) == [
        f"{f}:6:19: unknown kind 'centralbank' (did you mean 'central_bank'?)",
        f"{f}:6:55: unknown jurisdiction 'sg' (did you mean 'SG'?)",
        f"{f}:8:12: unknown relation type 'partcipates_in' (did you mean 'participates_in'?)",
    ]


def test_unknown_field_suggests(write):
    f = write("field.yaml", HEAD + "  - {id: c, kind: project, name: C, jurisdicton: SG}\n")
    assert problems(f) == [
        f"{f}:6:5: entity is missing required field 'jurisdiction'",
        f"{f}:6:37: unknown entity field 'jurisdicton' (did you mean 'jurisdiction'?)",
    ]


def test_unknown_references_suggest_across_files(write):
    f = write(
        "refs.yaml", HEAD + "relations:\n  - {type: leads, from: aa, to: b, sources: [s1, s2]}\n"
    )
    assert problems(f) == [
        f"{f}:7:25: unknown entity 'aa' (did you mean 'a'?)",
        f"{f}:7:50: unknown source 's2'",
    ]


def test_duplicate_ids_across_files(write):
    f1 = write("one.yaml", HEAD)
    f2 = write(
        "two.yaml",
        "entities:\n  - {id: b, kind: project, name: B2, jurisdiction: SG}\n"
        "sources:\n  - {id: s1, kind: news, publisher: Q, title: U}\n",
    )
    assert problems(f1, f2) == [
        f"{f2}:2:10: duplicate entity id 'b' (first defined at {f1}:5:10)",
        f"{f2}:4:10: duplicate source id 's1' (first defined at {f1}:2:10)",
    ]


def test_dates_impossible_and_reversed(write):
    f = write(
        "dates.yaml",
        HEAD + "relations:\n"
        "  - {type: leads, from: a, to: b, start: 2023-02-30, sources: [s1]}\n"
        "  - {type: participates_in, from: a, to: b, start: March 2023, sources: [s1]}\n"
        "  - {type: hosts, from: a, to: b, start: 2023-10, end: 2023-09-30, "
        "sources: [s1]}\n"
        "  - {type: funds, from: a, to: b, start: 2023-10, end: 2023, sources: [s1]}\n",
    )
    assert problems(f) == [
        f"{f}:7:42: invalid date '2023-02-30': use YYYY, YYYY-MM or YYYY-MM-DD "
        "(a real calendar date)",
        f"{f}:8:52: invalid date 'March 2023': use YYYY, YYYY-MM or YYYY-MM-DD "
        "(a real calendar date)",
        f"{f}:9:56: end 2023-09-30 is before start 2023-10",
    ]


def test_relations_need_sources(write):
    f = write(
        "unsourced.yaml",
        HEAD + "relations:\n"
        "  - {type: leads, from: a, to: b}\n"
        "  - {type: hosts, from: a, to: b, sources: []}\n",
    )
    assert problems(f) == [
        f"{f}:7:5: relation is missing required field 'sources'",
        f"{f}:8:44: relation has no source: cite at least one source id",
    ]


def test_self_relation_forbidden(write):
    f = write(
        "self.yaml", HEAD + "relations:\n  - {type: partners_with, from: a, to: a, sources: [s1]}\n"
    )
    assert problems(f) == [f"{f}:7:40: a partners_with relation cannot link 'a' to itself"]


def test_duplicate_relation_symmetric_either_order(write):
    f = write(
        "duprel.yaml",
        HEAD + "relations:\n"
        "  - {type: partners_with, from: a, to: b, sources: [s1]}\n"
        "  - {type: partners_with, from: b, to: a, sources: [s1]}\n",
    )
    assert problems(f) == [
        f"{f}:8:5: duplicate relation: the same type 'partners_with', ends 'b' and 'a' "
        f"(in either order) and no start date as {f}:7:5; merge the two or give each an id"
    ]


def test_bom_and_crlf_are_valid(write):
    text = "\ufeff" + HEAD.replace("\n", "\r\n")
    f = write("bom.yaml", text.encode("utf-8"))
    report = validate([f])
    assert report.ok, report.problems
    assert set(report.facts.entities) == {"a", "b"}


def test_every_problem_at_once_and_nothing_loaded(write):
    f1 = write("x/one.yaml", HEAD + "  - {id: c, kind: projekt, name: C, jurisdiction: SG}\n")
    f2 = write(
        "x/two.yaml",
        "relations:\n  - {type: leads, from: a, to: zz, sources: [s1]}\n"
        "  - {type: leads, from: a, to: b, sources: [s1], start: 2024-13}\n",
    )
    f3 = write("x/three.yaml", "a: [1\n")
    report = validate([f1.parent])
    assert len(report.problems) == 4
    assert [p.file for p in report.problems] == [str(f1), str(f3), str(f2), str(f2)]
    assert report.facts is None
    with pytest.raises(ValidationFailed) as exc:
        load_facts([f1.parent])
    assert len(exc.value.problems) == 4


def test_missing_path_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "nope.yaml", tmp_path / "empty") == [
        f"{tmp_path / 'nope.yaml'}:0:0: no such file or folder",
        f"{tmp_path / 'empty'}:0:0: folder holds no .yaml or .yml files",
    ]
