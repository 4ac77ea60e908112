"""The public API for apps: load from anything, check by reference, a tree cache, and a
surface whose every signature type is exported."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import gatetree
import gatetree.loader
from gatetree import (
    TREE_FORMATS,
    TreeCache,
    TreeError,
    TreeNotFound,
    check,
    load_data,
    load_text,
    load_tree,
)

ROOT = Path(__file__).resolve().parents[1]
FIVE_GATES = ROOT / "trees" / "retrain-or-tune.yaml"
TINY = {"gatetree": 1, "id": "tiny", "version": "1.0.0", "title": "Tiny", "start": "done",
        "facts": {}, "nodes": {"done": {"kind": "outcome", "title": "Done", "action": "Ship."}}}


# --- loading from a reference, text or data ----------------------------------------------

def test_text_loads_the_same_tree_as_its_file() -> None:
    text = FIVE_GATES.read_text(encoding="utf-8")
    from_text = load_text(text, origin="db:retrain-or-tune")
    from_file = load_tree(FIVE_GATES)
    assert dataclasses.replace(from_text.spec, path=from_file.spec.path) == from_file.spec
    assert from_text.spec.sha256 == from_file.spec.sha256
    assert from_text.spec.path == "db:retrain-or-tune"
    assert from_text.decide({"eval_set_size": 10}) == from_file.decide({"eval_set_size": 10})


def test_text_errors_are_located_at_its_origin() -> None:
    with pytest.raises(TreeError) as caught:
        load_text("gatetree: 1\nid: t\n", origin="db:t")
    assert str(caught.value).splitlines()[0] == (
        "db:t:1:1: error: missing required key 'facts' in the top level")


def test_data_loads_as_its_json_text() -> None:
    tree = load_data(TINY, origin="db:tiny")
    assert tree.decide({}).outcome.title == "Done"  # type: ignore[union-attr]
    assert tree.spec.text == json.dumps(TINY, indent=2)
    with pytest.raises(TreeError) as caught:
        load_data({**TINY, "nodes": {"done": {"kind": "outcome", "title": "Done"}}},
                  origin="db:tiny")
    assert str(caught.value) == "db:tiny:9:5: error: missing required key 'action' in /nodes/done"
    with pytest.raises(TreeError, match=r"^db:tiny: error: a tree must be JSON data: Object of "
                                        r"type set is not JSON serializable$"):
        load_data({**TINY, "facts": {1, 2}}, origin="db:tiny")


def test_check_takes_the_references_load_tree_takes() -> None:
    assert check("retrain-or-tune") == []
    assert check("retrain-or-tune@1.1.1") == []
    assert check(FIVE_GATES) == check(str(FIVE_GATES)) == []
    broken = ROOT / "tests" / "fixtures" / "calls" / "callee-has-errors.yaml"
    assert check(broken) and all(d.severity == "error" for d in check(broken))
    with pytest.raises(TreeNotFound, match=r"did you mean 'retrain-or-tune'\?"):
        check("retrain-or-tun")


def test_tree_formats_is_the_name_of_the_tree_format_versions() -> None:
    assert TREE_FORMATS == (1,)
    assert not hasattr(gatetree, "FORMATS")


# --- the tree cache ------------------------------------------------------------------------

def test_a_cached_tree_is_compiled_once_and_again_when_its_file_changes(
        tmp_path: Path, compiles: list[str]) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(json.dumps(TINY))
    cache = TreeCache()
    first = load_tree(path, cache=cache)
    assert load_tree(path, cache=cache) is first
    assert load_tree(str(path), cache=cache) is first
    assert compiles == ["tiny"] and len(cache) == 1
    edited = {**TINY, "nodes": {"done": {**TINY["nodes"]["done"], "title": "Shipped"}}}
    path.write_text(json.dumps(edited))
    second = load_tree(path, cache=cache)
    assert second.decide({}).outcome.title == "Shipped"  # type: ignore[union-attr]
    assert load_tree(path, cache=cache) is second
    assert compiles == ["tiny", "tiny"] and len(cache) == 1
    assert load_tree(path) is not second  # without a cache, every load compiles
    path.unlink()
    with pytest.raises(TreeError, match=r"tiny\.yaml: error: cannot read file"):
        load_tree(path, cache=cache)


def test_a_cached_tree_is_compiled_again_when_a_tree_it_calls_changes(
        tmp_path: Path, compiles: list[str]) -> None:
    fixtures = ROOT / "tests" / "fixtures" / "calls"
    for name in ("valid.yaml", "sub.yaml"):
        (tmp_path / name).write_text((fixtures / name).read_text())
    cache = TreeCache()
    caller = load_tree(tmp_path / "valid.yaml", cache=cache)
    assert load_tree(tmp_path / "valid.yaml", cache=cache) is caller
    assert load_tree(tmp_path / "sub.yaml", cache=cache) is caller.callees["ask-sub"]
    assert compiles == ["sub", "caller"]
    sub = (tmp_path / "sub.yaml").read_text().replace("title: Fine,", "title: All fine,")
    (tmp_path / "sub.yaml").write_text(sub)
    again = load_tree(tmp_path / "valid.yaml", cache=cache)
    assert again.callees["ask-sub"].spec.nodes["fine"].title == "All fine"  # type: ignore[union-attr]
    assert compiles == ["sub", "caller", "sub", "caller"]


# --- the surface -----------------------------------------------------------------------------

def _engine_types() -> set[str]:
    """Classes and type aliases the engine defines (CapWords names at a module's top)."""
    names: set[str] = set()
    for path in (ROOT / "engine").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                names.add(node.targets[0].id)
    return {n for n in names if re.fullmatch(r"[A-Z][a-z]+[A-Za-z]*", n)}


def _signatures() -> Iterator[tuple[str, str]]:
    """(where, annotation text) for every public function, method, property and field."""
    for name in gatetree.__all__:
        obj = getattr(gatetree, name)
        if inspect.isfunction(obj):
            yield from ((name, str(a)) for a in obj.__annotations__.values())
        if not inspect.isclass(obj):
            continue
        if dataclasses.is_dataclass(obj):
            yield from ((f"{name}.{f.name}", str(f.type)) for f in dataclasses.fields(obj)
                        if not f.name.startswith("_"))
        for attr, value in vars(obj).items():
            if attr.startswith("_") and not (attr == "__init__"
                                             and not dataclasses.is_dataclass(obj)):
                continue
            function = value.fget if isinstance(value, property) else getattr(
                value, "__func__", value)
            if inspect.isfunction(function):
                yield from ((f"{name}.{attr}", str(a))
                            for a in function.__annotations__.values())


def test_every_type_in_a_public_signature_is_exported() -> None:
    defined, exported = _engine_types(), set(gatetree.__all__)
    missing = {(where, word) for where, text in _signatures()
               for word in re.findall(r"[A-Za-z_]\w*", text)
               if word in defined and word not in exported}
    assert missing == set()


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    for name in gatetree.__all__:
        obj = getattr(gatetree, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not dataclasses.is_dataclass(obj):
            yield from ((f"{name}.{a}", v) for a, v in vars(obj).items()
                        if inspect.isfunction(v) and (a == "__init__" or not a.startswith("_")))
        elif inspect.isclass(obj):
            yield from ((f"{name}.{a}", getattr(v, "__func__", v)) for a, v in vars(obj).items()
                        if not a.startswith("_") and inspect.isfunction(getattr(v, "__func__", v)))


def test_optional_arguments_are_keyword_only() -> None:
    positional = [f"{name}({p.name})" for name, function in _public_callables()
                  for p in inspect.signature(function).parameters.values()
                  if p.default is not p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == []
    assert "DecisionTree.texts" in dict(_public_callables())  # the walk reaches methods


def test_the_package_ships_its_types() -> None:
    assert (ROOT / "engine" / "py.typed").is_file()
