"""The compiled schema check says valid exactly when jsonschema does."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import Decision, load_tree
from gatetree._resources import SCHEMA_FILES, load_schema
from gatetree.schema_check import compile_schema
from gatetree.source import read_document

ROOT = Path(__file__).resolve().parents[1]
TREES = sorted(p for pattern in ("trees/*.yaml", "tests/fixtures/**/*.yaml")
               for p in ROOT.glob(pattern))


def _data(path: Path) -> Any:
    try:
        return read_document(path).data
    except Exception:  # a fixture that is not even YAML: nothing to validate
        return None


def _agree(schema_name: str, data: Any) -> None:
    schema = load_schema(schema_name)
    expected = jsonschema.Draft202012Validator(schema).is_valid(data)
    assert compile_schema(schema)(data) is expected


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_every_shipped_schema_compiles(name: str) -> None:
    compile_schema(load_schema(name))


@pytest.mark.parametrize("path", TREES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_trees_and_fixtures_are_judged_as_jsonschema_judges_them(path: Path) -> None:
    _agree(SCHEMA_FILES["tree"], _data(path))


def test_cases_and_traces_are_judged_as_jsonschema_judges_them(decision: Decision) -> None:
    for path in sorted([*ROOT.glob("trees/cases/*.yaml"), *ROOT.glob("tests/fixtures/cases/*")]):
        _agree(SCHEMA_FILES["cases"], _data(path))
    trace = decision.to_dict()
    incomplete = load_tree("retrain-or-tune").decide({}).to_dict()
    for data in (trace, incomplete, {**trace, "status": "maybe"}, {**trace, "path": "x"}):
        _agree(SCHEMA_FILES["trace"], data)


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2)
                     | st.sampled_from(["", "x", "gate", "outcome", "checklist", "call", "1.0.0",
                                        "a b", "Bad", "next", "yes"]),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from(["kind", "title", "next", "if", "when",
                                                        "x", "type", "default", "branches"]),
                                       inner, max_size=3),
                     max_leaves=6)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*here, i))
    return found


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_edited_trees_are_judged_as_jsonschema_judges_them(data: st.DataObject) -> None:
    tree = copy.deepcopy(_data(data.draw(st.sampled_from(
        [ROOT / "trees" / "retrain-or-tune.yaml", ROOT / "trees" / "tune-or-rebuild.yaml",
         ROOT / "tests" / "fixtures" / "valid" / "evaluation.yaml"]))))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(tree)))
        if not path:
            continue
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(_JSON)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "kind", "label", "default"]))] = \
                data.draw(_JSON)
        else:
            parent.append(data.draw(_JSON))
    _agree(SCHEMA_FILES["tree"], tree)


def test_a_keyword_it_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="'patternProperties' is not supported"):
        compile_schema({"type": "object", "patternProperties": {"^x": {"type": "string"}}})
