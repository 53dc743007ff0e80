"""The calibration arithmetic, against figures worked out by hand.

Grades are written O, G, R, I (outstanding, good, requires improvement, inadequate).
On four grades the linear weights are w = 1, 2/3, 1/3, 0 for a difference of 0, 1, 2
and 3 grades. Each pair is (auditor's grade, moderator's grade).
"""

from datetime import date, datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.moderation.calibration import (
    GRADE_SCALE,
    JOINT,
    MODERATION,
    TOO_FEW_PAIRS,
    GradedPair,
    Period,
    PeriodError,
    band,
    calibrate,
    confusion_matrix,
    direction,
    disagreements,
    exact_agreement,
    leaning,
    reading,
    verdict,
    warning,
    weighted_kappa,
)

O, G, R, I = "outstanding", "good", "requires_improvement", "inadequate"  # noqa: E741

# The mixed table of ten pairs, worked by hand:
#   agreements: (O,O) (G,G)x3 (R,R)x2 (I,I) = 7, so exact agreement 7/10 = 0.7
#   three near misses by one grade, each auditor higher: (O,G) (G,R) (R,I)
#   p_o = (7·1 + 3·2/3) / 10 = 9/10
#   auditor's grades (rows) O 2, G 4, R 3, I 1; moderator's (columns) O 1, G 4, R 3, I 2
#   Σ_j w_ij·c_j for each row: O 1+8/3+1+0 = 14/3; G 2/3+4+2+2/3 = 22/3;
#                              R 1/3+8/3+3+4/3 = 22/3; I 0+4/3+2+2 = 16/3
#   p_e = (2·14/3 + 4·22/3 + 3·22/3 + 1·16/3) / 100 = (198/3) / 100 = 66/100
#   κ = (9/10 − 66/100) / (1 − 66/100) = 0.24 / 0.34 = 12/17 ≈ 0.7059
#   direction = (1 + 1 + 1) / 10 = 0.3 of a grade, auditors higher
MIXED = [(O, O), (O, G), (G, G), (G, G), (G, G), (G, R), (R, R), (R, R), (R, I), (I, I)]

# Negative kappa, worked by hand: (O,G) (G,O) (G,G)
#   p_o = (2/3 + 2/3 + 1) / 3 = 7/9
#   rows O 1, G 2; columns O 1, G 2
#   p_e = (w_OO·1·1 + w_OG·1·2 + w_GO·2·1 + w_GG·2·2) / 9 = (1 + 4/3 + 4/3 + 4) / 9 = 23/27
#   κ = (21/27 − 23/27) / (1 − 23/27) = (−2/27) / (4/27) = −1/2
NEGATIVE = [(O, G), (G, O), (G, G)]

# Total disagreement at the extremes: (O,I) (I,O)
#   p_o = 0 (w = 0 for three grades apart); rows and columns O 1, I 1
#   p_e = (w_OO + w_OI + w_IO + w_II) / 4 = (1 + 0 + 0 + 1) / 4 = 1/2
#   κ = (0 − 1/2) / (1 − 1/2) = −1
EXTREMES = [(O, I), (I, O)]

# Perfect agreement on all four grades: p_o = 1; every row and column total is 1, so
#   p_e = (sum of all 16 weights) / 16 = (4 + 6·2/3 + 4·1/3 + 2·0) / 16 = (28/3) / 16 = 7/12
#   κ = (1 − 7/12) / (1 − 7/12) = 1
PERFECT = [(O, O), (G, G), (R, R), (I, I)]

# The auditor always one grade above: p_o = 2/3, p_e = w_GR = 2/3, κ = 0 / (1/3) = 0
SHIFTED = [(G, R)] * 3

# Agreement no better than chance: (G,G) (G,R) (R,G) (R,R)
#   p_o = (1 + 2/3 + 2/3 + 1) / 4 = 5/6; rows and columns G 2, R 2
#   p_e = (4·1 + 4·2/3 + 4·2/3 + 4·1) / 16 = 5/6; κ = 0
CHANCE = [(G, G), (G, R), (R, G), (R, R)]

# One side always Good, the other not: p_o = (1 + 2/3) / 2 = 5/6; rows G 2; columns G 1, R 1
#   p_e = (2·1·1 + 2·1·2/3) / 4 = 5/6; κ = 0
ONE_SIDED = [(G, G), (G, R)]


