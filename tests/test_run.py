"""`gatetree run` for people with numbers: measurements for derived facts, questions on
standard error and the result alone on standard output, answers in any case, back, skip,
help, NAME=VALUE, --save, wrapping, and a clean stop at the end of input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from gatetree import load_tree
from gatetree.cli import main
from gatetree.errors import Location
from gatetree.expr import compile_expression
from gatetree.model import Fact, Param

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


def run(*args: str, answers: list[str] | None = None, columns: int = 200) -> Result:
    """`gatetree run` through click, stdout and stderr apart; wide unless told."""
    text = "".join(f"{a}\n" for a in answers) if answers is not None else ""
    result = CliRunner().invoke(main, ["run", *args], input=text,
                                env={"COLUMNS": str(columns)})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


@pytest.fixture
def without_scores(tmp_path: Path) -> Path:
    """The running example without the retrieval test's score and the drift pattern."""
    facts = yaml.safe_load(RUNNING.read_text(encoding="utf-8"))
    del facts["score_with_perfect_context"], facts["failure_pattern"]
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(facts), encoding="utf-8")
    return path


def prompts(stderr: str) -> list[str]:
    """The prompts in a transcript, as `name> answer` lines."""
    return [line.strip() for line in stderr.splitlines() if "> " in line]


# --- the acceptance: the article's numbers, answered at the prompt -----------------------

