"""Trees that call trees: shared facts, the nested trace, the entry tree, and a located
error for every rule of a call."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import InputError, check, load_tree, read_facts
from gatetree.cli import main
from gatetree.decision import Decision
from gatetree.render.trace_view import trace_markdown, trace_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "calls"
EXAMPLES = ROOT / "trees" / "examples"
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


def valid_json(decision: Decision) -> dict[str, object]:
    data: dict[str, object] = json.loads(json.dumps(decision.to_dict()))
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(data)
    return data


# --- behaviour ----------------------------------------------------------------------------

def test_a_call_branches_on_the_called_trees_outcome() -> None:
    tree = load_tree(FIXTURES / "valid.yaml")
    fine = tree.decide({"hand_over": True, "ok": True})
    broken = tree.decide({"hand_over": True, "ok": False})
    assert fine.outcome is not None and fine.outcome.id == "done"
    assert broken.outcome is not None and broken.outcome.id == "repair"
    assert fine.path == ("route", "ask-sub", "done")
    assert fine.steps[1].chosen_by == "sub outcome == 'fine'"
    assert broken.steps[1].chosen_by == "default"


def test_the_sub_decision_is_nested_under_the_calling_step() -> None:
    decision = load_tree(FIXTURES / "valid.yaml").decide({"hand_over": True, "ok": True})
    call = decision.steps[1]
    sub = call.subdecision
    assert sub is not None
    assert (sub.tree.id, sub.outcome.id if sub.outcome else None, sub.path) == (
        "sub", "fine", ("ask", "fine"))
    assert [s.subdecision is None for s in decision.steps] == [True, False]
    data = valid_json(decision)
    steps = data["steps"]
    assert isinstance(steps, list)
    nested = steps[1]["subdecision"]
    assert nested["tree"]["id"] == "sub" and nested["outcome"]["id"] == "fine"
    assert nested["steps"][0]["evidence"] == [{"name": "ok", "value": True, "source": "given"}]
    assert "subdecision" not in steps[0]


def test_facts_are_shared_by_name_and_checked_against_the_called_tree() -> None:
    tree = load_tree(FIXTURES / "valid.yaml")
    assert list(tree.spec.facts) == ["hand_over", "ok"]  # its own first, then the callee's
    assert list(tree.spec.params) == ["strictness"]
    with pytest.raises(InputError) as info:
        tree.decide({"hand_over": True, "ok": "very"})
    assert [str(d) for d in info.value.diagnostics] == [
        "facts: error: fact 'ok' must be true or false; got 'very'"]


def test_params_are_shared_by_name_with_the_called_tree() -> None:
    tree = load_tree(FIXTURES / "valid.yaml")
    decision = tree.decide({"hand_over": True, "ok": True}, params={"strictness": 3})
    sub = decision.steps[1].subdecision
    assert sub is not None and sub.params["strictness"] == 3
    assert sub.missing is None
    waiting = tree.decide({"hand_over": True}, params={"strictness": 3})
    assert waiting.missing is not None
    assert waiting.missing.question == "Is it OK at strictness 3?"


def test_a_fact_missing_in_the_called_tree_makes_the_caller_incomplete() -> None:
    decision = load_tree(FIXTURES / "valid.yaml").decide({"hand_over": True})
    assert decision.status == "incomplete"
    assert decision.missing is not None
    assert (decision.missing.fact, decision.missing.node, decision.missing.via) == (
        "ok", "ask", ("ask-sub",))
    assert decision.path == ("route", "ask-sub")
    assert decision.reachable_outcomes == ("done", "repair")
    data = valid_json(decision)
    assert data["missing"] == {"fact": "ok", "question": "Is it OK at strictness 1?",
                               "node": "ask", "derivable_from": [], "via": ["ask-sub"]}


def test_the_called_tree_is_compiled_once_per_load(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    import gatetree.loader

    (tmp_path / "sub.yaml").write_text((FIXTURES / "sub.yaml").read_text())
    (tmp_path / "twice.yaml").write_text("""gatetree: 1
id: twice
version: 1.0.0
title: Calls one tree from two places
start: first
facts: {}
nodes:
  first: {kind: call, title: First look, tree: sub.yaml, default: {next: second}}
  second: {kind: call, title: Second look, tree: sub.yaml, default: {next: done}}
  done: {kind: outcome, title: Done, action: Go on.}
