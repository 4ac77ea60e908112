"""`gatetree batch` at scale, run as users run it (a process of its own): 100,000 records
with bad lines give exactly 100,000 rows, alike with one worker or two; a run killed or
interrupted midway and resumed writes what an uninterrupted run writes; and memory stays
flat from 100,000 records to 1,000,000."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"
RECORDS = 100_000
KINDS = [{"decline": "sudden", "count": 12}, {"decline": "gradual"},
         {"decline": "sudden", "count": 3}, {}]
BAD = {  # line -> (the line, the error its row holds)
    17: ("not json", "not JSON: Expecting value (column 1)"),
    5_000: ("[1]", "a record must be a JSON object of fact: value, not an array"),
    33_333: ('{"decline": "gradul"}', "fact 'decline' must be one of: sudden, gradual; got "
                                      "'gradul' (did you mean 'gradual'?)"),
    77_777: ('{"colour": 1}', "unknown fact 'colour' (known facts: count, decline)"),
    99_999: ('{"decline": "sudden", "count": "x"}',
             "fact 'count' must be a whole number; got 'x'"),
}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gatetree.cli", "batch", str(MINI), *args]


def _batch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(*args), capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "records.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in range(1, RECORDS + 1):
            bad = BAD.get(line)
            out.write((bad[0] if bad else json.dumps(KINDS[line % 4])) + "\n")
    return path


@pytest.fixture(scope="module")
def uninterrupted(records: Path) -> Path:
    """The rows of a run with one worker, start to end."""
    path = records.with_name("one-worker.jsonl")
    run = _batch(str(records), "-o", str(path), "--workers", "1")
    assert run.returncode == 1, run.stderr  # there are error rows
    return path


def test_100000_records_with_bad_lines_give_100000_rows_with_one_worker_or_two(
        records: Path, uninterrupted: Path) -> None:
    rows = [json.loads(line) for line in uninterrupted.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == RECORDS
    assert [row["line"] for row in rows] == list(range(1, RECORDS + 1))
    errors = {row["line"]: row["error"] for row in rows if row["status"] == "error"}
    assert errors == {line: message for line, (_, message) in BAD.items()}
    assert rows[0]["status"] == "decided" and rows[0]["outcome"] == "done"  # gradual
    assert rows[2]["status"] == "incomplete"  # {}: line 3
    two = records.with_name("two-workers.jsonl")
    run = _batch(str(records), "-o", str(two), "--workers", "2")
    assert run.returncode == 1
    assert two.read_bytes() == uninterrupted.read_bytes()
    summary = [line for line in run.stderr.splitlines() if line.startswith("gatetree batch:")]
    assert summary[0].startswith("gatetree batch: 100000 rows (74996 decided, 24999 "
                                 "incomplete, 5 error); 100000 written in ")
    assert summary[0].endswith("; last line done: 100000")


def _stop_midway(records: Path, output: Path, sig: signal.Signals,
                 workers: str) -> tuple[int, str]:
    """Start a run, send `sig` to its process group once some rows are written, and give
    its exit code and standard error."""
    process = subprocess.Popen(_command(str(records), "-o", str(output), "--workers", workers),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while (not output.exists() or output.stat().st_size < 200_000) and \
            process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if process.poll() is not None:
        process.communicate()
        pytest.fail("the run ended before it could be stopped")
    os.killpg(process.pid, sig)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def test_a_run_killed_midway_and_resumed_writes_what_an_uninterrupted_run_does(
        records: Path, uninterrupted: Path, tmp_path: Path) -> None:
    output = tmp_path / "killed.jsonl"
    code, _ = _stop_midway(records, output, signal.SIGKILL, "2")
    assert code == -signal.SIGKILL
    assert 0 < output.stat().st_size < uninterrupted.stat().st_size
    run = _batch(str(records), "-o", str(output), "--resume", "--workers", "2")
    assert run.returncode == 1, run.stderr
    assert output.read_bytes() == uninterrupted.read_bytes()
    assert "gatetree batch: 100000 rows (74996 decided, 24999 incomplete, 5 error), " in \
        run.stderr


def test_ctrl_c_stops_cleanly_with_every_row_written_whole(
        records: Path, uninterrupted: Path, tmp_path: Path) -> None:
    output = tmp_path / "interrupted.jsonl"
    code, err = _stop_midway(records, output, signal.SIGINT, "1")
    assert code == 130, err
    text = output.read_text(encoding="utf-8")
    assert text.endswith("\n")
    last = json.loads(text.splitlines()[-1])["line"]
    assert err.splitlines()[-1] == (f"gatetree batch: stopped (interrupted) after line {last}; "
                                    "run again with --resume to continue")
    assert uninterrupted.read_text(encoding="utf-8").startswith(text)
    run = _batch(str(records), "-o", str(output), "--resume")
    assert run.returncode == 1
    assert output.read_bytes() == uninterrupted.read_bytes()


# A process deciding 1,000,000 records made as they are read (no file, no generator
# process), noting its peak memory once 100,000 were read and again at the end.
_MEMORY = """
import io, json, resource, sys
from gatetree.cli_entry import main

LINE, FIRST, TOTAL = b'{"decline": "gradual", "count": 4}\\n', 100_000, 1_000_000
peaks = {}

class Records(io.RawIOBase):
    made = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer) // len(LINE), TOTAL - self.made)
        data = LINE * count
        buffer[:len(data)] = data
        self.made += count
        if self.made >= FIRST and "first" not in peaks:
            peaks["first"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return len(data)

sys.stdin = io.TextIOWrapper(io.BufferedReader(Records()))
try:
    main(["batch", sys.argv[1], "-"], prog_name="gatetree")
except SystemExit:
    pass
peaks["last"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(peaks), file=sys.stderr)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB: Linux")
def test_memory_for_1000000_records_is_that_for_100000_within_a_few_mb() -> None:
    run = subprocess.run([sys.executable, "-c", _MEMORY, str(MINI)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    peaks = json.loads(run.stderr.splitlines()[-1])
    assert "gatetree batch: 1000000 rows (1000000 decided" in run.stderr
    assert peaks["last"] - peaks["first"] < 4 * 1024, peaks  # KiB
