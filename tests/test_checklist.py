"""Checklist nodes: scores per group, weights, unanswered policies, early stop, the trace,
the tune-or-rebuild tree, and a located error for every checklist rule."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import InputError, check, load_tree, read_facts
from gatetree.checklist import MAX_TALLIES
from gatetree.cli import main
from gatetree.loader import compile_document
from gatetree.render.trace_view import trace_markdown, trace_text
from gatetree.render.wording import explain_checklist
from gatetree.source import parse_document
from gatetree.tree import DecisionTree

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checklist"
EXAMPLES = ROOT / "trees" / "examples" / "tune-or-rebuild"
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


def compiled(text: str) -> DecisionTree:
    tree, problems = compile_document(parse_document(text, path="checklist.yaml"))
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert tree is not None
    return tree


def checklist_tree(*, unanswered: str = "all", quorum: str = "", weights: tuple[int, ...]
                   = (1, 1, 1, 1), branches: str = "") -> DecisionTree:
    """Two good items and two bad ones; 'fix' when the bad signs outweigh the good."""
    w = weights
    return compiled(f"""gatetree: 1
id: signs
version: 1.0.0
title: Signs
start: signs
params:
  min_bad: {{type: integer, default: 2, help: Bad score that calls for a fix.}}
  needed: {{type: integer, default: 2, help: Answers needed.}}
facts:
  g1: {{type: boolean, question: "Good one?"}}
  g2: {{type: boolean, question: "Good two?", help: The second good sign.}}
  b1: {{type: boolean, question: "Bad one?"}}
  b2: {{type: boolean, question: "Bad two?"}}
nodes:
  signs:
    kind: checklist
    title: The signs
    groups:
      good: {{title: Good signs, label: good signs}}
      bad: {{title: Bad signs, label: bad signs, help: Signs of trouble.}}
    items:
      - {{fact: b1, group: bad, weight: {w[2]}, label: bad one}}
      - {{fact: g1, group: good, weight: {w[0]}, label: good one}}
      - {{fact: g2, group: good, weight: {w[1]}, label: good two}}
      - {{fact: b2, group: bad, weight: {w[3]}, label: bad two}}
    unanswered: {unanswered}
{quorum}    branches:
{branches or '      - {if: bad >= min_bad and bad > good, next: fix}'}
    default: {{next: keep}}
  fix: {{kind: outcome, title: Fix, action: Fix it.}}
  keep: {{kind: outcome, title: Keep, action: Keep it.}}
""")


# --- scores and weights -----------------------------------------------------------------

def test_scores_count_weighted_yes_answers_per_group() -> None:
    tree = checklist_tree(weights=(1, 1, 3, 1))
    decision = tree.decide({"g1": True, "g2": True, "b1": True, "b2": False})
    assert decision.outcome is not None and decision.outcome.id == "fix"
    trace = decision.steps[0].checklist
    assert trace is not None
    assert [(g.group, g.score, g.weight, g.yes, g.answered, g.items) for g in trace.groups] == [
        ("good", 2, 2, 2, 2, 2), ("bad", 3, 4, 1, 2, 2)]
    assert trace.answered == 4 and not trace.decided_early
    assert decision.steps[0].chosen_by == "bad >= min_bad and bad > good"


def test_without_weights_the_same_answers_keep() -> None:
    decision = checklist_tree().decide({"g1": True, "g2": True, "b1": True, "b2": False})
    assert decision.outcome is not None and decision.outcome.id == "keep"
    assert decision.steps[0].rejected == ("bad >= min_bad and bad > good",)
    assert decision.steps[0].chosen_by == "default"


def test_items_are_traced_in_group_order_with_answer_and_source() -> None:
    decision = checklist_tree(unanswered='"no"').decide({"b2": True, "g1": False})
    trace = decision.steps[0].checklist
    assert trace is not None
    assert [(i.fact, i.group, i.label, i.weight, i.answer, i.source) for i in trace.items] == [
        ("g1", "good", "good one", 1, False, "given"),
        ("g2", "good", "good two", 1, None, None),
        ("b1", "bad", "bad one", 1, None, None),
        ("b2", "bad", "bad two", 1, True, "given"),
    ]
    # Evidence lists the answered items, then the params the conditions read.
    assert [(e.name, e.value, e.source) for e in decision.steps[0].evidence] == [
        ("g1", False, "given"), ("b2", True, "given"), ("min_bad", 2, "param-default")]


def test_counts_are_names_in_conditions() -> None:
    tree = checklist_tree(unanswered='"no"', branches=(
        "      - {if: answered < good_items + bad_items, next: keep}\n"
        "      - {if: bad == bad_items, next: fix}"))
    assert tree.decide({"b1": True, "b2": True}).outcome.id == "keep"  # type: ignore[union-attr]
    everything = {"g1": False, "g2": False, "b1": True, "b2": True}
    assert tree.decide(everything).outcome.id == "fix"  # type: ignore[union-attr]


def test_a_derived_item_records_its_source_and_what_it_needs() -> None:
    tree = compiled("""gatetree: 1
