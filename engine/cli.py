"""The `gatetree` command: list, show, validate, decide, run, test (and render, docs, schema).

Exit codes: 0 decided / valid / passed, 1 invalid tree, facts or failed cases,
2 usage (unknown tree, bad option), 3 incomplete (facts missing).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __name__ as _package
from .cli_entry import main
from .cli_errors import EXIT_INCOMPLETE, EXIT_INVALID, EXIT_OK, echo_diagnostics
from .cli_schema import schema
from .completion import example_names, fact_assignments, tree_references
from .decision import Decision
from .errors import Diagnostic, InputError, TreeError
from .files import read_stream
from .inputs import (
    check_facts,
    check_params,
    parse_assignment,
    read_facts,
    split_assignment,
    write_facts,
)
from .loader import load_tree
from .model import Scalar
from .registry import builtin_trees, example_path, examples_of, known_trees
from .render.formats import BINARY_FORMATS, FORMATS, SUFFIXES  # names only: no renderer
from .terminal import escape_c1, for_terminal
from .trace import read_trace
from .tree import DecisionTree
from .values import quote_value

__all__ = ["main"]

OUTPUT_FORMATS = ("text", "json", "markdown")

F = TypeVar("F", bound=Callable[..., Any])


def _assignment_form(ctx: click.Context, param: click.Parameter,
                     texts: tuple[str, ...]) -> tuple[str, ...]:
    """An option value without `NAME=` is a usage error; its name and value are checked later."""
    for text in texts:
        if split_assignment(text) is None:
            raise click.BadParameter(f"expected {param.metavar}, got {quote_value(text)}",
                                     ctx, param)
    return texts


def _param_option(command: F) -> F:
    """--param NAME=VALUE, for every command whose texts or decisions read params."""
    return click.option("--param", "param_assignments", multiple=True, metavar="NAME=VALUE",
                        callback=_assignment_form,
                        help="Override a param's default (repeatable).")(command)


main.add_command(schema)  # the group itself lives in cli_entry, which needs no engine


@main.command("list")
@click.option("--all", "all_versions", is_flag=True, help="Every version, not only the newest.")
def list_trees(all_versions: bool) -> None:
    """List the trees found by id, on the tree path and built in.

    The folders of the tree path (--trees, GATETREE_PATH) are searched first; a tree found
    there shows its file.
    """
    trees = known_trees(all_versions=all_versions)
    width = max((len(t.id) for t in trees), default=0)
    for tree in trees:
        where = "" if tree.builtin else f"  ({tree.path})"
        click.echo(for_terminal(f"{tree.id:<{width}}  {tree.version:<8}  {tree.title}{where}"))


@main.command()
@click.argument("tree", shell_complete=tree_references)
@_param_option
def show(tree: str, param_assignments: Sequence[str]) -> None:
    """Show a tree's facts, params and nodes. TREE is a built-in id, id@version or a path."""
    from gatetree.render._text import terminal_width
    from gatetree.render.tree_view import tree_text

    loaded = load_tree(tree)
    _, params = _gather(loaded, None, None, (), param_assignments)
    click.echo(for_terminal(tree_text(loaded, params=params, examples=examples_of(loaded.id),
                         width=terminal_width())), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=tree_references)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
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
            echo_diagnostics(checked.problems)
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
    click.get_current_context().exit(EXIT_INVALID if failed else EXIT_OK)


def _facts_options(command: F) -> F:
    options = [
        click.option("--facts", "facts_file", type=click.Path(dir_okay=False, allow_dash=True),
                     help="Facts file, YAML or JSON: a mapping of fact: value; - reads stdin."),
        click.option("--example", "example", metavar="NAME", shell_complete=example_names,
                     help="Use a facts file shipped with a built-in tree (see `gatetree show`)."),
        click.option("--set", "assignments", multiple=True, metavar="FACT=VALUE",
                     callback=_assignment_form, shell_complete=fact_assignments,
                     help="Give a fact (repeatable); wins over --facts."),
    ]
    command = _param_option(command)  # listed last, after the facts options
    for option in reversed(options):
        command = option(command)
    return command


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
    for kind, option, texts, target, declared, check in (
        ("fact", "--set", assignments, facts, spec.facts, check_facts),
        ("param", "--param", param_assignments, params, spec.params, check_params),
    ):
        for text in texts:
            try:
                name, value = parse_assignment(text, declared, kind=kind, option=option)
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
              help=f"Also draw the tree with the path taken ({', '.join(SUFFIXES)}).")
@click.option("--what-if/--no-what-if", default=True, show_default=True,
              help="Show which other answers would have changed the outcome.")
@click.option("--expect-version", metavar="VERSION",
              help="Refuse to decide with a tree of another version (exit 1, naming it).")
@click.option("--why-not", "why_not", metavar="OUTCOME",
              help="Also show the fewest changes to the facts that would reach OUTCOME.")
def decide(tree: str, facts_file: str | None, example: str | None, assignments: Sequence[str],
           param_assignments: Sequence[str], output: str, diagram: str | None,
           what_if: bool, expect_version: str | None, why_not: str | None) -> None:
    """Decide from facts. Exit 0 when decided, 3 when facts are missing."""
    if diagram:
        from gatetree.render.formats import format_for_path

        format_for_path(diagram)  # an unknown suffix is a usage error before any output
    loaded = load_tree(tree, expect_version=expect_version)
    facts, params = _gather(loaded, facts_file, example, assignments, param_assignments)
    decision = loaded.decide(facts, params=params)
    click.echo(_report(loaded, decision, output, what_if=what_if, why_not=why_not), nl=False)
    if diagram:
        _draw(loaded, decision, Path(diagram))
    click.get_current_context().exit(EXIT_OK if decision.decided else EXIT_INCOMPLETE)


