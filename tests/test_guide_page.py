"""The guide without a browser: the JSON plan it embeds, the page's shape, the command."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import load_tree
from gatetree.cli_entry import main
from gatetree.plan_json import PLAN_FORMAT, expression_json, plan_json, typed_value

FIXTURES = Path(__file__).parent / "fixtures" / "guide"


def test_expressions_become_json_syntax_trees() -> None:
    assert expression_json("-a // 2 < b <= 3.5 and not c or d in ['x', 1]") == {
        "k": "or", "values": [
            {"k": "and", "values": [
                {"k": "cmp", "ops": ["<", "<="],
                 "l": {"k": "bin", "op": "//", "l": {"k": "neg", "x": {"k": "name", "id": "a"}},
                       "r": {"k": "const", "t": "int", "v": "2"}},
                 "rs": [{"k": "name", "id": "b"}, {"k": "const", "t": "float", "v": 3.5}]},
                {"k": "not", "x": {"k": "name", "id": "c"}}],
             "src": ["-a // 2 < b <= 3.5", "not c"]},
            {"k": "cmp", "ops": ["in"], "l": {"k": "name", "id": "d"},
             "rs": [{"k": "list", "items": [{"k": "const", "t": "str", "v": "x"},
                                            {"k": "const", "t": "int", "v": "1"}]}]}],
        "src": ["-a // 2 < b <= 3.5 and not c", "d in ['x', 1]"]}
    assert expression_json("round(x, 2) if +y % 3 != 0 else max(x, 1) / 7 - 1 * 2 + 0") == {
        "k": "if",
        "test": {"k": "cmp", "ops": ["!="], "l": {
            "k": "bin", "op": "%", "l": {"k": "pos", "x": {"k": "name", "id": "y"}},
            "r": {"k": "const", "t": "int", "v": "3"}},
            "rs": [{"k": "const", "t": "int", "v": "0"}]},
        "body": {"k": "call", "f": "round", "args": [{"k": "name", "id": "x"},
                                                     {"k": "const", "t": "int", "v": "2"}]},
        "else": {"k": "bin", "op": "+", "l": {"k": "bin", "op": "-", "l": {
            "k": "bin", "op": "/", "l": {"k": "call", "f": "max", "args": [
                {"k": "name", "id": "x"}, {"k": "const", "t": "int", "v": "1"}]},
            "r": {"k": "const", "t": "int", "v": "7"}},
            "r": {"k": "bin", "op": "*", "l": {"k": "const", "t": "int", "v": "1"},
                  "r": {"k": "const", "t": "int", "v": "2"}}},
            "r": {"k": "const", "t": "int", "v": "0"}}}


@pytest.mark.parametrize("text", ["a.b", "a[0]", "a ** 2", "a is b", "f(x=1)", "lambda: 1"])
def test_expressions_outside_the_subset_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not in the expression subset"):
        expression_json(text)


def test_values_keep_their_python_type() -> None:
    assert typed_value(7) == {"t": "int", "v": "7"}
    assert typed_value(10 ** 30) == {"t": "int", "v": "1" + "0" * 30}
    assert typed_value(7.0) == {"t": "float", "v": 7.0}
    assert typed_value(True) == {"t": "bool", "v": True}
    assert typed_value("x") == {"t": "str", "v": "x"}
    assert typed_value(None) is None
    with pytest.raises(ValueError, match="not a finite number"):
        typed_value(float("inf"))


def test_the_plan_holds_nodes_facts_params_checklists_and_calls() -> None:
    triage = plan_json(load_tree("ai-workflow-triage"))
    json.dumps(triage, allow_nan=False)  # plain JSON: nothing else in it
    assert triage["format"] == PLAN_FORMAT
    assert triage["tree"]["id"] == "ai-workflow-triage"
    assert sorted(triage["callees"]) == ["diagnose-feature", "review-workflow"]
    assert triage["nodes"]["diagnose-feature"]["kind"] == "call"
    rebuild = triage["callees"]["review-workflow"]
    signs = rebuild["nodes"]["signs"]
    assert signs["kind"] == "checklist"
    assert [g["name"] for g in signs["groups"]] == ["refine", "structural", "patching"]
    assert len(signs["items"]) == signs["all_items"] == 13
    tune = triage["callees"]["diagnose-feature"]
    derived = tune["facts"]["has_quality_metrics"]
    assert derived["derive_names"] == ["eval_set_size", "min_eval_examples",
                                       "has_scoring_method", "has_baseline"]
    assert derived["derive"]["k"] == "and"
    assert tune["params"]["min_eval_examples"]["default"] == {"t": "int", "v": "20"}
    gate = tune["nodes"]["gate-0"]
    assert [(e["kind"], e["value"], e["next"]) for e in gate["exits"]] == [
        ("when", {"t": "bool", "v": True}, "gate-0-degradation"),
        ("when", {"t": "bool", "v": False}, "build-evals")]
    assert "{min_eval_examples}" in gate["help"]  # the page fills texts with its params


@pytest.mark.dot
def test_the_page_is_self_contained_and_small(tmp_path: Path) -> None:
    target = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune", "-o", str(target)])
    assert (result.exit_code, result.output) == (0, f"{target}\n")
    page = target.read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) < 500_000
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "default-src 'none'" in policy.group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for code in scripts:  # only the page's own scripts may run: each is named by its hash
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    assert "'unsafe-inline'" not in policy.group(1).split("style-src")[0]


@pytest.mark.dot
def test_hostile_text_reaches_the_page_only_as_escaped_json(tmp_path: Path) -> None:
    target = tmp_path / "h.html"
    tree = str(FIXTURES / "hostile-labels.yaml")
    assert CliRunner().invoke(main, ["guide", tree, "-o", str(target)]).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert page.count("<script") == 5  # plan, meta, diagram, engine, page logic
    assert page.count("</script>") == 5
    assert "<img" not in page and "<!--" not in page.split("<body>")[1]
    assert "&lt;script&gt;window.__pwned = &#x27;title&#x27;&lt;/script&gt;" in page  # <title>
    plan = re.search(r'<script type="application/json" id="gatetree-plan">(.*?)</script>',
                     page, re.S)
    assert plan is not None
    data = json.loads(plan.group(1))
    assert data["nodes"]["first"]["title"] == "<script>window.__pwned='gate'</script>"


def test_guide_refuses_bad_params_with_every_problem(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune", "-o", str(tmp_path / "g.html"),
                                       "--param", "nope=1", "--param", "min_eval_examples=x"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "--param min_eval_examples=x: error: param 'min_eval_examples' must be a whole number; "
        "got 'x' [value-does-not-fit]",
        "--param nope=1: error: unknown param 'nope' (known params: few_shot_examples, "
        "full_recovery_share, min_eval_examples, min_finetune_examples, "
        "partial_recovery_share) [unknown-param]"]
    assert not (tmp_path / "g.html").exists()


def test_guide_needs_an_output_file() -> None:
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune"])
    assert result.exit_code == 2
    assert "Missing option '--output' / '-o'." in result.output


@pytest.mark.dot
def test_guide_reports_an_unwritable_file(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "g.html"
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == (f"gatetree: error: cannot write {target}: No such file or "
                             "directory\n")
