"""A saved trace reads back as the Decision it records, and is drawn without walking again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import gatetree.walk
from gatetree import (
    Decision,
    DecisionMismatch,
    DecisionTree,
    InputError,
    load_tree,
    read_facts,
    read_trace,
)
from gatetree.cases import run_cases
from gatetree.cli import main
from gatetree.render import build_diagram, to_mermaid

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


def _decisions() -> Iterator[tuple[str, Decision]]:
    """Every case of every built-in tree, each also with its first fact left out (an
    incomplete decision), and a checklist and a call fixture decided and left incomplete."""
    for cases in sorted((ROOT / "trees" / "cases").glob("*.yaml")):
        report = run_cases(cases)
        for result in report.results:
            decision = result.decision
            assert decision is not None, result.failures
            yield f"{cases.stem}/{result.name}", decision
            first = next(iter(decision.facts), None)
            if first is not None:
                rest = {k: v for k, v in decision.facts.items() if k != first}
                yield (f"{cases.stem}/{result.name}-without-{first}",
                       report.tree.decide(rest, params=decision.overrides))
    checklist = load_tree(FIXTURES / "checklist" / "valid.yaml")
    yield "checklist", checklist.decide({"a": True, "b": False, "c": True},
                                        params={"min_bad": 1})
    yield "checklist-incomplete", checklist.decide({"a": True})
    call = load_tree(FIXTURES / "calls" / "valid.yaml")
    yield "call", call.decide({"hand_over": True, "ok": False}, params={"strictness": 2})
    yield "call-incomplete", call.decide({"hand_over": True})


DECISIONS = dict(_decisions())


def test_the_decisions_cover_checklists_calls_and_incomplete_ones() -> None:
    steps = [s for d in DECISIONS.values() for s in d.steps]
    assert any(s.checklist is not None for s in steps)
    assert any(s.subdecision is not None for s in steps)
    assert any(d.missing is not None and d.missing.via for d in DECISIONS.values())
    assert any(d.outcome is not None and d.outcome.references for d in DECISIONS.values())
    assert any(s.exit_index > 0 for s in steps)
    assert len(DECISIONS) > 40


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_a_trace_reads_back_as_an_equal_decision(name: str) -> None:
    decision = DECISIONS[name]
    data = decision.to_dict()
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(data)
    assert read_trace(data) == decision
    assert read_trace(json.loads(json.dumps(data))) == decision
    assert Decision.from_dict(data) == decision


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in `text`."""
    return text[:text.index(needle)].count("\n") + 1


def test_every_step_records_the_exit_it_took(decision: Decision) -> None:
    data = decision.to_dict()
    assert [s["exit"] for s in data["steps"]] == [s.exit_index for s in decision.steps]
    assert [s["exit"] for s in data["steps"]] == [0, 0, 1, 1, 1, 0, 4]


def test_a_trace_file_reads_back(tmp_path: Path, decision: Decision) -> None:
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(decision.to_dict(), indent=2))
    assert read_trace(path) == decision
    assert read_trace(str(path)) == decision


def test_a_damaged_trace_is_refused_with_located_errors(tmp_path: Path,
                                                        decision: Decision) -> None:
    data = decision.to_dict()
    data["steps"][0]["exit"] = "first"
    del data["status"]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data, indent=2))
    line = _line_of(path.read_text(), '"exit": "first"')
    with pytest.raises(InputError) as caught:
        read_trace(path)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{path}:1:1: error: missing required key 'status' in the top level",
        f"{path}:{line}:15: error: /steps/0/exit must be an integer, got string 'first'",
    ]
    with pytest.raises(InputError) as caught:  # data is located in its JSON form
        read_trace({**decision.to_dict(), "format": "other/1"})
    assert str(caught.value) == ("<trace>:2:13: error: /format must be 'gatetree-trace/1', "
                                 "got 'other/1'")
    with pytest.raises(InputError, match=r"^<trace>: error: a trace must be JSON data: "
                                         r"Object of type set is not JSON serializable$"):
        read_trace({**decision.to_dict(), "facts": {"a": {1}}})
    (tmp_path / "missing.json").unlink(missing_ok=True)
    with pytest.raises(InputError, match="cannot read file: No such file or directory"):
        read_trace(tmp_path / "missing.json")


