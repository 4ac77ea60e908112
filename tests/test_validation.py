"""Every validation rule of a tree file has a fixture with one defect, and its whole diagnostics.

Each invalid fixture under tests/fixtures/invalid/ is the valid base tree
(tests/fixtures/valid/mini.yaml) with one defect, described on its first line; the
exceptions say so there (*-many-errors hold several on purpose, a few YAML ones are not
trees at all). The expected diagnostics below were written by reading each fixture: the
line:col is where the culprit stands in that file, not what the engine happened to print.
Where the engine prints something else today, the comment above the case says why the
expected line is the right one.
"""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatetree import TreeError, check, load_tree
from gatetree.loader import compile_document
from gatetree.source import parse_document

ROOT = Path(__file__).resolve().parent.parent
INVALID = "tests/fixtures/invalid"
VALID = "tests/fixtures/valid"
_SCHEMA = json.loads((ROOT / "schemas/tree.v1.schema.json").read_text(encoding="utf-8"))
# The choices an enum message lists come from the schema, which grows new node kinds.
NODE_KINDS = ", ".join(_SCHEMA["$defs"]["node"]["properties"]["kind"]["enum"])
FACT_TYPES = ", ".join(_SCHEMA["$defs"]["fact"]["properties"]["type"]["enum"])


def diagnostics(relpath: str) -> list[str]:
    """check's diagnostics as printed, with the path relative to the repository root."""
    prefix = f"{ROOT}{os.sep}"
    return [str(d).removeprefix(prefix) for d in check(ROOT / relpath)]


