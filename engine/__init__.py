"""gatetree: declarative, versioned decision trees that a program walks and explains.

Embed it::

    from engine import load_tree
    tree = load_tree("retrain-or-tune")
    decision = tree.decide({"eval_set_size": 500, ...})
    if decision.decided:
        print(decision.outcome.title)
    else:
        print("need:", decision.missing.question)
"""

from .counterfactual import Alternative, Counterfactuals, StepAlternatives, counterfactuals
from .decision import (
    ChecklistTrace,
    CollectedAction,
    Decision,
    Evidence,
    GroupScore,
    ItemAnswer,
    Missing,
    Step,
    TreeRef,
)
from .errors import (
    DecisionMismatch,
    Diagnostic,
    DiagnosticsError,
    EvaluationError,
    GatetreeError,
    InputError,
    Location,
    TreeError,
    TreeNotFound,
    UnknownName,
)
from .inputs import read_facts
from .loader import FORMATS, check_file, load_tree
from .model import (
    Branch,
    Call,
    Checklist,
    ChecklistGroup,
    ChecklistItem,
    Fact,
    Gate,
    Outcome,
    Param,
    Reference,
    TreeSpec,
)
from .registry import BuiltinTree, builtin_trees
from .tree import DecisionTree

__all__ = [
    "FORMATS",
    "Alternative",
    "Branch",
    "BuiltinTree",
    "Call",
    "Checklist",
    "ChecklistGroup",
    "ChecklistItem",
    "ChecklistTrace",
    "CollectedAction",
    "Counterfactuals",
    "Decision",
    "DecisionMismatch",
    "DecisionTree",
    "Diagnostic",
    "DiagnosticsError",
    "EvaluationError",
    "Evidence",
    "Fact",
    "Gate",
    "GatetreeError",
    "GroupScore",
    "InputError",
    "ItemAnswer",
    "Location",
    "Missing",
    "Outcome",
    "Param",
    "Reference",
    "Step",
    "StepAlternatives",
    "TreeError",
    "TreeNotFound",
    "TreeRef",
    "TreeSpec",
    "UnknownName",
    "builtin_trees",
    "check_file",
    "counterfactuals",
    "load_tree",
    "read_facts",
]
