"""A small validator for the JSON-schema subset the request schemas use.

The sandbox must use the standard library only, so it cannot lean on
``jsonschema``. This covers what `droplets.sandbox.schemas` needs: types,
``nullable``, ``enum``, ``pattern``, ``maxLength``, ``maxItems``, ``items``,
``properties``/``required`` and ``anyOf``. Every failure is a 422 whose
message names the field.

Two modes, as `Sandbox(strict=...)` says. Lenient (the default, as the real
API evidently is): unknown object fields are dropped (the spec's objects are
open) and the strings ``"true"``/``"false"`` (any case) are read as booleans,
which python-digitalocean and doboto send for resize's ``disk``. Strict
(opt-in, to catch a caller's typos): unknown fields and non-boolean booleans
are a 422. Like the real API (whose decoder reads ``null`` as "not
given"), ``null`` is accepted for an optional field: `drop_nulls()` then
removes it so handlers see the field as absent.
"""

from __future__ import annotations

import re
from typing import Any

from droplets.sandbox.errors import ApiError, unprocessable

Schema = dict[str, Any]

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
}


_STRING_BOOLEANS = {"true": True, "false": False}


def _is_type(value: Any, type_name: str) -> bool:
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    python_type = {"string": str, "boolean": bool, "array": list, "object": dict}[type_name]
    return isinstance(value, python_type)


def _label(path: str) -> str:
    return path or "request body"


def validate(value: Any, schema: Schema, path: str = "", *, strict: bool = False) -> Any:
    """Check ``value`` against ``schema`` and return it as the handlers should read it.

    Args:
        value: The decoded JSON value (not modified).
        schema: A schema of the supported subset.
        path: Where ``value`` sits in the body, for messages (``names[1]``).
        strict: Whether unknown fields and string booleans are refused
            rather than dropped and read.

    Returns:
        ``value`` itself, or (lenient mode) a copy without unknown fields and
        with string booleans read as booleans.

    Raises:
        ApiError: 422 naming the first offending field.
    """
    if value is None and schema.get("nullable"):
        return value
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            try:
                return validate(value, option, path, strict=strict)
            except ApiError:
                continue
        kinds = " or ".join(_TYPE_NAMES[o["type"]] for o in schema["anyOf"])
        raise unprocessable(f"{_label(path)} must be {kinds}")
    type_name = schema["type"]
    if type_name == "boolean" and not strict and isinstance(value, str) and value.lower() in _STRING_BOOLEANS:
        value = _STRING_BOOLEANS[value.lower()]
    if not _is_type(value, type_name):
        raise unprocessable(f"{_label(path)} must be {_TYPE_NAMES[type_name]}")
    if "enum" in schema and value not in schema["enum"]:
        options = ", ".join(str(option) for option in schema["enum"])
        raise unprocessable(f"{_label(path)} must be one of: {options}")
    if type_name == "string":
        _validate_string(value, schema, path)
    elif type_name == "array":
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise unprocessable(f"{_label(path)} must have at most {schema['maxItems']} items")
        return [validate(item, schema["items"], f"{path}[{index}]", strict=strict) for index, item in enumerate(value)]
    elif type_name == "object":
        return _validate_object(value, schema, path, strict)
    return value


def _validate_string(value: str, schema: Schema, path: str) -> None:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise unprocessable(f"{_label(path)} must be at most {schema['maxLength']} characters")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise unprocessable(f"{_label(path)} is invalid: {value!r} does not match the pattern")


def _validate_object(value: dict[str, Any], schema: Schema, path: str, strict: bool) -> dict[str, Any]:
    properties: dict[str, Schema] = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    unknown = [key for key in value if key not in properties]
    if unknown and strict:
        raise unprocessable(f"unknown field: {prefix}{unknown[0]} (the sandbox runs in strict mode)")
    for key in schema.get("required", ()):
        if key not in value:
            raise unprocessable(f"{prefix}{key} is required")
    required = set(schema.get("required", ()))
    known = {}
    for key, item in value.items():
        if key in properties:
            skip = item is None and key not in required
            known[key] = item if skip else validate(item, properties[key], f"{prefix}{key}", strict=strict)
    return known


def drop_nulls(body: dict[str, Any]) -> dict[str, Any]:
    """Return ``body`` without its top-level ``null`` fields.

    Args:
        body: A validated request body.

    Returns:
        A new dict without the keys whose value is None.
    """
    return {key: item for key, item in body.items() if item is not None}
