"""What ships and how a new user finds it: examples, schemas for editors, completion, help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner, Result

from gatetree._resources import SCHEMA_FILES
from gatetree.cli import main

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


# --- the entry tree says what the called tree decided ------------------------------------

def test_entry_tree_example_names_the_called_verdict_and_its_action() -> None:
    result = invoke("decide", "ai-workflow-triage", "--example", "degrading-classifier",
                    "--no-what-if")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0:6] == [
        "DECISION: Five-gate verdict: Fine-tune",
        "  Follow the five-gate diagnosis: its verdict's action and next steps come from the",
        "  retrain-or-tune tree.",
        "  ↳ When should I retrain or tune? (retrain-or-tune): Fine-tune. Fine-tune on new",
        "    labeled examples covering the failing patterns, starting from 50+ high-quality",
        "    examples.",
    ]


def test_entry_tree_json_outcome_is_the_verdict_and_keeps_the_subdecision() -> None:
    result = invoke("decide", "ai-workflow-triage", "--example", "broken-workflow",
                    "--format", "json", "--no-what-if")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["outcome"]["id"] == "rebuild"
    assert data["outcome"]["title"] == "Workflow verdict: Rebuild the workflow"
    assert data["path"] == ["what-is-unreliable", "review-workflow", "rebuild"]
    sub = data["steps"][1]["subdecision"]
    assert sub["tree"]["id"] == "tune-or-rebuild"
    assert sub["outcome"]["id"] == "rebuild"
    assert sub["outcome"]["action"].startswith("Rethink the workflow itself")


def test_show_lists_the_entry_tree_examples() -> None:
    result = invoke("show", "ai-workflow-triage")
    assert result.exit_code == 0
    assert ("Examples (use with --example NAME): broken-workflow, degrading-classifier"
            in result.stdout.splitlines())


# --- schemas for editors, offline ---------------------------------------------------------

_MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")
_SHIPPED = [(p, "tree") for p in sorted((ROOT / "trees").glob("*.yaml"))] + [
    (p, "cases") for p in sorted((ROOT / "trees" / "cases").glob("*.yaml"))]


@pytest.mark.parametrize(("path", "kind"), _SHIPPED,
                         ids=[str(p.relative_to(ROOT)) for p, _ in _SHIPPED])
def test_schema_line_of_each_builtin_file_names_its_schema_relative_to_the_file(
        path: Path, kind: str) -> None:
    match = _MODELINE.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
    assert match is not None, "the first line points the YAML language server at the schema"
    target = path.parent / match.group(1)
    assert target.resolve() == (ROOT / "schemas" / SCHEMA_FILES[kind]).resolve()


def test_the_wheel_keeps_trees_and_schemas_side_by_side() -> None:
    """The relative schema lines resolve in an installed gatetree too."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    shipped = dict(re.findall(r'^"gatetree\._data\.(trees|schemas)" = "([^"]+)"$', pyproject,
                              flags=re.M))
    assert shipped == {"trees": "trees", "schemas": "schemas"}


@pytest.mark.parametrize("kind", ["tree", "trace", "cases"])
def test_schema_prints_the_installed_schema(kind: str) -> None:
    result = invoke("schema", kind)
    assert result.exit_code == 0
    installed = ROOT / "schemas" / f"{kind}.v1.schema.json"
    assert result.stdout == installed.read_text(encoding="utf-8")
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_path_prints_where_the_schema_is() -> None:
    result = invoke("schema", "tree", "--path")
    assert result.exit_code == 0
    assert result.stdout == f"{ROOT / 'schemas' / 'tree.v1.schema.json'}\n"


def test_schema_of_an_unknown_kind_is_a_usage_error_listing_the_kinds() -> None:
    result = invoke("schema", "trees")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '{tree|trace|cases|batch-row}': 'trees' is not one of "
        "'tree', 'trace', 'cases', 'batch-row'.")


# --- shell completion ---------------------------------------------------------------------

