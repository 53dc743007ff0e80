"""The grading rules of the Section 47 enquiry audit, as a table of cases."""

from datetime import date

import pytest

from plugins.s47_audit import grading
from plugins.s47_audit.grading import actions_required, extra_checks, suggest_judgement
from plugins.s47_audit.process import S47_AUDIT

FORM = S47_AUDIT.form
KEYS = [section.key for section in FORM.graded_sections]
LETTERS = {
    "O": "outstanding",
    "G": "good",
    "R": "requires_improvement",
    "I": "inadequate",
}


def answers(grades: str, **seen) -> dict[str, dict[str, str]]:
    """One letter a graded section, in form order (- for no grade); *seen* sets answers
    of Seeing the child."""
    given = {
        key: {"grade": LETTERS[letter]}
        for key, letter in zip(KEYS, grades, strict=True)
        if letter != "-"
    }
    given.setdefault("seeing_child", {}).update(seen)
    return given


def test_the_graded_sections_in_order():
    assert KEYS == [
        "strategy",
        "timeliness",
        "seeing_child",
        "multi_agency",
        "outcome",
        "oversight",
    ]


@pytest.mark.parametrize(
    ("grades", "child_seen", "grade", "phrase"),
    [
        ("GGIGGG", "within_timescale", "inadequate", "Seeing the child is graded Inadequate"),
        ("IGGIGG", "within_timescale", "inadequate", "2 or more Inadequate sections"),
        ("IOOOOO", "within_timescale", "requires_improvement", "no better than Requires"),
        ("RGGRGG", "within_timescale", "requires_improvement", "2 or more such sections"),
        ("OOOOOO", "late", "requires_improvement", "not seen within the timescale"),
        ("OOOOOO", "not_seen", "requires_improvement", "not seen within the timescale"),
        ("RGGGGG", "within_timescale", "good", "cannot be Outstanding"),
        ("OOOGGG", "within_timescale", "good", "outcome and plan both are"),
        ("GGOGOG", "within_timescale", "good", "3 or more of the 6 sections"),
        ("OGOGOG", "within_timescale", "outstanding", "3 of the 6 are Outstanding"),
        ("OOOOOO", "", "outstanding", "6 of the 6 are Outstanding"),
    ],
)
def test_suggested_judgement(grades, child_seen, grade, phrase):
    judgement = suggest_judgement(FORM, answers(grades, child_seen=child_seen))
    assert judgement.grade == grade
    assert phrase in " ".join(judgement.reasons)
    assert all(reason[0].isupper() and reason.endswith(".") for reason in judgement.reasons)


def test_no_suggestion_until_every_section_is_graded():
    judgement = suggest_judgement(FORM, answers("GG-GG-"))
    assert judgement.grade is None
    assert judgement.reasons == (
        "Grade all 6 sections to see the suggested judgement; still to grade: Seeing the "
        "child and Management oversight.",
    )


def test_a_grade_off_the_scale_counts_as_missing():
    given = answers("GGGGGG")
    given["outcome"]["grade"] = "ri"
    assert suggest_judgement(FORM, given).grade is None


@pytest.mark.parametrize(
    ("grades", "child_seen", "needed"),
    [
        ("GGGGGG", "within_timescale", ()),
        ("GGGGGG", "late", ("seeing_child",)),
        ("GGGGGG", "not_seen", ("seeing_child",)),
        ("RGIGGG", "late", ("strategy", "seeing_child")),
        ("GRGGGI", "", ("timeliness", "oversight")),
    ],
)
def test_sections_that_need_an_action(grades, child_seen, needed):
    assert actions_required(FORM, answers(grades, child_seen=child_seen)) == needed


def test_the_reason_is_needed_only_when_consent_was_not_sought():
    given = {"multi_agency": {"consent": "not_sought"}}
    assert extra_checks(FORM, given) == [
        (
            "multi_agency-consent_not_sought_why",
            "Enter why the parents' consent was not sought, in Multi-agency information",
        )
    ]
    given["multi_agency"]["consent_not_sought_why"] = "Asking would have warned the abuser."
    assert extra_checks(FORM, given) == []
    assert extra_checks(FORM, {"multi_agency": {"consent": "refused"}}) == []


def test_the_date_the_child_was_seen_is_needed_unless_they_were_not_seen():
    message = (
        "seeing_child-seen_on-day",
        "Enter the date the child was first seen, in Seeing the child",
    )
    assert extra_checks(FORM, {"seeing_child": {"child_seen": "late"}}) == [message]
    assert extra_checks(FORM, {"seeing_child": {"child_seen": "within_timescale"}}) == [message]
    assert extra_checks(FORM, {"seeing_child": {"child_seen": "not_seen"}}) == []
    seen = {"child_seen": "late", "seen_on": "2026-11-02"}
    assert extra_checks(FORM, {"seeing_child": seen}) == []


def test_no_date_may_be_after_today():
    given = {
        "strategy": {"held_on": "2026-11-03"},
        "seeing_child": {"child_seen": "late", "seen_on": "2026-11-02"},
    }
    assert extra_checks(FORM, given, today=date(2026, 11, 3)) == []
    assert extra_checks(FORM, given, today=date(2026, 11, 2)) == [
        (
            "strategy-held_on-day",
            "The date of the strategy discussion must be today or in the past, in Strategy "
            "discussion",
        )
    ]
    # a portal that does not pass today: the dates are not checked
    assert extra_checks(FORM, given) == []


def test_rules_find_their_sections_by_key():
    assert FORM.section(grading.SEEING_CHILD).title == "Seeing the child"
    assert FORM.section(grading.OUTCOME).title == "Outcome and plan"
    assert FORM.section(grading.MULTI_AGENCY).title == "Multi-agency information"