# fixture name -> the diagnostics after "path:" (so each line is compared whole, path included)
EXPECTED: dict[str, list[str]] = {
    # --- YAML ---------------------------------------------------------------------------
    "yaml-syntax-error": [
        "32:17: error: invalid YAML: mapping values are not allowed here "
        "(a plain value cannot contain ': '; quote it: title: \"Count: enough\")",
    ],
    # The culprit is the opening quote; the end of the file is only where PyYAML gave up.
    "yaml-unclosed-quote": [
        "23:12: error: invalid YAML: while scanning a quoted scalar, "
        "found unexpected end of stream",
    ],
    # A '?', '{' or '[' in a plain value inside {...}: quote the value (the fix is spelt out).
    "yaml-flow-question": [
        "17:63: error: invalid YAML: while parsing a flow mapping, expected ',' or '}', "
        "but got '?' (inside {...} a plain value cannot contain '?'; "
        'quote it: question: "How many examples are there?")',
    ],
    "yaml-flow-brace": [
        "17:46: error: invalid YAML: while parsing a flow mapping, expected ',' or '}', "
        "but got '{' (inside {...} a plain value cannot contain '{'; "
        'quote it: question: "Are there {threshold} examples or more")',
    ],
    # PyYAML notices on the next line; the hint names the line where the comment started.
    "yaml-flow-comment": [
        "18:1: error: invalid YAML: while parsing a flow mapping, expected ',' or '}', "
        "but got '<scalar>' (' #' on line 17 starts a comment, which hides the rest of that "
        "line and the closing bracket; quote the value that holds '#')",
    ],
    "yaml-tab-indent": [
        "32:1: error: invalid YAML: while scanning for the next token, found character '\\t' "
        "that cannot start any token (indent with spaces: YAML does not allow tabs in "
        "indentation)",
    ],
    # At the key that has no ': ', not at the next line where PyYAML gave up.
    "yaml-missing-space": [
        "32:5: error: invalid YAML: while scanning a simple key, could not find expected ':' "
        "(put a space after ':': 'title: Count')",
    ],
    # 'gatetree:1' and the next line read as one plain value; the ':' of 'id: mini' stops it.
    "yaml-missing-space-marker": [
        "3:3: error: invalid YAML: mapping values are not allowed here "
        "(put a space after ':' on line 2: 'gatetree: 1')",
    ],
    "yaml-line-without-colon": [
        "32:5: error: invalid YAML: while scanning a simple key, could not find expected ':' "
        "(each line of a mapping is 'key: value'; 'Count' has no ': ')",
    ],
    "yaml-over-indented": [
        "33:15: error: invalid YAML: mapping values are not allowed here (this line is "
        "indented deeper than 'title:' on line 32, so it reads as more of that value; "
        "line it up with 'title:')",
    ],
    "yaml-misindented-key": [
        "32:4: error: invalid YAML: while parsing a block mapping, expected <block end>, "
        "but found '<block mapping start>' (this line is indented 3 spaces, which lines up "
        "with no key or item above it; indent it like the lines it belongs with)",
    ],
    "yaml-duplicate-key": [
        "33:5: error: duplicate key 'title' (first defined at line 32)",
    ],
    "yaml-duplicate-node": [
        "47:3: error: duplicate key 'done' (first defined at line 43)",
    ],
    "yaml-python-apply-tag": [
        "46:13: error: tag '!!python/object/apply:os.system' is not allowed: "
        "files hold plain data only (remove the tag)",
    ],
    "yaml-python-name-tag": [
        "42:13: error: tag '!!python/name:os.system' is not allowed: "
        "files hold plain data only (remove the tag)",
    ],
    # Byte 870 is the Latin-1 'é' of "Café" on line 45, column 15.
    "yaml-not-utf8": [
        "45:15: error: file is not UTF-8 text (byte 870)",
    ],
    "yaml-list-not-mapping": [
        "2:1: error: a tree file must be a mapping (start it with 'gatetree: 1')",
    ],
    "yaml-alias-bomb": [
        "4:52: error: document has more than 200000 values "
        "(aliases that expand this far are not supported)",
    ],
    # --- format marker ------------------------------------------------------------------
    "format-missing-marker": [
        "2:1: error: missing format marker 'gatetree' (add 'gatetree: 1' as the first line)",
    ],
    "format-unsupported": [
        "2:11: error: tree format 2 is not supported (this release reads format 1)",
    ],
    # --- schema -------------------------------------------------------------------------
    "schema-unknown-key": [
        "33:5: error: unknown key 'questoin' in /nodes/gate-b (did you mean 'question'?)",
    ],
    # Like every other node-level diagnostic, at the node's id, not at its first key.
    "schema-missing-key": [
        "43:3: error: missing required key 'action' in /nodes/done",
    ],
    "schema-wrong-type": [
        "11:11: error: /params/threshold/help must be a string, got number 10",
    ],
    # YAML words, as in the "got ..." part: a list, a mapping (not JSON's array, object).
    "schema-branches-not-list": [
        "35:7: error: /nodes/gate-b/branches must be a list, got a mapping",
    ],
    "schema-bad-version": [
        "4:10: error: 'v1' is not a valid value for /version "
        "(use a semantic version such as 1.0.0)",
    ],
    # The bad id is the key 'Many' on line 39, not the first node of the mapping.
    "schema-bad-node-id": [
        "36:15: error: 'Many' is not a valid value for /nodes/gate-b/branches/0/next "
        "(use lower-case letters, digits, '-' and '_')",
        "39:3: error: invalid name 'Many' in /nodes "
        "(node ids use lower-case letters, digits, '-' and '_')",
    ],
    "schema-kind-misspelt": [
        f"31:11: error: /nodes/gate-b/kind must be one of: {NODE_KINDS}; got 'gaet' "
        "(did you mean 'gate'?)",
    ],
    "schema-fact-type-misspelt": [
        f"18:11: error: /facts/count/type must be one of: {FACT_TYPES}; got 'boolen' "
        "(did you mean 'boolean'?)",
    ],
    # Two unknown keys in one mapping are two diagnostics.
    "schema-many-errors": [
        "4:10: error: 'v1' is not a valid value for /version "
        "(use a semantic version such as 1.0.0)",
        "11:11: error: /params/threshold/help must be a string, got number 10",
        "33:5: error: unknown key 'hlep' in /nodes/gate-b (did you mean 'help'?)",
        "34:5: error: unknown key 'questoin' in /nodes/gate-b (did you mean 'question'?)",
    ],
    # A node, fact or param that lost its indentation is named as such, with where it goes.
    "schema-node-outdented": [
        "43:1: error: unknown key 'done' in the top level "
        "(did you mean to indent it under nodes:?)",
    ],
    "schema-fact-outdented": [
        "17:1: error: unknown key 'count' in the top level "
        "(did you mean to indent it under facts:?)",
    ],
    # Its only param outdented, params: itself is left empty: both lines say why.
    "schema-param-outdented": [
        "7:8: error: /params must be a mapping, got nothing (null) "
        "(indent its entries under it)",
        "8:1: error: unknown key 'threshold' in the top level "
        "(did you mean to indent it under params:?)",
    ],
    "schema-missing-space-mapping": [
        "37:14: error: /nodes/gate-b/default must be a mapping, got string 'next:done' "
        "(put a space after ':': 'next: done')",
    ],
    # --- declarations -------------------------------------------------------------------
    "decl-fact-and-param": [
        "8:3: error: 'threshold' is declared both as a fact and as a param "
        "(rename one of them: expressions read both by name)",
    ],
    # One error: the gate's 'when' values cannot be judged against a domain that is missing.
    "decl-enum-without-values": [
        "13:3: error: enum fact 'decline' lists no values (add values: [a, b, ...])",
    ],
    "decl-values-on-non-enum": [
        "17:3: error: fact 'count' has values but is of type integer "
        "(use type: enum, or remove values)",
    ],
    # At the default value, which is the culprit, not at the fact's name two lines up.
    "decl-fact-default-type": [
        "20:14: error: default of fact 'count' is not an integer",
    ],
    # YAML 1.2 reads an unquoted yes as a word; the hint says what a boolean looks like.
    "decl-fact-default-yes": [
        "16:14: error: default of fact 'sudden' is not a boolean (write true or false)",
    ],
    "decl-param-default-type": [
        "10:14: error: default of param 'threshold' must be integer, got 'ten'",
    ],
    "decl-shadows-function": [
        "8:3: error: 'min' is the name of a function in expressions (choose another name)",
    ],
    # --- references ---------------------------------------------------------------------
    "ref-unknown-start": [
        "6:8: error: start node 'gate_a' does not exist (did you mean 'gate-a'?)",
    ],
    "ref-unknown-target": [
        "27:15: error: branch of 'gate-a' goes to 'gate-x', which does not exist "
        "(did you mean 'gate-b'?)",
    ],
    # The misspelt fact is the one error; "gate 'gate-a' has no question (add question: ...)"
    # would send the author to the wrong fix. 'decline' is indeed not read by anything.
    "ref-undeclared-fact": [
        "13:3: warning: fact 'decline' is declared but never used "
        "(remove it, or use it in a gate)",
        "24:11: error: gate 'gate-a' branches on undeclared fact 'declin' "
        "(did you mean 'decline'?)",
    ],
    "ref-gate-without-question": [
        "30:3: error: gate 'gate-b' has no question "
        "(add question:, or name a fact whose question it asks)",
    ],
    "ref-branch-to-itself": [
        "36:15: error: branch of 'gate-b' goes back to itself",
    ],
    # --- coverage -----------------------------------------------------------------------
    "cov-enum-value-missing": [
        "21:3: error: gate 'gate-a' does not cover value gradual of fact 'decline' "
        "(add a branch for each, or a default:)",
    ],
    "cov-boolean-false-missing": [
        "20:3: error: gate 'gate-a' does not cover value false of fact 'sudden' "
        "(add a branch for each, or a default:)",
    ],
    # One typo, one error: not also "does not cover value sudden (add a branch ...)".
    "cov-when-not-in-enum": [
        "26:9: error: 'when: suden' is not one of: sudden, gradual (fact 'decline') "
        "(did you mean 'sudden'?)",
    ],
    # YAML 1.2 reads an unquoted yes as a word; the hint says what a boolean looks like.
    "cov-when-wrong-type": [
        "25:9: error: 'when: yes' is not a boolean (fact 'sudden') (write true or false)",
    ],
    "cov-duplicate-when": [
        "30:9: error: gate 'gate-a' has two branches for 'sudden'; the second is never taken",
    ],
    "cov-when-without-fact": [
        "37:9: error: branch of 'gate-b' uses 'when' but the gate names no fact "
        "(add fact: to the gate, or use 'if')",
    ],
    "cov-conditions-without-default": [
        "30:3: error: gate 'gate-b' has conditions but no default "
        "(add default: so the walk never dead-ends when no condition holds)",
    ],
    "cov-integer-without-default": [
        "30:3: error: gate 'gate-b' branches on integer fact 'count' without a default "
        "(add default: for the values no branch names)",
    ],
    # Today the 'if' is silently ignored and the branch is taken on 'when' alone.
    "branch-when-and-if": [
        "26:9: error: branch of 'gate-a' has both 'when' and 'if' (use one of them)",
    ],
    # The branch has no 'when', so "uses 'when' but the gate names no fact" misleads.
    "branch-neither-when-nor-if": [
        "37:9: error: branch of 'gate-b' has neither 'when' nor 'if' "
        "(add one, or make it the gate's default:)",
    ],
    # --- graph --------------------------------------------------------------------------
    "graph-cycle": [
        "21:3: error: cycle: gate-a -> gate-b -> gate-a "
        "(a decision tree must not loop; point one branch at a later node)",
    ],
    "graph-unreachable": [
        "47:3: error: node 'orphan' cannot be reached from start 'gate-a' "
        "(point a branch at it, or remove it)",
    ],
    # --- expressions (the defect is in the first branch of gate-b, line 35, from col 13) --
    "expr-syntax-error": [
        "35:13: error: invalid expression: invalid syntax (in 'count >=')",
    ],
    "expr-dunder-import": [
        "35:13: error: calling '__import__' is not allowed "
        "(the functions are: min, max, abs, len, round)",
    ],
    "expr-dunder-class": [
        "35:13: error: attribute access ('.') is not allowed",
    ],
    # At 'count ** 2' (column 27), not at the start of the whole condition.
    "expr-power": [
        "35:27: error: '**' is not allowed; use '*'",
    ],
    # "(lambda: count)() > 1" in quotes: the lambda starts at column 15.
    "expr-lambda": [
        "35:15: error: lambda is not allowed",
    ],
    "expr-unknown-name": [
        "35:13: error: unknown name 'cuont': not a declared fact or param "
        "(did you mean 'count'?)",
    ],
    # Every unknown name of one expression, each at its own column with its own hint.
    "expr-unknown-names": [
        "35:13: error: unknown name 'cuont': not a declared fact or param "
        "(did you mean 'count'?)",
        "35:22: error: unknown name 'threshhold': not a declared fact or param "
        "(did you mean 'threshold'?)",
    ],
    "expr-enum-out-of-domain": [
        "35:24: error: 'suden' is not a value of fact 'decline' (did you mean 'sudden'?)",
    ],
    "expr-type-error": [
        "35:13: error: '<', '<=', '>', '>=' compare numbers, got string and integer",
    ],
    "expr-not-boolean": [
        "35:13: error: condition must be true or false, got integer",
    ],
    # 'count' is read by the (rejected) condition: no "declared but never used" warning.
    "expr-failed-names-unused": [
        "35:13: error: '**' is not allowed; use '*'",
    ],
    # 'cuont' is on line 18 of the file, column 25, not past the end of line 17.
    "expr-multiline-location": [
        "18:25: error: unknown name 'cuont': not a declared fact or param "
        "(did you mean 'count'?)",
    ],
    "derive-enum-out-of-values": [
        "16:14: error: derive of fact 'decline' can give 'slow', which is not one of its "
        "values (sudden, gradual)",
    ],
    "derive-boolean-gives-number": [
        "23:13: error: derive of boolean fact 'urgent' gives integer",
    ],
    "derive-cycle": [
        "23:13: error: facts derive each other in a cycle: urgent -> calm -> urgent "
        "(one of them must be given, not derived)",
    ],
    # At the text that holds the placeholder (the question on line 33), not at the gate id.
    "text-unknown-placeholder": [
        "33:34: error: text refers to '{treshold}', which is not a param "
        "(did you mean 'threshold'?)",
    ],
    # The hint must name this tree's params, not a param of another tree.
    "text-placeholder-no-near-param": [
        "42:26: error: text refers to '{minimum}', which is not a param "
        "(known params: threshold)",
    ],
    # --- warnings -----------------------------------------------------------------------
    "warn-unused-fact": [
        "20:3: warning: fact 'owner' is declared but never used (remove it, or use it in a gate)",
    ],
    "warn-unused-param": [
        "12:3: warning: param 'limit' is declared but never used "
        "(remove it, or use it in a gate)",
    ],
    # --- all at once, sorted by place (found in the order: declarations, references,
    # coverage, expressions) ---------------------------------------------------------------
    "many-errors": [
        "16:26: error: unknown name 'cuont': not a declared fact or param "
        "(did you mean 'count'?)",
        "18:3: error: fact 'count' has values but is of type integer "
        "(use type: enum, or remove values)",
        "29:15: error: branch of 'gate-a' goes to 'gate-x', which does not exist "
        "(did you mean 'gate-b'?)",
        "39:9: error: branch of 'gate-b' uses 'when' but the gate names no fact "
        "(add fact: to the gate, or use 'if')",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture(name: str) -> None:
    path = f"{INVALID}/{name}.yaml"
    assert diagnostics(path) == [f"{path}:{line}" for line in EXPECTED[name]]


def test_every_invalid_fixture_has_expected_diagnostics() -> None:
    on_disk = {p.stem for p in (ROOT / INVALID).glob("*.yaml")}
    assert on_disk == set(EXPECTED)


# The bomb takes ~0.7 s a read; test_alias_bomb_is_refused_quickly loads it.
@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"yaml-alias-bomb"}))
def test_load_tree_agrees_with_check_file(name: str) -> None:
    """load_tree raises exactly when check finds an error, with the same diagnostics."""
    found = check(ROOT / INVALID / f"{name}.yaml")
    if any(d.severity == "error" for d in found):
        with pytest.raises(TreeError) as raised:
            load_tree(ROOT / INVALID / f"{name}.yaml")
        assert [str(d) for d in raised.value.diagnostics] == [str(d) for d in found]
    else:
        tree = load_tree(ROOT / INVALID / f"{name}.yaml")
        assert [str(d) for d in tree.warnings] == [str(d) for d in found]