""")
    reads: list[str] = []
    real = gatetree.loader.read_tree_file

    def counting(path):  # type: ignore[no-untyped-def]
        reads.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(gatetree.loader, "read_tree_file", counting)
    tree = load_tree(tmp_path / "twice.yaml")
    assert sorted(reads) == ["sub.yaml", "twice.yaml"]
    assert tree.callees["first"] is tree.callees["second"]


def test_actions_of_the_called_tree_are_collected_under_the_call() -> None:
    facts, _ = read_facts(EXAMPLES / "retrain-or-tune" / "running-example.yaml")
    decision = load_tree("ai-workflow-triage").decide({**facts,
                                                       "unreliable_system": "model-feature"})
    assert [a.node for a in decision.actions] == ["diagnose-feature/gate-2",
                                                  "diagnose-feature/gate-3"]


# --- the entry tree ---------------------------------------------------------------------

def test_entry_tree_routes_a_degrading_feature_to_the_five_gates() -> None:
    facts, _ = read_facts(EXAMPLES / "retrain-or-tune" / "running-example.yaml")
    decision = load_tree("ai-workflow-triage").decide({**facts,
                                                       "unreliable_system": "model-feature"})
    assert decision.outcome is not None and decision.outcome.id == "fine-tune"
    sub = decision.steps[1].subdecision
    assert sub is not None and sub.tree.id == "retrain-or-tune"
    assert sub.outcome is not None and sub.outcome.id == "fine-tune"
    assert sub.path[-1] == "fine-tune"
    valid_json(decision)


def test_entry_tree_routes_an_unreliable_workflow_to_the_checklist() -> None:
    facts, _ = read_facts(EXAMPLES / "tune-or-rebuild" / "broken-workflow.yaml")
    decision = load_tree("ai-workflow-triage").decide({**facts, "unreliable_system": "workflow"})
    assert decision.outcome is not None and decision.outcome.id == "rebuild"
    sub = decision.steps[1].subdecision
    assert sub is not None and sub.tree.id == "tune-or-rebuild"
    assert sub.outcome is not None and sub.outcome.id == "rebuild"
    assert sub.steps[0].checklist is not None
    data = valid_json(decision)
    nested_step = data["steps"][1]["subdecision"]["steps"][0]  # type: ignore[index]
    assert nested_step["checklist"]["groups"][1]["score"] == 4


def test_entry_tree_text_shows_the_sub_decision_indented_under_the_call() -> None:
    facts, _ = read_facts(EXAMPLES / "tune-or-rebuild" / "broken-workflow.yaml")
    decision = load_tree("ai-workflow-triage").decide({**facts, "unreliable_system": "workflow"})
    lines = trace_text(decision).splitlines()
    assert lines[0:4] == [
        "DECISION: Workflow verdict: Rebuild the workflow",
        "  Follow the checklist of signs: its verdict's action and next steps come from the",
        "  tune-or-rebuild tree.",
        "  ↳ Does my AI workflow need fine-tuning or a full rebuild? (tune-or-rebuild): Rebuild",
    ]
    call = lines.index(" 2. Weigh the signs of the workflow")
    assert lines[call + 3:call + 6] == [
        "     Called tune-or-rebuild 1.1.0 (Does my AI workflow need fine-tuning or a full",
        "       rebuild?) → Rebuild the workflow",
        "        1. Fine-tuning or a full rebuild? The signs",
    ]
    assert ("     → Rebuild the workflow, because tune-or-rebuild outcome == 'rebuild'"
            ) in lines
    assert "Next steps from tune-or-rebuild (Rebuild the workflow):" in lines
    markdown = trace_markdown(decision).splitlines()
    assert ("   - Called tune-or-rebuild 1.1.0 (Does my AI workflow need fine-tuning or a full "
            "rebuild?) → Rebuild the workflow") in markdown
    assert "     1. **Fine-tuning or a full rebuild? The signs**" in markdown


def test_entry_tree_waits_for_a_fact_of_the_called_tree() -> None:
    result = CliRunner().invoke(main, ["decide", "ai-workflow-triage", "--set",
                                       "unreliable_system=model-feature", "--set",
                                       "has_quality_metrics=yes", "--set",
                                       "is_underperforming=yes"])
    assert result.exit_code == 3
    assert ("INCOMPLETE: fact 'decline' is needed at gate-1, in the tree that diagnose-feature "
            "calls") in result.stdout


def test_run_introduces_the_called_tree_before_its_questions() -> None:
    answers = ["workflow", "no", "yes", "no", "no", "no", "yes", "no", "yes", "yes"]
    result = CliRunner().invoke(main, ["run", "ai-workflow-triage"],
                                input="\n".join(answers) + "\n",
                                env={"COLUMNS": "200"})  # each heading on one line
    assert result.exit_code == 0, result.output
    out = result.output  # the questions (standard error) and the report (standard output)
    assert out.count("== Does my AI workflow need fine-tuning or a full rebuild? "
                     "(tune-or-rebuild 1.1.0)") == 1
    assert "DECISION: Workflow verdict: Rebuild the workflow" in out
    assert "Does my AI workflow need fine-tuning or a full rebuild? (tune-or-rebuild): Rebuild" \
        in out


_TRIAGE = load_tree("ai-workflow-triage")
_ANSWERS = {name: ([True, False] if fact.type == "boolean" else list(fact.values))
            for name, fact in _TRIAGE.spec.facts.items() if fact.type in ("boolean", "enum")}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(_ANSWERS)), st.integers(0, 5)))
def test_any_answers_to_the_entry_tree_decide_or_name_a_missing_fact(
        picks: dict[str, int]) -> None:
    facts = {name: _ANSWERS[name][i % len(_ANSWERS[name])] for name, i in picks.items()}
    decision = _TRIAGE.decide(facts)
    if decision.decided:
        assert decision.outcome is not None and decision.path[-1] == decision.outcome.id
        sub = decision.steps[-1].subdecision
        assert sub is not None and sub.outcome is not None
    else:
        assert decision.missing is not None and decision.missing.fact not in facts
        asker, node = _TRIAGE.asker(decision.missing)
        assert decision.missing.fact in asker.spec.facts and node.id == decision.missing.node
        assert decision.reachable_outcomes


def test_a_builtin_callee_is_found_by_id() -> None:
    tree = load_tree("ai-workflow-triage")
    assert {k: v.id for k, v in tree.callees.items()} == {
        "diagnose-feature": "retrain-or-tune", "review-workflow": "tune-or-rebuild"}


# --- every rule of a call has a located error -------------------------------------------------

def _at(name: str, *lines: str) -> list[str]:
    return [f"{FIXTURES / name}:{line}" for line in lines]


INVALID: dict[str, list[str]] = {
    "unknown-builtin": _at("unknown-builtin.yaml", "20:11: error: call 'ask-sub' names tree "
                           "'retrain-or-tun', which is not a built-in tree (did you mean "
                           "'retrain-or-tune'?)"),
    "missing-file": _at("missing-file.yaml", "20:11: error: call 'ask-sub' names file "
                        f"'nosuch.yaml', which does not exist (looked for "
                        f"{FIXTURES / 'nosuch.yaml'})"),
    "unknown-version": _at("unknown-version.yaml", "20:11: error: call 'ask-sub' names tree "
                           "'retrain-or-tune@9.9.9', which is not a built-in tree (did you "
                           "mean 'retrain-or-tune@1.1.1'?)"),
    "self-call": _at("self-call.yaml", "20:11: error: trees call each other in a cycle: "
                     "self-call -> self-call (a called tree must not call, directly or not, "
                     "the tree calling it)"),
    "cycle-a": [
        *_at("cycle-a.yaml", "20:11: error: call 'ask-sub' names tree 'cycle-b.yaml', which "
             f"has errors (see {FIXTURES / 'cycle-b.yaml'})"),
        *_at("cycle-b.yaml", "20:11: error: trees call each other in a cycle: cycle-a -> "
             "cycle-b -> cycle-a (a called tree must not call, directly or not, the tree "
             "calling it)"),
    ],
    "unhandled-outcome": _at("unhandled-outcome.yaml", "17:3: error: call 'ask-sub' does not "
                             "handle outcome broken of tree 'sub' (add a branch for each, or "
                             "a default:)"),
    "unhandled-outcomes": _at("unhandled-outcomes.yaml", "18:3: error: call 'ask-sub' does not "
                              "handle outcomes fine, broken of tree 'sub' (add a branch for "
                              "each, or a default:)"),
    "when-not-an-outcome": _at("when-not-an-outcome.yaml", "22:9: error: 'when: fin' is not an "
                               "outcome of tree 'sub' (did you mean 'fine'?)"),
    "duplicate-when": _at("duplicate-when.yaml", "23:9: error: call 'ask-sub' has two branches "
                          "for 'fine'; the second is never taken"),
    "if-branch": _at("if-branch.yaml",
                     "22:9: error: missing required key 'when' in /nodes/ask-sub/branches/0",
                     "22:10: error: unknown key 'if' in /nodes/ask-sub/branches/0 (allowed "
                     "keys: actions, cites, label, looks_like, next, note, when)"),
    "no-tree": _at("no-tree.yaml", "17:3: error: missing required key 'tree' in /nodes/ask-sub"),
    "callee-has-errors": [
        *_at("broken-sub.yaml", "18:29: error: branch of 'ask' goes to 'brokn', which does "
             "not exist (did you mean 'broken'?)"),
        *_at("callee-has-errors.yaml", "20:11: error: call 'ask-sub' names tree "
             f"'broken-sub.yaml', which has errors (see {FIXTURES / 'broken-sub.yaml'})"),
    ],
    "own-fact-conflict": _at("own-fact-conflict.yaml", "8:3: error: 'ok' is an enum fact "
                             "(yes-ok, not-ok) in tree 'caller' but a boolean fact in tree "
                             "'sub' (trees share facts and params by name: give it one "
                             "meaning, or rename it)"),
    "callees-disagree": _at("callees-disagree.yaml", "27:11: error: 'ok' is a boolean fact in "
                            "tree 'sub' but an integer fact in tree 'sub-int' (trees share "
                            "facts and params by name: give it one meaning, or rename it)"),
    "fact-vs-param": _at("fact-vs-param.yaml", "9:3: error: 'strictness' is an integer fact in "
                         "tree 'caller' but an integer param in tree 'sub' (trees share facts "
                         "and params by name: give it one meaning, or rename it)"),
}
CALLED = {"sub", "sub-int", "broken-sub", "cycle-b"}  # called by the fixtures above


@pytest.mark.parametrize("name", ["valid", "sub", "sub-int"])
def test_clean_fixtures_are_clean(name: str) -> None:
    assert check(FIXTURES / f"{name}.yaml") == []


@pytest.mark.parametrize("name", sorted(INVALID))
def test_every_call_rule_has_a_located_error(name: str) -> None:
    assert [str(d) for d in check(FIXTURES / f"{name}.yaml")] == INVALID[name]


def test_a_tree_with_call_errors_does_not_load() -> None:
    from gatetree import TreeError

    with pytest.raises(TreeError) as info:
        load_tree(FIXTURES / "self-call.yaml")
    assert [str(d) for d in info.value.diagnostics] == INVALID["self-call"]


def test_every_call_fixture_is_checked() -> None:
    on_disk = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert on_disk == set(INVALID) | CALLED | {"valid"}


def test_builder_reads_every_call_key_the_schema_declares() -> None:
    """Each key the schema declares (tests/test_schema_model.py holds the schema to the
    model's fields) reaches the model."""
    from gatetree.loader import compile_document
    from gatetree.source import parse_document

    tree, problems = compile_document(parse_document("""gatetree: 1
id: every-key
version: 1.0.0
title: Every key
start: c
facts: {}
nodes:
  c:
    kind: call
    title: T
    tree: retrain-or-tune
    question: Q
    help: H
    notes: N
    branches:
      - {when: fine-tune, next: x, label: BL, looks_like: LL, note: BN, actions: [A1], cites: [C1]}
    default: {next: y}
    cites: [C2]
  x: {kind: outcome, title: X, action: X.}
  y: {kind: outcome, title: Y, action: Y.}
""", path="every-key.yaml"))
    assert tree is not None, problems
    node = tree.spec.nodes["c"]
    assert (node.kind, node.title, node.tree, node.question, node.help,  # type: ignore[union-attr]
            node.notes, node.cites) == (  # type: ignore[union-attr]
        "call", "T", "retrain-or-tune", "Q", "H", "N", ("C2",))
    branch = node.branches[0]  # type: ignore[union-attr]
    assert (branch.kind, branch.value, branch.next, branch.label, branch.looks_like,
            branch.note, branch.actions, branch.cites) == (
        "when", "fine-tune", "x", "BL", "LL", "BN", ("A1",), ("C1",))
    assert node.default is not None and node.default.next == "y"  # type: ignore[union-attr]


def test_a_called_tree_reads_the_callers_values_of_shared_names() -> None:
    """One value per name per decision: the caller's defaults hold in the called tree too."""
    tree = load_tree(FIXTURES / "shared" / "shared-caller.yaml")
    decision = tree.decide({"size": 7})
    assert decision.status == "decided"
    sub = decision.steps[-1].subdecision
    assert sub is not None and sub.outcome is not None
    assert sub.outcome.id == "under"  # 7 is not over the caller's limit of 10
    assert [(e.name, e.value, e.source) for e in sub.steps[0].evidence] == [
        ("size", 7, "given"), ("limit", 10, "param-default")]
    overridden = tree.decide({"size": 7}, params={"limit": 6}).steps[-1].subdecision
    assert overridden is not None and overridden.outcome is not None
    assert overridden.outcome.id == "over"
    assert [(e.name, e.value, e.source) for e in overridden.steps[0].evidence] == [
        ("size", 7, "given"), ("limit", 6, "param"), ("flag", False, "default")]