@pytest.mark.parametrize(
    ("pairs", "agreement", "kappa"),
    [
        pytest.param(PERFECT, 1.0, 1.0, id="perfect agreement"),
        pytest.param(EXTREMES, 0.0, -1.0, id="total disagreement at the extremes"),
        pytest.param(SHIFTED, 0.0, 0.0, id="always one grade apart"),
        pytest.param(MIXED, 0.7, 12 / 17, id="mixed ten pairs"),
        pytest.param(NEGATIVE, 1 / 3, -0.5, id="negative kappa"),
        pytest.param(CHANCE, 0.5, 0.0, id="chance"),
        pytest.param(ONE_SIDED, 0.5, 0.0, id="one side gives one grade"),
        pytest.param([(G, R)], 0.0, 0.0, id="a single differing pair"),
        pytest.param([], None, None, id="no pairs"),
        pytest.param([(G, G)] * 5, 1.0, None, id="both always give the same single grade"),
        pytest.param([(I, I)], 1.0, None, id="a single agreeing pair"),
    ],
)
def test_agreement_and_kappa_match_the_hand_worked_values(pairs, agreement, kappa):
    assert exact_agreement(pairs) == (None if agreement is None else pytest.approx(agreement))
    assert weighted_kappa(pairs, GRADE_SCALE) == (None if kappa is None else pytest.approx(kappa))


def test_kappa_is_exact_on_a_three_point_scale():
    # low < mid < high, w = 1, 1/2, 0; pairs (low,mid) (mid,mid) (high,high)
    #   p_o = (1/2 + 1 + 1) / 3 = 5/6; rows low 1, mid 1, high 1; columns mid 2, high 1
    #   Σ_j w_ij·c_j: low 1/2·2 = 1; mid 1·2 + 1/2·1 = 5/2; high 1/2·2 + 1·1 = 2
    #   p_e = (1 + 5/2 + 2) / 9 = 11/18; κ = (15/18 − 11/18) / (7/18) = 4/7
    pairs = [("low", "mid"), ("mid", "mid"), ("high", "high")]
    assert weighted_kappa(pairs, ["low", "mid", "high"]) == pytest.approx(4 / 7)


def test_the_order_of_the_scale_matters_but_not_its_direction():
    best_first = weighted_kappa(MIXED, [O, G, R, I])
    assert weighted_kappa(MIXED, [I, R, G, O]) == best_first
    assert weighted_kappa(MIXED, [O, R, G, I]) != best_first


@pytest.mark.parametrize(
    ("pairs", "categories"),
    [([("good", "great")], GRADE_SCALE), ([(G, G)], [G]), ([(G, G)], [G, G])],
    ids=["grade off the scale", "one category", "repeated category"],
)
def test_bad_input_is_refused(pairs, categories):
    with pytest.raises(ValueError):
        weighted_kappa(pairs, categories)


def test_confusion_matrix_puts_auditors_in_rows_and_moderators_in_columns():
    assert confusion_matrix(MIXED) == [
        [1, 1, 0, 0],  # auditor outstanding: moderated outstanding once, good once
        [0, 3, 1, 0],
        [0, 0, 2, 1],
        [0, 0, 0, 1],
    ]
    assert confusion_matrix([]) == [[0] * 4 for _ in range(4)]


@pytest.mark.parametrize(
    ("pairs", "mean"),
    [(MIXED, 0.3), (PERFECT, 0.0), (EXTREMES, 0.0), ([(I, O)], -3.0), ([], None)],
)
def test_direction_is_the_mean_rank_difference(pairs, mean):
    assert direction(pairs) == (None if mean is None else pytest.approx(mean))


def test_disagreements_count_the_gaps():
    assert disagreements(MIXED) == {1: 3, 2: 0, 3: 0}
    assert disagreements([*EXTREMES, (G, I)]) == {1: 0, 2: 1, 3: 2}


@pytest.mark.parametrize(
    ("kappa", "name"),
    [
        (-0.01, "Poor agreement"),
        (-1.0, "Poor agreement"),
        (0.0, "Slight agreement"),
        (0.20, "Slight agreement"),
        (0.204, "Slight agreement"),  # shown as 0.20
        (0.21, "Fair agreement"),
        (0.40, "Fair agreement"),
        (0.41, "Moderate agreement"),
        (0.60, "Moderate agreement"),
        (0.61, "Substantial agreement"),
        (12 / 17, "Substantial agreement"),
        (0.80, "Substantial agreement"),
        (0.81, "Almost perfect agreement"),
        (1.0, "Almost perfect agreement"),
    ],
)
def test_landis_and_koch_bands(kappa, name):
    assert band(kappa) == name
    assert reading(kappa, 20).startswith(f"{name}: ")


def test_readings_speak_plainly():
    assert reading(12 / 17, 10) == (
        "Substantial agreement: the auditors and the moderator mostly grade alike; "
        "differences are the exception."
    )
    assert "Tara Manager and the moderator agree less often than chance" in reading(
        -0.5, 3, "Tara Manager and the moderator"
    )
    assert reading(None, 0) == "No pairs in this period, so there is nothing to measure yet."
    assert "same single grade every time" in reading(None, 5)
    assert "exact agreement" in reading(None, 5)


