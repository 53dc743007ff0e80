"""The declarative judgement rules a builder tool chooses, as pure functions."""

from plugins.tool_builder.rules import OutstandingNeeds, majority, rule_for, worst_section
from portal.plugin_api import FormDefinition, Grade, Section

FORM = FormDefinition(
    process_key="tool_builder.dip",
    version="1",
    title="Dip sample",
    sections=tuple(Section(key=k, title=k.capitalize()) for k in ("a", "b", "c", "d", "e")),
)


def graded(*grades: str) -> dict:
    """Answers giving sections a, b, c... the *grades* in order."""
    return {key: {"grade": grade} for key, grade in zip("abcde", grades, strict=False)}


def test_no_rule_suggests_anything_until_every_section_is_graded():
    answers = graded("good", "good", "good", "good")
    for rule in (worst_section, majority, OutstandingNeeds(2)):
        judgement = rule(FORM, answers)
        assert judgement.grade is None
        assert "E" in judgement.reasons[0]


def test_worst_section_takes_the_lowest_grade():
    answers = graded("outstanding", "good", "inadequate", "good", "outstanding")
    assert worst_section(FORM, answers).grade == "inadequate"


def test_majority_takes_the_best_grade_more_than_half_reach():
    answers = graded("outstanding", "outstanding", "good", "inadequate", "inadequate")
    judgement = majority(FORM, answers)
    assert judgement.grade == "good"
    assert judgement.reasons == (
        "3 of the 5 sections are graded Good or better: more than half of them.",
    )
    answers = graded("outstanding", "outstanding", "outstanding", "inadequate", "inadequate")
    assert majority(FORM, answers).grade == "outstanding"
    answers = graded("good", "requires_improvement", "inadequate", "inadequate", "outstanding")
    assert majority(FORM, answers).grade == "requires_improvement"


def test_outstanding_needs_enough_outstanding_sections_and_none_below_good():
    rule = OutstandingNeeds(3)
    answers = graded("outstanding", "outstanding", "outstanding", "good", "good")
    assert rule(FORM, answers).grade == "outstanding"
    answers = graded("outstanding", "outstanding", "good", "good", "good")
    judgement = rule(FORM, answers)
    assert judgement.grade == "good"
    assert "needs 3 or more sections graded Outstanding, and 2 are" in judgement.reasons[0]
    answers = graded(
        "outstanding", "outstanding", "outstanding", "outstanding", "requires_improvement"
    )
    judgement = rule(FORM, answers)
    assert judgement.grade == "requires_improvement"
    assert judgement.reasons == ("E is graded Requires improvement.",)


def test_outstanding_needs_reads_the_form_s_own_scale():
    scale = (
        Grade("met", "Met", "", 3),
        Grade("partly", "Partly met", "", 2, needs_action=True),
        Grade("not_met", "Not met", "", 1, needs_action=True),
    )
    form = FormDefinition("tool_builder.x", "1", "X", FORM.sections[:2], scale)
    rule = OutstandingNeeds(2)
    assert rule(form, graded("met", "met")).grade == "met"
    assert rule(form, graded("met", "partly")).grade == "partly"
    assert rule(form, graded("not_met", "met")).grade == "not_met"
    one_enough = rule_for({"rule": "outstanding_needs", "sections": 1})
    assert one_enough(form, graded("met", "partly")).grade == "met"


def test_rule_for_names_each_rule():
    assert rule_for({"rule": "worst_section"}) is worst_section
    assert rule_for({"rule": "majority"}) is majority
    assert rule_for({"rule": "outstanding_needs", "sections": 2}) == OutstandingNeeds(2)
