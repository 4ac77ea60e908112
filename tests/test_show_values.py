"""Numbers read as people write them in every view for people; the JSON keeps every digit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import load_text
from gatetree.cli import main
from gatetree.render.wording import whatif_sentence
from gatetree.values import show_literal, show_value

GAIN = """\
gatetree: 1
id: gain
version: 1.0.0
title: Worth it?
start: check
params:
  min_gain:
    type: number
    default: 1.0
    help: Smallest gain worth shipping.
facts:
  before:
    type: number
    question: What was the score before?
  after:
    type: number
    question: What is the score after?
  gain:
    type: number
    question: How much did the score rise?
    derive: after - before
nodes:
  check:
    kind: gate
    title: Did it improve?
    question: Did the score rise by at least {min_gain}?
    branches:
      - if: gain >= min_gain
        label: Enough
        next: ship
    default:
      next: wait
  ship:
    kind: outcome
    title: Ship
    action: Ship it.
  wait:
    kind: outcome
    title: Wait
    action: Wait.
"""
NOISY = 80.4 - 79.2  # 1.2000000000000028


@pytest.mark.parametrize(("value", "shown"), [
    (NOISY, "1.2"),
    (0.1 + 0.2, "0.3"),
    (74.0, "74"),  # a whole float reads like the int it equals, wherever it came from
    (74, "74"),
    (0.9, "0.9"),
    (1 / 3, "0.333333333333"),
    (123456.789, "123456.789"),
    (1e300, "1e+300"),
    (1e-7, "1e-07"),
    (float("nan"), "nan"),
    (True, "true"),
    ("partly", "partly"),
])
def test_show_value_writes_numbers_as_people_do(value: object, shown: str) -> None:
    assert show_value(value) == shown


def test_show_literal_keeps_every_digit_for_messages() -> None:
    assert [show_literal(v) for v in (NOISY, 74.0, True, "x")] == [
        "1.2000000000000028", "74.0", "true", "'x'"]


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    tree, facts = tmp_path / "gain.yaml", tmp_path / "facts.yaml"
    tree.write_text(GAIN)
    facts.write_text("before: 79.2\nafter: 80.4\n")
    return str(tree), str(facts)


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_derived_number_reads_rounded_in_text_and_markdown(files: tuple[str, str]) -> None:
    tree, facts = files
    text = _run("decide", tree, "--facts", facts)
    assert "     · gain = 1.2 (derived from `after - before` with after = 80.4 (given); before =" \
        in text.splitlines()
    markdown = _run("decide", tree, "--facts", facts, "--format", "markdown")
    assert "gain = 1.2 (derived" in markdown
    assert "1.2000000000000028" not in text + markdown


def test_a_diagram_shows_the_rounded_number(files: tuple[str, str]) -> None:
    tree, facts = files
    mermaid = _run("render", tree, "--facts", facts, "--format", "mermaid")
    assert "<code>gain = 1.2 (derived)</code>" in mermaid
    assert "1.2000000000000028" not in mermaid


def test_what_ifs_show_the_rounded_number() -> None:
    from gatetree.counterfactual import counterfactuals

    improved = GAIN.replace("nodes:\n", """\
  improved:
    type: boolean
    question: Did it improve enough?
    derive: gain >= min_gain
nodes:
""").replace("    branches:\n      - if: gain >= min_gain\n        label: Enough\n"
             "        next: ship\n    default:\n      next: wait\n",
             "    fact: improved\n    branches:\n      - when: true\n        next: ship\n"
             "      - when: false\n        next: wait\n")
    tree = load_text(improved)
    decision = tree.decide({"before": 79.2, "after": 80.4})
    [sentence] = [whatif_sentence(a) for s in counterfactuals(tree, decision).steps
                  for a in s.alternatives]
    assert "(it was derived from gain = 1.2 (derived), min_gain = 1 (param default); " in sentence


def test_json_keeps_the_full_value(files: tuple[str, str]) -> None:
    tree, facts = files
    data = json.loads(_run("decide", tree, "--facts", facts, "--format", "json"))
    gain = next(e for e in data["steps"][0]["evidence"] if e["name"] == "gain")
    assert gain["value"] == NOISY
