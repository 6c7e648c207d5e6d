"""A JSON Schema of fact files, generated from the vocabulary, for editors and CI checks.

Editors that read JSON Schema for YAML (VS Code's YAML extension, JetBrains IDEs, Neovim via
yaml-language-server) complete kinds, relation types and jurisdictions and flag unknown
fields as you type, given the modeline ``# yaml-language-server: $schema=PATH`` on a file's
first line. The schema covers what one record can get wrong on its own (shape, required
and unknown fields, vocabularies, id, date and URL forms); ``regulink validate`` remains the
whole check (references across files, duplicates, calendar dates, end before start).

:data:`SCHEMA_FILE` is the committed copy (``graph/regulink.schema.json``); a test keeps it
equal to :func:`json_schema`.

Examples
--------
>>> s = json_schema()
>>> s["definitions"]["entity"]["required"]
['id', 'kind', 'name', 'jurisdiction']
>>> "central_bank" in s["definitions"]["kind"]["enum"]
True
>>> import re
>>> bool(re.match(s["definitions"]["date"]["anyOf"][0]["pattern"], "2023-10"))
True
"""

from __future__ import annotations

import json
from importlib import resources

from regulink.graph.schema import Schema, load_schema

__all__ = ["SCHEMA_FILE", "committed", "dumps", "json_schema"]

#: The committed schema file, beside schema.yaml in the package.
SCHEMA_FILE = "regulink.schema.json"

# The same forms loaders/validate.py accepts, in ECMA-262 regex syntax (no inline flags).
_SLUG = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
_DATE = r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"
_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#][^\s]*$"
_SECTIONS = {"entities": "entity", "relations": "relation", "sources": "source"}


def _enum(names, descriptions: list[str], title: str) -> dict:
    # enumDescriptions: VS Code shows them beside each completion; validators ignore them.
    return {"title": title, "type": "string", "enum": list(names), "enumDescriptions": descriptions}


def _defs(schema: Schema) -> dict:
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "slug": {
            "type": "string",
            "pattern": _SLUG,
            "description": "lowercase letters, digits and single hyphens",
        },
        "text": text,
        "text_list": {"type": "array", "items": {"$ref": "#/definitions/text"}},
        "url": {"type": "string", "pattern": _URL, "description": "a full http(s) address"},
        # A YAML 1.2 reader gives a bare year as a number and a longer date as text.
        "date": {
            "anyOf": [
                {"type": "string", "pattern": _DATE},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        },
        "entity_ref": {"$ref": "#/definitions/slug"},
        "source_refs": {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/definitions/slug"},
            "description": "ids of the sources this relation cites",
        },
        "kind": _enum(schema.kinds, [k.description for k in schema.kinds.values()], "entity kind"),
        "relation_type": _enum(
            schema.relation_types,
            [
                f"FROM {t.label} TO ({t.relation_class}, {t.temporal}): {t.description}"
                for t in schema.relation_types.values()
            ],
            "relation type",
        ),
        "source_kind": _enum(
            schema.source_kinds, list(schema.source_kinds.values()), "source kind"
        ),
        "jurisdiction": _enum(
            schema.jurisdictions, list(schema.jurisdictions.values()), "jurisdiction"
        ),
    }


def _record(schema: Schema, record: str) -> dict:
    specs = schema.fields[record]
    return {
        "type": "object",
        "properties": {
            name: {"$ref": f"#/definitions/{spec.type}"} for name, spec in specs.items()
        },
        "required": [name for name, spec in specs.items() if spec.required],
        "additionalProperties": False,
    }


def json_schema(schema: Schema | None = None) -> dict:
    """The JSON Schema of one fact file, from ``schema`` (default: the bundled vocabulary).

    Draft-07, the newest draft that every editor plugin reads.
    """
    schema = schema or load_schema()
    defs = _defs(schema)
    for record in _SECTIONS.values():
        defs[record] = _record(schema, record)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "regulink fact file",
        "description": "Entities, relations and sources (see README: The fact format). "
        "Generated from graph/schema.yaml by 'regulink schema'.",
        "type": "object",
        "properties": {
            section: {"type": "array", "items": {"$ref": f"#/definitions/{record}"}}
            for section, record in _SECTIONS.items()
        },
        "additionalProperties": False,
        "definitions": defs,
    }


def dumps(schema: dict) -> str:
    """The schema as the committed file holds it: indented, keys in order, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def committed() -> str:
    """The text of the committed schema file."""
    return (resources.files("regulink.graph") / SCHEMA_FILE).read_text("utf-8")
