"""The browser guide in real headless Chromium: it decides as the engine does, keeps hostile
text inert, and walks the running example offline.

Chromium is Debian's `chromium` (CI installs it next to Graphviz), driven by Playwright for
Python at that executable: no browser is downloaded. Without it these tests skip, saying so.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from guide_cases import builtin_cases, expected, random_sets, tagged

from gatetree import load_tree, partial
from gatetree.cli_entry import main
from gatetree.errors import Location
from gatetree.expr import compile_expression
from gatetree.inputs import read_facts
from gatetree.model import Fact
from gatetree.plan_json import expression_json

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.dot,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install "
                                                "chromium; CI installs it)"),
]
FIXTURES = Path(__file__).parent / "fixtures" / "guide"
TREES = ("retrain-or-tune", "tune-or-rebuild", "ai-workflow-triage")
RANDOM_SETS = 1000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each built-in tree's guide, written by the command line as a user would."""
    folder = tmp_path_factory.mktemp("guides")
    written = {}
    for tree in (*TREES, str(FIXTURES / "hostile-labels.yaml"),
                 str(FIXTURES / "partial-facts.yaml")):
        target = folder / f"{Path(tree).stem}.html"
        result = CliRunner().invoke(main, ["guide", tree, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert result.output == f"{target}\n"
        written[Path(tree).stem] = target
    return written


class Session:
    """One offline page: every request that is not the file itself is recorded and refused."""

    def __init__(self, browser: Any, url: str, *, width: int = 1024) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800},
                                           offline=True, java_script_enabled=True)
        self.requests: list[str] = []
        self.console: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5000)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.goto(url)
        self.page.wait_for_selector("html[data-ready]")

    def _route(self, route: Any) -> None:
        if route.request.resource_type == "document" and route.request.url.startswith("file:"):
            route.continue_()
            return
        self.requests.append(route.request.url)
        route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Any) -> Iterator[Any]:
    opened: list[Session] = []

    def open_page(path: Path, *, width: int = 1024, fragment: str = "") -> Session:
        made = Session(browser, path.as_uri() + fragment, width=width)
        opened.append(made)
        return made

    yield open_page
    for made in opened:
        assert made.requests == [], "the page made a network request"
        assert made.console == [], "the page logged errors"
        made.close()


# --- one engine --------------------------------------------------------------------------
@pytest.mark.parametrize("tree_id", TREES)
def test_the_page_decides_as_decide_does(tree_id: str, pages: dict[str, Path],
                                         session: Any) -> None:
    """Every built-in case and RANDOM_SETS seeded fact sets (complete, partial, with param
    overrides), decided in one page session: outcome, path, actions and the next missing
    fact (with what derives it and its filled question) equal `decide`'s."""
    tree = load_tree(tree_id)
    cases = list(builtin_cases(tree))
    assert cases, "every built-in tree has cases"
    sets = cases + list(random_sets(tree, RANDOM_SETS, seed=13))
    page = session(pages[tree_id]).page
    # As JSON text, parsed by the page: values arrive as JSON.parse reads them (-0.0 too).
    got = page.evaluate("(text) => JSON.parse(text).map(([f, p]) => window.gatetreeDecide(f, p))",
                        json.dumps([[tagged(f), tagged(p)] for f, p in sets]))
    statuses = set()
    for (facts, params), result in zip(sets, got, strict=True):
        want = expected(tree, facts, params)
        if want["status"] == "error":
            result = {"status": result["status"]}
        assert result == want, f"facts {facts}, params {params}"
        statuses.add(want["status"])
    assert {"decided", "incomplete"} <= statuses