id: derived
version: 1.0.0
title: Derived
start: signs
facts:
  errors: {type: integer, question: "How many errors a week?"}
  many_errors: {type: boolean, question: "Many errors?", derive: errors > 10}
  slow: {type: boolean, question: "Slow?"}
nodes:
  signs:
    kind: checklist
    title: Signs
    groups: {bad: {title: Bad signs}}
    items:
      - {fact: many_errors, group: bad}
      - {fact: slow, group: bad}
    unanswered: all
    branches:
      - {if: bad == 2, next: fix}
    default: {next: keep}
  fix: {kind: outcome, title: Fix, action: Fix it.}
  keep: {kind: outcome, title: Keep, action: Keep it.}
""")
    waiting = tree.decide({"slow": True})
    assert waiting.missing is not None
    assert (waiting.missing.fact, waiting.missing.derivable_from) == ("many_errors", ("errors",))
    decision = tree.decide({"slow": True, "errors": 12})
    assert decision.outcome is not None and decision.outcome.id == "fix"
    trace = decision.steps[0].checklist
    assert trace is not None and trace.items[0].source == "derived"


# --- unanswered policies and early stop ---------------------------------------------------

def test_unanswered_no_counts_missing_items_as_no_and_never_waits() -> None:
    decision = checklist_tree(unanswered='"no"').decide({})
    assert decision.outcome is not None and decision.outcome.id == "keep"
    trace = decision.steps[0].checklist
    assert trace is not None and trace.answered == 0 and not trace.decided_early


def test_unanswered_all_waits_and_names_the_next_item_in_group_order() -> None:
    decision = checklist_tree().decide({"g1": True})
    assert decision.status == "incomplete"
    assert decision.missing is not None
    # g2 comes before b1: items are asked group by group, in the order groups are declared.
    assert (decision.missing.fact, decision.missing.node) == ("g2", "signs")
    assert decision.missing.question == "Good two?"
    assert decision.reachable_outcomes == ("fix", "keep")


def test_early_stop_when_no_answer_can_change_the_exit() -> None:
    # Both good signs are "no" and both bad ones "yes" would be needed for 'fix'... but with
    # the good signs "yes", bad can never exceed good: 'keep' whatever b1 and b2 say.
    decision = checklist_tree().decide({"g1": True, "g2": True})
    assert decision.outcome is not None and decision.outcome.id == "keep"
    trace = decision.steps[0].checklist
    assert trace is not None and trace.decided_early and trace.answered == 2
    assert [i.answer for i in trace.items if i.group == "bad"] == [None, None]


def test_incomplete_checklist_narrows_the_reachable_outcomes() -> None:
    # Two bad signs already: 'fix' unless both good signs turn out yes.
    decision = checklist_tree().decide({"b1": True, "b2": True, "g1": True})
    assert decision.missing is not None and decision.missing.fact == "g2"
    assert decision.reachable_outcomes == ("fix", "keep")
    decided = checklist_tree().decide({"b1": True, "b2": True, "g1": False})
    assert decided.outcome is not None and decided.outcome.id == "fix"


def test_quorum_waits_for_enough_answers_then_counts_the_rest_as_no() -> None:
    tree = checklist_tree(unanswered="quorum", quorum="    quorum: 3\n")
    waiting = tree.decide({"b1": True, "b2": True})
    assert waiting.missing is not None and waiting.missing.fact == "g1"
    decision = tree.decide({"b1": True, "b2": True, "g1": False})
    assert decision.outcome is not None and decision.outcome.id == "fix"
    trace = decision.steps[0].checklist
    assert trace is not None
    assert (trace.unanswered, trace.quorum, trace.answered, trace.decided_early) == (
        "quorum", 3, 3, False)


def test_quorum_from_a_param_can_be_overridden() -> None:
    tree = checklist_tree(unanswered="quorum", quorum="    quorum: needed\n")
    facts = {"b1": True, "b2": True}
    assert tree.decide(facts).outcome.id == "fix"  # type: ignore[union-attr]
    waiting = tree.decide(facts, params={"needed": 4})
    assert waiting.missing is not None and waiting.missing.fact == "g1"
    for bad in (0, -3, 99):
        with pytest.raises(InputError) as info:
            tree.decide(facts, params={"needed": bad})
        assert [str(d) for d in info.value.diagnostics] == [
            f"params: error: param 'needed' is {bad}, but checklist 'signs' can wait for 1 to "
            f"{len(tree.spec.nodes['signs'].items)} answers"]  # type: ignore[union-attr]


def _weighted(condition: str) -> DecisionTree:
    """A checklist of one group whose items weigh 1, 2, 4, ...: every subset a new score."""
    count = MAX_TALLIES.bit_length() + 1
    facts = "\n".join(f'  f{i}: {{type: boolean, question: "F{i}?"}}' for i in range(count))
    items = "\n".join(f"      - {{fact: f{i}, group: g, weight: {2 ** i}}}" for i in range(count))
    return compiled(f"""gatetree: 1
