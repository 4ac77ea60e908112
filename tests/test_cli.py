"""The command line: exit codes, full messages, and never a traceback for a user mistake."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from gatetree import load_tree
from gatetree.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "cli"
RUNNING = str(ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml")
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_list_names_the_builtin_trees() -> None:
    result = invoke("list")
    assert result.exit_code == 0
    rows = [line.split(None, 2) for line in result.stdout.splitlines()]
    assert ["retrain-or-tune", "1.1.1", "When should I retrain or tune?"] in rows


def test_decide_running_example_prints_fine_tune_gates_and_actions() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING)
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "DECISION: Fine-tune"
    for gate in ("Gate 0", "Gate 1", "Gate 2", "Gate 3", "Gate 4", "Gate 5"):
        assert gate in out
    assert "  - Fix the retrieval pipeline for what it explains, then continue with an " in out
    assert "  - Fix what prompts can" in out
    assert "→ Partly, because context_fixes == 'partly'" in out


def test_a_step_says_its_title_and_question_once() -> None:
    lines = invoke("decide", "retrain-or-tune", "--facts", RUNNING).stdout.splitlines()
    gate_0 = lines.index(" 1. Gate 0: Do you have quality metrics?")
    assert lines[gate_0 + 1].startswith("     · has_quality_metrics = true (derived from")
    assert not any("Q: Do you have quality metrics?" in line for line in lines)
    assert not any("Q: Is the degradation gradual or a sudden drop?" in line for line in lines)
    gate_2 = lines.index(" 4. Gate 2: Is the right context getting to the model?")
    assert lines[gate_2 + 1] == ("     Q: Run your failing examples with manually-crafted perfect "
                                 "context injected")  # a question the title does not say
    markdown = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "markdown")
    steps = markdown.stdout.splitlines()
    first = steps.index("1. **Gate 0: Do you have quality metrics?**")
    assert steps[first + 1].startswith("   - ``has_quality_metrics = true")


def test_decide_with_example_name_matches_the_facts_file() -> None:
    by_name = invoke("decide", "retrain-or-tune", "--example", "running-example",
                     "--format", "json")
    by_path = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "json")
    assert by_name.exit_code == by_path.exit_code == 0
    assert json.loads(by_name.stdout) == json.loads(by_path.stdout)


def test_decide_json_validates_against_the_trace_schema() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(data)
    assert data["outcome"]["id"] == "fine-tune"
    assert [a["node"] for a in data["actions"]] == ["gate-2", "gate-3"]


def test_decide_markdown_has_headings_and_numbered_steps() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Decision: Fine-tune"
    assert "## How it was decided" in lines
    assert "1. **Gate 0: Do you have quality metrics?**" in lines


def test_missing_facts_exit_3_and_name_the_fact() -> None:
    result = invoke("decide", "retrain-or-tune", "--set", "has_quality_metrics=yes")
    assert result.exit_code == 3
    assert "INCOMPLETE: fact 'is_underperforming' is needed at gate-0-degradation" in result.stdout


def test_missing_facts_json_is_still_valid() -> None:
    result = invoke("decide", "retrain-or-tune", "--format", "json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(TRACE_SCHEMA).validate(data)
    assert data["missing"]["fact"] == "has_quality_metrics"


def test_bad_facts_file_gives_every_problem_with_its_place() -> None:
    path = str(FIXTURES / "bad-facts.yaml")
    result = invoke("decide", "retrain-or-tune", "--facts", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2:16: error: fact 'eval_set_size' must be a whole number; got 'many' "
        "[value-does-not-fit]",
        "    2 | eval_set_size: many",
        "      |                ^",
        f"{path}:3:10: error: fact 'decline' must be one of: sudden, gradual; got 'fast' "
        "[value-does-not-fit]",
        "    3 | decline: fast",
        "      |          ^",
    ]


def test_bad_options_are_all_reported() -> None:
    result = invoke("decide", "retrain-or-tune", "--set", "decline=fast", "--set", "declin=x",
                    "--param", "min_eval_examples=abc", "--set", "has_baseline=no")
    assert result.exit_code == 1
    assert sorted(result.stderr.splitlines()) == sorted([
        "--set decline=fast: error: fact 'decline' must be one of: sudden, gradual; got 'fast' "
        "[value-does-not-fit]",
        "--set declin=x: error: unknown fact 'declin' (did you mean 'decline'?) [unknown-fact]",
        "--param min_eval_examples=abc: error: param 'min_eval_examples' must be a whole "
        "number; got 'abc' [value-does-not-fit]",
    ])


# Without `=` the option is malformed, whatever the tree: click's usage error, like any other.
@pytest.mark.parametrize(("option", "text", "form"), [
    ("--set", "decline", "FACT=VALUE"),
    ("--set", "=gradual", "FACT=VALUE"),
    ("--param", "min_eval_examples", "NAME=VALUE"),
])
def test_assignment_without_a_name_and_value_is_a_usage_error(option: str, text: str,
                                                              form: str) -> None:
    result = invoke("decide", "retrain-or-tune", "--set", "decline=gradual", option, text)
    assert result.exit_code == 2
    assert result.stdout == ""
    # click's usage lines come first; how they name the help option depends on its version
    usage, *_, error = result.stderr.splitlines()
    assert usage == "Usage: main decide [OPTIONS] TREE"
    assert error == f"Error: Invalid value for '{option}': expected {form}, got {text!r}"


# --- facts on standard input -------------------------------------------------------------------


def test_facts_from_stdin_decide_as_the_file_does() -> None:
    text = Path(RUNNING).read_text(encoding="utf-8")
    from_stdin = invoke("decide", "retrain-or-tune", "--facts", "-", "--format", "json",
                        input=text)
    from_file = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "json")
    assert from_stdin.exit_code == from_file.exit_code == 0
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)


def test_json_facts_from_stdin() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", "-", "--format", "json",
                    "--set", "has_quality_metrics=no", input='{"decline": "gradual"}')
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["facts"] == {"decline": "gradual", "has_quality_metrics": False}
    assert data["outcome"]["id"] == "build-evals"


def test_facts_from_stdin_are_located_at_stdin() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", "-",
                    input="decline: fast\nhas_quality_metrics: yes\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "<stdin>:1:10: error: fact 'decline' must be one of: sudden, gradual; got 'fast' "
        "[value-does-not-fit]",
        "<stdin>:2:22: error: fact 'has_quality_metrics' must be true or false; got 'yes' "
        "(write true or false) [value-does-not-fit]",
    ]


@pytest.mark.parametrize(("data", "expected"), [
    (b"decline: \xffast\n", "<stdin>:1:10: error: file is not UTF-8 text (byte 9) [not-utf8]"),
    (b"- decline\n", "<stdin>:1:1: error: a facts file must be a mapping of fact: value "
                     "[facts-not-mapping]"),
    (b"decline: sudden\ndecline: gradual\n",
     "<stdin>:2:1: error: duplicate key 'decline' (first defined at line 1) [duplicate-key]"),
])
def test_unreadable_facts_from_stdin(data: bytes, expected: str) -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", "-", input=data)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected]


def test_missing_facts_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.yaml")
    result = invoke("decide", "retrain-or-tune", "--facts", path)
    assert result.exit_code == 1
    assert result.stderr == (f"{path}: error: cannot read file: No such file or directory "
                             "[file-unreadable]\n")


def test_unknown_tree_is_a_usage_error_listing_the_trees() -> None:
    result = invoke("decide", "retrain-or-tun")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "gatetree: error: no tree 'retrain-or-tun': it is not a file and not a built-in tree "
        "(did you mean 'retrain-or-tune'?); built-in trees: ")


def test_unknown_example_is_a_usage_error() -> None:
    result = invoke("decide", "retrain-or-tune", "--example", "running")
    assert result.exit_code == 2
    assert result.stderr == ("gatetree: error: tree 'retrain-or-tune' has no example 'running' "
                             "(did you mean 'running-example'?); examples: running-example\n")


def test_unknown_format_is_a_usage_error() -> None:
    result = invoke("decide", "retrain-or-tune", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'text', 'json', 'markdown'" in result.stderr


def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    path = str(FIXTURES / "python-tag.yaml")
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:4:8: error: tag '!!python/object/apply:os.system' is not allowed: "
        "files hold plain data only (remove the tag) [yaml-tag]")
    assert len(result.stderr.splitlines()) == 3  # the diagnostic, its line and a caret
    assert not (tmp_path / "gatetree-pwned").exists()


def test_validate_a_good_tree() -> None:
    result = invoke("validate", "retrain-or-tune")
    assert result.exit_code == 0
    assert result.stdout == "retrain-or-tune: ok\n"


def test_show_lists_facts_params_nodes_and_examples() -> None:
    result = invoke("show", "retrain-or-tune")
    assert result.exit_code == 0
    out = result.stdout
    assert "  decline (one of sudden, gradual)" in out
    assert "  min_eval_examples = 20 (integer)" in out
    assert "Examples (use with --example NAME): running-example" in out
    assert "  gate-1  [gate] Gate 1: Is the degradation gradual or a sudden drop?" in out
    assert "      when sudden -> gate-1-system-change  (Sudden drop)" in out


def test_show_fills_placeholders_with_the_defaults() -> None:
    result = invoke("show", "retrain-or-tune")
    assert result.exit_code == 0
    assert "{" not in result.stdout
    assert "      you add 3-5 explicit few-shot examples for your failing cases to the prompt?" \
        in result.stdout.splitlines()


def test_show_fills_placeholders_with_a_param_given() -> None:
    result = invoke("show", "retrain-or-tune", "--param", "few_shot_examples=2-4",
                    "--param", "min_eval_examples=50")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "      you add 2-4 explicit few-shot examples for your failing cases to the prompt?" \
        in lines
    assert "  min_eval_examples = 50 (integer, default 20)" in lines
    assert "  few_shot_examples = '2-4' (string, default '3-5')" in lines
    assert "{" not in result.stdout and "add 3-5" not in result.stdout


def test_show_refuses_an_unknown_param_like_decide() -> None:
    shown = invoke("show", "retrain-or-tune", "--param", "min_eval_exampels=5")
    decided = invoke("decide", "retrain-or-tune", "--param", "min_eval_exampels=5")
    assert shown.exit_code == decided.exit_code == 1
    assert shown.stderr == decided.stderr
    assert "did you mean 'min_eval_examples'" in shown.stderr


def test_show_wraps_to_the_terminal_width_with_hanging_indents() -> None:
    result = CliRunner().invoke(main, ["show", "retrain-or-tune"], env={"COLUMNS": "60"})
    lines = result.stdout.splitlines()
    assert all(len(line) <= 60 or " " not in line.strip() for line in lines)
    start = lines.index("  has_quality_metrics (boolean)  [derived: eval_set_size >=")
    assert lines[start + 1:start + 3] == [
        "      min_eval_examples and has_scoring_method and",
        "      has_baseline]",
    ]


def test_run_asks_only_the_questions_on_the_path() -> None:
    answers = "\n".join(["yes", "yes", "gradual", "?", "fully"]) + "\n"
    result = invoke("run", "retrain-or-tune", input=answers)
    assert result.exit_code == 0
    asked = result.stderr  # the questions; standard output has the report only
    assert "[gate-0] Do you have quality metrics" in asked
    assert "[gate-0-degradation] Is the current score below the baseline score" in asked
    assert "[gate-1]" in asked
    assert "1) sudden  2) gradual" in asked
    assert "[gate-2]" in asked
    assert "[gate-3]" not in asked
    assert "[gate-" not in result.stdout
    assert "DECISION: Fix the retrieval pipeline" in result.stdout


def test_run_re_asks_after_an_answer_that_does_not_fit() -> None:
    result = invoke("run", "retrain-or-tune", input="yes\nyes\nmaybe\n2\nfully\n")
    assert "  decline> maybe\n  Please answer with sudden, gradual (or ? for help).\n" \
        in result.stderr
    assert result.exit_code == 0


def test_run_stopped_early_is_incomplete() -> None:
    result = invoke("run", "retrain-or-tune", input="yes\nyes\n")
    assert result.exit_code == 3
    assert "Stopped before a decision." in result.stderr
    assert "INCOMPLETE: fact 'decline' is needed at gate-1" in result.stdout


def test_run_starts_from_a_facts_file() -> None:
    result = invoke("run", "retrain-or-tune", "--facts", RUNNING)
    assert result.exit_code == 0
    assert "[gate-0] " not in result.output
    assert "DECISION: Fine-tune" in result.stdout


def test_test_command_runs_builtin_cases_with_coverage() -> None:
    result = invoke("test")
    assert result.exit_code == 0
    tree = load_tree("retrain-or-tune")
    outcomes = len(tree.outcomes)
    assert (f"retrain-or-tune.yaml: retrain-or-tune {tree.spec.version} coverage: branches "
            in " ".join(result.stdout.split()))
    assert f"outcomes {outcomes}/{outcomes}" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed")


def test_test_command_reports_a_failing_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text("gatetree-cases: 1\ntree: retrain-or-tune\ncases:\n"
                     "  - name: wrong\n    facts: {has_quality_metrics: false}\n"
                     "    expect: {outcome: fine-tune}\n")
    result = invoke("test", str(cases))
    assert result.exit_code == 1
    assert "FAIL retrain-or-tune: wrong" in result.stdout
    assert (f"  {cases}:4:5: error: case 'wrong' failed: outcome: expected 'fine-tune', "
            "got 'build-evals'") in result.stderr
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize("args", [["decide"], ["validate"], ["bogus"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert invoke(*args).exit_code == 2


def test_decide_names_what_would_have_changed_the_outcome() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING)
    out = " ".join(result.stdout.split())
    assert "Would change the outcome:" in result.stdout
    assert ('At gate-3 (Gate 3: Is this prompt-fixable?), answer "YES": had prompt_fixes been '
            "fully instead of partly") in out
    assert "the outcome would have been: Fix the prompt." in out
    quiet = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--no-what-if")
    assert "Would change the outcome" not in quiet.stdout


def test_decide_json_carries_counterfactuals() -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "json")
    data = json.loads(result.stdout)
    gate3 = next(s for s in data["counterfactuals"]["steps"] if s["node"] == "gate-3")
    assert {a["label"]: a["outcome"] for a in gate3["alternatives"]} == {
        "YES": "fix-prompt", "NO": "fine-tune"}


def test_render_mermaid_to_stdout_and_unknown_format() -> None:
    result = invoke("render", "retrain-or-tune", "--format", "mermaid")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[3] == "flowchart TB"
    bad = invoke("render", "retrain-or-tune", "--format", "jpg")
    assert bad.exit_code == 2
    assert bad.stderr == ("gatetree: error: unknown format 'jpg' (did you mean 'png'?); "
                          "formats: dot, svg, png, pdf, mermaid, markdown\n")


class _Terminal(io.StringIO):
    """Standard output as a terminal: what CliRunner's stream never is."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_render_refuses_binary_to_a_terminal(fmt: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import gatetree.render.formats

    def no_render(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("nothing is drawn for a terminal")

    monkeypatch.setattr(gatetree.render.formats, "render_image", no_render)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(SystemExit) as exited:
        main(["render", "retrain-or-tune", "--format", fmt], prog_name="gatetree")
    assert exited.value.code == 2
    assert terminal.getvalue() == ""
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"Error: {fmt} is binary and standard output is a terminal; write it to a file with "
        f"-o FILE (e.g. -o tree.{fmt}), or pipe it")