@pytest.mark.parametrize(
    ("kappa", "pairs", "words"),
    [
        (12 / 17, 10, "Substantial agreement"),
        (None, 0, "No pairs"),
        (None, 4, "Not defined: one grade only"),
    ],
)
def test_verdict_is_the_reading_in_a_few_words(kappa, pairs, words):
    assert verdict(kappa, pairs) == words


def test_too_few_pairs_warns():
    assert TOO_FEW_PAIRS == 10
    assert warning(10) is None
    assert warning(9) == (
        "Based on only 9 pairs: fewer than 10 pairs are too few for these figures to mean "
        "much. Read them as a prompt for discussion, not a finding."
    )
    assert warning(1).startswith("Based on only 1 pair:")
    assert warning(0).startswith("Based on no pairs:")


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        (0.3, "Auditors grade higher (more generously) than the moderator by 0.3 of a grade"),
        (-1.25, "Auditors grade lower (more harshly) than the moderator by 1.2 grades"),
        (0.04, "Auditors and the moderator grade at the same level on average."),
        (None, "There are no moderated audits to compare with the moderator."),
    ],
)
def test_leaning_says_which_way_and_how_far(value, sentence):
    assert leaning(value).startswith(sentence)


def pair(kind, audit, auditor, team, process, a, b, other=0):
    """A graded pair; joint units name both auditors."""
    unit = (kind, audit) if kind == MODERATION else (kind, audit, *sorted((auditor, other)))
    return GradedPair(kind, unit, auditor, auditor.title(), team, process, process.upper(), a, b)


def test_calibrate_groups_each_comparison_once_except_per_auditor():
    pairs = [
        pair(MODERATION, 1, "ann", "North", "p1", G, G),
        pair(MODERATION, 2, "ann", "North", "p1", O, G),
        pair(MODERATION, 3, "bob", "South", "p2", R, R),
        # a moderated joint audit: one pair per auditor, one comparison
        pair(MODERATION, 4, "ann", "South", "p2", G, R),
        pair(MODERATION, 4, "bob", "South", "p2", G, R),
        # the same joint audit's own judgements, seen from each auditor
        pair(JOINT, 4, "ann", "South", "p2", G, R, other="bob"),
        pair(JOINT, 4, "bob", "South", "p2", R, G, other="ann"),
    ]
    groups = calibrate(pairs)
    kinds = [group.kind for group in groups]
    assert kinds == ["overall", "auditor", "auditor", "team", "team", "process", "process", "joint"]
    overall, ann, bob, north, south, p1, p2, joint = groups
    assert (overall.pairs, overall.joint_pairs) == (5, 1)
    assert (ann.name, ann.pairs, ann.joint_pairs) == ("Ann", 4, 1)
    assert (bob.name, bob.pairs, bob.joint_pairs) == ("Bob", 3, 1)
    assert (north.pairs, south.pairs) == (2, 3)
    assert (p1.name, p1.key, p2.pairs) == ("P1", "p1", 3)
    assert joint.pairs == 1 and joint.exact_agreement == 0 and joint.direction is None
    # direction uses moderation pairs only: ann (0 + 1 + 1) / 3; bob (0 + 1) / 2
    assert ann.direction == pytest.approx(2 / 3)
    assert bob.direction == pytest.approx(1 / 2)
    # overall direction counts the moderated joint audit once: (0 + 1 + 0 + 1) / 4
    assert overall.direction == pytest.approx(1 / 2)
    assert sum(map(sum, overall.matrix)) == 4
    assert all(group.too_few and group.warning for group in groups)
    assert "Ann and their moderator or fellow joint auditor" in ann.reading
    assert "Bob and their moderator or fellow joint auditor" in bob.reading
    assert overall.as_dict()["weighted_kappa"] == round(overall.weighted_kappa, 4)


def test_calibrate_on_the_mixed_table_gives_the_hand_figures():
    pairs = [pair(MODERATION, n, "ann", "North", "p1", a, b) for n, (a, b) in enumerate(MIXED)]
    overall, ann, north, p1, joint = calibrate(pairs)
    for group in (overall, ann, north, p1):
        assert group.pairs == 10 and not group.too_few and group.warning is None
        assert group.exact_agreement == pytest.approx(0.7)
        assert group.weighted_kappa == pytest.approx(12 / 17)
        assert group.direction == pytest.approx(0.3)
    assert ann.reading.startswith("Substantial agreement: Ann and the moderator mostly")
    assert joint.pairs == 0 and joint.weighted_kappa is None
    assert joint.as_dict() == {
        "key": "joint",
        "name": "Joint audits",
        "pairs": 0,
        "joint_pairs": 0,
        "exact_agreement": None,
        "weighted_kappa": None,
        "direction": None,
        "reading": "No pairs in this period, so there is nothing to measure yet.",
        "verdict": "No pairs",
        "warning": warning(0),
    }


