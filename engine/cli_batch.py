"""`gatetree batch`: decide for every record of a JSON Lines or CSV stream, in order.

Rows are written a chunk at a time, each chunk as whole lines in one write, flushed, so a
run that stops (Ctrl-C, a worker killed, the machine) leaves only whole rows behind, and
`--resume` carries on after the last of them. The summary goes to standard error.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from .batch import chunks, worker_count
from .batch_io import (
    FORMATS,
    BatchJob,
    Block,
    Tally,
    csv_header,
    csv_items,
    csv_text,
    format_of,
    jsonl_items,
)
from .batch_pool import ordered_map
from .batch_resume import Done, scan_output
from .cli import _gather, _param_option
from .cli_entry import main
from .cli_errors import EXIT_INVALID, EXIT_OK
from .completion import tree_references
from .errors import (
    Diagnostic,
    InputError,
    Location,
)
from .loader import load_tree
from .terminal import for_terminal

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

__all__ = ["batch"]

EXIT_INTERRUPTED = 130
_ERRORS_SHOWN = 20


@main.command()
@click.argument("tree", shell_complete=tree_references)
@click.argument("input_path", metavar="INPUT",
                type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the rows to this file instead of standard output.")
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes deciding at once; 0: one per CPU.")
@click.option("--trace", is_flag=True,
              help="Add each decision's trace (as `decide --format json` writes it, "
                   "without the what-ifs) to its row.")
@_param_option
@click.option("--input-format", type=click.Choice(FORMATS),
              help="Format of INPUT (default: from its suffix; jsonl for -).")
@click.option("--output-format", type=click.Choice(FORMATS),
              help="Format of the rows (default: from OUTPUT's suffix, else jsonl).")
@click.option("--resume", is_flag=True,
              help="Continue a stopped run: keep the rows OUTPUT holds, decide the records "
                   "after them.")
@click.option("--fail-on-incomplete", is_flag=True,
              help="Exit 1 when a row is incomplete too, not only when one is an error.")
@click.pass_context
def batch(ctx: click.Context, tree: str, input_path: str, output: str | None, workers: int,
          trace: bool, param_assignments: Sequence[str], input_format: str | None,
          output_format: str | None, resume: bool, fail_on_incomplete: bool) -> None:
    """Decide for every record of a JSON Lines or CSV file, one row each, in input order.

    INPUT holds one facts object per line (JSON Lines), or a header of fact names and a
    row of cells per record (CSV; a cell is read by its fact's type, an empty one is
    unknown); - reads standard input. Each row says its input line, status (decided,
    incomplete or error), outcome, path, actions, missing fact and error. A bad record
    gives an error row and the run goes on. Exit 0 when no row is an error, 1 otherwise
    (--fail-on-incomplete: or incomplete), 130 when interrupted.
    """
    if resume and not output:
        raise click.UsageError("--resume needs -o OUTPUT: rows written to standard output "
                               "cannot be read back")
    if output and input_path != "-" and Path(output).resolve() == Path(input_path).resolve():
        raise click.UsageError("OUTPUT is INPUT: writing the rows would overwrite the records")
    try:
        code = _run(tree, input_path, output, worker_count(workers), trace, param_assignments,
                    input_format, output_format, resume, fail_on_incomplete)
    except KeyboardInterrupt:  # before the first row: nothing written, nothing to resume
        _stderr("gatetree batch: interrupted before any row was written")
        code = EXIT_INTERRUPTED
    ctx.exit(code)


def _run(reference: str, input_path: str, output: str | None, workers: int, trace: bool,
         param_assignments: Sequence[str], input_format: str | None,
         output_format: str | None, resume: bool, fail_on_incomplete: bool) -> int:
    tree = load_tree(reference)
    _, params = _gather(tree, None, None, (), param_assignments)  # as decide reads --param
    in_format = format_of(input_path, input_format, option="--input-format")
    out_format = format_of(output, output_format, option="--output-format")
    done = scan_output(Path(output), out_format, trace=trace) if resume and output else Done()
    name = "<stdin>" if input_path == "-" else input_path
    with ExitStack() as stack:
        source = _open_input(input_path, name, stack)
        header: tuple[str, ...] = ()
        items: Iterator[tuple[int, Any]]
        if in_format == "csv":
            text = csv_text(source)
            stack.callback(text.detach)  # the source is closed on its own, stdin never
            header, items = csv_items(text, name=name, after=done.last_line)
        else:
            items = jsonl_items(source, after=done.last_line)
        job = BatchJob(tree, in_format, out_format, trace, params, header)
        sink = _open_output(output, done, stack)
        if out_format == "csv" and done.size == 0:
            sink.write(csv_header(trace).encode())
        report = _Report(name, done, terminal=output is None and sys.stdout.isatty())
        bar = _bar(source, input_path, output, stack)
        stopped = _stream(ordered_map(job, chunks(items), workers=workers), sink, report,
                          bar, source)
    report.show(stopped, resumable=output is not None)
    if stopped:
        return EXIT_INTERRUPTED if stopped == "interrupted" else EXIT_INVALID
    bad = report.count("error") + (report.count("incomplete") if fail_on_incomplete else 0)
    return EXIT_INVALID if bad else EXIT_OK


def _open_input(path: str, name: str, stack: ExitStack) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return stack.enter_context(open(path, "rb"))  # the stack closes it
    except OSError as exc:
        raise InputError([Diagnostic(Location(name), "cannot read the input: "
                                     f"{exc.strerror or exc}", code="file-unreadable")]) from None


def _open_output(output: str | None, done: Done, stack: ExitStack) -> IO[bytes]:
    """Standard output, or the file: cut after the rows kept when resuming, else anew."""
    if output is None:
        return sys.stdout.buffer
    try:
        sink = stack.enter_context(open(output, "r+b" if done.size else "wb"))  # noqa: SIM115
        if done.size:
            sink.truncate(done.size)  # a torn last line goes: its record is decided again
            sink.seek(done.size)
        return sink
    except OSError as exc:
        raise InputError([Diagnostic(Location(output), "cannot write the output: "
                                     f"{exc.strerror or exc}", code="file-unwritable")]) from None


class _Report:
    """The run's counts as it goes, and the summary on standard error at the end."""

    def __init__(self, name: str, done: Done, *, terminal: bool) -> None:
        self.name, self.terminal = name, terminal
        self.kept, self.rows, self.last_line = done.rows, done.rows, done.last_line
        self.tally: Tally = Tally(done.tally)
        self.errors: list[tuple[int, str]] = []
        self.error_rows = 0
        self.started = time.perf_counter()

    def add(self, block: Block) -> None:
        self.rows += block.rows
        self.last_line = block.last_line or self.last_line
        self.tally.update(block.tally)
        self.errors.extend(block.errors[:_ERRORS_SHOWN - len(self.errors)])

    def count(self, status: str) -> int:
        return sum(n for (s, _), n in self.tally.items() if s == status)

    def progress(self) -> str:
        new = self.rows - self.kept
        return f"{new} rows, {new / max(time.perf_counter() - self.started, 1e-9):.0f}/s"

    def show(self, stopped: str | None, *, resumable: bool) -> None:
        echo = _stderr
        for line, message in self.errors:
            echo(str(Diagnostic(Location(self.name, line), message, code="batch-record")))
        errors = self.count("error")
        if errors > len(self.errors):
            echo(f"... and {errors - len(self.errors)} more error rows")
        took = time.perf_counter() - self.started
        new = self.rows - self.kept
        statuses = ", ".join(f"{self.count(s)} {s}" for s in ("decided", "incomplete", "error"))
        kept = f", {self.kept} of them kept from OUTPUT" if self.kept else ""
        echo(f"gatetree batch: {_rows(self.rows)} ({statuses}){kept}; {new} written in "
             f"{took:.1f} s, {new / max(took, 1e-9):.0f} rows/s; last line done: "
             f"{self.last_line or 'none'}")
        outcomes: Counter[str] = Counter()
        for (_, outcome), n in self.tally.items():
            if outcome is not None:
                outcomes[outcome] += n
        for outcome, n in sorted(outcomes.items(), key=lambda item: (-item[1], item[0])):
            echo(f"  {outcome}: {n}")
        if stopped:
            hint = ("; run again with --resume to continue" if resumable
                    else "; with -o OUTPUT a run can be resumed")
            echo(f"gatetree batch: stopped ({stopped}) after line {self.last_line or 'none'}"
                 f"{hint}")


