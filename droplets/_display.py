"""How models and querysets show themselves in IPython and Jupyter.

Plain ``repr`` stays one line per object; IPython's pretty printer gets the
same, and Jupyter gets a compact HTML table of the fields that tell objects
apart (``Model._display_fields``). Rendering never makes a request for a
model; a queryset renders at most its first 20 items, like its ``repr``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = ["display_fields", "html_table"]


def display_fields(model: type) -> Sequence[str]:
    """The columns to show for a model: its ``_display_fields`` or its first six fields."""
    chosen: Sequence[str] | None = getattr(model, "_display_fields", None)
    if chosen:
        return chosen
    return [field.name for field in attrs.fields(model)][:6]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(item) for item in value)
    slug = getattr(value, "slug", None)
    if attrs.has(type(value)) and slug is not None:
        return str(slug)
    return str(value)


def html_table(model: type, objects: Iterable[Any], *, truncated: bool = False) -> str:
    """Render objects as a compact HTML table for Jupyter."""
    columns = display_fields(model)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(getattr(obj, name, None)))}</td>" for name in columns) + "</tr>"
        for obj in objects
    )
    more = f"<tr><td colspan={len(columns)}>…</td></tr>" if truncated else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}{more}</tbody></table>"
