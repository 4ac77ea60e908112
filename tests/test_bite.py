"""Behaviour that mutation testing found unpinned (issue 14 §5): error positions inside
expressions, whole messages on the paths without a did-you-mean, the checklist's counts
and look-ahead, the trace of if-branches and calls, and checks that go on after a bad part.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import Decision, InputError, TreeError, load_text, load_tree
from gatetree.calls import depth_error
from gatetree.checklist import (
    MAX_TALLIES,
    effective_quorum,
    final_tallies,
    scope_names,
    scope_values,
    settles_now,
)
from gatetree.cli import main
from gatetree.errors import Location
from gatetree.expr import compile_expression
from gatetree.inputs import check_params, read_facts, write_facts
from gatetree.model import Call, Checklist, ChecklistGroup, ChecklistItem, Fact
from gatetree.walk import same

FIXTURES = Path(__file__).parent / "fixtures" / "bite"
BITE = FIXTURES / "bite.yaml"
POSITIONS = FIXTURES / "positions.yaml"
RUNNING = (Path(__file__).resolve().parents[1] / "trees" / "examples" / "retrain-or-tune"
           / "running-example.yaml")


def errors(text: str) -> list[str]:
    """The errors of a tree text kept beside the fixtures (its call finds sub.yaml), each
    with the file shown as t.yaml."""
    origin = str(FIXTURES / "t.yaml")
    with pytest.raises(TreeError) as exc:
        load_text(text, origin=origin)
    return [str(d).replace(origin, "t.yaml") for d in exc.value.diagnostics
            if d.severity == "error"]


def bite_with(old: str, new: str) -> str:
    text = BITE.read_text()
    assert old in text
    return text.replace(old, new)


# --- error positions inside expressions --------------------------------------------------

def test_errors_point_inside_expressions_blocks_and_after_non_ascii_text() -> None:
    with pytest.raises(TreeError) as exc:
        load_tree(POSITIONS)
    assert [str(d) for d in exc.value.diagnostics] == [f"{POSITIONS}:{line}" for line in [
        "11:3: warning: fact 'twice' is declared but never used (remove it, or use it in a "
        "gate)",
        "11:67: error: len() takes one string",
        # a literal block, on its second line, past two spaces of extra indentation
        "20:13: error: '<', '<=', '>', '>=' compare numbers, got integer and string",
        # after 'éé': columns count characters, not UTF-8 bytes
        "22:32: error: arithmetic needs numbers, got integer and string",
        "25:15: error: '<', '<=', '>', '>=' compare numbers, got string and integer",  # folded
        "27:26: error: unknown name 'nope': not a declared fact or param (did you mean "
        "'note'?)",
        # a literal block, after an empty line
        "31:14: error: '<', '<=', '>', '>=' compare numbers, got string and integer",
        "33:40: error: name 'ｃount' is not written in ASCII (names are ASCII letters, digits "
        "and '_')",
        # a literal block, on its first line, past its start
        "35:23: error: '<', '<=', '>', '>=' compare numbers, got string and integer",
    ]]
    assert [d.location.pointer for d in exc.value.diagnostics][2:4] == [
        "/nodes/g/branches/0/if", "/nodes/g/branches/1/if"]


def test_an_error_in_an_expression_from_nowhere_in_particular_stays_there() -> None:
    _, problems = compile_expression("urgent and note > 1", location=Location("facts"),
                                     facts=CALL_FACTS, params={})
    assert [str(p) for p in problems] == [
        "facts: error: '<', '<=', '>', '>=' compare numbers, got string and integer"]


# --- whole messages where no name is near --------------------------------------------------

@pytest.mark.parametrize(("old", "new", "message"), [
    ("{if: count > level, next: hand, label: many}",
     "{if: count > level, next: qqqqqq, label: many}",
     "t.yaml:27:35: error: branch of 'first' goes to 'qqqqqq', which does not exist"),
    ("    question: Urgent and many?\n", "    question: Urgent and many?\n    fact: qqqqqq\n",
     "t.yaml:22:11: error: gate 'first' branches on undeclared fact 'qqqqqq' (declare it "
     "under facts:)"),
    ("{fact: bad, group: minus}", "{fact: bad, group: qqqqqq}",
     "t.yaml:39:28: error: item 'bad' is in group 'qqqqqq', which checklist 'signs' does not "
     "declare (groups: plus, minus)"),
    ("{fact: bad, group: minus}", "{fact: qqqqqq, group: minus}",
     "t.yaml:39:16: error: checklist 'signs' lists undeclared fact 'qqqqqq' (declare it under "
     "facts:)"),
    ("    quorum: 2\n", "    quorum: qqqqqq\n",
     "t.yaml:41:13: error: quorum names 'qqqqqq', which is not a param (declare it under "
     "params:)"),
    ("  calm: {kind: outcome,", "  calm: {kind: outcome, qqqqqq: 1,",
     "t.yaml:54:25: error: unknown key 'qqqqqq' in /nodes/calm (allowed keys: action, cites, "
     "kind, next_steps, notes, references, title, why)"),
])
def test_a_far_miss_gets_the_listing_not_a_guess(old: str, new: str, message: str) -> None:
    assert errors(bite_with(old, new))[-1:] == [message]


@pytest.mark.parametrize(("args", "stderr"), [
    (["--set", "qqqqqq=1"], "--set qqqqqq=1: error: unknown fact 'qqqqqq' (known facts: "
                            "bad, count, fine, good, ok, urgent) [unknown-fact]\n"),
    (["--param", "qqqqqq=1"], "--param qqqqqq=1: error: unknown param 'qqqqqq' (known "
                              "params: level, strictness) [unknown-param]\n"),
])
def test_a_far_miss_on_the_command_line_lists_the_names(args: list[str], stderr: str) -> None:
    result = CliRunner().invoke(main, ["decide", str(BITE), *args])
    assert result.exit_code == 1
    assert result.stderr == stderr


def test_an_unknown_tree_far_from_any_lists_the_built_in_trees() -> None:
    result = CliRunner().invoke(main, ["show", "qqqqqq"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(
        "no tree 'qqqqqq': it is not a file and not a built-in tree; built-in trees: "
        "ai-workflow-triage, retrain-or-tune, tune-or-rebuild")


# --- checks go on after a bad part -------------------------------------------------------

GATES = """gatetree: 1
id: gates
version: 1.0.0
title: Gates
start: b
facts:
  flag: {type: boolean, question: "Flag?"}
  score: {type: number, question: "Score?"}
  name: {type: string, question: "Name?"}
