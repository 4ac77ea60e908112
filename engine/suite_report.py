"""A test run for programs: the JSON `gatetree test --format json` writes, and JUnit XML
for CI systems (one testsuite per cases file, one testcase per case)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from .cases import CaseResult, CasesReport
from .suite import SuiteReport

__all__ = ["TEST_FORMAT", "case_failures", "junit_xml", "suite_dict"]

TEST_FORMAT = "gatetree-test/1"

# XML 1.0 has no way to write these characters, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def case_failures(result: CaseResult) -> list[str]:
    """What went wrong with a case, one line each: its problems (located), then each
    expectation it missed (`key: expected ..., got ...`)."""
    return [str(p) for p in result.problems] + list(result.failures)


def _case_dict(report: CasesReport, result: CaseResult) -> dict[str, Any]:
    return {"file": report.path, "line": result.location.line, "tree": report.tree.id,
            "name": result.name, "passed": result.passed,
            "failures": case_failures(result),
            "outcome": None if result.decision is None or result.decision.outcome is None
            else result.decision.outcome.id}


def suite_dict(suite: SuiteReport, *, min_coverage: float | None = None) -> dict[str, Any]:
    """The whole run as JSON-ready data."""
    return {
        "format": TEST_FORMAT,
        "passed": suite.passed,
        "failed": suite.failed,
        "min_coverage": min_coverage,
        "below_min_coverage": [] if min_coverage is None
        else [c.tree_id for c in suite.below(min_coverage)],
        "cases": [_case_dict(r, c) for r, c in suite.results],
        "trees": [c.to_dict() for c in suite.coverage],
    }


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def junit_xml(suite: SuiteReport) -> str:
    """JUnit XML, as Jenkins, GitLab and GitHub test reporters read it."""
    root = ET.Element("testsuites", name="gatetree", tests=str(suite.passed + suite.failed),
                      failures=str(suite.failed))
    for report in suite.reports:
        failed = sum(not r.passed for r in report.results)
        element = ET.SubElement(root, "testsuite", name=_xml_text(report.path),
                                tests=str(len(report.results)), failures=str(failed))
        for result in report.results:
            case = ET.SubElement(element, "testcase", name=_xml_text(result.name),
                                 classname=_xml_text(report.tree.id),
                                 file=_xml_text(report.path),
                                 line=str(result.location.line or 0))
            lines = case_failures(result)
            if lines:
                failure = ET.SubElement(case, "failure", message=_xml_text(lines[0]))
                failure.text = _xml_text(f"{result.location}\n" + "\n".join(lines))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
