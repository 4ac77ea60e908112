"""gatetree: declarative, versioned decision trees that a program walks and explains.

Embed it::

    from gatetree import load_tree
    tree = load_tree("retrain-or-tune")
    decision = tree.decide({"eval_set_size": 500, ...})
    if decision.decided:
        print(decision.outcome.title)
    else:
        print("need:", decision.missing.question)

Load a tree with `load_tree` (a path, a built-in id or `id@version`; `cache=TreeCache()`
for apps that load on every request), `load_text` (YAML or JSON text) or `load_data` (a
dict); `check` lists a tree's problems. `read_trace` reads a saved trace back as the
Decision it records. Every type used in these signatures is exported here.
"""

# Lazy: `import gatetree` costs almost nothing, and `from gatetree import load_tree` imports
# only what loading needs; the command line's entry module and `--version` rely on it.
# Each public name is imported from its module on first access (PEP 562); type checkers
# read the imports below.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import BatchRow, RowStatus
    from .boundary import Boundary, BoundaryDirection
    from .cache import TreeCache
    from .counterfactual import (
        Alternative,
        AlternativeStatus,
        Change,
        ChangeKind,
        Counterfactuals,
        StepAlternatives,
        counterfactuals,
    )
    from .decision import (
        TRACE_FORMAT,
        ChecklistTrace,
        CollectedAction,
        Decision,
        DecisionStatus,
        Evidence,
        GroupScore,
        ItemAnswer,
        Missing,
        Step,
        TreeRef,
        ValueSource,
        Verdict,
    )
    from .errors import (
        DecisionMismatch,
        Diagnostic,
        DiagnosticsError,
        EvaluationError,
        GatetreeError,
        InputError,
        Location,
        Severity,
        TextSpan,
        TreeError,
        TreeNotFound,
        UnknownName,
        VersionMismatch,
    )
    from .expr import CompiledExpr, ExprType
    from .inputs import read_facts
    from .loader import TREE_FORMATS, check, load_data, load_text, load_tree
    from .model import (
        Branch,
        BranchKind,
        Call,
        Checklist,
        ChecklistGroup,
        ChecklistItem,
        Fact,
        FactType,
        Gate,
        Node,
        Outcome,
        Param,
        Reference,
        Scalar,
        TreeSpec,
        UnansweredPolicy,
    )
    from .registry import BuiltinTree, builtin_trees
    from .source import Document, Position
    from .trace import read_trace
    from .tree import DecisionTree
    from .whynot import FactChange, WhyNot, why_not

__all__ = [
    "TRACE_FORMAT",
    "TREE_FORMATS",
    "Alternative",
    "AlternativeStatus",
    "BatchRow",
    "Boundary",
    "BoundaryDirection",
    "Branch",
    "BranchKind",
    "BuiltinTree",
    "Call",
    "Change",
    "ChangeKind",
    "Checklist",
    "ChecklistGroup",
    "ChecklistItem",
    "ChecklistTrace",
    "CollectedAction",
    "CompiledExpr",
    "Counterfactuals",
    "Decision",
    "DecisionMismatch",
    "DecisionStatus",
    "DecisionTree",
    "Diagnostic",
    "DiagnosticsError",
    "Document",
    "EvaluationError",
    "Evidence",
    "ExprType",
    "Fact",
    "FactChange",
    "FactType",
    "Gate",
    "GatetreeError",
    "GroupScore",
    "InputError",
    "ItemAnswer",
    "Location",
    "Missing",
    "Node",
    "Outcome",
    "Param",
    "Position",
    "Reference",
    "RowStatus",
    "Scalar",
    "Severity",
    "Step",
    "StepAlternatives",
    "TextSpan",
    "TreeCache",
    "TreeError",
    "TreeNotFound",
    "TreeRef",
    "TreeSpec",
    "UnansweredPolicy",
    "UnknownName",
    "ValueSource",
    "Verdict",
    "VersionMismatch",
    "WhyNot",
    "builtin_trees",
    "check",
    "counterfactuals",
    "load_data",
    "load_text",
    "load_tree",
    "read_facts",
    "read_trace",
    "why_not",
]

_MODULES: dict[str, tuple[str, ...]] = {  # module -> the public names it defines
    "batch": ("BatchRow", "RowStatus"),
    "boundary": ("Boundary", "BoundaryDirection"),
    "cache": ("TreeCache",),
    "counterfactual": (
        "Alternative", "AlternativeStatus", "Change", "ChangeKind", "Counterfactuals",
        "StepAlternatives", "counterfactuals"),
    "decision": (
        "ChecklistTrace", "CollectedAction", "Decision", "DecisionStatus", "Evidence", "GroupScore",
        "ItemAnswer", "Missing", "Step", "TRACE_FORMAT", "TreeRef", "ValueSource",
        "Verdict"),
    "errors": (
        "DecisionMismatch", "Diagnostic", "DiagnosticsError", "EvaluationError", "GatetreeError",
        "InputError", "Location", "Severity", "TextSpan", "TreeError", "TreeNotFound",
        "UnknownName", "VersionMismatch"),
    "expr": ("CompiledExpr", "ExprType"),
    "inputs": ("read_facts",),
    "loader": ("TREE_FORMATS", "check", "load_data", "load_text", "load_tree"),
    "model": (
        "Branch", "BranchKind", "Call", "Checklist", "ChecklistGroup", "ChecklistItem", "Fact",
        "FactType", "Gate", "Node", "Outcome", "Param", "Reference", "Scalar", "TreeSpec",
        "UnansweredPolicy"),
    "registry": ("BuiltinTree", "builtin_trees"),
    "source": ("Document", "Position"),
    "trace": ("read_trace",),
    "tree": ("DecisionTree",),
    "whynot": ("FactChange", "WhyNot", "why_not"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