def test_partial_facts_decide_as_decide_does(pages: dict[str, Path], session: Any) -> None:
    """Every combination of known and unknown facts of a tree whose derivations and
    conditions have unknown operands at each position: the same answer, missing fact
    (with the leaves that derive it), outcomes still reachable and settling operands,
    early answers included."""
    tree = load_tree(FIXTURES / "partial-facts.yaml")
    sets = [({k: v for k, v in zip("abnm", values, strict=True) if v is not None}, {})
            for values in itertools.product([True, False, None], [True, False, None],
                                            [1, 5, None], [0, 4, None])]
    page = session(pages["partial-facts"]).page
    got = page.evaluate("(text) => JSON.parse(text).map(([f, p]) => window.gatetreeDecide(f, p))",
                        json.dumps([[tagged(f), tagged(p)] for f, p in sets]))
    wanted = [expected(tree, facts, params) for facts, params in sets]
    assert got == wanted
    early = [w for (facts, _), w in zip(sets, wanted, strict=True)
             if w["status"] == "decided" and len(facts) < 4]
    assert len(early) > 10  # decided while some fact is unknown
    assert {tuple(w["reachable"]) for w in wanted if w["status"] == "incomplete"} >= {
        ("x", "w", "z"), ("w", "z")}  # exits known false left out
    assert {w["missing"]["fact"] for w in wanted if w["missing"]} == {"a", "b", "n", "ready"}
    assert {tuple(s) for w in wanted for s in w["settled_by"]} == {
        ("first", "ready", "n > 3"), ("first", "late", "m > 2"),
        ("second", None, "size > 2 and not late")}


def test_the_page_says_what_settled_past_an_unknown_fact(pages: dict[str, Path],
                                                         session: Any) -> None:
    """A link that gives b and n but not a: the page decides w early and names the operand
    that settled each answer in render/wording.py's words."""
    from gatetree.render.wording import because, evidence

    decision = load_tree(FIXTURES / "partial-facts.yaml").decide({"b": False, "n": 5})
    assert decision.outcome is not None and decision.outcome.id == "w"
    first, second = decision.steps
    ready = next(e for e in first.evidence if e.name == "ready")
    settled_value = evidence(ready).split("5 (given)", 1)[1].rstrip(")")
    settled_exit = because(second).removeprefix(second.chosen_by)
    assert settled_value == ", settled by `n > 3` while other inputs are unknown"
    assert settled_exit == " (settled by `size > 2 and not late` while other facts are unknown)"
    fragment = "#" + urlencode({"a": json.dumps([["b", "false"], ["n", "5"]])})
    page = session(pages["partial-facts"], fragment=fragment).page
    assert page.locator("#gt-outcome-title").text_content() == "W"
    assert page.locator("#gt-steps .gt-step-answer").all_text_contents() == [
        " → ready", " → big" + settled_exit]
    assert page.locator("#gt-steps .gt-derived").all_text_contents() == [
        "ready = yes, from a or n > 3 with n = 5" + settled_value,
        "size = 5, from m if b else n with b = no, n = 5",
        "late = no, from b and m > 2 with b = no"]


def _python_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, list):
        return {"t": "list", "v": [_python_value(v) for v in value]}
    return {"t": "str", "v": value}


_DECLARED = {
    "i": Fact("i", "integer", "i?"), "j": Fact("j", "integer", "j?"),
    "x": Fact("x", "number", "x?"), "y": Fact("y", "number", "y?"),
    "b": Fact("b", "boolean", "b?"), "c": Fact("c", "boolean", "c?"),
    "s": Fact("s", "string", "s?"), "e": Fact("e", "enum", "e?", values=("lo", "hi")),
}