id: big
version: 1.0.0
title: Big
start: signs
facts:
{facts}
nodes:
  signs:
    kind: checklist
    title: Signs
    groups: {{g: {{title: Signs}}}}
    items:
{items}
    unanswered: all
    branches:
      - {{if: "{condition}", next: fix}}
    default: {{next: keep}}
  fix: {{kind: outcome, title: Fix, action: Fix it.}}
  keep: {{kind: outcome, title: Keep, action: Keep it.}}
""")


def test_bounds_settle_a_checklist_beyond_the_tally_cap() -> None:
    """A condition that holds on every score the open items allow decides at once, however
    many tallies they could make: the bounds of the score settle it, not a count of tallies."""
    decision = _weighted("g >= 0").decide({})
    assert decision.outcome is not None and decision.outcome.id == "fix"
    assert decision.steps[0].checklist.decided_early  # type: ignore[union-attr]


def test_early_stop_gives_up_beyond_the_tally_cap() -> None:
    """Where bounds cannot follow a condition (here '%'), the tallies are enumerated; with
    more distinct tallies than MAX_TALLIES, the walk asks instead of looking ahead."""
    tree = _weighted("g % 2 == 0")
    decision = tree.decide({})
    assert decision.status == "incomplete"
    assert decision.missing is not None and decision.missing.fact == "f0"
    count = MAX_TALLIES.bit_length() + 1
    small = tree.decide({"f0": False, **{f"f{i}": False for i in range(2, count)}})
    assert small.outcome is not None and small.steps[0].checklist.decided_early  # type: ignore[union-attr]
    assert small.outcome.id == "fix"  # g is 0 or 2, even either way


_TUNE = load_tree("tune-or-rebuild")
_SIGNS = [i.fact for i in _TUNE.spec.nodes["signs"].ask_order]  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(answers=st.lists(st.sampled_from([True, False, None]), min_size=len(_SIGNS),
                       max_size=len(_SIGNS)),
       fill=st.lists(st.booleans(), min_size=len(_SIGNS), max_size=len(_SIGNS)),
       thresholds=st.tuples(st.integers(0, 6), st.integers(0, 9), st.integers(0, 9)))
def test_an_early_verdict_is_the_verdict_of_every_completion(
        answers: list[bool | None], fill: list[bool],
        thresholds: tuple[int, int, int]) -> None:
    """Decided with signs open: answering them any way gives the same outcome. Waiting:
    the checklist names the first open sign, and some completions disagree."""
    params = dict(zip(("refine_min_signs", "refine_max_structural", "rebuild_min_signs"),
                      thresholds, strict=True))
    given_facts = {f: a for f, a in zip(_SIGNS, answers, strict=True) if a is not None}
    decision = _TUNE.decide(given_facts, params=params)
    completed = {f: given_facts.get(f, v) for f, v in zip(_SIGNS, fill, strict=True)}
    final = _TUNE.decide(completed, params=params)
    assert final.outcome is not None
    if decision.decided:
        assert decision.outcome is not None and decision.outcome.id == final.outcome.id
    else:
        assert decision.missing is not None
        assert decision.missing.fact == next(f for f in _SIGNS if f not in given_facts)
        assert final.outcome.id in decision.reachable_outcomes
        assert len(decision.reachable_outcomes) > 1


# --- the trace as JSON and as text ---------------------------------------------------------

def test_checklist_trace_json_is_valid_and_complete() -> None:
    validator = jsonschema.Draft202012Validator(TRACE_SCHEMA)
    tree = checklist_tree(weights=(1, 1, 3, 1))
    for facts in ({"g1": True, "g2": True, "b1": True, "b2": False}, {"g1": True}, {}):
        validator.validate(json.loads(json.dumps(tree.decide(facts).to_dict())))
    step = tree.decide({"g1": True, "g2": True, "b1": True, "b2": False}).to_dict()["steps"][0]
    assert step["checklist"]["groups"][1] == {"group": "bad", "title": "Bad signs",
                                              "label": "bad signs", "score": 3, "weight": 4,
                                              "yes": 1, "answered": 2, "items": 2}
    assert step["checklist"]["items"][2] == {"fact": "b1", "group": "bad", "label": "bad one",
                                             "weight": 3, "answer": True, "source": "given"}
    assert "subdecision" not in step


def test_explanation_shows_the_parts_of_the_condition_that_held_with_their_values() -> None:
    decision = checklist_tree(weights=(1, 1, 3, 1)).decide(
        {"g1": True, "g2": False, "b1": True, "b2": False})
    assert explain_checklist(decision.steps[0]) == (
        "its condition held: bad >= min_bad (bad = 3, min_bad = 2) and bad > good "
        "(bad = 3, good = 1)")


def test_explanation_of_the_default_names_the_part_that_failed() -> None:
    decision = checklist_tree().decide({"g1": True, "g2": True, "b1": True, "b2": True})
    assert decision.outcome is not None and decision.outcome.id == "keep"
    assert explain_checklist(decision.steps[0]) == (
        "otherwise, the default, as each condition before it failed: bad > good "
        "(bad = 2, good = 2) failed")


def test_explanation_from_an_edited_trace_only_lists_the_tallies() -> None:
    decision = checklist_tree().decide({"g1": True, "g2": True, "b1": True, "b2": True})
    edited = replace(decision.steps[0], rejected=("bad > unknown_name",))
    assert explain_checklist(edited) == (
        "otherwise; the signs: 2 of 2 good signs (good one, good two) and 2 of 2 bad signs "
        "(bad one, bad two)")


def test_text_view_of_a_checklist_step() -> None:
    decision = checklist_tree(weights=(1, 1, 3, 1)).decide({"g1": True, "g2": True, "b1": True})
    lines = trace_text(decision).splitlines()
    start = lines.index(" 1. The signs")
    assert lines[start:start + 13] == [
        " 1. The signs",
        "     Good signs (good): 2 of 2 yes",
        "       [x] good one (yes, given)",
        "       [x] good two (yes, given)",
        "     Bad signs (bad): 1 of 2 yes, score 3 of 4",
        "       [x] bad one (yes, given)",
        "       [?] bad two (not answered)",
        "     3 of 4 items answered; no answer to the open item could change the result, so it",
        "       did not wait",
        "     In short: its condition held: bad >= min_bad (bad = 3, min_bad = 2) and bad > good",
        "       (bad = 3, good = 2).",
        "     · min_bad = 2 (param default)",
        "     → bad >= min_bad and bad > good, because bad >= min_bad and bad > good",
    ]


# --- the tune-or-rebuild tree --------------------------------------------------------------

@pytest.mark.parametrize(("example", "outcome"), [
    ("refinable-workflow", "refine"),
    ("broken-workflow", "rebuild"),
    ("almost-working", "structured-diagnosis"),
])
def test_each_example_reaches_its_verdict_in_every_format(example: str, outcome: str) -> None:
    path = str(EXAMPLES / f"{example}.yaml")
    runner = CliRunner()
    text = runner.invoke(main, ["decide", "tune-or-rebuild", "--facts", path])
    markdown = runner.invoke(main, ["decide", "tune-or-rebuild", "--facts", path,
                                    "--format", "markdown"])
    raw = runner.invoke(main, ["decide", "tune-or-rebuild", "--facts", path, "--format", "json"])
    assert (text.exit_code, markdown.exit_code, raw.exit_code) == (0, 0, 0)
    data = json.loads(raw.stdout)
    facts, _ = read_facts(path)
    trace = load_tree("tune-or-rebuild").decide(facts).to_dict()
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(trace)
    assert {k: data[k] for k in trace} == trace  # the command prints the same trace
    assert data["outcome"]["id"] == outcome
    step = data["steps"][0]
    assert [g["group"] for g in step["checklist"]["groups"]] == ["refine", "structural",
                                                                "patching"]
    assert len(step["checklist"]["items"]) == 13
    chosen = step["branch"]["chosen_by"]
    for output in (text.stdout, markdown.stdout):
        assert "Signs that a full rebuild may be the better option" in output
        assert "In short: " in output
    flat = " ".join(text.stdout.split())
    if chosen == "default":
        assert "because none of these held: " in flat
    else:
        assert f"because {chosen}" in flat


def _explained(example: str) -> str:
    facts, _ = read_facts(EXAMPLES / f"{example}.yaml")
    return explain_checklist(load_tree("tune-or-rebuild").decide(facts).steps[0])


def test_broken_workflow_explanation_says_the_rebuild_condition_held() -> None:
    assert _explained("broken-workflow") == (
        "Structural, as its condition held: structural + patching >= rebuild_min_signs "
        "(structural + patching = 5, rebuild_min_signs = 3) and refine < refine_min_signs "
        "(refine = 1, refine_min_signs = 3)")


def test_almost_working_explanation_says_what_ruled_out_the_other_verdicts() -> None:
    # 4 refine signs against 2 others: the larger side does not choose, the conditions do.
    assert _explained("almost-working") == (
        "Almost working, the default, as each condition before it failed: "
        "structural + patching >= rebuild_min_signs (structural + patching = 2, "
        "rebuild_min_signs = 3) failed; structural + patching <= refine_max_structural "
        "(structural + patching = 2, refine_max_structural = 0) failed")
    assert "outweigh" not in _explained("almost-working")


def test_refinable_workflow_explanation_says_why_rebuild_was_passed_over() -> None:
    assert _explained("refinable-workflow") == (
        "Sound, as its condition held: refine >= refine_min_signs (refine = 4, "
        "refine_min_signs = 3) and structural + patching <= refine_max_structural "
        "(structural + patching = 0, refine_max_structural = 0); before it, structural + "
        "patching >= rebuild_min_signs (structural + patching = 0, rebuild_min_signs = 3) "
        "failed")


def test_a_threshold_param_changes_the_verdict_on_the_almost_working_example() -> None:
    path = str(EXAMPLES / "almost-working.yaml")
    runner = CliRunner()
    default = runner.invoke(main, ["decide", "tune-or-rebuild", "--facts", path])
    tolerant = runner.invoke(main, ["decide", "tune-or-rebuild", "--facts", path,
                                    "--param", "refine_max_structural=2"])
    assert (default.exit_code, tolerant.exit_code) == (0, 0)
    assert default.stdout.splitlines()[0] == ("DECISION: Run a structured diagnosis of the "
                                              "whole workflow")
    assert tolerant.stdout.splitlines()[0] == "DECISION: Fine-tune the existing workflow"
    assert "· refine_max_structural = 2 (param, overridden)" in tolerant.stdout


def test_run_asks_by_group_with_help_and_stops_once_the_verdict_is_certain() -> None:
    answers = ["no", "yes", "no", "no", "no",  # refine: 1 of 5
               "yes", "?", "no", "yes", "yes"]  # structural: 3 -> rebuild, whatever follows
    result = CliRunner().invoke(main, ["run", "tune-or-rebuild"], input="\n".join(answers) + "\n",
                                env={"COLUMNS": "200"})  # each question on one line
    assert result.exit_code == 0, result.output
    out = result.output  # the questions (standard error) and the report (standard output)
    assert out.count("Signs that fine-tuning may be enough:") == 1
    assert out.count("Signs that a full rebuild may be the better option:") == 1
    assert "[signs: refine 1/5] Does the workflow perform well most of the time, but lack " \
           "consistency?" in out
    assert "[signs: structural 4/6] Does key context get lost between tools or steps?" in out
    # '?' on an item without help of its own shows its group's help.
    assert "the issues keep returning no matter how much you tweak the prompts or settings" in out
    # Nine answers settle it: the fifth and sixth structural signs and the
    # not-in-the-details signs are never asked.
    assert "[signs: structural 5/6]" not in out
    assert "Signs that the issue is not in the details, but in the structure:" not in out
    assert "DECISION: Rebuild the workflow" in out
    assert "no answer to the 4 open items could change the result" in out


def test_markdown_lists_items_as_task_boxes() -> None:
    facts, _ = read_facts(EXAMPLES / "almost-working.yaml")
    lines = trace_markdown(load_tree("tune-or-rebuild").decide(facts)).splitlines()
    assert "   - Signs that a full rebuild may be the better option (`structural`): 1 of 6 yes" \
        in lines
    assert "     - [x] lost context (yes, given)" in lines
    assert "     - [ ] fragile workarounds (no, given)" in lines


# --- every checklist rule has a located error -----------------------------------------------

INVALID = {
    "undeclared-fact": ["24:16: error: checklist 'signs' lists undeclared fact 'd' "
                        "(declare it under facts:)"],
    "fact-not-boolean": ["23:16: error: checklist item 'c' must be a boolean fact, not integer "
                         "(items are yes/no questions)"],
    "fact-twice": ["24:16: error: checklist 'signs' lists fact 'a' twice"],
    "undeclared-group": ["25:26: error: item 'd' is in group 'bda', which checklist 'signs' "
                         "does not declare (did you mean 'bad'?)"],
    "empty-group": ["20:7: error: group 'ugly' of checklist 'signs' has no items "
                    "(put items in it, or remove it)"],
    "group-named-like-fact": ["19:7: error: group 'b' of checklist 'signs' has the name of a "
                              "fact (conditions read a group's score by its name; rename the "
                              "group)"],
    "group-named-like-param": ["19:7: error: group 'min_bad' of checklist 'signs' has the name "
                               "of a param (conditions read a group's score by its name; "
                               "rename the group)"],
    "group-named-like-function": ["19:7: error: group 'min' of checklist 'signs' has the name "
                                  "of a function (conditions read a group's score by its name; "
                                  "rename the group)"],
    "group-named-like-count": ["19:7: error: group 'good_items' of checklist 'signs' has the "
                               "name of the number of items in group 'good' (conditions read a "
                               "group's score by its name; rename the group)"],
    "param-named-answered": ["9:3: error: param 'answered' has the name checklist 'signs' "
                             "gives to the number of items answered (rename it: the "
                             "checklist's conditions could not read it)"],
    "unknown-group-in-condition": ["26:14: error: unknown name 'bda': not a group, count or "
                                   "param of checklist 'signs' (did you mean 'bad'?)"],
    "condition-reads-fact": ["26:14: error: checklist conditions read group scores, counts and "
                             "params, not facts ('a') (make it an item, or branch on it in a "
                             "gate after the checklist)"],
    "condition-not-boolean": ["26:14: error: condition must be true or false, got integer"],
    "quorum-missing": ["14:3: error: missing required key 'quorum' in /nodes/signs"],
    "quorum-without-policy": ["25:13: error: checklist 'signs' gives a quorum but unanswered is "
                              "'no' (use unanswered: quorum, or remove quorum)"],
    "quorum-unknown-param": [
        "9:3: warning: param 'min_answers' is declared but never used (remove it, or use it "
        "in a gate)",
        "26:13: error: quorum names 'min_answer', which is not a param (did you mean "
        "'min_answers'?)",
    ],
    "quorum-param-not-integer": ["26:13: error: quorum param 'share' must be an integer, "
                                 "not number"],
    "quorum-too-large": ["25:13: error: quorum 4 is more than the 3 items of checklist 'signs'"],
    "quorum-param-default-too-large": ["26:13: error: quorum 5 is more than the 3 items of "
                                       "checklist 'signs'"],
    "quorum-param-default-zero": ["26:13: error: quorum 0 of checklist 'signs' must be at "
                                  "least 1 (use unanswered: \"no\" to decide on no answers)"],
    "when-branch": [
        "26:9: error: missing required key 'if' in /nodes/signs/branches/0",
        "26:10: error: unknown key 'when' in /nodes/signs/branches/0 (allowed keys: actions, "
        "cites, if, label, looks_like, next, note)",
    ],
    "missing-default": ["14:3: error: missing required key 'default' in /nodes/signs"],
    "bad-unanswered": ["24:17: error: /nodes/signs/unanswered must be one of: no, all, quorum; "
                       "got 'some'"],
    "weight-zero": ["23:39: error: /nodes/signs/items/2/weight must be more than 0, got 0"],
    "no-groups": ["14:3: error: missing required key 'groups' in /nodes/signs"],
    "unreachable-after-checklist": ["30:3: error: node 'orphan' cannot be reached from start "
                                    "'signs' (point a branch at it, or remove it)"],
    "branch-to-unknown-node": ["27:21: error: branch of 'signs' goes to 'kep', which does not "
                               "exist"],
}


def test_valid_fixture_is_clean() -> None:
    assert check(FIXTURES / "valid.yaml") == []


@pytest.mark.parametrize("name", sorted(INVALID))
def test_every_checklist_rule_has_a_located_error(name: str) -> None:
    path = FIXTURES / f"{name}.yaml"
    assert [str(d) for d in check(path)] == [f"{path}:{line}" for line in INVALID[name]]


def test_every_invalid_fixture_is_checked() -> None:
    on_disk = {p.stem for p in FIXTURES.glob("*.yaml")} - {"valid"}
    assert on_disk == set(INVALID)


# --- the builder reads every key the schema declares ------------------------------------------

TREE_SCHEMA = json.loads((ROOT / "schemas" / "tree.v1.schema.json").read_text())


def test_builder_reads_every_checklist_key_the_schema_declares() -> None:
    """Each key the schema declares (tests/test_schema_model.py holds the schema to the
    model's fields) reaches the model."""
    node = compiled("""gatetree: 1
id: every-key
version: 1.0.0
title: Every key
start: signs
facts:
  a: {type: boolean, question: "A?"}
nodes:
  signs:
    kind: checklist
    title: T
    question: Q
    help: H
    notes: N
    groups: {g: {title: GT, label: GL, help: GH}}
    items: [{fact: a, group: g, weight: 2.5, label: IL}]
    unanswered: quorum
    quorum: 1
    branches:
      - {if: g > 1, next: x, label: BL, looks_like: LL, note: BN, actions: [A1], cites: [C1]}
    default: {next: y}
    cites: [C2]
  x: {kind: outcome, title: X, action: X.}
  y: {kind: outcome, title: Y, action: Y.}
""").spec.nodes["signs"]
    assert (node.kind, node.title, node.question, node.help, node.notes,  # type: ignore[union-attr]
            node.unanswered, node.quorum, node.cites) == (  # type: ignore[union-attr]
        "checklist", "T", "Q", "H", "N", "quorum", 1, ("C2",))
    group, item = node.groups[0], node.items[0]  # type: ignore[union-attr]
    assert (group.name, group.title, group.label, group.help) == ("g", "GT", "GL", "GH")
    assert (item.fact, item.group, item.weight, item.label) == ("a", "g", 2.5, "IL")
    branch = node.branches[0]  # type: ignore[union-attr]
    assert (branch.kind, branch.condition, branch.next, branch.label, branch.looks_like,
            branch.note, branch.actions, branch.cites) == (
        "if", "g > 1", "x", "BL", "LL", "BN", ("A1",), ("C1",))


def test_look_ahead_that_cannot_evaluate_a_possible_tally_asks_on(tmp_path: Path) -> None:
    """`good / bad` fails on tallies where bad is still 0: ask, do not fail the decision."""
    text = (FIXTURES / "valid.yaml").read_text()
    assert "bad >= min_bad and bad > good" in text
    path = tmp_path / "ratio.yaml"
    path.write_text(text.replace("bad >= min_bad and bad > good",
                                 "good / bad < 1 and bad >= min_bad"))
    tree = load_tree(path)
    pending = tree.decide({})
    assert pending.status == "incomplete"
    assert pending.missing is not None and pending.missing.fact == "a"