nodes:
  b:
    kind: gate
    title: B
    fact: flag
    branches:
      - {when: maybe, next: s}
      - {when: 3, next: s}
      - {when: true, next: s}
      - {when: true, next: n}
      - {when: false, next: qqqqqq}
      - {when: false, next: wwwwww}
  s:
    kind: gate
    title: S
    fact: score
    branches:
      - {when: 1.5, next: n}
  n:
    kind: gate
    title: N
    fact: name
    branches:
      - {when: x, next: done}
  done: {kind: outcome, title: Done, action: Stop.}
"""


def test_every_bad_branch_is_reported_and_number_and_string_gates_need_a_default() -> None:
    assert errors(GATES) == [
        "t.yaml:16:9: error: 'when: maybe' is not a boolean (fact 'flag')",
        "t.yaml:17:9: error: 'when: 3' is not a boolean (fact 'flag')",
        "t.yaml:19:9: error: gate 'b' has two branches for 'true'; the second is never taken",
        "t.yaml:20:29: error: branch of 'b' goes to 'qqqqqq', which does not exist",
        "t.yaml:21:9: error: gate 'b' has two branches for 'false'; the second is never taken",
        "t.yaml:21:29: error: branch of 'b' goes to 'wwwwww', which does not exist",
        "t.yaml:22:3: error: gate 's' branches on number fact 'score' without a default (add "
        "default: for the values no branch names)",
        "t.yaml:28:3: error: gate 'n' branches on string fact 'name' without a default (add "
        "default: for the values no branch names)",
    ]


def test_a_null_fact_does_not_stop_the_check_of_the_next(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("urgent: null\ncount: many\ngood: ~\nbad: 3\n")
    result = CliRunner().invoke(main, ["decide", str(BITE), "--facts", str(facts)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{facts}:2:8: error: fact 'count' must be a whole number; got 'many' [value-does-not-fit]",
        f"{facts}:4:6: error: fact 'bad' must be true or false; got 3 [value-does-not-fit]",
    ]


# --- the trace of if-branches, actions and calls ---------------------------------------------

def test_an_if_branch_step_serialises_whole_with_its_actions() -> None:
    decision = load_tree(BITE).decide({"urgent": True, "count": 5, "good": True,
                                       "fine": True})
    first = decision.steps[0]
    assert first.actions == ("Page someone.", "Open a ticket.")
    assert first.to_dict() == {
        "node": "first", "title": "First", "question": "Urgent and many?", "fact": None,
        "value": None,
        "evidence": [{"name": "urgent", "value": True, "source": "given"},
                     {"name": "count", "value": 5, "source": "given"},
                     {"name": "level", "value": 2, "source": "param-default"}],
        "branch": {"label": "urgent", "chosen_by": "urgent and count > level",
                   "rejected": [], "next": "signs"},
        "actions": ["Page someone.", "Open a ticket."], "exit": 0,
    }
    assert [(a.node, a.text) for a in decision.actions] == [("first", "Page someone."),
                                                            ("first", "Open a ticket.")]
    assert decision.path == ("first", "signs", "calm")


def test_a_later_if_branch_records_the_rejected_one_and_the_default_its_actions() -> None:
    tree = load_tree(BITE)
    many = tree.decide({"urgent": False, "count": 5, "ok": True}).steps[0]
    assert (many.exit_index, many.label, many.chosen_by, many.rejected, many.actions) == (
        1, "many", "count > level", ("urgent and count > level",), ())
    calm = tree.decide({"urgent": True, "count": 2}, params={"level": 2})
    assert calm.steps[0].exit_index == 2 and calm.steps[0].actions == ("Wait.",)
    assert [(a.node, a.text) for a in calm.actions] == [("first", "Wait.")]
    assert calm.outcome is not None and calm.outcome.id == "calm"


def test_params_reach_the_called_tree() -> None:
    decision = load_tree(BITE).decide({"urgent": False, "count": 5, "ok": False},
                                      params={"strictness": 7})
    hand = decision.steps[-1]
    assert hand.node == "hand" and hand.subdecision is not None
    called = hand.subdecision.to_dict()
    assert called["params"] == {"strictness": 7} and called["overrides"] == {"strictness": 7}
    assert called["steps"][0]["question"] == "Is it OK at strictness 7?"
    assert decision.outcome is not None and decision.outcome.id == "alarm"
    default = load_tree(BITE).decide({"urgent": False, "count": 5, "ok": True})
    assert default.steps[-1].subdecision.to_dict()["params"] == {"strictness": 1}  # type: ignore[union-attr]


# --- the checklist: counts, look-ahead under a quorum, the tally cap ---------------------------

def test_look_ahead_under_a_quorum_decides_before_the_quorum_when_nothing_can_change() -> None:
    tree = load_tree(BITE)
    base = {"urgent": True, "count": 5}
    early = tree.decide({**base, "bad": True})  # minus reaches minus_items whatever comes
    trace = early.steps[1].checklist
    assert early.path == ("first", "signs", "hand")
    assert trace is not None and (trace.answered, trace.quorum, trace.decided_early) == (
        1, 2, True)
    waiting = tree.decide({**base, "good": True})  # 'fine' makes it calm, 'bad' a hand-over
    assert waiting.path == ("first", "signs")
    assert waiting.missing is not None and waiting.missing.fact == "fine"
    assert set(waiting.reachable_outcomes) == {"calm", "alarm"}


def test_a_checklist_reads_its_counts() -> None:
    tree = load_tree(BITE)
    base = {"urgent": True, "count": 5}
    assert tree.decide({**base, "good": True, "fine": True}).outcome.id == "calm"  # type: ignore[union-attr]
    # plus (1) is not plus_items (2); minus (1) reaches minus_items (1): the hand-over
    bad = tree.decide({**base, "good": True, "bad": True, "ok": False})
    assert bad.path == ("first", "signs", "hand", "alarm")
    # two answers reach the quorum and no condition holds: the default
    assert tree.decide({**base, "good": False, "fine": False}).path == ("first", "signs",
                                                                        "calm")
    # three answers: 'answered >= 3'
    assert tree.decide({**base, "good": False, "fine": False, "bad": False}).path == (
        "first", "signs", "alarm")


def checklist(weights: tuple[int, ...], unanswered: str = "all",
              quorum: int | None = None) -> Checklist:
    return Checklist(
        id="c", title="C", question="C?",
        groups=(ChecklistGroup("g", "G"), ChecklistGroup("h", "H")),
        items=(*(ChecklistItem(f"f{i}", "g", w) for i, w in enumerate(weights)),
               ChecklistItem("last", "h", 1)),
        unanswered=unanswered,  # type: ignore[arg-type]
        branches=(), quorum=quorum)


def test_final_tallies_under_a_quorum_keep_the_items_left_open() -> None:
    node = checklist((1, 2), unanswered="quorum", quorum=2)
    # 'last' answered; f0 (weight 1) and f1 (weight 2) each yes, no or left open; a
    # score of 3 needs both answered
    assert final_tallies(node, {"last": False}, 2) == {
        ((0, 0), 2), ((1, 0), 2), ((2, 0), 2), ((0, 0), 3), ((1, 0), 3), ((2, 0), 3),
        ((3, 0), 3)}
    everything = checklist((1, 2))
    assert final_tallies(everything, {"last": False}, None) == {
        ((0, 0), 3), ((1, 0), 3), ((2, 0), 3), ((3, 0), 3)}


def test_final_tallies_stop_just_past_the_cap() -> None:
    at_cap = checklist(tuple(2 ** i for i in range(12)))  # 2**12 == MAX_TALLIES scores
    assert MAX_TALLIES == 4096
    tallies = final_tallies(at_cap, {"last": True}, None)
    assert tallies is not None and len(tallies) == MAX_TALLIES
    assert final_tallies(checklist(tuple(2 ** i for i in range(13))), {"last": True},
                         None) is None


def test_counts_policies_and_settling() -> None:
    node = checklist((1, 1, 1), unanswered="quorum", quorum=2)
    assert scope_values(node, ((2, 1), 3)) == {"answered": 3, "g": 2, "g_items": 3, "h": 1,
                                               "h_items": 1}
    assert effective_quorum(node, 2) == 2
    assert effective_quorum(node, None) == 4
    assert effective_quorum(checklist((1,), unanswered="no"), 3) == 0
    assert effective_quorum(checklist((1,), unanswered="all"), 1) == 2
    assert settles_now(node, {"f0": True, "f1": False}, 2)
    assert not settles_now(node, {"f0": True, "f1": None}, 2)


def test_a_params_error_lists_no_guess_for_a_far_name() -> None:
    with pytest.raises(InputError) as exc:
        load_tree(BITE).decide({}, params={"qqqqqq": 1})
    assert [str(d) for d in exc.value.diagnostics] == [
        "params: error: unknown param 'qqqqqq' (known params: level, strictness)"]


def test_a_group_is_a_number_only_when_its_own_items_weigh_fractions() -> None:
    node = Checklist(
        id="c", title="C", question="C?",
        groups=(ChecklistGroup("g", "G"), ChecklistGroup("h", "H")),
        items=(ChecklistItem("a", "g", 2), ChecklistItem("b", "h", 0.5)),
        unanswered="all", branches=())
    types = {name: t.name for name, t in scope_names(node).items()}
    assert types == {"answered": "integer", "g": "integer", "g_items": "integer",
                     "h": "number", "h_items": "integer"}


# --- facts written back ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text"), [
    ("saved.json", '{\n  "urgent": true,\n  "count": 3,\n  "note": "é no"\n}\n'),
    ("saved.yaml", "# Facts for bite 1.0.0 (Bite)\nurgent: true\ncount: 3\nnote: \"é no\"\n"),
])
def test_facts_are_written_whole_and_read_back(tmp_path: Path, name: str, text: str) -> None:
    tree = load_tree(BITE)
    facts = {"urgent": True, "count": 3, "note": "é no"}
    write_facts(tmp_path / name, facts, tree=tree.spec)
    assert (tmp_path / name).read_bytes() == text.encode("utf-8")
    assert read_facts(tmp_path / name)[0] == facts


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("name", ["saved.json", "saved.yaml"])
def test_facts_that_would_not_read_back_are_not_written(tmp_path: Path, value: float,
                                                        name: str) -> None:
    with pytest.raises(InputError) as exc:
        write_facts(tmp_path / name, {"count": 1, "score": value, "x": -value},
                    tree=load_tree(BITE).spec)
    assert [str(d) for d in exc.value.diagnostics] == [
        f"{tmp_path / name}: error: cannot write facts that are not finite numbers: score, x "
        "(a facts file holds finite numbers only)"]
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize(("value", "expected", "equal"), [
    (True, True, True), (False, False, True), (True, 1, False), (1, True, False),
    (0, False, False), (False, 0, False), (True, False, False),
    ("1", 1, False), (1, "1", False), ("a", "a", True), ("a", "b", False),
    (1, 1.0, True), (1.0, 1, True), (2, 3, False),
])
def test_answers_are_the_same_by_kind_then_value(value: object, expected: object,
                                                 equal: bool) -> None:
    assert same(value, expected) is equal


CALL_FACTS = {"count": Fact("count", "integer", "How many?"),
              "score": Fact("score", "number", "What score?"),
              "urgent": Fact("urgent", "boolean", "Urgent?"),
              "note": Fact("note", "string", "A note?")}
FUNCTIONS_HINT = "(the functions are: min, max, abs, len, round)"


@pytest.mark.parametrize(("text", "message"), [
    ("urgent and round(score, 1, 2) > 0", "round() takes a number and optional digits"),
    ("urgent and round(note) > 0", "round() takes a number and optional digits"),
    ("urgent and abs(note) > 1", "abs() takes numbers"),
    ("urgent and min(count) > 1", "min() takes two or more numbers (min() of one number is "
                                  "that number)"),
    ("urgent and (1)(2) > 0", f"calling the result of an expression is not allowed "
                              f"{FUNCTIONS_HINT}"),
    ("urgent and count(1) > 0", f"calling 'count' is not allowed {FUNCTIONS_HINT}"),
    ("urgent and min(count, b=2) > 0", "min() takes plain positional arguments only"),
    ("urgent and max(*count) > 0", "max() takes plain positional arguments only"),
    ("urgent and len(count) > 0", "len() takes one string"),
])
def test_a_bad_call_is_located_at_the_call_not_the_expression(text: str,
                                                              message: str) -> None:
    compiled, problems = compile_expression(text, location=Location("expr", 3, 5),
                                            facts=CALL_FACTS, params={})
    assert compiled is None
    assert [str(p) for p in problems] == [f"expr:3:16: error: {message}"]


# --- a saved trace reads back whole ------------------------------------------------------

def test_a_trace_reads_back_with_its_checklist_quorum_and_outcome_texts() -> None:
    decision = load_tree(BITE).decide({"urgent": True, "count": 5, "good": True,
                                       "fine": True})
    again = Decision.from_dict(decision.to_dict())
    assert again.to_dict() == decision.to_dict()
    assert again.steps[1].checklist == decision.steps[1].checklist
    assert again.steps[1].checklist is not None and again.steps[1].checklist.quorum == 2
    running = load_tree("retrain-or-tune").decide(read_facts(RUNNING)[0])
    assert running.outcome is not None and running.outcome.references
    assert Decision.from_dict(running.to_dict()).outcome == running.outcome


def test_an_outcome_without_its_optional_texts_reads_back_empty() -> None:
    data = load_tree(BITE).decide({"urgent": True, "count": 2}).to_dict()
    for key in ("references", "notes", "cites"):
        del data["outcome"][key]
    outcome = Decision.from_dict(data).outcome
    assert outcome is not None
    assert (outcome.references, outcome.notes, outcome.cites) == ((), "", ())


@pytest.mark.parametrize(("chain", "shown"), [
    (("a", "b", "c", "d", "e"), "a -> b -> c -> d -> e"),
    (("a", "b", "c", "d", "e", "f"), "a -> b -> ... -> e -> f"),
])
def test_a_long_chain_of_calls_is_shown_by_its_ends(chain: tuple[str, ...],
                                                    shown: str) -> None:
    node = load_tree(BITE).spec.nodes["hand"]
    assert isinstance(node, Call)
    problem = depth_error(node, chain)
    assert (problem.message, problem.hint) == (
        f"call 'hand' nests trees more than 32 deep: {shown} -> sub.yaml",
        "a chain of calls holds at most 32 trees")


def test_a_wrong_when_value_is_shown_as_written_with_its_article() -> None:
    text = GATES.replace("{when: maybe, next: s}", "{when: Maybe, next: s}").replace(
        "      - {when: x, next: done}", "      - {when: x, next: done}\n    default: {next: done}"
    ).replace("name: {type: string,", "name: {type: integer,")
    assert errors(text)[:2] == [
        "t.yaml:16:9: error: 'when: Maybe' is not a boolean (fact 'flag')",
        "t.yaml:17:9: error: 'when: 3' is not a boolean (fact 'flag')"]
    assert "t.yaml:33:9: error: 'when: x' is not an integer (fact 'name')" in errors(text)


@pytest.mark.parametrize(("text", "where"), [
    ("\n\ngatetree: 1\nid: a\x07b\n", "4:6"),  # after two empty lines
    ("\x07gatetree: 1\n", "1:1"),
    ("gatetree: 1\nid: ab\x07\n", "2:7"),
])
def test_a_control_character_in_a_file_is_located(text: str, where: str) -> None:
    assert errors(text) == [f"t.yaml:{where}: error: invalid YAML: unacceptable character "
                            "#x0007: special characters are not allowed"]


def test_a_list_outside_in_is_located_at_the_list() -> None:
    _, problems = compile_expression("urgent and [1, 2]", location=Location("expr", 3, 5),
                                     facts=CALL_FACTS, params={})
    assert [str(p) for p in problems] == ["expr:3:16: error: a list may only stand after 'in'"]


def test_params_checked_alone_are_called_params() -> None:
    with pytest.raises(InputError) as exc:
        check_params(load_tree(BITE).spec, {"level": "high"})
    assert [str(d) for d in exc.value.diagnostics] == [
        "params: error: param 'level' must be a whole number; got 'high'"]


def test_an_error_inside_a_one_line_expression_keeps_its_pointer() -> None:
    _, problems = compile_expression("urgent and note > 1",
                                     location=Location("t.yaml", 7, 9, "/facts/x/derive"),
                                     facts=CALL_FACTS, params={})
    assert [(str(p.location), p.location.pointer) for p in problems] == [
        ("t.yaml:7:20", "/facts/x/derive")]