# --- valid trees ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / VALID).glob("*.yaml")))
def test_valid_fixture_is_clean(name: str) -> None:
    assert diagnostics(f"{VALID}/{name}.yaml") == []
    assert load_tree(ROOT / VALID / f"{name}.yaml").warnings == ()


def test_shipped_tree_is_clean() -> None:
    assert diagnostics("trees/retrain-or-tune.yaml") == []


def test_yes_and_no_stay_strings() -> None:
    tree = load_tree(ROOT / VALID / "yes-no-strings.yaml")
    assert tree.spec.facts["answer"].values == ("yes", "no", "on", "off")
    assert tree.decide({"answer": "no"}).outcome.id == "stop"
    decision = tree.decide({"answer": "yes", "approved": True})
    assert decision.outcome.id == "go"
    assert [step.label for step in decision.steps] == ["yes", "yes"]
    assert tree.spec.nodes["gate-b"].branches[1].label == "no"


def test_warnings_do_not_stop_loading() -> None:
    tree = load_tree(ROOT / INVALID / "warn-unused-param.yaml")
    assert [(d.severity, d.message) for d in tree.warnings] == [
        ("warning", "param 'limit' is declared but never used"),
    ]
    assert tree.decide({"decline": "gradual"}).outcome.id == "done"