def test_calibrate_sorts_auditors_by_pairs_then_name():
    pairs = [pair(MODERATION, 1, "zoe", "T", "p", G, G)]
    pairs += [pair(MODERATION, 2 + n, "amy", "T", "p", G, G) for n in range(2)]
    pairs += [pair(MODERATION, 9, "bea", "T", "p", G, G)]
    names = [group.name for group in calibrate(pairs) if group.kind == "auditor"]
    assert names == ["Amy", "Bea", "Zoe"]


@pytest.mark.parametrize(
    ("first", "last", "problems"),
    [
        ("2026-13", "2026-12", {"from": "Enter the start month as YYYY-MM"}),
        ("June", "2026-12", {"from": "Enter the start month as YYYY-MM"}),
        ("2026-01", "26-1", {"to": "Enter the end month as YYYY-MM"}),
        ("2026-01", "", {"to": "Enter the end month as YYYY-MM"}),
        (
            "2026-00",
            "2026-1",
            {"from": "Enter the start month as YYYY-MM", "to": "Enter the end month as YYYY-MM"},
        ),
        ("2026-07", "2026-06", {"to": "The end month must be the same as or after"}),
    ],
)
def test_bad_periods_are_refused_naming_every_problem(first, last, problems):
    with pytest.raises(PeriodError) as raised:
        Period.parse(first, last)
    found = raised.value.problems
    assert set(found) == set(problems)
    assert all(found[name].startswith(start) for name, start in problems.items())


def test_a_period_runs_from_the_first_day_to_the_first_day_after():
    period = Period.parse("2026-11", "2027-01")
    assert (period.start, period.end) == (datetime(2026, 11, 1), datetime(2027, 2, 1))
    assert period.label == "November 2026 to January 2027"
    assert Period.parse("2026-12", "2026-12").end == datetime(2027, 1, 1)
    assert Period.parse("2026-12", "2026-12").label == "December 2026"
    assert Period.ending(date(2026, 3, 15)) == Period(date(2025, 10, 1), date(2026, 3, 1))


# Properties, on any pairs of grades.
grades = st.sampled_from(GRADE_SCALE)
pair_lists = st.lists(st.tuples(grades, grades), min_size=1, max_size=40)


def _exact_kappa(pairs):
    """The kappa again, straight from the definition, in fractions (an independent oracle)."""
    k, n = len(GRADE_SCALE), len(pairs)
    index = {grade: i for i, grade in enumerate(GRADE_SCALE)}

    def w(a, b):
        return 1 - Fraction(abs(index[a] - index[b]), k - 1)

    observed = sum(w(a, b) for a, b in pairs) / n
    expected = sum(w(a, b) for a, _ in pairs for _, b in pairs) / n**2
    return None if expected == 1 else (observed - expected) / (1 - expected)


@given(pair_lists)
def test_kappa_agrees_with_the_definition(pairs):
    exact = _exact_kappa(pairs)
    kappa = weighted_kappa(pairs)
    assert kappa == (None if exact is None else pytest.approx(float(exact)))


@given(pair_lists)
def test_kappa_lies_between_minus_one_and_one(pairs):
    # ≤ 1 as p_o ≤ 1; ≥ −1 because |i − j| is a metric of negative type on the line
    # (energy distance), so the observed disagreement is at most twice the expected.
    kappa = weighted_kappa(pairs)
    assert kappa is None or -1 <= kappa <= 1 + 1e-12


@given(pair_lists)
def test_exact_agreement_is_a_share(pairs):
    assert 0 <= exact_agreement(pairs) <= 1


@given(pair_lists)
def test_kappa_is_one_exactly_when_every_pair_agrees(pairs):
    kappa = weighted_kappa(pairs)
    if kappa is not None:
        assert (kappa == 1) == all(a == b for a, b in pairs)
    else:  # undefined only when both sides gave one and the same grade throughout
        assert len({grade for p in pairs for grade in p}) == 1


@given(pair_lists)
def test_kappa_does_not_depend_on_which_rater_comes_first(pairs):
    swapped = [(b, a) for a, b in pairs]
    assert weighted_kappa(swapped) == weighted_kappa(pairs)
    assert exact_agreement(swapped) == exact_agreement(pairs)
    assert direction(swapped) == pytest.approx(-direction(pairs))