def test_render_writes_binary_to_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import gatetree.render.formats

    monkeypatch.setattr(gatetree.render.formats, "render_image",
                        lambda *a, **k: b"%PDF-1.7 \x00\xff")
    result = invoke("render", "retrain-or-tune", "--format", "pdf")  # CliRunner: not a tty
    assert result.exit_code == 0
    assert result.stdout_bytes == b"%PDF-1.7 \x00\xff"


def test_render_text_formats_still_go_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(SystemExit) as exited:
        main(["render", "retrain-or-tune", "--format", "mermaid"], prog_name="gatetree")
    assert exited.value.code == 0
    assert "flowchart TB" in terminal.getvalue()


@pytest.mark.dot
def test_render_png_to_a_pipe_is_a_png() -> None:
    result = invoke("render", "retrain-or-tune", "--format", "png")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\x89PNG")


@pytest.mark.dot
def test_render_a_saved_decision_to_svg(tmp_path: Path) -> None:
    trace = tmp_path / "decision.json"
    decided = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--format", "json",
                     "--no-what-if")
    trace.write_text(decided.stdout)
    svg = tmp_path / "decision.svg"
    result = invoke("render", "retrain-or-tune", "--decision", str(trace), "-o", str(svg))
    assert result.exit_code == 0
    assert svg.read_text().lstrip().startswith("<?xml")


