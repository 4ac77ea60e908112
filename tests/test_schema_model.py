"""The JSON Schema and the model say the same thing: each kind of mapping in a tree file
declares exactly the keys its dataclass holds (one source of truth per fact; a key added to
one and not the other fails here)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from gatetree import model

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schemas" / "tree.v1.schema.json").read_text(encoding="utf-8"))

# The model's name for a key where it is not the key itself.
RENAMED = {"value": "when", "condition": "if", "format": "gatetree"}
# Fields that do not come from a key of the mapping: its key in the parent mapping (a
# node's id, a declaration's or group's name), where the file was read from, and what the
# builder works out (a branch's kind is which of when, if or default it has).
NOT_KEYS: dict[type, set[str]] = {
    model.Param: {"name"}, model.Fact: {"name"}, model.ChecklistGroup: {"name"},
    model.Gate: {"id"}, model.Outcome: {"id"}, model.Checklist: {"id"}, model.Call: {"id"},
    model.Branch: {"kind", "shape_problem"}, model.TreeSpec: {"path", "sha256", "text"},
}
# Keys the file may hold that the model does not keep: an editor's schema line,
NOT_MODELLED = {"$schema", "lint"}  # and the linter's settings, which it reads itself

PAIRS = [
    ("param", model.Param), ("fact", model.Fact), ("reference", model.Reference),
    ("branch", model.Branch), ("gate", model.Gate), ("outcome", model.Outcome),
    ("checklistGroup", model.ChecklistGroup), ("checklistItem", model.ChecklistItem),
    ("checklist", model.Checklist), ("call", model.Call), (None, model.TreeSpec),
]


def _keys(cls: type) -> set[str]:
    """The file keys a model class reads: its fields, less places and derived data."""
    return {RENAMED.get(f.name, f.name) for f in dataclasses.fields(cls)
            if f.name not in NOT_KEYS.get(cls, set()) and f.name != "loc"
            and not f.name.endswith(("_loc", "_span"))}


@pytest.mark.parametrize(("definition", "cls"), PAIRS, ids=[c.__name__ for _, c in PAIRS])
def test_the_schema_declares_exactly_the_keys_the_model_holds(definition: str | None,
                                                              cls: type) -> None:
    declared = SCHEMA if definition is None else SCHEMA["$defs"][definition]
    assert set(declared["properties"]) - NOT_MODELLED == _keys(cls)


@pytest.mark.parametrize("definition", ["defaultBranch", "conditionBranch", "outcomeBranch"])
def test_each_kind_of_branch_declares_the_branch_keys_less_the_tests_it_cannot_have(
        definition: str) -> None:
    keys = set(SCHEMA["$defs"][definition]["properties"])
    cannot = {"defaultBranch": {"when", "if"}, "conditionBranch": {"when"},
              "outcomeBranch": {"if"}}[definition]
    assert keys == _keys(model.Branch) - cannot
