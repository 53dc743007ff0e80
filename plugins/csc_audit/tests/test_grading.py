"""The csc_audit grading rules: each rule, its boundaries, and the reasons it gives."""

import pytest

from plugins.csc_audit.grading import suggest_judgement
from plugins.csc_audit.process import CSC_AUDIT

FORM = CSC_AUDIT.form
GRADE_KEYS = {
    "O": "outstanding",
    "G": "good",
    "R": "requires_improvement",
    "I": "inadequate",
    "-": "",
}
S = {
    1: "Standard 1: Assessment",
    2: "Standard 2: Plan",
    3: "Standard 3: Parents and carers",
    4: "Standard 4: Analysis",
    7: "Standard 7: Case recording",
    8: "Standard 8: Risk assessment and contingency",
    9: "Standard 9: Reflective supervision",
    10: "Standard 10: Management oversight",
}
IMPACT = "Impact and outcomes"
ALL_TITLES = [section.title for section in FORM.graded_sections]


def answers(standards: str, impact: str) -> dict[str, dict[str, str]]:
    """Answers grading standards 1 to 10 by the letters of *standards* and the impact.

    O, G, R and I stand for the four grades and "-" for no grade.
    """
    assert len(standards) == 10
    given = {
        f"standard_{number}": {"grade": GRADE_KEYS[letter], "evidence": "Seen on file."}
        for number, letter in enumerate(standards, start=1)
    }
    given["impact"] = {
        "grade": GRADE_KEYS[impact],
        "intended": "Keep the child safe at home.",
        "changed": "The child attends school every day.",
        "evidence": "Review minutes.",
    }
    return given


def titles_named(reasons: tuple[str, ...]) -> set[str]:
    """The section titles the reasons mention."""
    text = " ".join(reasons)
    return {title for title in ALL_TITLES if title in text}


@pytest.mark.parametrize(
    ("standards", "impact", "grade", "named", "phrase"),
    [
        # Rule 2: Inadequate.
        ("GGGGGGGGGG", "I", "inadequate", {IMPACT}, "which makes the case Inadequate"),
        ("GGGGGGGIGG", "G", "inadequate", {S[8]}, "which makes the case Inadequate"),
        ("OOOOOOOIOO", "O", "inadequate", {S[8]}, "which makes the case Inadequate"),
        ("IIIGGGGGGG", "G", "inadequate", {S[1], S[2], S[3]}, "are graded Inadequate: 3 or more"),
        ("GGGGGGIIIG", "G", "inadequate", {S[7], S[8], S[9]}, "Inadequate standards make the case"),
        # Rule 3: Requires improvement.
        ("IIGGGGGGGG", "G", "requires_improvement", {S[1], S[2]}, "are graded Inadequate, so"),
        ("IOOOOOOOOO", "O", "requires_improvement", {S[1]}, "no better than Requires improvement"),
        ("GGGGGGGGGG", "R", "requires_improvement", {IMPACT}, "no better than Requires"),
        (
            "RRRRGGGGGG",
            "G",
            "requires_improvement",
            {S[1], S[2], S[3], S[4]},
            "4 or more such standards",
        ),
        # Rule 5 just short of rule 3: three standards requiring improvement.
        ("RRRGGGGGGG", "G", "good", {S[1], S[2], S[3], IMPACT}, "so not every standard is met"),
        # Rule 4: Outstanding, and the cases just short of it.
        ("OOOOOOGGGG", "O", "outstanding", {IMPACT}, "6 of the 10 are Outstanding"),
        ("OOOOOOOOOO", "O", "outstanding", {IMPACT}, "10 of the 10 are Outstanding"),
        ("OOOOOGGGGG", "O", "good", set(), "6 or more of the 10 standards are Outstanding; 5 are"),
        ("OOOOOOOOOO", "G", "good", {IMPACT}, "only when the impact for the child is Outstanding"),
        ("OOOOOOOOOR", "O", "good", {S[10]}, "cannot be Outstanding"),
        ("GGGGGGGGGG", "G", "good", {IMPACT}, "Outstanding; 0 are"),
    ],
)
def test_suggested_judgement(standards, impact, grade, named, phrase):
    judgement = suggest_judgement(FORM, answers(standards, impact))
    assert judgement.grade == grade
    assert titles_named(judgement.reasons) == named
    assert phrase in " ".join(judgement.reasons)


@pytest.mark.parametrize(
    ("standards", "impact", "missing", "named"),
    [
        ("----------", "-", 11, set(ALL_TITLES)),
        ("GGG-GGGGGG", "O", 1, {S[4]}),
        ("OOOOOOOOOO", "-", 1, {IMPACT}),
        ("IIIIIIII-I", "I", 1, {"Standard 9: Reflective supervision"}),
    ],
)
def test_no_suggestion_until_every_section_is_graded(standards, impact, missing, named):
    judgement = suggest_judgement(FORM, answers(standards, impact))
    assert judgement.grade is None
    assert titles_named(judgement.reasons) == named
    assert judgement.reasons[0].startswith("Grade all 11 sections")
    assert f"{missing} section{'s' if missing > 1 else ''} still to grade" in judgement.reasons[0]


def test_a_grade_that_is_not_on_the_scale_counts_as_missing():
    given = answers("GGGGGGGGGG", "G")
    given["standard_2"] = {"grade": "excellent"}
    judgement = suggest_judgement(FORM, given)
    assert judgement.grade is None
    assert titles_named(judgement.reasons) == {S[2]}


def test_a_section_left_out_of_the_answers_counts_as_missing():
    given = answers("GGGGGGGGGG", "G")
    del given["impact"]
    assert suggest_judgement(FORM, given).grade is None


def test_every_rule_that_applies_gives_its_reason():
    judgement = suggest_judgement(FORM, answers("IIIGGGGIGG", "I"))
    assert judgement.grade == "inadequate"
    assert len(judgement.reasons) == 3
    assert titles_named(judgement.reasons) == {S[1], S[2], S[3], S[8], IMPACT}


def test_reasons_are_sentences():
    for standards, impact in [("GGGGGGGGGG", "G"), ("IOOOOOOOOO", "O"), ("OOOOOOOOOO", "O")]:
        for reason in suggest_judgement(FORM, answers(standards, impact)).reasons:
            assert reason[0].isupper() and reason.endswith(".")
