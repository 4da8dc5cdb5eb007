"""Validate an answer against the response schema the spec gives its operation and status.

The spec is the copy vendored in ``tests/data/openapi/`` (OpenAPI 3.0);
``openapi-schema-validator`` (the ``test`` extra) handles ``nullable`` and the
internal ``#/components/...`` references.
"""

from __future__ import annotations

import json
import re
from typing import Any

import openapi_schema_validator

__all__ = ["check", "template_of"]


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def _response_schema(spec: dict[str, Any], method: str, template: str, status: int) -> dict[str, Any] | None:
    responses = spec["paths"][template][method.lower()]["responses"]
    response = _resolve(spec, responses.get(str(status)) or responses["default"])
    content = response.get("content")
    if content is None:
        return None
    schema: dict[str, Any] = content["application/json"]["schema"]
    return schema


def check(spec: dict[str, Any], method: str, template: str, status: int, body: bytes) -> None:
    """Validate one answer against the response schema of its operation and status."""
    schema = _response_schema(spec, method, template, status)
    if schema is None:
        assert body == b"", f"{method} {template} {status} must have an empty body"
        return
    validator = openapi_schema_validator.OAS30Validator(
        {**schema, "components": spec["components"]},
        format_checker=openapi_schema_validator.oas30_format_checker,
    )
    errors = sorted(validator.iter_errors(json.loads(body)), key=str)
    assert not errors, f"{method} {template} {status}: {errors[0]}"


def template_of(spec: dict[str, Any], method: str, path: str) -> str:
    """The spec's path template of a request path (``/v2/volumes/{volume_id}/actions`` for a volume's actions).

    Where several templates match, the one with the most literal segments wins
    (``/v2/volumes/actions`` over ``/v2/volumes/{volume_id}``).
    """
    matches = []
    for template, item in spec["paths"].items():
        pattern = "/".join("[^/]+" if part.startswith("{") else re.escape(part) for part in template.split("/"))
        if method.lower() in item and re.fullmatch(pattern, path):
            matches.append((sum(not part.startswith("{") for part in template.split("/")), template))
    assert matches, f"{method} {path}: no operation of the spec"
    return max(matches)[1]
