"""Property-based fuzzing of the converter with mutated spec example bodies.

Whatever the API sends, structuring gives a model or an
``UnexpectedResponse`` that names the field: never another exception.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droplets import Action, Droplet, Image, Kernel, Region, Size, SSHKey, UnexpectedResponse
from droplets._converter import detailed, structure_wire
from tests.conftest import load_example

SAMPLES = [
    ("droplets_get_200.json", "droplet", Droplet),
    ("droplets_list_200_gpus.json", "droplets", Droplet),
    ("droplets_create_202_single.json", "droplet", Droplet),
    ("actions_get_200.json", "action", Action),
    ("regions_list_200.json", "regions", Region),
    ("sizes_list_200.json", "sizes", Size),
    ("images_list_200.json", "images", Image),
    ("droplets_list_backups_200.json", "backups", Image),
    ("droplets_list_kernels_200.json", "kernels", Kernel),
    ("ssh_keys_list_200.json", "ssh_keys", SSHKey),
]

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(body: Any, path: tuple[Any, ...], how: str, replacement: Any) -> Any:
    mutated = copy.deepcopy(body)
    parent = mutated
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete" and isinstance(parent, dict):
        del parent[last]
    elif how == "null":
        parent[last] = None
    elif how == "extra" and isinstance(parent, dict):
        parent[f"unknown_{len(parent)}"] = replacement
    else:
        parent[last] = replacement
    return mutated


@pytest.mark.parametrize(("name", "key", "model"), SAMPLES, ids=[s[0] for s in SAMPLES])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_bodies_give_a_model_or_a_named_error(name: str, key: str, model: type, data: st.DataObject) -> None:
    envelope = load_example(name)[key]
    body = envelope[0] if isinstance(envelope, list) else envelope
    path = data.draw(st.sampled_from(_paths(body)))
    how = data.draw(st.sampled_from(["delete", "null", "extra", "replace"]))
    mutated = _mutate(body, path, how, data.draw(json_values))
    try:
        result = structure_wire(mutated, model)
    except UnexpectedResponse as error:
        assert error.path, "the error names where the body was wrong"
        assert model.__name__ in str(error)
        return
    assert isinstance(result, model)
    # The generated fast path and cattrs' detailed path agree.
    assert result == structure_wire(mutated, model, conv=detailed)