def _stream(blocks: Iterator[Block], sink: IO[bytes], report: _Report,
            bar: ProgressBar[_Report] | None, source: IO[bytes]) -> str | None:
    """Write each block as it comes, whole, and flush; why it stopped early, if it did."""
    stopped = None
    try:
        for block in blocks:
            text = for_terminal(block.text) if report.terminal else block.text
            sink.write(text.encode("utf-8", "backslashreplace"))
            sink.flush()
            report.add(block)
            if bar is not None:
                bar.update(source.tell() - bar.pos, report)
    except KeyboardInterrupt:
        stopped = "interrupted"
    except BrokenProcessPool:
        stopped = "a worker process died"
    except BrokenPipeError:
        # The reader went away (`| head`): stop writing, and let nothing flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        stopped = "the output was closed"
    finally:
        close = getattr(blocks, "close", None)
        if close is not None:
            close()  # stops the pool, if there is one
    return stopped


def _bar(source: IO[bytes], input_path: str, output: str | None,
         stack: ExitStack) -> ProgressBar[_Report] | None:
    """A progress bar on standard error when both it and standard output are terminals,
    the rows go to a file and the input is one (its bytes read make the ETA); else None."""
    if not (output and input_path != "-" and sys.stdout.isatty() and sys.stderr.isatty()):
        return None
    bar: ProgressBar[_Report] = click.progressbar(
        length=max(1, os.fstat(source.fileno()).st_size), file=sys.stderr, label="deciding",
        item_show_func=lambda report: None if report is None else report.progress())
    return stack.enter_context(bar)


def _rows(count: int) -> str:
    return f"{count} row{'s' * (count != 1)}"


def _stderr(text: str) -> None:
    click.echo(for_terminal(text), err=True)
