"""The `gatetree` command: list, show, validate, decide, run, test (and render, docs, schema).

Exit codes: 0 decided / valid / passed, 1 invalid tree, facts or failed cases,
2 usage (unknown tree, bad option), 3 incomplete (facts missing).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __name__ as _package
from ._resources import data_dir
from .cli_help import CommandGroup
from .cli_schema import schema
from .completion import example_names, fact_assignments, tree_references
from .decision import Decision
from .errors import (
    Diagnostic,
    DiagnosticsError,
    GatetreeError,
    InputError,
    TreeError,
    UnknownName,
)
from .excerpt import show_all
from .files import read_stream
from .inputs import (
    check_facts,
    check_params,
    parse_assignment,
    read_facts,
    split_assignment,
    text_to_value,
    value_problem,
)
from .loader import load_tree
from .model import Call, Checklist, Fact, Scalar
from .registry import builtin_trees, example_path, examples_of
from .terminal import escape_c1, for_terminal
from .trace import read_trace
from .tree import DecisionTree

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
OUTPUT_FORMATS = ("text", "json", "markdown")

F = TypeVar("F", bound=Callable[..., Any])


def _fail(exc: GatetreeError) -> NoReturn:
    if isinstance(exc, DiagnosticsError):
        _echo_diagnostics(exc.diagnostics)
    else:
        click.echo(for_terminal(f"gatetree: error: {exc}"), err=True)
    sys.exit(EXIT_USAGE if isinstance(exc, UnknownName) else EXIT_INVALID)


def _echo_diagnostics(diagnostics: Iterable[Diagnostic], *, indent: str = "") -> None:
    """Each diagnostic on its line, then its source line and a caret, like a compiler."""
    for line in show_all(diagnostics):
        click.echo(for_terminal(f"{indent}{line}"), err=True)


def _guarded(command: F) -> F:
    """Library errors become located messages and exit codes, never tracebacks."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GatetreeError as exc:
            _fail(exc)

    wrapper.__name__ = command.__name__
    wrapper.__doc__ = command.__doc__
    return wrapper  # type: ignore[return-value]


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gatetree", prog_name="gatetree")
def main() -> None:
    """Declarative decision trees: validate them, decide from facts, explain and draw."""


main.add_command(schema)


@main.command("list")
@_guarded
def list_trees() -> None:
    """List the built-in trees."""
    trees = builtin_trees()
    width = max((len(t.id) for t in trees), default=0)
    for tree in trees:
        click.echo(for_terminal(f"{tree.id:<{width}}  {tree.version:<8}  {tree.title}"))


@main.command()
@click.argument("tree", shell_complete=tree_references)
@_guarded
def show(tree: str) -> None:
    """Show a tree's facts, params and nodes. TREE is a built-in id, id@version or a path."""
    loaded = load_tree(tree)
    click.echo(for_terminal("\n".join(_show_lines(loaded))))


def _show_lines(tree: DecisionTree) -> Iterator[str]:
    spec = tree.spec
    yield f"{spec.title} ({spec.id} {spec.version})"
    if spec.description:
        yield from _indent(spec.description.strip(), "  ")
    yield ""
    yield "Facts:"
    for fact in spec.facts.values():
        derive = f"  [derived: {fact.derive}]" if fact.derive else ""
        yield f"  {fact.name} ({_type_text(fact)}){derive}"
        yield f"      {fact.question}"
    if spec.params:
        yield ""
        yield "Params (override with --param NAME=VALUE):"
        for param in spec.params.values():
            yield f"  {param.name} = {json.dumps(param.default)} ({param.type})"
            yield from _indent(param.help.strip(), "      ")
    examples = examples_of(spec.id)
    if examples:
        yield ""
        yield f"Examples (use with --example NAME): {', '.join(examples)}"
    yield ""
    yield f"Nodes (start: {spec.start}):"
    for node in spec.nodes.values():
        if node.kind == "outcome":
            yield f"  {node.id}  [outcome] {node.title}"
            continue
        called = f" -> tree {node.tree}" if isinstance(node, Call) else ""
        yield f"  {node.id}  [{node.kind}] {node.title}{called}"
        if isinstance(node, Checklist):
            for group in node.groups:
                items = [i.fact for i in node.items if i.group == group.name]
                yield f"      {group.name}: {', '.join(items)}"
            yield f"      unanswered items: {node.unanswered}"
        for branch in node.exits:
            how = (f"when {_answer(branch.value)}" if branch.kind == "when"
                   else f"if {branch.condition}" if branch.kind == "if" else "otherwise")
            label = f"  ({branch.label})" if branch.label else ""
            yield f"      {how} -> {branch.next}{label}"


