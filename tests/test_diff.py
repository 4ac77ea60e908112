"""`gatetree diff`: the semantic diff by id, the replay of cases through both trees, the exit
code that says whether a decision changed, and the warning when the version does not move
as the change requires."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gatetree import load_tree
from gatetree.cli_entry import main
from gatetree.diff import diff_trees, version_warning

ROOT = Path(__file__).resolve().parents[1]
FIVE_GATES = ROOT / "trees" / "retrain-or-tune.yaml"
CASES = ROOT / "trees" / "cases" / "retrain-or-tune.yaml"
GATE_3_NO = '        next: gate-4\n        cites:\n          - "If prompt restructuring'


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _edited(tmp_path: Path, *edits: tuple[str, str], name: str = "new.yaml") -> Path:
    text = FIVE_GATES.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The five-gate tree with one threshold (min_eval_examples 20 -> 10) and one branch
    target (Gate 3 "NO" to fix-prompt instead of gate-4) changed."""
    return _edited(tmp_path, ("    default: 20\n", "    default: 10\n"),
                   (GATE_3_NO, GATE_3_NO.replace("gate-4", "fix-prompt")))


def test_a_threshold_and_a_branch_target_changed(changed: Path) -> None:
    result = invoke("diff", str(FIVE_GATES), str(changed))
    assert result.exit_code == 4
    lines = result.stdout.splitlines()
    param_line = _line(changed, "    default: 10")
    target_line = [i + 1 for i, t in enumerate(changed.read_text().splitlines())
                   if t == "        next: fix-prompt"][-1]
    assert lines[2:5] == [
        "2 changes:",
        f"  {changed}:{param_line}:14: param: changed param min_eval_examples: default 20 -> 10",
        f"  {changed}:{target_line}:15: branch: changed gate-3 when no: next 'gate-4' -> "
        "'fix-prompt'",
    ]
    assert "16 of 40 cases decide differently:" in lines
    eval_set = lines.index(f"  {CASES}:{_line(CASES, '  - name: eval-set-too-small')}:5: "
                           "eval-set-too-small")
    assert lines[eval_set + 1:eval_set + 3] == [
        "    old: build-evals by gate-0 -> build-evals",
        "    new: incomplete, needs is_underperforming, by gate-0 -> gate-0-degradation",
    ]
    prompt = lines.index(f"  {CASES}:{_line(CASES, '  - name: gate-5-fine-tunes-by-default')}"
                         ":5: gate-5-fine-tunes-by-default")
    assert lines[prompt + 2] == ("    new: fix-prompt by gate-0 -> gate-0-degradation -> "
                                 "gate-1 -> gate-2 -> gate-3 -> fix-prompt")
    assert result.stderr == ("gatetree: warning: the tree changed but its version did not "
                             "move (1.1.1)\n")


def test_a_tree_diffed_with_itself_exits_0() -> None:
    result = invoke("diff", "retrain-or-tune", str(FIVE_GATES))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == ["0 changes.", "",
                                              "No decision changed (40 cases replayed)."]
    assert result.stderr == ""


def test_json_and_markdown(changed: Path) -> None:
    result = invoke("diff", str(FIVE_GATES), str(changed), "--format", "json")
    assert result.exit_code == 4
    data = json.loads(result.stdout)
    assert [(c["what"], c["element"], c["field"], c["old"], c["new"])
            for c in data["changes"]] == [
        ("param", "param min_eval_examples", "default", "20", "10"),
        ("branch", "gate-3 when no", "next", "'gate-4'", "'fix-prompt'")]
    assert data["replayed"] == 40 and len(data["decisions_changed"]) == 16
    first = data["decisions_changed"][0]
    assert (first["name"], first["old"]["outcome"], first["new"]["status"]) == \
        ("eval-set-too-small", "build-evals", "incomplete")
    markdown = invoke("diff", str(FIVE_GATES), str(changed), "--format", "markdown").stdout
    assert markdown.startswith("## Policy diff: retrain-or-tune 1.1.1 → retrain-or-tune 1.1.1\n")
    assert "| changed | branch | gate-3 when no (next) | 'gate-4' | 'fix-prompt' |" in markdown
    assert "**16 of 40 cases decide differently**" in markdown


def test_only_the_given_cases_are_replayed(changed: Path, tmp_path: Path) -> None:
    cases = tmp_path / "few.cases.yaml"
    cases.write_text(f"gatetree-cases: 1\ntree: {FIVE_GATES}\ncases:\n"
                     "  - name: no-metrics\n"
                     "    facts: {eval_set_size: 0, has_scoring_method: false, "
                     "has_baseline: false}\n"
                     "    expect: {outcome: build-evals}\n", encoding="utf-8")
    result = invoke("diff", str(FIVE_GATES), str(changed), "--cases", str(cases))
    assert result.exit_code == 0
    assert "No decision changed (1 cases replayed)." in result.stdout


