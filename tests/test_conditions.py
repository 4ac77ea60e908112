"""A condition taken apart from the values a trace recorded, for explanations."""

from __future__ import annotations

from gatetree.conditions import ConditionPart, condition_parts


def test_each_and_part_says_whether_it_held_and_what_it_compared() -> None:
    values = {"refine": 4, "structural": 1, "patching": 1, "refine_min_signs": 3,
              "refine_max_structural": 0}
    assert condition_parts(
        "refine >= refine_min_signs and structural + patching <= refine_max_structural",
        values) == (
        ConditionPart("refine >= refine_min_signs", True,
                      (("refine", 4), ("refine_min_signs", 3))),
        ConditionPart("structural + patching <= refine_max_structural", False,
                      (("structural + patching", 2), ("refine_max_structural", 0))),
    )


def test_a_constant_is_not_repeated_and_other_forms_list_their_names() -> None:
    assert condition_parts("score > 0.5 and (urgent or late)",
                           {"score": 0.25, "urgent": False, "late": True}) == (
        ConditionPart("score > 0.5", False, (("score", 0.25),)),
        ConditionPart("urgent or late", True, (("urgent", False), ("late", True))),
    )


def test_a_condition_that_reads_an_unknown_name_or_is_invalid_is_not_taken_apart() -> None:
    assert condition_parts("bad > good", {"bad": 1}) is None
    assert condition_parts("bad >", {"bad": 1}) is None
    assert condition_parts("__import__('os')", {}) is None
    assert condition_parts("bad / good > 1", {"bad": 1, "good": 0}) is None