def _answer(value: Scalar | None) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _indent(text: str, prefix: str) -> Iterator[str]:
    for line in text.splitlines():
        yield f"{prefix}{line}".rstrip()


def _type_text(fact: Fact) -> str:
    if fact.type == "enum":
        return " | ".join(fact.values)
    return fact.type + (f", {fact.unit}" if fact.unit else "")


@main.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=tree_references)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_guarded
def validate(paths: Sequence[str], strict: bool) -> None:
    """Check trees, cases files and example facts files; print every problem as file:line:col.

    Each PATH is a tree file, a built-in tree id, a cases file (gatetree-cases: 1: its tree
    loads, the outcomes, nodes and facts it expects exist there, its facts fit) or a folder.
    In a folder, every *.yaml and *.yml file is checked, recursively: trees (gatetree: 1),
    cases files, and example facts files laid out like the built-in ones
    (examples/TREE-ID/NAME.yaml beside TREE-ID.yaml, checked against that tree); any
    other YAML file is skipped with a note.
    """
    from .validate import check_reference

    failed = False
    for reference in paths:
        for checked in check_reference(reference):
            _echo_diagnostics(checked.problems)
            if checked.skipped:
                click.echo(for_terminal(f"{checked.path}: skipped ({checked.skipped})"))
                continue
            bad = bool(checked.errors) or (strict and bool(checked.problems))
            failed = failed or bad
            if not bad:
                warnings = len(checked.problems)  # no errors: these are all warnings
                notes = [checked.what] if checked.what else []
                if warnings:
                    notes.append(f"{warnings} warning{'s' * (warnings != 1)}")
                click.echo(for_terminal(f"{checked.path}: ok"
                                        + (f" ({', '.join(notes)})" if notes else "")))
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _facts_options(command: F) -> F:
    options = [
        click.option("--facts", "facts_file", type=click.Path(dir_okay=False, allow_dash=True),
                     help="Facts file, YAML or JSON: a mapping of fact: value; - reads stdin."),
        click.option("--example", "example", metavar="NAME", shell_complete=example_names,
                     help="Use a facts file shipped with a built-in tree (see `gatetree show`)."),
        click.option("--set", "assignments", multiple=True, metavar="FACT=VALUE",
                     callback=_assignment_form, shell_complete=fact_assignments,
                     help="Give a fact (repeatable); wins over --facts."),
        click.option("--param", "param_assignments", multiple=True, metavar="NAME=VALUE",
                     callback=_assignment_form,
                     help="Override a param's default (repeatable)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _assignment_form(ctx: click.Context, param: click.Parameter,
                     texts: tuple[str, ...]) -> tuple[str, ...]:
    """An option value without `NAME=` is a usage error; its name and value are checked later."""
    for text in texts:
        if split_assignment(text) is None:
            raise click.BadParameter(f"expected {param.metavar}, got {text!r}", ctx, param)
    return texts


def _gather(tree: DecisionTree, facts_file: str | None, example: str | None,
            assignments: Sequence[str], param_assignments: Sequence[str],
            ) -> tuple[dict[str, Scalar], dict[str, Scalar]]:
    """Facts and params from every source, with all problems reported together."""
    spec = tree.spec
    if example:
        if facts_file:
            raise click.UsageError("give --facts or --example, not both")
        facts_file = str(example_path(tree.id, example))
    facts: dict[str, Scalar] = {}
    params: dict[str, Scalar] = {}
    problems: list[Diagnostic] = []
    if facts_file:
        try:
            if facts_file == "-":
                with click.open_file("-", "rb") as stdin:
                    raw, document = read_facts("<stdin>", content=_stdin_bytes(stdin))
            else:
                raw, document = read_facts(facts_file)
            facts.update(check_facts(spec, raw, origin=document))
        except InputError as exc:
            problems.extend(exc.diagnostics)
    for option, texts, target, declared, check in (
        ("--set", assignments, facts, spec.facts, check_facts),
        ("--param", param_assignments, params, spec.params, check_params),
    ):
        for text in texts:
            try:
                name, value = parse_assignment(text, declared, option=option)
                target.update(check(spec, {name: value}, origin=f"{option} {text}"))
            except InputError as exc:
                problems.extend(exc.diagnostics)
    if problems:
        raise InputError(problems)
    return facts, params


def _stdin_bytes(stream: Any) -> bytes:
    """Standard input up to the file size limit; too much is an input error."""
    try:
        return read_stream(stream)
    except TreeError as exc:
        raise InputError(exc.diagnostics) from None


@main.command()
@click.argument("tree", shell_complete=tree_references)
@_facts_options
@click.option("--format", "output", type=click.Choice(OUTPUT_FORMATS), default="text",
              show_default=True, help="Report for people (text, markdown) or programs (json).")
@click.option("--diagram", type=click.Path(dir_okay=False),
              help="Also draw the tree with the path taken (.svg, .png, .pdf, .dot, .mmd).")
@click.option("--what-if/--no-what-if", default=True, show_default=True,
              help="Show which other answers would have changed the outcome.")
@_guarded
def decide(tree: str, facts_file: str | None, example: str | None, assignments: Sequence[str],
           param_assignments: Sequence[str], output: str, diagram: str | None,
           what_if: bool) -> None:
    """Decide from facts. Exit 0 when decided, 3 when facts are missing."""
    if diagram:
        from gatetree.render import format_for_path

        format_for_path(diagram)  # an unknown suffix is a usage error before any output
    loaded = load_tree(tree)
    facts, params = _gather(loaded, facts_file, example, assignments, param_assignments)
    decision = loaded.decide(facts, params=params)
    click.echo(_report(loaded, decision, output, what_if=what_if), nl=False)
    if diagram:
        _draw(loaded, decision, Path(diagram))
    sys.exit(EXIT_OK if decision.decided else EXIT_INCOMPLETE)


def _report(tree: DecisionTree, decision: Decision, output: str, *, what_if: bool = True) -> str:
    """The decision for people or programs, with what would have changed its outcome."""
    from .counterfactual import counterfactuals

    alternatives = counterfactuals(tree, decision) if what_if and decision.decided else None
    if output == "json":
        data = decision.to_dict()
        if alternatives is not None:
            data["counterfactuals"] = alternatives.to_dict()
        return escape_c1(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
    from gatetree.render.trace_view import trace_markdown, trace_text
    from gatetree.render.whatif_view import whatif_markdown, whatif_text

    if output == "markdown":
        extra = whatif_markdown(alternatives) if alternatives else ""
        return for_terminal(trace_markdown(decision) + extra)
    extra = whatif_text(alternatives) if alternatives else ""
    return for_terminal(trace_text(decision) + extra)


def _draw(tree: DecisionTree, decision: Decision | None, path: Path, *,
          fmt: str | None = None, expand: bool = False) -> None:
    """Write a diagram (format from `fmt`, else the file's suffix) and say where."""
    from gatetree.render.cli_support import write_diagram

    write_diagram(tree, decision, path, fmt=fmt, expand=expand)
    click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("tree")
@_facts_options
@click.option("--format", "output", type=click.Choice(OUTPUT_FORMATS), default="text",
              show_default=True, help="Format of the final report.")
@_guarded
def run(tree: str, facts_file: str | None, example: str | None, assignments: Sequence[str],
        param_assignments: Sequence[str], output: str) -> None:
    """Decide interactively: ask only the questions on the path. Type ? for help."""
    loaded = load_tree(tree)
    facts, params = _gather(loaded, facts_file, example, assignments, param_assignments)
    click.echo(f"{loaded.spec.title} ({loaded.id} {loaded.version})")
    click.echo("Answer each question; '?' shows help, Ctrl-D stops.\n")
    shown: tuple[str, ...] = ()
    while True:
        decision = loaded.decide(facts, params=params)
        if decision.decided or decision.missing is None:
            break
        fact = loaded.texts(params=decision.params).facts[decision.missing.fact]
        shown, tag, more_help = _introduce(loaded, decision, shown)
        answer = _ask(fact, decision, tag=tag, more_help=more_help)
        if answer is None:
            click.echo("\nStopped before a decision.\n")
            break
        facts[fact.name] = answer
    click.echo("")
    click.echo(_report(loaded, decision, output), nl=False)
    sys.exit(EXIT_OK if decision.decided else EXIT_INCOMPLETE)


def _introduce(tree: DecisionTree, decision: Decision,
               shown: tuple[str, ...]) -> tuple[tuple[str, ...], str, str]:
    """Say once where the next question comes from: a called tree, a checklist, its group.

    Returns what is now introduced, the tag to ask under, and the help to give when the
    question has none (a checklist group's).
    """
    from .model import Checklist

    missing = decision.missing
    assert missing is not None
    asker, node = tree.asker(missing)
    node = asker.texts(params=decision.params).nodes[node.id]  # {param} texts filled
    here: tuple[str, ...] = tuple(f"call:{c}" for c in missing.via)
    if here and shown[:len(here)] != here:
        click.secho(f"== {asker.spec.title} ({asker.id} {asker.version})", bold=True)
        click.echo("")
    if not isinstance(node, Checklist):
        return here, missing.node, ""
    item = next(i for i in node.items if i.fact == missing.fact)
    group = node.group(item.group)
    assert group is not None
    members = [i.fact for i in node.items if i.group == group.name]
    if shown[:len(here) + 1] != (*here, f"checklist:{node.id}"):
        click.secho(f"[{node.id}] {node.title}", bold=True)
        for text in (node.question, node.help):
            if text:
                click.echo(text.strip())
        click.echo("")
    here = (*here, f"checklist:{node.id}", f"group:{group.name}")
    if shown != here:
        click.secho(f"{group.title}:", bold=True)
    tag = f"{node.id}: {group.name} {members.index(item.fact) + 1}/{len(members)}"
    return here, tag, group.help.strip()


def _ask(fact: Fact, decision: Decision, *, tag: str = "",
         more_help: str = "") -> Scalar | None:
    """One question, re-asked until the answer fits the fact's type; None on end of input.

    `more_help` is shown on '?' when the fact itself has no help (a checklist group's).
    """
    assert decision.missing is not None
    choices = _choices(fact)
    click.secho(f"[{tag or decision.missing.node}] {decision.missing.question}", bold=True)
    if choices:
        click.echo("  " + "  ".join(f"{i}) {label}" for i, (label, _) in enumerate(choices, 1)))
    while True:
        try:
            raw = click.prompt(f"  {fact.name}", prompt_suffix="> ", default="",
                               show_default=False)
        except (click.Abort, EOFError):
            return None
        raw = raw.strip()
        if raw in ("?", "help"):
            click.echo(fact.help.strip() or more_help or "No help for this question.")
            if decision.missing.derivable_from:
                click.echo(f"(It can also be derived from: "
                           f"{', '.join(decision.missing.derivable_from)}.)")
            continue
        value = _parse_answer(fact, raw, choices)
        if value is not None:
            click.echo("")
            return value
        expected = ", ".join(label for label, _ in choices) or f"a value of type {fact.type}"
        click.echo(f"  Please answer with {expected} (or ? for help).")


def _choices(fact: Fact) -> list[tuple[str, Scalar]]:
    if fact.type == "boolean":
        return [("yes", True), ("no", False)]
    if fact.type == "enum":
        return [(value, value) for value in fact.values]
    return []


def _parse_answer(fact: Fact, raw: str, choices: list[tuple[str, Scalar]]) -> Scalar | None:
    if not raw:
        return None
    if choices and raw.isdigit() and 1 <= int(raw) <= len(choices):
        return choices[int(raw) - 1][1]
    value = text_to_value(fact.type, raw)
    return value if value_problem(fact, value) is None else None


@main.command("render")
@click.argument("tree", shell_complete=tree_references)
@click.option("--format", "fmt", metavar="FORMAT",
              help="dot, svg, png, pdf, mermaid or markdown (default: from --output's suffix, "
                   "else dot).")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output.")
@click.option("--decision", "decision_file", type=click.Path(dir_okay=False),
              help="Draw the path of a decision saved with `decide --format json`.")
@_facts_options
@click.option("--expand", is_flag=True,
              help="Show more: facts read, conditions, checklist items, called trees inline.")
@_guarded
def render_tree(tree: str, fmt: str | None, output: str | None, decision_file: str | None,
                facts_file: str | None, example: str | None, assignments: Sequence[str],
                param_assignments: Sequence[str], expand: bool) -> None:
    """Draw a tree as a diagram or a Markdown flowchart doc, optionally with a decision."""
    from gatetree.render import check_format, format_for_path, render

    loaded = load_tree(tree)
    chosen = check_format(fmt) if fmt else format_for_path(output) if output else "dot"
    decision = None
    if decision_file:
        if facts_file or example or assignments or param_assignments:
            raise click.UsageError("give --decision, or facts and params, not both")
        decision = read_trace(decision_file)  # drawn from its steps, not walked again
    elif facts_file or example or assignments or param_assignments:
        facts, params = _gather(loaded, facts_file, example, assignments, param_assignments)
        decision = loaded.decide(facts, params=params)
    if output:
        _draw(loaded, decision, Path(output), fmt=chosen, expand=expand)
        return
    result = render(loaded, chosen, decision=decision, expand=expand)
    click.echo(result, nl=False)  # bytes go to the binary stream, text is encoded


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("trees", nargs=-1, shell_complete=tree_references)
@_guarded
def docs(directory: str, trees: Sequence[str]) -> None:
    """Write Markdown flowchart docs for trees (default: every built-in) with an index."""
    from gatetree.render import write_docs

    loaded = [load_tree(t) for t in trees] or [load_tree(t.path) for t in builtin_trees()]
    for path in write_docs(loaded, directory):
        click.echo(str(path))


@main.command("test")
@click.argument("paths", nargs=-1)
@click.option("--verbose", "-v", is_flag=True, help="List every case, not only failures.")
@_guarded
def test_cases(paths: Sequence[str], verbose: bool) -> None:
    """Run case files (default: the built-in trees' cases) and report outcome coverage."""
    from .cases import case_diagnostics, run_cases

    files = [Path(p) for p in paths] or _builtin_case_files()
    passed = failed = 0
    for path in files:
        report = run_cases(path)
        for result in report.results:
            if verbose or not result.passed:
                mark = "PASS" if result.passed else "FAIL"
                click.echo(for_terminal(f"{mark} {report.tree.id}: {result.name}"))
        _echo_diagnostics(case_diagnostics(report), indent="  ")
        passed += sum(r.passed for r in report.results)
        failed += sum(not r.passed for r in report.results)
        covered, total = len(report.covered_outcomes), len(report.tree.outcomes)
        missing = report.uncovered_outcomes
        click.echo(for_terminal(f"{report.path}: outcomes covered {covered}/{total}"
                                + (f" (not reached: {', '.join(missing)})" if missing else "")))
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _builtin_case_files() -> list[Path]:
    return sorted((data_dir("trees") / "cases").glob("*.yaml"))




if __name__ == "__main__":  # pragma: no cover
    main(prog_name=_package)
