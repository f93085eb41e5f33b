"""The JSON Schema (draft 2020-12) of the playlist format, made from `spec`, for editors."""

from __future__ import annotations

import json
from typing import Any

from companion.playlist import spec

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _type(kind: spec.Type, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(kind, spec.Number):
        out: dict[str, Any] = {"type": "integer" if kind.integer else "number"}
        if kind.minimum is not None:
            out["exclusiveMinimum" if kind.exclusive_minimum else "minimum"] = kind.minimum
        if kind.maximum is not None:
            out["maximum"] = kind.maximum
        return out
    if isinstance(kind, spec.Text):
        if kind.choices:
            return {"type": "string", "enum": list(kind.choices)}
        out = {"type": "string"}
        if kind.pattern:
            out["pattern"] = kind.pattern
        elif not kind.allow_empty:
            out["minLength"] = 1
        return out
    if isinstance(kind, spec.Flag):
        return {"const": True} if kind.only_true else {"type": "boolean"}
    if isinstance(kind, spec.List):
        out = {"type": "array", "items": _type(kind.item, defs)}
        if kind.min_items:
            out["minItems"] = kind.min_items
        return out
    if isinstance(kind, spec.Dictionary):
        return {"type": "object", "propertyNames": {"pattern": kind.key_pattern},
                "additionalProperties": _type(kind.value, defs)}
    return _mapping(kind, defs)


def _mapping(kind: spec.Mapping, defs: dict[str, Any]) -> dict[str, Any]:
    """A mapping as a `$ref` into `$defs` (defined once, however often it is used)."""
    if kind.name not in defs:
        defs[kind.name] = {}  # reserve the name first: keeps `$defs` in first-use order
        properties = {}
        for key in kind.keys:
            prop = {"description": key.doc, **_type(key.type, defs)}
            if key.default not in (None, (), ""):
                prop["default"] = key.default
            properties[key.name] = prop
        out: dict[str, Any] = {"type": "object", "description": kind.doc,
                               "properties": properties, "additionalProperties": False}
        required = [key.name for key in kind.keys if key.required]
        if required:
            out["required"] = required
        groups = [[{"required": [name]} for name in group]
                  for group in (kind.one_of, kind.also_one_of) if group]
        if len(groups) == 1:
            out["oneOf"] = groups[0]
        elif groups:
            out["allOf"] = [{"oneOf": group} for group in groups]
        if kind.any_of:
            out["anyOf"] = [{"required": [name]} for name in kind.any_of]
        if kind.at_most_one_of:
            out["not"] = {"required": list(kind.at_most_one_of)}
        defs[kind.name] = out
    return {"$ref": f"#/$defs/{kind.name}"}


def json_schema() -> dict[str, Any]:
    """The schema as a dict."""
    fmt = spec.build_format()
    defs: dict[str, Any] = {}
    root = _mapping(fmt, defs)
    body = defs.pop(fmt.name)
    assert root == {"$ref": f"#/$defs/{fmt.name}"}
    return {"$schema": DIALECT, "title": "Companion playlist",
            **body, "$defs": defs}


def schema_text() -> str:
    """The schema as the JSON text `companion schema` prints and the bundled file holds."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