# --- YAML safety --------------------------------------------------------------------------


def test_python_apply_tag_runs_nothing() -> None:
    ran = Path("/tmp/gatetree-fixture-os-system-ran")  # what the fixture's command would touch
    ran.unlink(missing_ok=True)
    with pytest.raises(TreeError):
        load_tree(ROOT / INVALID / "yaml-python-apply-tag.yaml")
    check(ROOT / INVALID / "yaml-python-apply-tag.yaml")
    assert not ran.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(TreeError):
        load_tree(ROOT / INVALID / "yaml-alias-bomb.yaml")
    assert time.perf_counter() - started < 5


# --- robustness: a damaged tree gives diagnostics, never a traceback ------------------------

_BASE = yaml.safe_load((ROOT / VALID / "mini.yaml").read_text(encoding="utf-8"))
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
    st.sampled_from(["", "x", "gate-a", "done", "count", "decline", "sudden", "enum",
                     "boolean", "number", "gate", "outcome", "count >= 1", "{threshold}",
                     "{nope}", "1.0.0"]),
    st.just([]), st.just({}), st.just(["sudden"]), st.just({"next": "done"}),
)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def _damaged_trees(draw: st.DrawFn) -> str:
    tree = copy.deepcopy(_BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(tree)))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(draw(_LEAVES))  # st.just shares its object
    return yaml.safe_dump(tree, sort_keys=False)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_damaged_trees())
def test_damaged_trees_give_diagnostics_not_tracebacks(text: str) -> None:
    try:
        tree, problems = compile_document(parse_document(text, path="damaged.yaml"))
    except TreeError as exc:
        problems, tree = list(exc.diagnostics), None
    assert (tree is None) == any(p.severity == "error" for p in problems)
    assert all(p.location.path == "damaged.yaml" for p in problems)
