"""What ships and how a new user finds it: examples, schemas for editors, completion, help."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from engine.cli import main

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
    assert result.stdout.splitlines()[2:8] == [
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