def test_a_trace_written_before_exits_were_recorded_is_refused_but_replays(
        tree: DecisionTree, decision: Decision) -> None:
    data = decision.to_dict()
    for step in data["steps"]:
        del step["exit"]
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(data)  # still a valid trace
    with pytest.raises(InputError) as caught:
        read_trace(data, origin="old.json")
    line = _line_of(json.dumps(data, indent=2), '"node": "gate-0"') - 1  # the step's {
    assert [str(d) for d in caught.value.diagnostics] == [
        f"old.json:{line}:5: error: /steps/0 (node 'gate-0') has no 'exit': the trace was written "
        "before steps recorded the exit they took (make it again with `gatetree decide ... "
        "--format json`, or replay it in Python with DecisionTree.replay)"]
    assert tree.replay(data) == decision


def test_replay_makes_the_decision_again_and_checks_it(tree: DecisionTree,
                                                      decision: Decision) -> None:
    assert tree.replay(decision) == decision
    assert tree.replay(decision.to_dict()) == decision
    pinned = tree.decide(dict(decision.facts), params={"min_eval_examples": 20})
    assert dict(tree.replay(pinned.to_dict()).overrides) == {"min_eval_examples": 20}
    edited = dict(decision.to_dict(), path=["gate-0", "build-evals"])
    with pytest.raises(DecisionMismatch, match=r"^the trace's facts now lead gate-0 -> "
                                               r"gate-0-degradation -> gate-1 -> .* \(decided\), "
                                               r"not gate-0 -> build-evals \(decided\) as "
                                               r"recorded"):
        tree.replay(edited)
    other = dict(decision.to_dict(), tree=dict(decision.to_dict()["tree"], version="9.9.9"))
    with pytest.raises(DecisionMismatch, match=r"made with tree retrain-or-tune@9\.9\.9"):
        tree.replay(other)
    unknown = dict(decision.to_dict(), facts={**decision.facts, "colour": "red"})
    with pytest.raises(InputError, match="unknown fact 'colour'"):
        tree.replay(unknown)
    with pytest.raises(InputError, match="missing required key 'tree' in the top level"):
        tree.replay({"facts": {}})


def test_a_saved_trace_is_drawn_from_its_steps_without_walking_the_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    triage = load_tree("ai-workflow-triage")
    facts, _ = read_facts(RUNNING)
    decision = triage.decide({**facts, "unreliable_system": "model-feature"})
    trace = tmp_path / "decision.json"
    trace.write_text(json.dumps(decision.to_dict()))
    expected = to_mermaid(build_diagram(triage, decision, expand=True))

    def no_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tree was walked again")

    monkeypatch.setattr(gatetree.walk.Run, "walk", no_walk)
    monkeypatch.setattr(DecisionTree, "decide", no_walk)
    result = CliRunner().invoke(main, ["render", "ai-workflow-triage", "--decision", str(trace),
                                       "--format", "mermaid", "--expand"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected


def test_the_drawn_path_follows_the_recorded_exits(tree: DecisionTree,
                                                   decision: Decision) -> None:
    data = decision.to_dict()
    data["steps"][-1]["exit"] = 1  # gate-5 recorded as leaving by its second exit, not third
    taken = [e.id for e in build_diagram(tree, read_trace(data)).edges if e.state == "taken"]
    assert taken == ["gate-0.0", "gate-0-degradation.0", "gate-1.1", "gate-2.1", "gate-3.1",
                     "gate-4.0", "gate-5.1"]


def test_render_refuses_a_trace_of_another_text_of_the_tree(tmp_path: Path,
                                                            decision: Decision) -> None:
    data = decision.to_dict()
    data["tree"]["sha256"] = "0" * 64
    trace = tmp_path / "decision.json"
    trace.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["render", "retrain-or-tune", "--decision", str(trace)])
    assert result.exit_code == 1
    assert result.stderr == (
        "gatetree: error: the decision was made with tree retrain-or-tune@1.1.1 (sha256 "
        f"000000000000), not with retrain-or-tune@1.1.1 (sha256 {decision.tree.sha256[:12]}); "
        "draw it on the tree it was made with\n")
