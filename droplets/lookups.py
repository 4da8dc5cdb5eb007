"""The filter language of querysets: what ``field__op=value`` may say, checked before any request.

A lookup is a field name, an optional operator suffix and one value:
``status="off"``, ``memory__gte=2048``, ``tags__contains="web"``,
``region__in=["nyc3", "ams3"]``. Each is checked against the field's type
when the queryset is built, so a filter that the library could not answer
exactly is refused with `droplets.ValidationError` before anything is sent.
A filter never widens a query and never silently matches nothing because
of how it was spelled:

* ``None``, ``""`` and empty collections are refused: they used to mean
  "no filter", which turned ``filter(name=None).destroy()`` into "destroy
  everything";
* a list where one value is expected is refused (use ``__in``), and so is a
  bare string where ``__in`` expects a list;
* each field kind takes its own operators: text ``exact, in, contains, gt,
  gte, lt, lte`` (``contains`` is a substring test), numbers and date-times
  ``exact, in, gt, gte, lt, lte``, booleans ``exact``, lists ``contains``
  (membership), nested models ``exact, in`` by slug, id or the model itself;
* a value of the wrong type (``id="123"``, ``locked="yes"``, a naive
  date-time) is refused;
* a field name that does not exist gets the closest names as a hint.

A model may declare lookups that are not fields, or that compare in their
own way, as `Rule` values returned by ``Model._lookup_rules()`` (``Droplet``:
``tag``, ``type``, ``name``).
"""

from __future__ import annotations

import difflib
import operator
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import attrs

from droplets._enums import open_enum
from droplets.errors import ValidationError

if TYPE_CHECKING:
    from droplets.models.base import Model

__all__ = [
    "Condition",
    "Exclusion",
    "Rule",
    "choice",
    "condition_for",
    "field_rule",
    "ignoring_case",
    "membership",
    "rules_of",
    "with_hint",
]

COMPARISONS = ("gt", "gte", "lt", "lte")
ALL_OPERATORS = ("exact", "in", "contains", *COMPARISONS)

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}

Kind = Literal["text", "number", "bool", "datetime", "list", "model", "opaque"]

_OPERATORS_OF_KIND: dict[str, tuple[str, ...]] = {
    "text": ("exact", "in", "contains", *COMPARISONS),
    "number": ("exact", "in", *COMPARISONS),
    "datetime": ("exact", "in", *COMPARISONS),
    "bool": ("exact",),
    "list": ("contains",),
    "model": ("exact", "in"),
    "opaque": (),
}

_COLLECTIONS = (list, tuple, set, frozenset, dict)


@attrs.frozen
class Rule:
    """How one lookup name is checked and compared.

    Attributes:
        kind: The field kind (decides the operators and the value check).
        operators: The operators this lookup takes.
        check: Checks and normalises one value (raises `ValidationError`).
        read: What the client compares for an object; None means the lookup
            can only be answered by the server (refused where it cannot be sent).
        hint: Said when a lookup is refused (what to write instead).
        element: For nested models: the nested class.
        casefold: ``exact`` and ``in`` ignore case.
        member: ``read`` gives a collection, and ``exact`` means "is a member of it" (``tag="web"``).
    """

    kind: Kind
    operators: tuple[str, ...]
    check: Callable[[Any], Any]
    read: Callable[[Any], Any] | None
    hint: str = ""
    element: Any = None
    casefold: bool = False
    member: bool = False


@attrs.frozen
class Condition:
    """One client-side lookup, already checked: ``field__op=value`` (``value`` is a tuple for ``in``)."""

    field: str
    op: str
    value: Any
    rule: Rule = attrs.field(eq=False, repr=False)

    def matches(self, obj: Any) -> bool:
        """Tell whether ``obj`` passes this condition."""
        rule = self.rule
        read = rule.read
        if read is None:  # never built: server-only lookups are refused before they become conditions
            raise ValidationError(f"{self.field} can only be answered by the server")
        actual = read(obj)
        op = self.op
        wanted = self.value if op == "in" else (self.value,)
        if rule.member:
            return actual is not None and any(item in actual for item in wanted)
        if rule.kind == "model":
            return any(_model_key(actual, item) == item for item in wanted)
        if rule.casefold:
            actual = _fold(actual)
            wanted = tuple(_fold(item) for item in wanted)
        if op in ("exact", "in"):
            return actual in wanted
        if actual is None:
            return False
        if op == "contains":
            return bool(wanted[0] in actual)
        return _COMPARE[op](actual, wanted[0])


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