def test_texts_facts_nodes_and_outcomes_are_diffed(tmp_path: Path) -> None:
    new = _edited(tmp_path,
                  ("version: 1.1.1", "version: 1.2.0"),
                  ("  eval_set_size:\n    type: integer", "  eval_set_size:\n    type: number"),
                  ("    question: Is the degradation gradual or a sudden drop?",
                   "    question: Is the decline gradual or sudden?"),
                  ("title: Fine-tune\n", "title: Fine-tune the model\n"))
    result = diff_trees(load_tree(FIVE_GATES), load_tree(new), [])
    assert [c.describe() for c in result.changes] == [
        "changed fact eval_set_size: type 'integer' -> 'number'",
        "changed fact decline: question 'Is the degradation gradual or a sudden drop?' -> "
        "'Is the decline gradual or sudden?'",
        "changed outcome fine-tune: title 'Fine-tune' -> 'Fine-tune the model'",
    ]
    assert [c.what for c in result.changes] == ["fact", "text", "text"]
    assert result.warning is None  # nothing decided differently: a minor move is plenty


def test_added_and_removed_nodes(tmp_path: Path) -> None:
    tree = tmp_path / "a.yaml"
    tree.write_text(
        "gatetree: 1\nid: a\nversion: 1.0.0\ntitle: A\nstart: g\nfacts:\n"
        "  x: {type: boolean, question: \"X?\"}\nnodes:\n"
        "  g:\n    kind: gate\n    title: G\n    fact: x\n    branches:\n"
        "      - {when: true, next: yes-out}\n      - {when: false, next: no-out}\n"
        "  yes-out: {kind: outcome, title: Yes, action: Go.}\n"
        "  no-out: {kind: outcome, title: No, action: Stop.}\n", encoding="utf-8")
    other = tmp_path / "b.yaml"
    other.write_text(tree.read_text().replace("next: no-out}", "next: wait}").replace(
        "  no-out: {kind: outcome, title: No, action: Stop.}",
        "  wait: {kind: outcome, title: Wait, action: Wait.}"), encoding="utf-8")
    result = diff_trees(load_tree(tree), load_tree(other), [])
    assert [(c.kind, c.what, c.element) for c in result.changes] == [
        ("removed", "outcome", "outcome no-out"),
        ("changed", "branch", "g when false"),
        ("added", "outcome", "outcome wait"),
    ]


@pytest.mark.parametrize(("old", "new", "changed", "decisions", "warning"), [
    ("1.1.0", "1.1.0", False, False, None),
    ("1.1.0", "1.1.0", True, False, "the tree changed but its version did not move (1.1.0)"),
    ("1.1.0", "1.1.1", True, False, None),
    ("1.1.0", "1.1.1", True, True, "decisions changed but only the patch number moved "
                                    "(1.1.0 -> 1.1.1); move the minor or major version"),
    ("1.1.0", "1.2.0", True, True, None),
    ("1.1.0", "2.0.0", True, True, None),
    ("1.2.0", "1.1.9", True, False, "version went down, 1.2.0 -> 1.1.9"),
])
def test_version_warning(old: str, new: str, changed: bool, decisions: bool,
                         warning: str | None) -> None:
    assert version_warning(old, new, changed=changed, decisions=decisions) == warning


def test_a_patch_release_that_changes_decisions_is_warned(tmp_path: Path) -> None:
    new = _edited(tmp_path, ("version: 1.1.1", "version: 1.1.2"),
                  ("    default: 20\n", "    default: 10\n"))
    result = invoke("diff", "retrain-or-tune", str(new))
    assert result.exit_code == 4
    assert result.stderr == ("gatetree: warning: decisions changed but only the patch number "
                             "moved (1.1.1 -> 1.1.2); move the minor or major version\n")


def test_one_file_named_two_ways_is_replayed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke("diff", "retrain-or-tune", "trees/retrain-or-tune.yaml")
    assert result.exit_code == 0
    assert "No decision changed (40 cases replayed)." in result.stdout


@pytest.mark.parametrize(("args", "code", "message"), [
    (("no-such-tree", "retrain-or-tune"), 2, "gatetree: error: "),
    (("retrain-or-tune", "retrain-or-tune", "--cases", "missing.yaml"), 1,
     "missing.yaml: error: cannot read file"),
])
def test_bad_input_is_a_message_not_a_traceback(args: tuple[str, ...], code: int,
                                                message: str) -> None:
    result = invoke("diff", *args)
    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_checklist_condition_and_item_changed(tmp_path: Path) -> None:
    source = ROOT / "trees" / "tune-or-rebuild.yaml"
    text = source.read_text(encoding="utf-8")
    sound = "refine >= refine_min_signs and structural + patching <= refine_max_structural"
    item = "{fact: tool_poorly_matched, group: structural, label: poorly matched tool or model}"
    new = tmp_path / "tune-or-rebuild.yaml"
    new.write_text(text.replace(f"if: {sound}", f"if: {sound.replace('>=', '>')}")
                   .replace(item, item.replace("group: structural,",
                                               "group: structural, weight: 2,")),
                   encoding="utf-8")
    result = diff_trees(load_tree(source), load_tree(new), [])
    assert [(c.what, c.describe()) for c in result.changes] == [
        ("condition", f"changed signs condition 2: condition '{sound}' -> "
                      f"'{sound.replace('>=', '>')}'"),
        ("node", "changed signs item tool_poorly_matched: weight 1 -> 2"),
    ]
    condition = result.changes[0].location
    assert new.read_text().splitlines()[condition.line - 1].strip().startswith("- if: refine >")
