"""Batch decisions: `decide_many` and `gatetree batch` give one row per record, in order,
bad records as error rows with decide's message, and every other record decided."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner

from gatetree import InputError, load_tree
from gatetree.batch import BatchRow, decide_many, worker_count
from gatetree.cli_entry import main

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"
SCHEMAS = ROOT / "schemas"
ROW_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((SCHEMAS / "batch-row.v1.schema.json").read_text()))
TRACE_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((SCHEMAS / "trace.v1.schema.json").read_text()))
ENUM_ERROR = ("fact 'decline' must be one of: sudden, gradual; got 'gradul' (did you mean "
              "'gradual'?)")
UNKNOWN_ERROR = "unknown fact 'colour' (known facts: count, decline)"
RECORDS: list[object] = [
    {"decline": "sudden", "count": 12},
    {"decline": "gradual"},
    {"decline": "gradul"},
    {},
    {"colour": "red"},
    ["not", "a", "mapping"],
    {"decline": "sudden", "count": 3},
]


def _batch(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *args], input=input, prog_name="gatetree")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def _timeless(stderr: str) -> str:
    """The summary without its timing, which differs from run to run."""
    return re.sub(r"in [0-9.]+ s, [0-9]+ rows/s", "in T s, R rows/s", stderr)


def test_decide_many_gives_a_row_per_record_with_decides_message() -> None:
    tree = load_tree(MINI)
    rows = list(tree.decide_many(RECORDS))
    assert [(r.line, r.status, r.outcome, r.error) for r in rows] == [
        (1, "decided", "many", None),
        (2, "decided", "done", None),
        (3, "error", None, ENUM_ERROR),
        (4, "incomplete", None, None),
        (5, "error", None, UNKNOWN_ERROR),
        (6, "error", None, "a record must be a mapping of fact: value, not list"),
        (7, "decided", "done", None),
    ]
    with pytest.raises(InputError) as raised:
        tree.decide({"decline": "gradul"})
    assert str(raised.value) == f"facts: error: {ENUM_ERROR}"  # the same words, placed
    assert rows[0].path == ("gate-a", "gate-b", "many")
    assert rows[3].missing is not None and rows[3].missing.fact == "decline"
    assert rows[0].trace is None


def test_numpy_scalars_and_nan_read_as_the_facts_they_hold() -> None:
    tree = load_tree(MINI)
    rows = list(tree.decide_many([{"decline": np.str_("sudden"), "count": np.int64(11)},
                                  {"decline": "sudden", "count": np.float64("nan")},
                                  {"decline": "sudden", "count": np.float64(10.0)}]))
    assert [(r.status, r.outcome) for r in rows] == [
        ("decided", "many"), ("incomplete", None), ("decided", "many")]
    assert rows[1].missing is not None and rows[1].missing.fact == "count"


def test_params_apply_to_every_record_and_bad_ones_raise_at_once() -> None:
    tree = load_tree(MINI)
    assert [r.outcome for r in decide_many(tree, RECORDS[:1], params={"threshold": 20})] == [
        "done"]
    with pytest.raises(InputError, match=r"^params: error: unknown param 'treshold'"):
        decide_many(tree, RECORDS, params={"treshold": 1})


def test_two_workers_give_the_rows_of_one_in_the_same_order() -> None:
    tree = load_tree(MINI)
    many = RECORDS * 300  # several chunks
    one = list(tree.decide_many(many, trace=True))
    two = list(tree.decide_many(many, workers=2, trace=True))
    assert two == one
    assert [r.line for r in two] == list(range(1, len(many) + 1))
    assert one[0].trace == tree.decide(RECORDS[0])  # type: ignore[arg-type]


def test_workers_zero_means_one_per_cpu_and_a_negative_count_is_refused() -> None:
    assert worker_count(0) >= 1
    assert worker_count(3) == 3
    with pytest.raises(ValueError, match="workers must be 0"):
        worker_count(-1)


JSONL = "\n".join([
    json.dumps({"decline": "sudden", "count": 12}),
    "{not json",
    json.dumps({"decline": "gradul"}),
    "",  # a blank line is no record
    json.dumps([1, 2]),
    json.dumps({"colour": "red"}),
    json.dumps({}),
]) + "\n"


def test_batch_writes_a_row_per_record_and_reports_bad_lines_with_their_numbers() -> None:
    code, out, err = _batch(str(MINI), "-", input=JSONL)
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        ROW_SCHEMA.validate(row)
    assert [(r["line"], r["status"], r["outcome"], r["error"]) for r in rows] == [
        (1, "decided", "many", None),
        (2, "error", None, "not JSON: Expecting property name enclosed in double quotes "
                           "(column 2)"),
        (3, "error", None, ENUM_ERROR),
        (5, "error", None, "a record must be a JSON object of fact: value, not an array"),
        (6, "error", None, UNKNOWN_ERROR),
        (7, "incomplete", None, None),
    ]
    assert rows[0] == {"line": 1, "status": "decided", "outcome": "many",
                       "path": ["gate-a", "gate-b", "many"], "actions": [], "missing": None,
                       "error": None}
    assert rows[-1]["missing"]["fact"] == "decline"
    assert _timeless(err) == (
        "<stdin>:2:1: error: not JSON: Expecting property name enclosed in double quotes "
        "(column 2)\n"
        f"<stdin>:3:1: error: {ENUM_ERROR}\n"
        "<stdin>:5:1: error: a record must be a JSON object of fact: value, not an array\n"
        f"<stdin>:6:1: error: {UNKNOWN_ERROR}\n"
        "gatetree batch: 6 rows (1 decided, 1 incomplete, 4 error); 6 written in T s, "
        "R rows/s; last line done: 7\n"
        "  many: 1\n")


def test_exit_codes_count_errors_and_with_the_flag_incomplete_rows() -> None:
    decided = json.dumps({"decline": "gradual"}) + "\n"
    incomplete = decided + "{}\n"
    assert _batch(str(MINI), "-", input=decided)[0] == 0
    assert _batch(str(MINI), "-", input=incomplete)[0] == 0
    assert _batch(str(MINI), "-", "--fail-on-incomplete", input=incomplete)[0] == 1
    assert _batch(str(MINI), "-", "--fail-on-incomplete", input=decided)[0] == 0


def test_csv_cells_are_read_by_type_and_an_empty_cell_is_unknown(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('decline,count\nsudden,12\ngradual,\nsudden,x\nsudden\n,3\n'
                      '"sud\nden",5\n', encoding="utf-8")
    code, out, _ = _batch(str(MINI), str(source), "--output-format", "csv")
    assert code == 1
    assert out == (
        "line,status,outcome,path,actions,missing,error\n"
        "2,decided,many,gate-a > gate-b > many,,,\n"
        "3,decided,done,gate-a > done,,,\n"
        "4,error,,,,,fact 'count' must be a whole number; got 'x'\n"
        "5,error,,,,,the row has 1 cell and the header 2\n"
        "6,incomplete,,gate-a,,decline,\n"
        "7,error,,,,,\"fact 'decline' must be one of: sudden, gradual; got 'sud\\nden' "
        "(did you mean 'sudden'?)\"\n")


def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("count,decline,count\n1,sudden,2\n", encoding="utf-8")
    code, out, err = _batch(str(MINI), str(source))
    assert (code, out) == (1, "")
    assert err == (f"{source}:1:15: error: column 'count' appears more than once in the "
                   "header [csv-header]\n"
                   "    1 | count,decline,count\n"
                   "      |               ^\n")


def test_trace_rows_hold_the_trace_decide_writes(tmp_path: Path) -> None:
    code, out, _ = _batch(str(MINI), "-", "--trace", "--param", "threshold=20",
                          input=JSONL)
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    tree = load_tree(MINI)
    expected = tree.decide({"decline": "sudden", "count": 12}, params={"threshold": 20})
    assert rows[0]["trace"] == expected.to_dict()
    assert rows[0]["outcome"] == "done"
    assert rows[1]["trace"] is None  # an error row
    for row in rows:
        ROW_SCHEMA.validate(row)
        if row["trace"] is not None:
            TRACE_SCHEMA.validate(row["trace"])


def test_a_bad_param_or_format_stops_before_any_row(tmp_path: Path) -> None:
    code, out, err = _batch(str(MINI), "-", "--param", "treshold=1", input=JSONL)
    assert (code, out) == (1, "")
    assert err == ("--param treshold=1: error: unknown param 'treshold' (did you mean "
                   "'threshold'?) [unknown-param]\n")
    source = tmp_path / "records.txt"
    source.write_text("{}\n", encoding="utf-8")
    code, out, err = _batch(str(MINI), str(source))
    assert (code, out) == (1, "")
    assert err == (f"{source}: error: cannot tell the format from the name's suffix "
                   "(.jsonl, .ndjson or .csv) (give --input-format jsonl or csv) [batch-format]\n")
    code, _, err = _batch(str(MINI), "-", "--resume", input=JSONL)
    assert code == 2
    assert "--resume needs -o OUTPUT" in err
    code, _, err = _batch(str(MINI), str(source), "-o", str(source), "--input-format", "jsonl")
    assert code == 2
    assert "Error: OUTPUT is INPUT: writing the rows would overwrite the records" in err
    assert source.read_text(encoding="utf-8") == "{}\n"


def test_resume_keeps_whole_rows_cuts_a_torn_one_and_decides_the_rest(tmp_path: Path) -> None:
    source, whole, part = tmp_path / "in.jsonl", tmp_path / "whole.jsonl", tmp_path / "p.jsonl"
    source.write_text(JSONL, encoding="utf-8")
    assert _batch(str(MINI), str(source), "-o", str(whole))[0] == 1
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    part.write_text("".join(lines[:3]) + lines[3][:10], encoding="utf-8")  # a torn 4th row
    code, out, err = _batch(str(MINI), str(source), "-o", str(part), "--resume")
    assert (code, out) == (1, "")
    assert part.read_bytes() == whole.read_bytes()
    assert ("gatetree batch: 6 rows (1 decided, 1 incomplete, 4 error), 3 of them kept from "
            "OUTPUT; 3 written in") in err
    assert f"{source}:2:1: error" not in err  # reported by the run that wrote it


def test_resume_refuses_a_file_that_is_not_batch_output(tmp_path: Path) -> None:
    source, other = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(JSONL, encoding="utf-8")
    other.write_text('{"line": 1, "status": "decided", "outcome": null}\n{"x": 1}\n',
                     encoding="utf-8")
    code, _, err = _batch(str(MINI), str(source), "-o", str(other), "--resume")
    assert code == 1
    assert err.startswith(f"{other}:2:1: error: cannot resume into this file: it is not a row "
                          "of `gatetree batch` (give another OUTPUT, or leave out --resume "
                          "to write it anew)")


def test_resume_of_csv_output_checks_the_header(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.csv"
    source.write_text(JSONL, encoding="utf-8")
    assert _batch(str(MINI), str(source), "-o", str(out))[0] == 1
    whole = out.read_bytes()
    out.write_bytes(whole[:whole.index(b"\n3,")])  # the header and two rows, cut mid-row 3
    assert _batch(str(MINI), str(source), "-o", str(out), "--resume")[0] == 1
    assert out.read_bytes() == whole
    code, _, err = _batch(str(MINI), str(source), "-o", str(out), "--resume", "--trace")
    assert code == 1
    assert "cannot resume into this file: its header is not line,status" in err


def test_a_row_is_a_batch_row_as_data() -> None:
    row = BatchRow(3, "error", error="boom")
    assert row.to_dict() == {"line": 3, "status": "error", "outcome": None, "path": [],
                             "actions": [], "missing": None, "error": "boom"}
    assert row.to_dict(trace=True)["trace"] is None


def test_a_byte_order_mark_before_a_record_is_no_part_of_it() -> None:
    code, out, _ = _batch(str(MINI), "-", input='\ufeff{"decline": "sudden", "count": 12}\n'
                                                '{"decline": "sudden", "count": 12}\n')
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["outcome"] for r in rows] == ["many", "many"]


def test_rows_that_reach_one_result_are_written_alike_but_for_their_line() -> None:
    code, out, _ = _batch(str(MINI), "-", input='{"decline": "sudden", "count": 12}\n' * 3)
    lines = out.splitlines()
    assert code == 0 and [json.loads(line)["line"] for line in lines] == [1, 2, 3]
    assert lines[2] == lines[0].replace('"line": 1,', '"line": 3,')
    assert json.loads(lines[2]) == {**json.loads(lines[0]), "line": 3}


ODD_LINES = (
    '{"decline": "sudden", "count": 12}\n'
    '\ufeff{"decline": "sudden", "count": 3}\n'
    '{"decline": "sudden", "count": 123456789012345678901234567890}\n'
    '{"decline": "sudden", "count": 18446744073709551615}\n'
    '{"decline": "sudden", "count": NaN}\n'
    '{"decline": "sudden", "count": 1e400}\n'
    '{"decline": "\\ud800"}\n'
    '{"decline": "sudden", "decline": "gradual"}\n'
    '{"decline": "sudden", "count": 12.0}\n'
    '[1, 2]\n'
    '{"decline": "sudden"} trailing\n'
    '{"count": -0}\n'
)


def test_orjson_and_the_standard_library_read_every_line_alike(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gatetree.batch_io as batch_io

    assert batch_io._fast_json is not None, "the test extra installs orjson"
    fast = _batch(str(MINI), "-", "--trace", input=ODD_LINES)
    monkeypatch.setattr(batch_io, "_fast_json", None)
    plain = _batch(str(MINI), "-", "--trace", input=ODD_LINES)
    assert fast[:2] == plain[:2]
    rows = [json.loads(line) for line in fast[1].splitlines()]
    assert [(r["status"], r["outcome"]) for r in rows] == [
        ("decided", "many"), ("decided", "done"), ("decided", "many"), ("decided", "many"),
        ("incomplete", None),  # NaN: unknown
        ("error", None), ("error", None), ("decided", "done"), ("decided", "many"),
        ("error", None), ("error", None), ("incomplete", None)]
    assert rows[2]["trace"]["facts"]["count"] == 123456789012345678901234567890  # not a float
