"""Pure rules of the audit form: reading, merging concurrent saves, checking a submission."""

import pytest

from portal.audits.answers import (
    date_parts,
    field_specs,
    merge,
    nest,
    read_form,
    submission_errors,
)
from portal.audits.definition import (
    FormDefinition,
    Judgement,
    sections_graded_for_action,
    worst_section_grade,
)
from tests.audits.conftest import MINI

FORM: FormDefinition = MINI.form


@pytest.mark.parametrize(
    ("stored", "base", "incoming", "merged", "conflicts"),
    [
        # nothing happened in between: this user's changes win
        ({"a": "1"}, {"a": "1"}, {"a": "2"}, {"a": "2"}, []),
        # someone else changed a, this user did not touch it: keep theirs
        ({"a": "theirs"}, {"a": "old"}, {"a": "old"}, {"a": "theirs"}, []),
        # someone else changed a, this user changed b: both kept
        (
            {"a": "theirs", "b": "x"},
            {"a": "old", "b": "x"},
            {"a": "old", "b": "mine"},
            {"a": "theirs", "b": "mine"},
            [],
        ),
        # both changed a differently: stored stays, conflict reported
        ({"a": "theirs"}, {"a": "old"}, {"a": "mine"}, {"a": "theirs"}, ["a"]),
        # both changed a the same way: no conflict
        ({"a": "same"}, {"a": "old"}, {"a": "same"}, {"a": "same"}, []),
        # a field new to everyone
        ({}, {}, {"c": "new"}, {"c": "new"}, []),
    ],
)
def test_merge(stored, base, incoming, merged, conflicts):
    assert merge(stored, base, incoming) == (merged, conflicts)


def test_read_form_reads_every_field_and_dates():
    data = {
        "plan-purpose": "  Keep her safe \r\n at home ",
        "plan-grade": "good",
        "visit-seen_on-day": "7",
        "visit-seen_on-month": "3",
        "visit-seen_on-year": "2026",
        "visit-alone": "yes",
        "overall-summary": "Fine",
    }
    answers = read_form(FORM, data)
    assert answers["plan.purpose"] == "Keep her safe \n at home"
    assert answers["plan.grade"] == "good"
    assert answers["visit.seen_on"] == "2026-03-07"
    assert answers["records.grade"] == ""  # an unselected grade reads as empty
    assert answers["overall.summary"] == "Fine"
    assert set(answers) == {spec.flat_key for spec in field_specs(FORM)}


@pytest.mark.parametrize(
    ("day", "month", "year", "stored", "parts"),
    [
        ("7", "3", "2026", "2026-03-07", ("7", "3", "2026")),
        ("31", "2", "2026", "31/2/2026", ("31", "2", "2026")),  # kept as typed
        ("", "", "", "", ("", "", "")),
    ],
)
def test_dates_are_kept_as_typed_until_they_are_real(day, month, year, stored, parts):
    data = {"visit-seen_on-day": day, "visit-seen_on-month": month, "visit-seen_on-year": year}
    assert read_form(FORM, data)["visit.seen_on"] == stored
    assert date_parts(stored) == parts


def complete(**changes):
    answers = {
        "plan": {"purpose": "Safety", "grade": "good", "evidence": "Plan on file"},
        "records": {"grade": "good", "evidence": "Up to date"},
        "visit": {"seen_on": "2026-10-01", "alone": "yes", "note": ""},
        "overall": {"grade": "", "reason": "", "summary": "Good work"},
    }
    for key, value in changes.items():
        section, field = key.split("__")
        answers[section][field] = value
    return answers


def errors_for(answers, with_actions=()):
    judgement = worst_section_grade(FORM, answers)
    needing = sections_graded_for_action(FORM, answers)
    return {
        error.html_id: error.message
        for error in submission_errors(FORM, answers, judgement, needing, with_actions)
    }


def test_a_complete_audit_has_no_errors():
    assert errors_for(complete()) == {}


@pytest.mark.parametrize(
    ("changes", "html_id", "message"),
    [
        ({"plan__grade": ""}, "plan-grade", "Choose a grade for The plan"),
        ({"plan__evidence": ""}, "plan-evidence", "Enter the evidence for The plan"),
        (
            {"plan__purpose": ""},
            "plan-purpose",
            "Enter an answer to ‘What was the plan for?’ in The plan",
        ),
        ({"visit__seen_on": "31/2/2026"}, "visit-seen_on-day", "must be a real date"),
        ({"visit__alone": ""}, "visit-alone", "Choose an answer to ‘Was the child seen alone?’"),
        ({"visit__alone": "maybe"}, "visit-alone", "Choose one of the options"),
        ({"overall__summary": ""}, "overall-summary", "Enter a summary of your findings"),
        (
            {"records__grade": "requires_improvement"},
            "records-actions",
            "Add an action with an owner and a due date to Records, graded Requires improvement",
        ),
        (
            {"overall__grade": "outstanding"},
            "overall-reason",
            "Give a reason for changing the suggested judgement",
        ),
    ],
)
def test_each_problem_is_reported_against_its_field(changes, html_id, message):
    errors = errors_for(complete(**changes))
    assert html_id in errors, errors
    assert message in errors[html_id]


def test_optional_questions_may_stay_empty():
    assert "visit-note" not in errors_for(complete(visit__note=""))


def test_an_action_satisfies_the_action_rule():
    answers = complete(records__grade="inadequate")
    assert "records-actions" in errors_for(answers)
    assert "records-actions" not in errors_for(answers, with_actions={"records"})


def test_changing_the_suggested_judgement_with_a_reason_is_accepted():
    answers = complete(overall__grade="outstanding", overall__reason="Exceptional impact")
    assert errors_for(answers) == {}


def test_the_default_rule_suggests_the_lowest_grade():
    judgement = worst_section_grade(FORM, complete(records__grade="requires_improvement"))
    assert judgement == Judgement(
        "requires_improvement", ("The lowest section grade is Requires improvement.",)
    )
    assert worst_section_grade(FORM, complete(plan__grade="")).grade is None


def test_nest_and_stored_form_round_trip():
    assert nest({"a.b": "1", "a.c": "2", "d.e": "3"}) == {
        "a": {"b": "1", "c": "2"},
        "d": {"e": "3"},
    }
    assert FormDefinition.from_json(FORM.to_json()) == FORM
