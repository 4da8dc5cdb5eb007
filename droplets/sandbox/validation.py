"""A small validator for the JSON-schema subset the request schemas use.

The sandbox must use the standard library only, so it cannot lean on
``jsonschema``. This covers what `droplets.sandbox.schemas` needs: types,
``nullable``, ``enum``, ``pattern``, ``maxLength``, ``maxItems``, ``items``,
``properties``/``required`` and ``anyOf``; unknown object fields are always
rejected (strict, like stripe-mock). Every failure is a 422 whose message
names the field. Like the real API (whose decoder reads ``null`` as "not
given"), ``null`` is accepted for an optional field: `drop_nulls()` then
removes it so handlers see the field as absent.
"""

from __future__ import annotations

import re
from typing import Any

from droplets.sandbox.errors import unprocessable

Schema = dict[str, Any]

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
}


def _is_type(value: Any, type_name: str) -> bool:
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    python_type = {"string": str, "boolean": bool, "array": list, "object": dict}[type_name]
    return isinstance(value, python_type)


def _label(path: str) -> str:
    return path or "request body"


def validate(value: Any, schema: Schema, path: str = "") -> None:
    """Check ``value`` against ``schema``.

    Args:
        value: The decoded JSON value.
        schema: A schema of the supported subset.
        path: Where ``value`` sits in the body, for messages (``names[1]``).

    Raises:
        ApiError: 422 naming the first offending field.
    """
    if value is None and schema.get("nullable"):
        return
    if "anyOf" in schema:
        if not any(_matches(value, option, path) for option in schema["anyOf"]):
            kinds = " or ".join(_TYPE_NAMES[o["type"]] for o in schema["anyOf"])
            raise unprocessable(f"{_label(path)} must be {kinds}")
        return
    type_name = schema["type"]
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
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{index}]")
    elif type_name == "object":
        _validate_object(value, schema, path)


def _matches(value: Any, schema: Schema, path: str) -> bool:
    try:
        validate(value, schema, path)
    except Exception:
        return False
    return True


def _validate_string(value: str, schema: Schema, path: str) -> None:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise unprocessable(f"{_label(path)} must be at most {schema['maxLength']} characters")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise unprocessable(f"{_label(path)} is invalid: {value!r} does not match the pattern")


def _validate_object(value: dict[str, Any], schema: Schema, path: str) -> None:
    properties: dict[str, Schema] = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    for key in value:
        if key not in properties:
            raise unprocessable(f"unknown field: {prefix}{key}")
    for key in schema.get("required", ()):
        if key not in value:
            raise unprocessable(f"{prefix}{key} is required")
    required = set(schema.get("required", ()))
    for key, item in value.items():
        if item is None and key not in required:
            continue
        validate(item, properties[key], f"{prefix}{key}")


def drop_nulls(body: dict[str, Any]) -> dict[str, Any]:
    """Return ``body`` without its top-level ``null`` fields.

    Args:
        body: A validated request body.

    Returns:
        A new dict without the keys whose value is None.
    """
    return {key: item for key, item in body.items() if item is not None}