def _report(tree: DecisionTree, decision: Decision, output: str, *, what_if: bool = True,
            why_not: str | None = None) -> str:
    """The decision for people or programs, with what would have changed its outcome."""
    from .cli_why_not import why_not_report
    from .counterfactual import counterfactuals

    alternatives = counterfactuals(tree, decision) if what_if and decision.decided else None
    why = why_not_report(tree, decision, why_not, output) if why_not else None
    if output == "json":
        data = decision.to_dict()
        if alternatives is not None:
            from gatetree.render.whatif_view import whatif_dict

            data["counterfactuals"] = whatif_dict(alternatives)
        if why is not None:
            data["why_not"] = why
        return escape_c1(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
    from gatetree.render._text import terminal_width
    from gatetree.render.trace_view import trace_markdown, trace_text
    from gatetree.render.whatif_view import whatif_markdown, whatif_text

    if output == "markdown":
        extra = whatif_markdown(alternatives) if alternatives else ""
        return for_terminal(trace_markdown(decision) + extra + (why or ""))
    width = terminal_width()
    extra = whatif_text(alternatives, width=width) if alternatives else ""
    return for_terminal(trace_text(decision, width=width) + extra + (why or ""))


def _draw(tree: DecisionTree, decision: Decision | None, path: Path, *,
          fmt: str | None = None, expand: bool = False) -> None:
    """Write a diagram (format from `fmt`, else the file's suffix) and say where."""
    from gatetree.render.formats import write_diagram

    write_diagram(tree, decision, path, fmt=fmt, expand=expand)
    click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("tree", shell_complete=tree_references)
@_facts_options
@click.option("--format", "output", type=click.Choice(OUTPUT_FORMATS), default="text",
              show_default=True, help="Format of the final report (on standard output).")
@click.option("--save", "save", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the facts known at the end (given and answered) as a facts "
                   "file for `decide --facts`: JSON if FILE ends .json, else YAML.")
def run(tree: str, facts_file: str | None, example: str | None, assignments: Sequence[str],
        param_assignments: Sequence[str], output: str, save: str | None) -> None:
    """Decide interactively: ask only the questions on the path. Type ? for help.

    Questions go to standard error and the report to standard output, so `--format json
    > out.json` keeps the JSON whole. A fact with a derivation can be answered, or derived:
    give the measurements it reads (a score, a count). `back` undoes an answer, `skip`
    passes where the tree can decide without it, NAME=VALUE gives any fact, and end of
    input stops with the incomplete result (exit 3).
    """
    from .interview import interview, terminal

    loaded = load_tree(tree)
    facts, params = _gather(loaded, facts_file, example, assignments, param_assignments)
    ended = interview(loaded, facts, params, terminal())
    click.echo(_report(loaded, ended.decision, output), nl=False)
    if save:
        write_facts(save, ended.facts, tree=loaded.spec)
        click.echo(f"wrote {save}", err=True)
    click.get_current_context().exit(EXIT_OK if ended.decision.decided else EXIT_INCOMPLETE)


@main.command("render")
@click.argument("tree", shell_complete=tree_references)
@click.option("--format", "fmt", metavar="FORMAT",
              help=f"{', '.join(FORMATS)} (default: from --output's suffix, else dot).")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output.")
@click.option("--decision", "decision_file", type=click.Path(dir_okay=False),
              help="Draw the path of a decision saved with `decide --format json`.")
@_facts_options
@click.option("--expand", is_flag=True,
              help="Show more: facts read, conditions, checklist items, called trees inline.")
def render_tree(tree: str, fmt: str | None, output: str | None, decision_file: str | None,
                facts_file: str | None, example: str | None, assignments: Sequence[str],
                param_assignments: Sequence[str], expand: bool) -> None:
    """Draw a tree as a diagram or a Markdown flowchart doc, optionally with a decision."""
    from gatetree.render.formats import (
        IMAGE_FORMATS,
        check_format,
        format_for_path,
        render_image,
        render_text,
    )

    loaded = load_tree(tree)
    chosen = check_format(fmt) if fmt else format_for_path(output) if output else "dot"
    if not output:
        _refuse_binary_to_terminal(chosen)
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
    render = render_image if chosen in IMAGE_FORMATS else render_text
    click.echo(render(loaded, chosen, decision=decision, expand=expand),
               nl=False)  # bytes go to the binary stream, text is encoded


def _refuse_binary_to_terminal(fmt: str) -> None:
    """PNG or PDF bytes on a terminal are noise that can upset it; a pipe or a file takes them."""
    if fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary and standard output is a terminal; write it "
                               f"to a file with -o FILE (e.g. -o tree.{fmt}), or pipe it")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("trees", nargs=-1, shell_complete=tree_references)
@click.option("--guides/--no-guides", default=True, show_default=True,
              help="Write each tree's interactive guide (TREE.html) beside its doc, linked "
                   "both ways (needs Graphviz's dot).")
def docs(directory: str, trees: Sequence[str], guides: bool) -> None:
    """Write Markdown flowchart docs for trees (default: every built-in) with an index."""
    from gatetree.render import write_docs

    loaded = [load_tree(t) for t in trees] or [load_tree(t.path) for t in builtin_trees()]
    for path in write_docs(loaded, directory, guides=guides):
        click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=_package)
