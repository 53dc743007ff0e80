"""The answers s47_audit gives the demo council's history: they pass the extra checks and
agree with the grades drawn (a section graded Good or better never needs an action)."""

import itertools
from datetime import date
from random import Random

from plugins.s47_audit.demo import demo_answers
from plugins.s47_audit.process import S47_AUDIT

FORM = S47_AUDIT.form
KEYS = [section.key for section in FORM.graded_sections]
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
DAY = date(2026, 11, 20)


def every_grading():
    """A spread of gradings: each section at each grade, the others Good, and some mixes."""
    for key, grade in itertools.product(KEYS, GRADES):
        yield {other: grade if other == key else "good" for other in KEYS}
    rng = Random(4)
    for _ in range(40):
        yield {key: rng.choice(GRADES) for key in KEYS}


def full_answers(grades, answers):
    """The grades with evidence, and the demo's answers."""
    given = {key: {"grade": grade, "evidence": "Seen."} for key, grade in grades.items()}
    for section, fields in answers.items():
        given.setdefault(section, {}).update(fields)
    return given


def test_the_demo_answers_pass_the_checks_and_agree_with_the_grades():
    for seed, grades in enumerate(every_grading()):
        answers = full_answers(grades, demo_answers(grades, DAY, Random(seed)))
        assert S47_AUDIT.extra_checks(FORM, answers, today=DAY) == [], (grades, answers)
        needed = S47_AUDIT.actions_required(FORM, answers)
        well = {key for key, grade in grades.items() if grade in ("outstanding", "good")}
        assert not set(needed) & well, (grades, answers, needed)
        for fields in answers.values():
            for question, value in fields.items():
                if question.endswith("_on") and value:
                    assert date.fromisoformat(value) <= DAY


def test_the_same_seed_gives_the_same_answers():
    grades = dict.fromkeys(KEYS, "requires_improvement")
    assert demo_answers(grades, DAY, Random(1)) == demo_answers(grades, DAY, Random(1))


def test_hook_portal_demo_answers_answers_only_its_own_questions(app):
    host = app.extensions["portal.plugins"]
    (call,) = [
        call
        for key, call in host.implementations("portal_demo_answers", enabled_only=False)
        if key == "s47_audit"
    ]
    answers = call(form=FORM, grades=dict.fromkeys(KEYS, "good"), day=DAY, rng=Random(2))
    asked = {(s.key, q.key) for s in FORM.sections for q in s.questions}
    assert answers and {(s, q) for s, fields in answers.items() for q in fields} <= asked