def test_decide_draws_the_path_with_diagram(tmp_path: Path) -> None:
    out = tmp_path / "path.mmd"
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING, "--diagram", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    assert "classDef" in out.read_text()


@pytest.mark.dot
def test_docs_writes_one_page_per_tree_and_an_index(tmp_path: Path) -> None:
    result = invoke("docs", str(tmp_path / "docs"), "retrain-or-tune")
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert names == ["index.md", "retrain-or-tune.html", "retrain-or-tune.md"]
    page = (tmp_path / "docs" / "retrain-or-tune.md").read_text()
    assert page.startswith("# When should I retrain or tune?")
    assert "```mermaid" in page
    assert page.endswith("\n---\n\n[Open the interactive guide](<retrain-or-tune.html>): the "
                         "questions one at a time in a browser, with the path drawn on the "
                         "diagram.\n")
    guide = (tmp_path / "docs" / "retrain-or-tune.html").read_text()
    assert '"doc":"retrain-or-tune.md"' in guide


def test_docs_without_guides_writes_markdown_only(tmp_path: Path) -> None:
    result = invoke("docs", "--no-guides", str(tmp_path / "docs"), "retrain-or-tune")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [
        "index.md", "retrain-or-tune.md"]
    assert "interactive guide" not in (tmp_path / "docs" / "retrain-or-tune.md").read_text()


def test_run_re_asks_a_number_it_cannot_use(tmp_path: Path) -> None:
    tree = tmp_path / "score.yaml"
    tree.write_text("""gatetree: 1
id: score
version: 1.0.0
title: Score
start: g
facts:
  score: {type: number, question: "What is the score?"}
nodes:
  g:
    kind: gate
    title: High score?
    question: Is the score high?
    branches:
      - if: score > 50
        next: high
    default: {next: low}
  high: {kind: outcome, title: High, action: Celebrate.}
  low: {kind: outcome, title: Low, action: Improve.}
""")
    result = invoke("run", str(tree), input="nan\n79\n")
    assert result.exit_code == 0
    assert "Please answer with a value of type number (or ? for help)." in result.stderr
    assert "DECISION: High" in result.stdout


def test_decide_refuses_an_unknown_diagram_suffix_before_any_output(tmp_path: Path) -> None:
    result = invoke("decide", "retrain-or-tune", "--facts", RUNNING,
                    "--diagram", str(tmp_path / "path.jpg"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("gatetree: error: unknown format '.jpg'")
