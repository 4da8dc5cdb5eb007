"""Generated structuring functions for the hot path (lists of thousands).

cattrs' generated code calls one hook per field, and our strict scalar hooks
make that a Python call per value. For each model class this module writes a
function once, with the type checks inlined (``type(v) is int``), nested
models called through the converter (so equal regions, sizes and images are
shared), and optional keys read with ``dict.get``. It is registered as the
class's cattrs hook, so there is still one converter.

It only decides *whether* a body is valid. It raises a bare exception on the
first problem; ``_converter.structure_wire`` then re-runs cattrs' detailed
structuring to say which field was wrong and why.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from datetime import datetime
from types import NoneType, UnionType
from typing import Any, Literal

import attrs

from droplets._enums import open_enum

__all__ = ["make_structure_fn"]

_SCALAR_CHECKS: dict[Any, str] = {
    int: "type({v}) is not int",
    str: "type({v}) is not str",
    bool: "type({v}) is not bool",
}


class _Writer:
    """Accumulates the generated source and the names it refers to."""

    def __init__(self, hook_for: Callable[[type], Callable[[Any, Any], Any]], parse_datetime: Any) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"_parse_datetime": parse_datetime, "_bad": _bad}
        self.hook_for = hook_for

    def name(self, value: Any, prefix: str) -> str:
        key = f"_{prefix}{len(self.names)}"
        self.names[key] = value
        return key

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def value(self, kind: Any, var: str, indent: int) -> None:
        """Emit code that checks ``var`` against ``kind`` and leaves the structured value in it."""
        origin = typing.get_origin(kind)
        args = typing.get_args(kind)
        if kind in _SCALAR_CHECKS:
            self.emit(indent, f"if {_SCALAR_CHECKS[kind].format(v=var)}: _bad()")
        elif kind is float:
            self.emit(indent, f"if type({var}) is int: {var} = float({var})")
            self.emit(indent, f"elif type({var}) is not float: _bad()")
        elif kind is datetime:
            self.emit(indent, f"{var} = _parse_datetime({var}, None)")
        elif (enum := open_enum(kind)) is not None and not enum[1]:
            self.emit(indent, f"if type({var}) is not str: _bad()")  # a value DigitalOcean added later is kept
        elif origin is Literal:
            allowed = self.name(frozenset(args), "allowed")
            self.emit(indent, f"if type({var}) is not str or {var} not in {allowed}: _bad()")
        elif origin in (UnionType, typing.Union) and NoneType in args:
            rest = [arg for arg in args if arg is not NoneType]
            inner = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
            self.emit(indent, f"if {var} is not None:")
            self.value(inner, var, indent + 1)
        elif origin in (list, tuple):
            item = args[0]
            self.emit(indent, f"if type({var}) is not list: _bad()")
            if attrs.has(item):
                hook = self.name(self.hook_for(item), "hook")
                cls = self.name(item, "cls")
                self.emit(indent, f"{var} = [{hook}(e, {cls}) for e in {var}]")
            elif item in _SCALAR_CHECKS or item is float:
                element = f"{var}_e"
                self.emit(indent, f"for {element} in {var}:")
                self.value(item, element, indent + 1)
                if item is float:
                    self.emit(indent, f"{var} = [float(e) for e in {var}]")
            else:
                raise TypeError(f"no fast path for {kind!r}")
            if origin is tuple:
                self.emit(indent, f"{var} = tuple({var})")
        elif attrs.has(kind) or origin in (UnionType, typing.Union):
            # A model, or a union the converter has a hook for (a model picks its branch: see register_union).
            hook = self.name(self.hook_for(kind), "hook")
            cls = self.name(kind, "cls")
            self.emit(indent, f"{var} = {hook}({var}, {cls})")
        else:
            raise TypeError(f"no fast path for {kind!r}")


def _bad() -> None:
    raise TypeError("body does not match the model")


def make_structure_fn(
    cls: type, hook_for: Callable[[type], Callable[[Any, Any], Any]], parse_datetime: Any
) -> Callable[[Any, Any], Any]:
    """Write and compile the structuring function of one attrs class.

    Args:
        cls: The attrs class.
        hook_for: Returns the converter's structure hook for a nested class.
        parse_datetime: The converter's datetime hook.

    Returns:
        A function ``(body, type) -> instance`` usable as a cattrs hook.
    """
    hints = typing.get_type_hints(cls)
    writer = _Writer(hook_for, parse_datetime)
    writer.names["_cls"] = cls
    writer.emit(0, "def structure(o, _=None):")
    writer.emit(1, "if type(o) is not dict: _bad()")
    arguments = []
    for index, field in enumerate(attrs.fields(cls)):
        var = f"v{index}"
        if field.default is attrs.NOTHING:
            writer.emit(1, f"{var} = o[{field.name!r}]")
            writer.value(hints[field.name], var, 1)
        else:
            default = writer.name(field.default, "default")
            writer.emit(1, f"{var} = o.get({field.name!r}, {default})")
            writer.emit(1, f"if {var} is not {default}:")
            writer.value(hints[field.name], var, 2)
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]  # absent: a fresh default
                if field.default.takes_self:
                    raise TypeError(f"no fast path for {cls.__name__}.{field.name}: its default takes self")
                writer.emit(1, "else:")
                writer.emit(2, f"{var} = {writer.name(field.default.factory, 'factory')}()")
        arguments.append(var)
    writer.emit(1, f"return _cls({', '.join(arguments)})")
    namespace = dict(writer.names)
    exec(compile("\n".join(writer.lines), f"<droplets fast path for {cls.__name__}>", "exec"), namespace)
    function: Callable[[Any, Any], Any] = namespace["structure"]
    return function