def _complete(line: str) -> list[str]:
    """What `gatetree` offers for the last word of `line` (empty after a trailing space)."""
    words = line.split()
    incomplete = "" if line.endswith(" ") else words.pop()
    completer = ShellComplete(main, {}, "gatetree", "_GATETREE_COMPLETE")
    return [item.value for item in completer.get_completions(words, incomplete)]


def test_bash_completion_offers_builtin_tree_ids() -> None:
    """End to end, as the script from `_GATETREE_COMPLETE=bash_source gatetree` asks."""
    env = {"_GATETREE_COMPLETE": "bash_complete", "COMP_WORDS": "gatetree decide ",
           "COMP_CWORD": "2"}
    result = CliRunner().invoke(main, [], env=env, prog_name="gatetree")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "plain,ai-workflow-triage", "plain,retrain-or-tune", "plain,tune-or-rebuild"]


def test_bash_completion_script_is_there_to_source() -> None:
    result = CliRunner().invoke(main, [], env={"_GATETREE_COMPLETE": "bash_source"},
                                prog_name="gatetree")
    assert result.exit_code == 0
    assert "complete -o nosort -F _gatetree_completion gatetree" in result.stdout


def test_tree_arguments_complete_ids_versions_and_paths() -> None:
    assert _complete("decide ret") == ["retrain-or-tune"]
    assert _complete("show tune-or-rebuild@") == ["tune-or-rebuild@1.1.0"]
    assert _complete("validate retrain-or-tune ai-") == ["ai-workflow-triage"]
    assert _complete("docs out tu") == ["tune-or-rebuild"]
    assert _complete("render ./my") == ["./my"]  # a path: the shell completes files
    completer = ShellComplete(main, {}, "gatetree", "_GATETREE_COMPLETE")
    assert [i.type for i in completer.get_completions(["decide"], "policies/")] == ["file"]


def test_example_completes_the_examples_of_the_tree_on_the_line() -> None:
    assert _complete("decide ai-workflow-triage --example ") == [
        "broken-workflow", "degrading-classifier"]
    assert _complete("render tune-or-rebuild --example a") == ["almost-working"]
    assert _complete("decide --format json retrain-or-tune --example ") == ["running-example"]
    assert _complete("decide --example ") == []  # no tree yet
    assert _complete("decide no-such-tree --example ") == []


def test_set_completes_fact_names_then_enum_and_boolean_values() -> None:
    assert _complete("decide retrain-or-tune --set dec") == ["decline="]
    assert _complete("decide retrain-or-tune --set decline=") == [
        "decline=sudden", "decline=gradual"]
    assert _complete("decide retrain-or-tune --set has_b") == ["has_baseline="]
    assert _complete("decide retrain-or-tune --set has_baseline=t") == ["has_baseline=true"]
    assert _complete("decide retrain-or-tune --set eval_set_size=") == []
    # The entry tree offers the facts of the trees it calls too, shared by name.
    assert _complete("decide ai-workflow-triage --set unreliable_system=w") == [
        "unreliable_system=workflow"]
    assert "fragile_workarounds=" in _complete("decide ai-workflow-triage --set x=1 --set ")


def test_set_completion_says_what_each_fact_asks() -> None:
    completer = ShellComplete(main, {}, "gatetree", "_GATETREE_COMPLETE")
    items = completer.get_completions(["decide", "retrain-or-tune", "--set"], "score_with_f")
    assert [(i.value, i.help) for i in items] == [(
        "score_with_few_shot=", "What score does your eval set reach, on the same scoring as "
        "the baseline, after you add 3-5 explicit few-shot examples for your failing cases "
        "to the prompt?")]


# --- help -----------------------------------------------------------------------------

def test_help_shows_each_command_summary_whole() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    listing = " ".join(result.stdout.partition("Commands:")[2].split())
    assert "..." not in listing
    for name, command in sorted(main.commands.items()):
        assert command.help is not None, name
        first = " ".join(command.help.split()).split(". ")[0].rstrip(".") + "."
        assert f"{name} {first}" in listing, name
