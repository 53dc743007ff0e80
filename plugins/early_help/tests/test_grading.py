"""The early_help grading rules: each rule, its boundaries, and the reasons it gives."""

import pytest

from plugins.early_help.grading import suggest_judgement
from plugins.early_help.process import EARLY_HELP_AUDIT

FORM = EARLY_HELP_AUDIT.form
GRADE_KEYS = {
    "O": "outstanding",
    "G": "good",
    "R": "requires_improvement",
    "I": "inadequate",
    "-": "",
}
ASSESSMENT = "Assessment and understanding of need"
PLAN = "The family plan"
VOICE = "Voice of the child"
FAMILY = "Working with the family"
AGENCIES = "Multi-agency working"
OVERSIGHT = "Management oversight and supervision"
IMPACT = "Impact and outcomes"
ALL_TITLES = [section.title for section in FORM.graded_sections]


def answers(grades: str) -> dict[str, dict[str, str]]:
    """Answers grading the seven graded sections, in form order, by the letters of *grades*.

    O, G, R and I stand for the four grades and "-" for no grade; the last letter is the
    impact section.
    """
    assert len(grades) == len(ALL_TITLES) == 7
    given = {
        section.key: {"grade": GRADE_KEYS[letter], "evidence": "Seen on EHM."}
        for section, letter in zip(FORM.graded_sections, grades, strict=True)
    }
    given["impact"] |= {"intended": "Regular school attendance.", "changed": "Attends daily."}
    return given


def titles_named(reasons: tuple[str, ...]) -> set[str]:
    """The section titles the reasons mention."""
    text = " ".join(reasons)
    return {title for title in ALL_TITLES if title in text}


@pytest.mark.parametrize(
    ("grades", "grade", "named", "phrase"),
    [
        # Rule 2: Inadequate.
        ("GGGGGGI", "inadequate", {IMPACT}, "is graded Inadequate, which makes the case"),
        ("GGIGGGG", "inadequate", {VOICE}, "is graded Inadequate, which makes the case"),
        ("OOIOOOO", "inadequate", {VOICE}, "which makes the case Inadequate"),
        ("IGGGIGG", "inadequate", {ASSESSMENT, AGENCIES}, "2 or more Inadequate sections"),
        ("GIGGGIO", "inadequate", {PLAN, OVERSIGHT}, "are graded Inadequate: 2 or more"),
        # Rule 3: Requires improvement.
        ("IGGGGGG", "requires_improvement", {ASSESSMENT}, "no better than Requires improvement"),
        ("OOOOOIO", "requires_improvement", {OVERSIGHT}, "no better than Requires improvement"),
        ("GGGGGGR", "requires_improvement", {IMPACT}, "no better than Requires improvement"),
        ("OOOOOOR", "requires_improvement", {IMPACT}, "no better than Requires improvement"),
        (
            "RRRGGGG",
            "requires_improvement",
            {ASSESSMENT, PLAN, VOICE},
            "3 or more such sections make the case Requires improvement",
        ),
        (
            "GGGRRGR",
            "requires_improvement",
            {FAMILY, AGENCIES, IMPACT},
            "3 or more such sections",
        ),
        # Rule 5 just short of rule 3: two sections requiring improvement.
        ("RRGGGGG", "good", {ASSESSMENT, PLAN, IMPACT}, "not every section is Good or better"),
        # The voice of the child requiring improvement is not decisive on its own.
        ("GGRGGGG", "good", {VOICE, IMPACT}, "the case cannot be Outstanding"),
        # Rule 4: Outstanding, and the cases just short of it.
        ("OOOGGGO", "outstanding", {IMPACT}, "4 of the 7 are Outstanding (4 or more"),
        ("GGGOOOO", "outstanding", {IMPACT}, "a clear, positive difference"),
        ("OOOOOOO", "outstanding", {IMPACT}, "7 of the 7 are Outstanding"),
        ("OOGGGGO", "good", set(), "half of the 7 sections (4 or more) are Outstanding; 3 are"),
        ("OOOOOOG", "good", {IMPACT}, "only when the impact for the child and the family"),
        ("OOOOORO", "good", {OVERSIGHT}, "cannot be Outstanding"),
        ("GGGGGGG", "good", {IMPACT}, "are Outstanding; 0 are"),
    ],
)
def test_suggested_judgement(grades, grade, named, phrase):
    judgement = suggest_judgement(FORM, answers(grades))
    assert judgement.grade == grade
    assert titles_named(judgement.reasons) == named
    assert phrase in " ".join(judgement.reasons)


@pytest.mark.parametrize(
    ("grades", "missing", "named"),
    [
        ("-------", 7, set(ALL_TITLES)),
        ("GG-GGGO", 1, {VOICE}),
        ("OOOOOO-", 1, {IMPACT}),
        ("I-IIII-", 2, {PLAN, IMPACT}),
    ],
)
def test_no_suggestion_until_every_section_is_graded(grades, missing, named):
    judgement = suggest_judgement(FORM, answers(grades))
    assert judgement.grade is None
    assert titles_named(judgement.reasons) == named
    assert judgement.reasons[0].startswith("Grade all 7 sections")
    assert f"{missing} section{'s' if missing > 1 else ''} still to grade" in judgement.reasons[0]


def test_a_grade_that_is_not_on_the_scale_counts_as_missing():
    given = answers("GGGGGGG")
    given["family_plan"] = {"grade": "excellent"}
    judgement = suggest_judgement(FORM, given)
    assert judgement.grade is None
    assert titles_named(judgement.reasons) == {PLAN}


def test_a_section_left_out_of_the_answers_counts_as_missing():
    given = answers("GGGGGGG")
    del given["voice_of_child"]
    assert suggest_judgement(FORM, given).grade is None


def test_the_ungraded_sections_do_not_count():
    given = answers("OOOGGGO")
    given["reflective_interview"] = {"grade": "inadequate"}
    assert suggest_judgement(FORM, given).grade == "outstanding"


def test_every_rule_that_applies_gives_its_reason():
    judgement = suggest_judgement(FORM, answers("IGIGGGI"))
    assert judgement.grade == "inadequate"
    assert len(judgement.reasons) == 3
    assert titles_named(judgement.reasons) == {ASSESSMENT, VOICE, IMPACT}
    assert (
        "Assessment and understanding of need, Voice of the child and Impact and outcomes are "
        "graded Inadequate" in judgement.reasons[2]
    )


def test_reasons_are_sentences():
    for grades in ["GGGGGGG", "IOOOOOO", "OOOOOOO", "RRRGGGR", "-------"]:
        for reason in suggest_judgement(FORM, answers(grades)).reasons:
            assert reason[0].isupper() and reason.endswith(".")