# Each operator of the subset, at the edges where JavaScript and Python part ways.
FIXED = [
    "7 // 2", "-7 // 2", "7 // -2", "-7 % 3", "7 % -3", "7.5 // 2", "-7.5 // 2", "7.5 % -2",
    "-0.0 // 1", "5 % 0.75", "1e308 * 10", "7 / 2", "6 / 3", "1 / 3", "2 - 5",
    "3 * 4", "3 * 0.1", "0.1 + 0.2", "-i", "+x", "-(-3)", "round(2.5)", "round(3.5)",
    "round(-2.5)", "round(0.5)", "round(2.675, 2)", "round(0.125, 2)", "round(0.375, 2)",
    "round(25, -1)", "round(15, -1)", "round(-25, -1)", "round(1234.5678, -2)",
    "round(5, 2)", "round(2.5, 0)", "round(1e20)", "round(x)", "round(x, 1)",
    "abs(-3)", "abs(-2.5)", "abs(i - j)", "min(3, 1.0, 1)", "max(1, 1.0)", "min(i, x)",
    "max(i, j, 4)", "len(s)", "len('東京🚀')", "1 < 2 < 3", "3 > 2 > 2", "1 <= 1.0 < 2",
    "i == i", "1 == 1.0", "x != y", "s == 'a b'", "e == 'hi'", "i in [1, 2, 3]",
    "x in [0.5, 1, 2.5]", "e not in ['lo']", "'a' in s", "'zz' not in s", "not b",
    "b and c", "b or c", "b and i > 100", "c or x < 0", "not (b and not c)",
    "i if b else j", "x if c else i", "'p' if i > j else 'q'", "s + '!'", "1 // 0",
    "1 % 0", "1.0 / 0", "i // (j - j)", "x % 0.0", "2 * x - 3 * i // 2 + j % 3",
    "(i + j) / 2 >= x and not c or s != ''",
]


def _expression(rng: random.Random, kind: str, depth: int) -> str:
    """A random well-typed expression of the subset."""
    leaf = depth <= 0 or rng.random() < 0.25
    if kind == "int":
        if leaf:
            return rng.choice(["i", "j", str(rng.randint(-9, 9))])
        a, b = _expression(rng, "int", depth - 1), _expression(rng, "int", depth - 1)
        return rng.choice([f"({a} + {b})", f"({a} - {b})", f"({a} * {b})", f"({a} // {b})",
                           f"({a} % {b})", f"(-{a})", f"abs({a})", f"min({a}, {b})",
                           f"max({a}, {b}, 0)", f"round({_expression(rng, 'num', depth - 1)})",
                           f"round({a}, -1)", "len(s)",
                           f"({a} if {_expression(rng, 'bool', depth - 1)} else {b})"])
    if kind == "num":
        if leaf:
            return rng.choice(["x", "y", "i", repr(rng.choice([0.5, 2.5, -1.5, 0.1, 3.0,
                                                               1e-3, 2.675, -0.0]))])
        a, b = _expression(rng, "num", depth - 1), _expression(rng, "num", depth - 1)
        return rng.choice([f"({a} + {b})", f"({a} - {b})", f"({a} * {b})", f"({a} / {b})",
                           f"({a} // {b})", f"({a} % {b})", f"(+{a})", f"abs({a})",
                           f"min({a}, {b})", f"max({a}, {b})",
                           f"round({a}, {rng.randint(-1, 3)})"])
    if kind == "bool":
        if leaf:
            return rng.choice(["b", "c", "True", "False", "e == 'lo'"])
        a, b = _expression(rng, "num", depth - 1), _expression(rng, "num", depth - 1)
        p, q = _expression(rng, "bool", depth - 1), _expression(rng, "bool", depth - 1)
        op = rng.choice(["<", "<=", ">", ">=", "==", "!="])
        return rng.choice([f"({a} {op} {b})", f"({a} < {b} <= {_expression(rng, 'int', 0)})",
                           f"({p} and {q})", f"({p} or {q})", f"(not {p})",
                           f"({_expression(rng, 'int', 0)} in [1, 2, 3.0])",
                           f"({_expression(rng, 'str', depth - 1)} not in ['a', 'b'])",
                           f"('a' in {_expression(rng, 'str', depth - 1)})",
                           f"({p} if {q} else {_expression(rng, 'bool', 0)})"])
    if leaf:
        return rng.choice(["s", "'a'", "'b'", "''", "'東'"])
    return rng.choice([f"({_expression(rng, 'str', depth - 1)} + s)",
                       f"('a' if {_expression(rng, 'bool', depth - 1)} else s)"])