@attrs.frozen
class Exclusion:
    """Several lookups from one ``exclude()`` call: drop objects matching all of them."""

    conditions: tuple[Condition, ...]

    def matches(self, obj: Any) -> bool:
        """Tell whether ``obj`` survives the exclusion."""
        return not all(condition.matches(obj) for condition in self.conditions)


def _model_key(actual: Any, wanted: Any) -> Any:
    """Reduce a nested model to what a lookup value names: its slug, its id or itself."""
    if actual is None or attrs.has(type(wanted)):
        return actual
    if isinstance(wanted, int):
        return getattr(actual, "id", None)
    return getattr(actual, "slug", None)


# -- value checks -------------------------------------------------------------------


def _refuse_empty(name: str, value: Any) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(
            f"{name}={value!r} is not a filter: an empty value would match everything or nothing, "
            "so it is refused; leave the lookup out to mean no filter"
        )


def _typed(name: str, accepts: Callable[[Any], bool], what: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        _refuse_empty(name, value)
        if not accepts(value):
            raise ValidationError(f"{name} takes {what}, got {value!r} ({type(value).__name__})")
        return value

    return check


def _text(name: str) -> Callable[[Any], Any]:
    return _typed(name, lambda value: isinstance(value, str), "text")


def _number(name: str) -> Callable[[Any], Any]:
    # NaN equals nothing, so it would match nothing: refused like any non-number.
    return _typed(
        name,
        lambda value: isinstance(value, (int, float)) and not isinstance(value, bool) and value == value,
        "a number",
    )


def _boolean(name: str) -> Callable[[Any], Any]:
    return _typed(name, lambda value: isinstance(value, bool), "True or False")


def _moment(name: str) -> Callable[[Any], datetime]:
    def check(value: Any) -> datetime:
        _refuse_empty(name, value)
        if not isinstance(value, datetime):
            raise ValidationError(
                f"{name} takes a datetime with a time zone, got {value!r}; e.g. datetime(2026, 1, 1, tzinfo=UTC)"
            )
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(f"{name} takes a datetime with a time zone (the API's are UTC), got {value!r}")
        return value

    return check


def _nested(name: str, model: type) -> Callable[[Any], Any]:
    fields = {field.name for field in attrs.fields(model)}

    def check(value: Any) -> Any:
        _refuse_empty(name, value)
        if isinstance(value, model):
            return value
        if isinstance(value, str) and "slug" in fields:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and "id" in fields:
            return value
        keys = " or ".join(k for k in ("slug", "id") if k in fields)
        raise ValidationError(f"{name} takes a {model.__name__} or its {keys}, got {value!r}")

    return check


# -- rules from field types ---------------------------------------------------------------


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        rest = [arg for arg in get_args(tp) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return tp


def _kind_of(tp: Any) -> tuple[Kind, Any]:
    tp = _strip_optional(tp)
    origin = get_origin(tp)
    if tp is bool:
        return "bool", None
    if tp in (int, float):
        return "number", None
    if tp is str or origin is Literal or open_enum(tp) is not None:  # open_enum: Literal[...] | str
        return "text", None
    if tp is datetime:
        return "datetime", None
    if origin in (list, tuple):
        element_kind, _ = _kind_of(get_args(tp)[0])
        return ("list", element_kind) if element_kind in ("text", "number") else ("opaque", None)
    if isinstance(tp, type) and attrs.has(tp) and {"slug", "id"} & {f.name for f in attrs.fields(tp)}:
        return "model", tp
    return "opaque", None


def _checker(kind: Kind, name: str, element: Any) -> Callable[[Any], Any]:
    if kind == "number":
        return _number(name)
    if kind == "bool":
        return _boolean(name)
    if kind == "datetime":
        return _moment(name)
    if kind == "model":
        return _nested(name, element)
    if kind == "list":
        return _checker(element, f"{name}__contains", None)
    return _text(name)


def field_rule(name: str, tp: Any) -> Rule:
    """The rule of a model field, from its type annotation."""
    kind, element = _kind_of(tp)
    hint = ""
    if kind == "list":
        hint = f"{name} is a list: use {name}__contains=<one item>"
    elif kind == "opaque":
        hint = f"{name} is not filterable; filter in Python: [x for x in qs if ...]"
    return Rule(
        kind=kind,
        operators=_OPERATORS_OF_KIND[kind],
        check=_checker(kind, name, element),
        read=operator.attrgetter(name),
        hint=hint,
        element=element,
    )


_RULES: dict[type, Mapping[str, Rule]] = {}


def rules_of(model: type[Model]) -> Mapping[str, Rule]:
    """Every lookup name of ``model`` and its rule (fields, then the model's own ``_lookup_rules()``)."""
    rules = _RULES.get(model)
    if rules is None:
        hints = typing.get_type_hints(model)
        fields = attrs.fields(model)  # type: ignore[arg-type]
        rules = _RULES[model] = {f.name: field_rule(f.name, hints[f.name]) for f in fields} | model._lookup_rules()
    return rules


def _parse(model: type[Model], key: str) -> tuple[str, str, Rule]:
    field, _, op = key.partition("__")
    op = op or "exact"
    rules = rules_of(model)
    rule = rules.get(field)
    if rule is None:
        near = difflib.get_close_matches(field, list(rules), n=3)
        hint = f"; did you mean {' or '.join(n + '=' for n in near)}?" if near else ""
        extra = f" ({rules[near[0]].hint})" if near and rules[near[0]].hint else ""
        raise ValidationError(
            f"{model.__name__} has no field {field!r} to filter on{hint}{extra}; "
            f"valid fields: {', '.join(sorted(rules))}"
        )
    if op not in rule.operators:
        if op not in ALL_OPERATORS:
            what = f"unknown lookup {key!r}; the lookups are {', '.join('__' + o for o in ALL_OPERATORS)}"
        else:
            what = f"{key!r}: {field} does not take __{op}"
        takes = ", ".join(f"{field}=" if o == "exact" else f"{field}__{o}=" for o in rule.operators)
        usable = f"{field} takes {takes}" if takes else f"{field} cannot be filtered on"
        raise ValidationError(f"{what}; {usable}{'. ' + rule.hint if rule.hint else ''}")
    return field, op, rule


def condition_for(model: type[Model], key: str, value: Any) -> Condition:
    """Check one ``key=value`` lookup of ``model`` and return it as a `Condition`.

    Raises:
        droplets.ValidationError: The lookup names no field, takes no such
            operator, or the value is empty or of the wrong type.
    """
    field, op, rule = _parse(model, key)
    if op == "in":
        if isinstance(value, (str, bytes)) or not isinstance(value, _COLLECTIONS):
            raise ValidationError(f"{key} takes a list of values, got {value!r}; for one value use {field}=")
        if not value:
            raise ValidationError(
                f"{key}={value!r} is an empty list: it would match nothing (or, sent, everything), so it is refused"
            )
        checked = [rule.check(item) for item in value]
        unique = tuple(item for index, item in enumerate(checked) if item not in checked[:index])
        return Condition(field, op, unique, rule)
    if isinstance(value, _COLLECTIONS):
        hint = rule.hint if rule.member and rule.hint else f"for any of several values use {field}__in=[...]"
        raise ValidationError(f"{key} takes one value, got {value!r}; {hint}")
    return Condition(field, op, rule.check(value), rule)


# -- rules a model declares ----------------------------------------------------------


def membership(name: str, check: Callable[[Any], Any], read: Callable[[Any], Any], hint: str = "") -> Rule:
    """A lookup that is true when the value is in a collection of the object (``tag="web"`` on ``tags``)."""

    def checked(value: Any) -> Any:
        _refuse_empty(name, value)
        return check(value)

    return Rule(kind="text", operators=("exact", "in"), check=checked, read=read, hint=hint, member=True)


def choice(name: str, choices: tuple[Any, ...], read: Callable[[Any], Any] | None, hint: str = "") -> Rule:
    """A lookup taking one of a few values (``type="gpus"``); ``read=None`` for a server-only one.

    Args:
        name: The lookup name.
        choices: The values it takes (anything else is refused, with ``hint``).
        read: What the client compares, or None when only the server can answer.
        hint: What to say when a value is refused.
    """

    def check(value: Any) -> Any:
        _refuse_empty(name, value)
        if not any(value is option or (type(value) is type(option) and value == option) for option in choices):
            refused = f"{name} takes {' or '.join(map(repr, choices))}, got {value!r}"
            raise ValidationError(f"{refused}; {hint}" if hint else refused)
        return value

    return Rule(kind="text", operators=("exact", "in") if read else ("exact",), check=check, read=read, hint=hint)


def ignoring_case(name: str) -> Rule:
    """A text field whose ``exact`` and ``in`` ignore case, as the API's own filter on it does."""
    return attrs.evolve(field_rule(name, str), casefold=True)


def with_hint(rule: Rule, hint: str) -> Rule:
    """``rule`` with another hint for refused lookups."""
    return attrs.evolve(rule, hint=hint)