def test_a_measurement_answers_a_derived_fact_and_stdout_is_pure_json(
        without_scores: Path) -> None:
    """The acceptance line, run as a user runs it: a real pipe, end of input after it."""
    done = subprocess.run(
        [sys.executable, "-m", "gatetree.cli", "run", "retrain-or-tune",
         "--facts", str(without_scores), "--format", "json"],
        input="79\nnew-inputs\n", capture_output=True, text=True, check=False,
        env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # nothing but the result
    assert data["status"] == "decided" and data["outcome"]["id"] == "fine-tune"
    gate2 = next(s for s in data["steps"] if s["node"] == "gate-2")
    derived = gate2["evidence"][0]
    assert (derived["name"], derived["value"], derived["source"]) == (
        "context_fixes", "partly", "derived")
    assert derived["inputs"][0] == {"name": "score_with_perfect_context", "value": 79,
                                    "source": "given"}
    assert prompts(done.stderr) == ["score_with_perfect_context> 79",
                                    "failure_pattern> new-inputs"]
    assert ("  → context_fixes = partly, derived from score_with_perfect_context = 79, "
            "current_score = 74, full_recovery_share = 0.9, baseline_score = 91, "
            "partial_recovery_share = 0.1\n") in done.stderr


def test_the_prompt_offers_the_answer_or_the_measurement(without_scores: Path) -> None:
    result = run("retrain-or-tune", "--facts", str(without_scores), answers=["79", "new-inputs"])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    start = lines.index("[gate-2] Does quality recover when you run your failing examples with "
                        "manually-crafted perfect context injected directly, bypassing your "
                        "retrieval pipeline?")
    assert lines[start + 1:start + 4] == [
        "  Answer fully | partly | no, or give what it is derived from: "
        "score_with_perfect_context (skip if you have none).",
        "  score_with_perfect_context: What score does your eval set reach, on the same "
        "scoring as the baseline, with manually-crafted perfect context injected directly, "
        "bypassing your retrieval pipeline?",
        "  score_with_perfect_context> 79",
    ]


def test_the_answer_itself_is_still_taken_at_a_measuring_prompt(without_scores: Path) -> None:
    result = run("retrain-or-tune", "--facts", str(without_scores), "--format", "json",
                 answers=["fully"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "fix-retrieval"
    assert data["steps"][3]["evidence"][0] == {"name": "context_fixes", "value": "fully",
                                               "source": "given"}


def test_a_number_at_a_measuring_prompt_is_the_measurement_not_a_menu_entry(
        without_scores: Path) -> None:
    """Gate 2's answers are listed by name there, so `2` is a score of 2, never "partly"."""
    result = run("retrain-or-tune", "--facts", str(without_scores), "--format", "json",
                 answers=["2", "new-inputs"])
    data = json.loads(result.stdout)
    assert data["facts"]["score_with_perfect_context"] == 2
    assert data["steps"][3]["evidence"][0]["value"] == "no"  # 2 < 74: nothing recovered
    assert "1) fully" not in result.stderr


def test_inputs_are_asked_in_the_order_the_derivation_reads_them_skipping_known() -> None:
    everything = run("retrain-or-tune", answers=["500", "yes", "yes"])
    assert prompts(everything.stderr)[:3] == [
        "eval_set_size (labelled examples)> 500", "has_scoring_method> yes",
        "has_baseline> yes"]
    assert "→ has_quality_metrics = true, derived from eval_set_size = 500, " \
           "min_eval_examples = 20, has_scoring_method = true, has_baseline = true" \
        in everything.stderr
    known = run("retrain-or-tune", "--set", "has_scoring_method=true",
                answers=["500", "yes", "yes"])
    assert prompts(known.stderr)[:2] == ["eval_set_size (labelled examples)> 500",
                                         "has_baseline> yes"]
    assert "[gate-1]" in known.stderr  # derived, so gate 0 is passed


def test_an_expression_remembers_the_names_in_reading_order() -> None:
    facts = {n: Fact(n, "number", f"{n}?") for n in ("b", "a", "c")}
    params = {"limit": Param("limit", "number", 1, "Limit.")}
    compiled, problems = compile_expression(
        "max(b, 0) + a > limit and c > a", location=Location("x"), facts=facts, params=params)
    assert problems == [] and compiled is not None
    assert compiled.reads == ("b", "a", "limit", "c")  # ast.walk alone gives limit, c first
    assert compiled.names == frozenset(compiled.reads)


def test_a_missing_derived_fact_names_its_inputs_in_reading_order() -> None:
    decision = load_tree("retrain-or-tune").decide({})
    assert decision.missing is not None
    assert decision.missing.derivable_from == ("eval_set_size", "has_scoring_method",
                                               "has_baseline")


# --- standard output carries the result only ----------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_questions_and_help_go_to_stderr(fmt: str) -> None:
    result = run("retrain-or-tune", "--format", fmt, answers=["?", "yes", "yes", "Gradual",
                                                             "fully"])
    assert result.exit_code == 0
    assert "[gate-0]" in result.stderr and "Type: a whole number" in result.stderr
    for said in ("[gate-", "> ", "Answer each question", "Type:"):
        assert said not in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["outcome"]["id"] == "fix-retrieval"
    else:
        assert "Fix the retrieval pipeline" in result.stdout


# --- reading answers ----------------------------------------------------------------------

def test_enum_values_and_labels_are_read_in_any_case() -> None:
    by_value = run("retrain-or-tune", "--format", "json",
                   answers=["YES", "YES", "Gradual", "FULLY"])
    assert json.loads(by_value.stdout)["outcome"]["id"] == "fix-retrieval"
    by_label = run("retrain-or-tune", "--format", "json", answers=["yes", "yes", "sudden drop",
                                                                 "Yes"])
    assert json.loads(by_label.stdout)["path"] == ["gate-0", "gate-0-degradation", "gate-1",
                                                   "gate-1-system-change", "roll-back-change"]


def test_a_number_prompt_shows_its_unit() -> None:
    result = run("retrain-or-tune", answers=[])
    assert "  eval_set_size (labelled examples)> " in result.stderr


def test_back_undoes_the_last_answer() -> None:
    result = run("retrain-or-tune", "--format", "json",
                 answers=["<", "yes", "yes", "sudden", "back", "gradual", "fully"])
    assert result.exit_code == 0
    assert "Nothing to undo: facts given with --facts and --set stay." in result.stderr
    assert "Undid the answer to decline." in result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == ["gate-0", "gate-0-degradation", "gate-1", "gate-2",
                            "fix-retrieval"]
    assert data["facts"] == {"has_quality_metrics": True, "is_underperforming": True,
                             "decline": "gradual", "context_fixes": "fully"}


def test_skip_at_a_measuring_prompt_asks_the_answer_itself(without_scores: Path) -> None:
    result = run("retrain-or-tune", "--facts", str(without_scores), "--format", "json",
                 answers=["skip", "2", "2", ""])  # context and prompt partly
    lines = result.stderr.splitlines()
    at = lines.index("  score_with_perfect_context> skip")
    assert lines[at + 1:at + 4] == ["", "  1) fully  2) partly  3) no", "  context_fixes> 2"]
    # failure_pattern has no derivation and no alternative: it cannot be skipped.
    assert ("  failure_pattern> \n  This one cannot be skipped: the tree needs the answer to "
            "go on (Ctrl-D stops).\n") in result.stderr
    assert result.exit_code == 3


def test_help_says_when_skipping_is_impossible() -> None:
    result = run("retrain-or-tune", answers=["yes", "yes", "?"])
    assert ("  decline: Is the degradation gradual or a sudden drop?\n"
            "    Type: one of sudden, gradual.\n"
            "    Also accepted: sudden drop for sudden, gradual decline for gradual.\n") \
        in result.stderr
    assert "  This answer is needed to go on; it cannot be skipped.\n" in result.stderr


def test_help_shows_the_fact_its_type_and_what_it_derives_from() -> None:
    result = run("retrain-or-tune", answers=["?"])
    help_text = result.stderr.split("eval_set_size (labelled examples)> ?\n", 1)[1]
    assert help_text.startswith(
        "  has_quality_metrics: Do you have quality metrics — a task-specific evaluation set, "
        "a consistent scoring method and a baseline reading you can compare current "
        "performance against?\n"
        "    Type: yes or no.\n")
    assert ("    Unless answered, it is derived as `eval_set_size >= min_eval_examples and "
            "has_scoring_method and has_baseline`; give eval_set_size, has_scoring_method "
            "and has_baseline here to derive it.\n") in help_text
    assert ("  eval_set_size: How many labeled examples with ground truth answers are in your "
            "task-specific evaluation set?\n    Type: a whole number, in labelled examples.\n"
            ) in help_text
    assert "  Skip: without eval_set_size, answer has_quality_metrics directly.\n" in help_text


CHECKLIST = """gatetree: 1
id: signs
version: 1.0.0
title: Signs
start: signs
facts:
  a: {type: boolean, question: "Sign a?"}
  b: {type: boolean, question: "Sign b?"}
  c: {type: boolean, question: "Sign c?"}
nodes:
  signs:
    kind: checklist
    title: The signs
    groups:
      bad: {title: Bad signs}
    items:
      - {fact: a, group: bad}
      - {fact: b, group: bad}
      - {fact: c, group: bad}
    unanswered: quorum
    quorum: 2
    branches:
      - {if: bad >= 2, next: fix}
    default: {next: keep}
  fix: {kind: outcome, title: Fix, action: Fix it.}
  keep: {kind: outcome, title: Keep, action: Keep it.}
"""


def test_skip_leaves_a_checklist_item_unanswered_and_asks_the_next(tmp_path: Path) -> None:
    tree = tmp_path / "signs.yaml"
    tree.write_text(CHECKLIST, encoding="utf-8")
    result = run(str(tree), "--format", "json", answers=["skip", "yes", "yes"])
    assert result.exit_code == 0, result.stderr
    assert prompts(result.stderr) == ["a> skip", "b> yes", "c> yes"]
    items = json.loads(result.stdout)["steps"][0]["checklist"]["items"]
    assert [(i["fact"], i["answer"]) for i in items] == [("a", None), ("b", True), ("c", True)]


def test_the_last_open_checklist_item_cannot_be_skipped(tmp_path: Path) -> None:
    tree = tmp_path / "signs.yaml"
    tree.write_text(CHECKLIST, encoding="utf-8")
    result = run(str(tree), answers=["", "", "", "back", "no", "yes"])
    assert prompts(result.stderr) == ["a>", "b>", "c>", "c> back", "b> no", "c> yes"]
    assert "  This one cannot be skipped" in result.stderr
    assert "Undid the skip of b." in result.stderr
    assert result.exit_code == 0  # a unanswered, b no, c yes: two answers, quorum met


def test_name_value_at_any_prompt_gives_any_fact() -> None:
    result = run("retrain-or-tune", "--format", "json",
                 answers=["decline=Gradual", "context_fixess=fully", "yes", "yes",
                          "fully"])
    assert result.exit_code == 0
    assert "unknown fact 'context_fixess' (did you mean 'context_fixes'?)" in result.stderr
    assert "[gate-1]" not in result.stderr  # given before gate 1 asked it
    assert json.loads(result.stdout)["facts"]["decline"] == "gradual"


def test_a_derivation_that_fails_on_an_answer_takes_it_back(tmp_path: Path) -> None:
    tree = tmp_path / "share.yaml"
    tree.write_text("""gatetree: 1
id: share
version: 1.0.0
title: Share
start: g
facts:
  total: {type: integer, question: "How many in all?"}
  high: {type: boolean, question: "Is the share high?", derive: 10 / total > 1}
nodes:
  g:
    kind: gate
    title: High share?
    fact: high
    branches:
      - {when: true, next: up}
      - {when: false, next: down}
  up: {kind: outcome, title: Up, action: Go up.}
  down: {kind: outcome, title: Down, action: Go down.}
""", encoding="utf-8")
    result = run(str(tree), "--format", "json", answers=["0", "5"])
    assert result.exit_code == 0
    assert "division by zero; that answer is taken back." in result.stderr
    assert json.loads(result.stdout)["outcome"]["id"] == "up"


# --- --save -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["answers.yaml", "answers.json"])
def test_save_writes_a_facts_file_that_decide_reads_back(
        tmp_path: Path, without_scores: Path, name: str) -> None:
    saved = tmp_path / name
    result = run("retrain-or-tune", "--facts", str(without_scores), "--set",
                 "drift_is_widespread=false", "--save", str(saved), "--format", "json",
                 answers=["79", "new-inputs"])
    assert result.exit_code == 0
    assert f"wrote {saved}" in result.stderr
    text = saved.read_text(encoding="utf-8")
    facts = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    assert facts["score_with_perfect_context"] == 79
    assert facts["failure_pattern"] == "new-inputs"
    assert facts["current_score"] == 74  # from --facts
    again = CliRunner().invoke(main, ["decide", "retrain-or-tune", "--facts", str(saved),
                                      "--format", "json"])
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["facts"] == json.loads(result.stdout)["facts"]


def test_save_to_a_place_that_cannot_be_written_is_a_located_error(tmp_path: Path) -> None:
    saved = tmp_path / "missing" / "answers.yaml"
    result = run("retrain-or-tune", "--save", str(saved), answers=["yes"])
    assert result.exit_code == 1
    assert result.stderr.endswith(f"{saved}: error: cannot write the facts file: "
                                  "No such file or directory [facts-unwritable]\n")


def test_save_keeps_a_text_that_yaml_would_read_as_a_boolean(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    run("retrain-or-tune", "--save", str(saved), answers=["yes", "yes", "gradual", "no"])
    assert saved.read_text(encoding="utf-8").splitlines() == [
        "# Facts for retrain-or-tune 1.1.1 (When should I retrain or tune?)",
        "has_quality_metrics: true", "is_underperforming: true", 'decline: "gradual"',
        'context_fixes: "no"']
    again = CliRunner().invoke(main, ["decide", "retrain-or-tune", "--facts", str(saved)])
    assert again.exit_code == 3  # context_fixes "no" goes on to gate 3, which needs more


def test_save_writes_what_is_known_when_stopped(tmp_path: Path) -> None:
    saved = tmp_path / "partial.json"
    result = run("retrain-or-tune", "--save", str(saved), answers=["yes"])
    assert result.exit_code == 3
    assert json.loads(saved.read_text(encoding="utf-8")) == {"has_quality_metrics": True}


# --- wrapping and the end of input --------------------------------------------------------

def test_long_questions_wrap_at_word_boundaries_to_the_terminal_width() -> None:
    result = run("retrain-or-tune", answers=["yes", "yes", "sudden", "?"], columns=50)
    lines = result.stderr.splitlines()
    assert max(len(line) for line in lines) < 50
    first = lines.index("[gate-1-system-change] Does a system change")
    rest = [line for line in lines[first + 1:first + 6] if line.startswith("    ")]
    assert rest == ["    correlate with the drop — a prompt change, a",
                    "    model version change, a retrieval corpus or",
                    "    database change, or a dramatic shift in",
                    "    traffic patterns?"]
    question = load_tree("retrain-or-tune").spec.facts["system_change_correlates"].question
    assert " ".join([lines[first], *rest]).split() == f"[gate-1-system-change] {question}".split()


def test_end_of_input_stops_cleanly_with_the_incomplete_result() -> None:
    result = run("retrain-or-tune", "--format", "json", answers=["yes", "yes"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["status"] == "incomplete" and data["missing"]["fact"] == "decline"
    assert result.stderr.endswith("Stopped before a decision.\n\n")


def test_end_of_input_on_a_real_pipe_is_no_traceback() -> None:
    done = subprocess.run([sys.executable, "-m", "gatetree.cli", "run", "retrain-or-tune"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert "INCOMPLETE: fact 'has_quality_metrics' is needed at gate-0" in done.stdout


def test_run_completes_tree_references_like_decide() -> None:
    result = CliRunner().invoke(main, [], prog_name="gatetree", env={
        "_GATETREE_COMPLETE": "bash_complete", "COMP_WORDS": "gatetree run retrain",
        "COMP_CWORD": "2"})
    assert result.stdout.splitlines() == ["plain,retrain-or-tune"]