def _expression_cases() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(13)
    texts = FIXED + [_expression(rng, rng.choice(["int", "num", "bool", "str"]), 4)
                     for _ in range(1500)]
    cases = []
    for text in texts:
        values = {"i": rng.randint(-6, 6), "j": rng.choice([0, 1, 3, -4]),
                  "x": rng.choice([0.5, -2.5, 2.0, 0.1, 7.25, 0.0]), "y": rng.choice([3, 1.5]),
                  "b": rng.random() < 0.5, "c": rng.random() < 0.5,
                  "s": rng.choice(["a b", "", "ab", "東京"]), "e": rng.choice(["lo", "hi"])}
        cases.append((text, values))
    return cases


def _ops(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        kind = node.get("k")
        if kind in ("bin",):
            yield node["op"]
        elif kind == "cmp":
            yield from node["ops"]
        elif kind == "call":
            yield f"{node['f']}/{len(node['args'])}"
        elif kind:
            yield kind
        for value in node.values():
            yield from _ops(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ops(value)


def test_each_operator_evaluates_as_python_does(pages: dict[str, Path], session: Any) -> None:
    """Fixed edge cases and 1,500 generated expressions, each checked by the engine's
    compiler, evaluated by Python and by the page: the same value and type, or both fail."""
    checked = []
    for text, values in _expression_cases():
        compiled, _ = compile_expression(text, location=Location("test"),
                                                facts=_DECLARED, params={})
        if compiled is None:
            continue  # the generator wrote something the subset refuses: not a case
        try:
            want = _python_value(compiled.evaluate(values))
        except (ArithmeticError, ValueError, TypeError):
            want = {"t": "error"}
        checked.append((text, expression_json(text), tagged(values), want))
    assert len(checked) > 1000
    covered = {op for _, tree, _, _ in checked for op in _ops(tree)}
    assert covered >= {"+", "-", "*", "/", "//", "%", "neg", "pos", "not", "and", "or", "if",
                       "<", "<=", ">", ">=", "==", "!=", "in", "not in", "list", "const",
                       "name", "min/2", "min/3", "max/2", "max/3", "abs/1", "len/1",
                       "round/1", "round/2"}
    page = session(pages["retrain-or-tune"]).page
    got = page.evaluate("(text) => JSON.parse(text).map(([e, v]) => window.gatetreeEvaluate(e, v))",
                        json.dumps([[tree, values] for _, tree, values, _ in checked]))
    for (text, _, values, want), result in zip(checked, got, strict=True):
        if want["t"] == "error":
            result = {"t": result["t"]}
        assert result == want, f"{text} with {values}"


class _Unknown(Exception):
    def __init__(self, fact: str) -> None:
        super().__init__(fact)
        self.fact = fact


# Unknown operands of and / or / if-else at each position, with the known ones settling the
# expression or not; the unknown names are those the case lists.
PARTIAL_FIXED = [
    ("b and c", "b"), ("b and c", "c"), ("b and c", "bc"), ("b or c", "b"), ("b or c", "c"),
    ("b or c", "bc"), ("b and c and i > 0", "c"), ("i > 0 and b and c", "b"),
    ("b and i > 0 and c", "bc"), ("b or c or i > 0", "bi"), ("i > 0 or b or c", "b"),
    ("b and (c or i > 0)", "c"), ("(b or c) and i > 0", "b"), ("not b and c", "b"),
    ("not (b or c)", "b"), ("i if b else j", "b"), ("i if b else j", "i"),
    ("i if b else j", "j"), ("i if b else j", "ij"), ("(i if b else j) > 0", "j"),
    ("b if c else False", "b"), ("i > 0 if c else b", "c"), ("b and i // j > 0", "b"),
    ("i // j > 0 and b", "b"), ("b or i // (j - j) > 0", "b"), ("i // (j - j) > 0 or b", "b"),
    ("b and c or i > j", "bj"), ("c or b and i > j", "ci"), ("x < y < i", "y"),
    ("x < y < i", "x"), ("min(i, j) > 0 and b", "j"), ("i + j > 0 or c", "ij"),
    ("s == 'a' or e == 'hi'", "s"), ("e in ['lo'] and s != ''", "e"),
    ("b and (c if i > j else not c)", "ci"),
]


def _partial_cases() -> list[tuple[str, dict[str, Any], list[str]]]:
    rng = random.Random(17)
    generated = _expression_cases()
    cases = [(text, values, list(unknown)) for text, unknown in PARTIAL_FIXED
             for _, values in generated[:60:6]]
    cases += [(text, values, rng.sample(sorted(values), rng.randint(1, 3)))
              for text, values in generated]
    return cases


def _partially(text: str, values: dict[str, Any], unknown: list[str]) -> dict[str, Any]:
    def read(name: str) -> Any:
        if name in unknown:
            raise _Unknown(name)
        return values[name]

    try:
        found = partial.evaluate(text, read, {}, _Unknown)
    except (ArithmeticError, ValueError, TypeError):
        return {"t": "error"}
    if not found.known:
        return {"t": "unknown", "v": [need.fact for need in found.needs]}
    value = _python_value(found.value)
    return value if found.settled_by is None else {**value, "settled_by": found.settled_by}


def test_each_operator_evaluates_three_valued_as_the_engine_does(pages: dict[str, Path],
                                                                 session: Any) -> None:
    """With some names unknown: the same value (and the operand that settled it), or
    unknown with the same facts that matter in the same order, or both fail, as
    engine/partial.py says."""
    checked, settled = [], 0
    for text, values, unknown in _partial_cases():
        compiled, _ = compile_expression(text, location=Location("test"),
                                         facts=_DECLARED, params={})
        if compiled is None:
            continue
        want = _partially(text, values, unknown)
        if want["t"] != "unknown" and set(unknown) & set(compiled.reads):
            settled += 1  # known although it reads an unknown name
        checked.append((text, expression_json(text), tagged(values), unknown, want))
    assert {want["t"] for *_, want in checked} >= {"unknown", "bool", "int", "error"}
    assert settled > 100
    assert sum("settled_by" in want for *_, want in checked) > 50
    page = session(pages["retrain-or-tune"]).page
    got = page.evaluate("(text) => JSON.parse(text).map(([e, v, u]) => "
                        "window.gatetreeEvaluate(e, v, u))",
                        json.dumps([[tree, values, unknown]
                                    for _, tree, values, unknown, _ in checked]))
    for (text, _, values, unknown, want), result in zip(checked, got, strict=True):
        if want["t"] == "error":
            result = {"t": result["t"]}
        assert result == want, f"{text} with {values}, {unknown} unknown"


# --- hostile text ------------------------------------------------------------------------
def test_hostile_labels_show_literally_and_run_nothing(pages: dict[str, Path],
                                                       session: Any) -> None:
    made = session(pages["hostile-labels"])
    page = made.page
    raw = pages["hostile-labels"].read_text(encoding="utf-8")
    assert raw.count("<script") == 5  # the page's own: plan, meta, svg, engine, ui
    assert page.locator("#gt-question-title").text_content() == \
        "<script>window.__pwned='gate'</script>"
    assert page.title() == "<script>window.__pwned = 'title'</script> Tree \" --> " \
                           "</script> ✓ — guide"
    assert page.locator("#gt-description").text_content() == \
        "<img src=x onerror=\"window.__pwned='description'\"> ünïcødé — 東京 🚀"
    page.locator(".gt-cites summary").click()
    assert page.locator(".gt-cites q").all_text_contents() == [
        "<iframe src=\"javascript:window.__pwned='cite'\"></iframe>"]
    label = page.locator(".gt-choice").first
    assert label.text_content() == "<b onmouseover=\"window.__pwned='label'\">YES</b>"
    label.hover()
    label.click()
    page.get_by_label("</script><svg onload", exact=False).fill("5")
    page.get_by_role("button", name="Next").click()
    page.wait_for_selector("#gt-outcome:not([hidden])")
    assert page.locator("#gt-outcome-title").text_content() == \
        "<script>window.__pwned='outcome'</script> Done"
    assert page.locator("#gt-actions li").all_text_contents() == [
        "<img src=x onerror=\"window.__pwned='action'\"> act 3"]
    assert page.locator("#gt-outcome li").first.text_content() == \
        "<style>body{display:none}</style>"
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img, iframe, b, style:not(head style), a[href^='javascript']"
                        ).count() == 0
    assert page.locator("#gt-diagram svg script, #gt-diagram svg foreignObject").count() == 0
    assert page.locator("#gt-outcome a").count() == 0  # the javascript: reference is text


# --- the acceptance walk -----------------------------------------------------------------
def _walk_running_example(page: Any) -> list[list[str]]:
    """Type the running example's numbers and click its answers; the actions seen after
    each step."""
    def measure(values: dict[str, str]) -> None:
        for label, value in values.items():
            field = page.get_by_label(label, exact=False)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        page.get_by_role("button", name="Work it out").click()

    def title() -> str:
        return str(page.locator("#gt-question-title").text_content())

    seen = []

    def actions() -> None:
        seen.append(page.locator("#gt-actions li").all_text_contents())

    assert title() == "Gate 0: Do you have quality metrics?"
    measure({"labeled examples with ground truth": "500",
             "consistent scoring method": "true", "baseline reading": "true"})
    assert title() == "Gate 0: Is the feature underperforming its baseline?"
    measure({"score on your eval set at baseline": "91", "current score on the same": "74"})
    assert title() == "Gate 1: Is the degradation gradual or a sudden drop?"
    page.get_by_role("button", name="Gradual").click()
    assert title() == "Gate 2: Is the right context getting to the model?"
    actions()
    measure({"manually-crafted perfect context": "79"})
    actions()
    assert title().startswith("Gate 3")
    measure({"explicit few-shot examples": "83"})
    actions()
    assert title().startswith("Gate 4")
    page.get_by_role("button", name="data drift (new-inputs)").click()
    page.wait_for_selector("#gt-outcome:not([hidden])")
    actions()
    return seen


def test_acceptance_walk_offline_to_fine_tune(tmp_path: Path, session: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune", "-o", "g.html"])
    assert (result.exit_code, result.output) == (0, "g.html\n")
    page_file = tmp_path / "g.html"
    assert page_file.stat().st_size < 500_000
    made = session(page_file)
    page = made.page
    seen = _walk_running_example(page)
    retrieval = "Fix the retrieval pipeline for what it explains, then continue with an " \
                "adjusted baseline."
    prompt = "Fix what prompts can (restructure the prompt, add few-shot examples, clarify " \
             "the system message), then continue investigating the remaining gap."
    assert seen == [[], [retrieval], [retrieval, prompt], [retrieval, prompt]]
    assert page.locator("#gt-outcome-title").text_content() == "Fine-tune"
    # the derived answer shows its values and the threshold that decided it
    steps = page.locator("#gt-steps").text_content() or ""
    assert "has_quality_metrics = yes, from eval_set_size >= min_eval_examples" in steps
    assert "eval_set_size = 500, min_eval_examples = 20" in steps
    assert "context_fixes = partly" in steps
    # export: the facts file `decide --facts` accepts reaches the same outcome
    yaml_text = page.locator("#gt-export-yaml").text_content() or ""
    (tmp_path / "facts.yaml").write_text(yaml_text, encoding="utf-8")
    facts, _ = read_facts(tmp_path / "facts.yaml")
    assert load_tree("retrain-or-tune").decide(facts).outcome.id == "fine-tune"  # type: ignore[union-attr]
    assert json.loads(page.locator("#gt-export-json").text_content() or "") == facts
    assert page.locator("#gt-export-command").text_content() == \
        "gatetree decide retrain-or-tune --facts facts.yaml"
    # the link reproduces the walk
    again = session(page_file, fragment="#" + page.url.split("#", 1)[1]).page
    assert again.locator("#gt-outcome-title").text_content() == "Fine-tune"
    # a visited node in the diagram goes back to its question; Back undoes one answer
    again.locator("#gt-diagram g.node.gt-visited[data-id='gate-3']").click()
    assert again.locator("#gt-question-title").text_content() == \
        "Gate 3: Is this prompt-fixable?"
    node = again.locator("#gt-diagram g.node.gt-visited[data-id='gate-2']")
    assert node.get_attribute("aria-label") == \
        "Go back to: Gate 2: Is the right context getting to the model?"
    node.focus()  # a visited node is a button for the keyboard too
    again.keyboard.press("Enter")
    assert again.locator("#gt-question-title").text_content() == \
        "Gate 2: Is the right context getting to the model?"
    again.get_by_role("button", name="Back", exact=True).click()
    assert again.locator("#gt-question-title").text_content() == \
        "Gate 1: Is the degradation gradual or a sudden drop?"
    assert again.evaluate("document.activeElement.id") == "gt-question-title"
    again.get_by_role("button", name="Gradual").focus()  # the keyboard alone answers
    again.keyboard.press("Enter")
    assert again.locator("#gt-question-title").text_content() == \
        "Gate 2: Is the right context getting to the model?"
    again.wait_for_function(  # announced to screen readers
        "() => document.getElementById('gt-live').textContent.includes("
        "'Gate 1: Is the degradation gradual or a sudden drop? → Gradual decline. "
        "Question: Gate 2: Is the right context getting to the model?')")
    # a param re-decides, and joins the link
    again.locator("#gt-params-panel summary").click()
    again.get_by_label("full_recovery_share", exact=False).fill("0.2")
    again.get_by_label("full_recovery_share", exact=False).press("Enter")
    again.get_by_label("full_recovery_share", exact=False).blur()
    measure = again.get_by_label("manually-crafted perfect context", exact=False)
    measure.fill("79")
    again.get_by_role("button", name="Work it out").click()
    assert again.locator("#gt-outcome-title").text_content() == "Fix the retrieval pipeline"
    assert "full_recovery_share" in again.url
    assert again.locator("#gt-export-command").text_content() == \
        "gatetree decide retrain-or-tune --facts facts.yaml --param full_recovery_share=0.2"
    again.get_by_role("button", name="Restart", exact=True).click()
    assert again.locator("#gt-steps li").count() == 0
    assert again.locator("#gt-question-title").text_content() == \
        "Gate 0: Do you have quality metrics?"


def test_screenshot_at_360px(tmp_path: Path, pages: dict[str, Path], session: Any) -> None:
    """The running example's final state at 360 px: the outcome card visible, the path
    highlighted on the diagram, no element wider than the page."""
    made = session(pages["retrain-or-tune"], width=360)
    page = made.page
    _walk_running_example(page)
    page.locator("#gt-outcome").scroll_into_view_if_needed()
    shot = tmp_path / "guide-360.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    box = page.locator("#gt-outcome").bounding_box()
    assert box is not None and box["width"] <= 360 and box["height"] > 100
    assert page.locator("#gt-outcome").is_visible()
    path = load_tree("retrain-or-tune").decide(
        read_facts(Path(load_tree("retrain-or-tune").spec.path).parent / "examples" /
                   "retrain-or-tune" / "running-example.yaml")[0]).path
    highlighted = page.eval_on_selector_all("#gt-diagram g.node.gt-path",
                                            "gs => gs.map(g => g.dataset.id)")
    assert sorted(highlighted) == sorted(path)
    taken = page.eval_on_selector_all("#gt-diagram g.edge.gt-taken",
                                      "gs => gs.map(g => g.dataset.id)")
    assert len(taken) == len(path) - 1
    overflowing = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const inDiagram = (e) => e.closest('#gt-diagram') !== null;
        return [...document.querySelectorAll('body *')]
          .filter((e) => !inDiagram(e) && e.getClientRects().length)
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .map((e) => e.tagName + '#' + e.id + '.' + e.className);
    }""")
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_docs_guides_link_back_to_their_markdown(tmp_path: Path, session: Any) -> None:
    result = CliRunner().invoke(main, ["docs", str(tmp_path), "tune-or-rebuild"])
    assert result.exit_code == 0, result.output
    page = session(tmp_path / "tune-or-rebuild.html").page
    link = page.get_by_role("link", name="Read the tree as a document")
    assert link.get_attribute("href") == "tune-or-rebuild.md"
    assert (tmp_path / link.get_attribute("href")).is_file()  # type: ignore[operator]


SMOKE = [*TREES, *(str(p) for p in sorted((Path(__file__).parent / "fixtures" / "valid")
                                          .glob("*.yaml"))),
         str(Path(__file__).parent / "fixtures" / "calls" / "valid.yaml")]


def test_every_tree_walks_to_an_outcome_by_its_first_answers(tmp_path: Path,
                                                             session: Any) -> None:
    """Each built-in and valid fixture tree, walked by its first button or by typing 1 into
    every field until an outcome (or the tree's own refusal) shows, without a page error."""
    page = None
    for index, tree in enumerate(SMOKE):
        target = tmp_path / f"{index}.html"
        result = CliRunner().invoke(main, ["guide", tree, "-o", str(target)])
        assert result.exit_code == 0, result.output
        if page is None:
            page = session(target).page
        else:  # one page session for all: a fresh context costs more than the walk
            page.goto(target.as_uri())
            page.wait_for_selector("html[data-ready]")
        for _ in range(60):
            if page.locator("#gt-outcome:not([hidden]), #gt-problem:not([hidden])").count():
                break
            if page.locator(".gt-choice").count():
                page.locator(".gt-choice").first.click()
                continue
            form = page.locator(".gt-form").first
            for select in form.locator("select").all():
                select.select_option(index=1)
            for field in form.locator("input").all():
                field.fill("1")
            form.locator("button[type=submit]").click()
        ended = page.locator("#gt-outcome:not([hidden]), #gt-problem:not([hidden])")
        assert ended.count() == 1, tree


def test_guide_params_start_the_page(tmp_path: Path, session: Any) -> None:
    target = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["guide", "retrain-or-tune", "-o", str(target),
                                       "--param", "min_eval_examples=600",
                                       "--param", "few_shot_examples=2 or 3"])
    assert result.exit_code == 0, result.output
    page = session(target).page
    assert "evaluation set of 600+ labeled examples" in (
        page.locator("#gt-question .gt-help").first.text_content() or "")
    assert page.locator("#gt-param-min_eval_examples").input_value() == "600"
    assert page.locator("#gt-export-command").text_content() == (
        "gatetree decide retrain-or-tune --facts facts.yaml --param min_eval_examples=600 "
        "--param 'few_shot_examples=2 or 3'")
    page.get_by_label("labeled examples with ground truth", exact=False).fill("500")
    page.get_by_label("consistent scoring method", exact=False).select_option("true")
    page.get_by_label("baseline reading", exact=False).select_option("true")
    page.get_by_role("button", name="Work it out").click()
    assert page.locator("#gt-outcome-title").text_content() == "Build evals first"
