"""The mash grading rule: the portal's default, the lowest of the three section grades."""

import pytest

from plugins.mash.process import MASH_AUDIT
from portal.plugin_api import worst_section_grade

FORM = MASH_AUDIT.form
GRADE_KEYS = {
    "O": "outstanding",
    "G": "good",
    "R": "requires_improvement",
    "I": "inadequate",
    "-": "",
}


def answers(grades: str) -> dict[str, dict[str, str]]:
    """Answers grading contact, episode and management by the letters of *grades*.

    O, G, R and I stand for the four grades and "-" for no grade.
    """
    return {
        key: {"grade": GRADE_KEYS[letter], "evidence": "Seen on the MASH record."}
        for key, letter in zip(
            ("quality_of_contact", "mash_episode", "contact_management"), grades, strict=True
        )
    }


def test_the_process_uses_the_lowest_section_grade():
    assert MASH_AUDIT.suggest_judgement is worst_section_grade


@pytest.mark.parametrize(
    ("grades", "grade", "reason"),
    [
        ("OOO", "outstanding", "The lowest section grade is Outstanding."),
        ("OOG", "good", "The lowest section grade is Good."),
        ("GOO", "good", "The lowest section grade is Good."),
        ("ORO", "requires_improvement", "The lowest section grade is Requires improvement."),
        ("GGR", "requires_improvement", "The lowest section grade is Requires improvement."),
        ("OIO", "inadequate", "The lowest section grade is Inadequate."),
        ("IRG", "inadequate", "The lowest section grade is Inadequate."),
        (
            "OO-",
            None,
            "Grade all 3 sections to see the suggested judgement; 1 section still to grade: "
            "Contact management.",
        ),
        (
            "---",
            None,
            "Grade all 3 sections to see the suggested judgement; 3 sections still to grade: "
            "Quality of contact, The MASH episode and Contact management.",
        ),
    ],
)
def test_suggested_judgement(grades, grade, reason):
    judgement = MASH_AUDIT.suggest_judgement(FORM, answers(grades))
    assert judgement.grade == grade
    assert judgement.reasons == (reason,)


def test_the_reflective_interview_does_not_count_towards_the_judgement():
    given = answers("GGG")
    given["reflective_interview"] = {"grade": "inadequate"}
    assert MASH_AUDIT.suggest_judgement(FORM, given).grade == "good"
