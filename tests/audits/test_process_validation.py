"""Start-up checks of a plugin's audit process description."""

import dataclasses

import pytest

from portal.audits.definition import Grade, Judgement, Question, Section, problems_with
from portal.models import CaseType
from portal.plugins import PluginError, PluginHost
from tests.audits.conftest import MINI, mini_module

CASE_TYPES = {case_type.value for case_type in CaseType}


def test_a_sound_process_has_no_problems():
    assert problems_with(MINI, "mini_audit", CASE_TYPES) == []


def broken_rule(form, answers):
    raise KeyError("plan")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"key": "other"}, "has the key 'other'"),
        ({"sections": ()}, "has no sections"),
        ({"sections": (Section("overall", "Overall"),)}, "section key 'overall' is not allowed"),
        ({"sections": (Section("a", "A"), Section("a", "B"))}, "two sections have the key 'a'"),
        (
            {"sections": (Section("a", "A", questions=(Question("grade", "G"),)),)},
            "question key 'grade' is not allowed",
        ),
        (
            {"sections": (Section("a", "A", questions=(Question("q", "Q", kind="slider"),)),)},
            "unknown kind 'slider'",
        ),
        (
            {"sections": (Section("a", "A", questions=(Question("q", "Q", kind="choice"),)),)},
            "a choice without choices",
        ),
        ({"grades": (Grade("a", "A", "", 1), Grade("a", "B", "", 2))}, "repeats a key"),
        ({"grades": (Grade("a", "A", "", 1), Grade("b", "B", "", 1))}, "share a rank"),
        ({"due": dataclasses.replace(MINI.due, working_days=0)}, "at least one working day"),
        ({"case_types": ("CIN", "NONSENSE")}, "unknown case types NONSENSE"),
        ({"suggest_judgement": broken_rule}, "grading rules fail on an empty audit"),
        ({"suggest_judgement": lambda form, answers: "good"}, "must return a Judgement"),
        (
            {"suggest_judgement": lambda form, answers: Judgement("splendid")},
            "'splendid', which is not on the scale",
        ),
    ],
)
def test_each_problem_is_named(changes, problem):
    process = dataclasses.replace(MINI, **changes)
    problems = problems_with(process, "mini_audit", CASE_TYPES)
    assert any(problem in found for found in problems), problems


def test_a_malformed_process_stops_the_plugin_with_its_name():
    module = mini_module(dataclasses.replace(MINI, sections=()))
    with pytest.raises(PluginError, match="plugin 'mini_audit': the audit process has no"):
        PluginHost().add("mini_audit", module)
