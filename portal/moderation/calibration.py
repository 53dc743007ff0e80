"""Calibration: how closely auditors' overall grades agree with the moderator's.

Pure functions, no Flask and no database: the pairs come in as plain values and the
figures go out as plain values, so every number here can be checked by hand.

A *pair* is two grades given to one audit: the auditor's and the moderator's (a
moderation pair), or the two auditors' own judgements on a joint audit (a joint pair).

The figures:

* **Exact agreement**: the share of pairs whose two grades are equal.
* **Weighted kappa** (Cohen, linear weights): agreement corrected for the agreement
  chance alone would give, with partial credit for near misses. On *k* ordered grades
  (index *i* for the first grade, *j* for the second) the weight of a cell is
  ``w_ij = 1 − |i − j| / (k − 1)``; with *n* pairs, ``n_ij`` pairs in the cell and the
  row and column totals ``r_i`` and ``c_j``::

      p_o = Σ w_ij · n_ij / n             (observed, weighted agreement)
      p_e = Σ w_ij · r_i · c_j / n²       (agreement expected by chance)
      κ_w = (p_o − p_e) / (1 − p_e)

  Everything is worked in exact integers (see :func:`_weighted_kappa_terms`), so 1, 0
  and −1 come out exactly.
  κ_w always lies between −1 and 1.
* **Direction**: the mean of (auditor's rank − moderator's rank), on the ranks of
  :data:`~portal.audits.definition.OFSTED_GRADES` (4 outstanding … 1 inadequate).
  Above 0: auditors grade more generously than the moderator; below 0: more harshly.

Degenerate cases (decided here, tested in ``tests/moderation``):

* No pairs: every figure is ``None``.
* ``p_e = 1``: this happens only when both sides gave one and the same grade to every
  pair (and then ``p_o = 1`` too). Kappa is 0/0 there: the data cannot tell agreement
  from chance, because nobody ever used a second grade. It is ``None``, not 1.0; the
  reading says why and points to the exact agreement, which is 100%.
* A grade not on the scale is a ``ValueError``: the caller leaves such pairs out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.audits.definition import OFSTED_GRADES
from portal.timeutil import first_of_month

#: The four grades, best first; their order is what makes the scale ordinal.
GRADE_SCALE: tuple[str, ...] = tuple(
    grade.key for grade in sorted(OFSTED_GRADES, key=lambda grade: -grade.rank)
)
GRADE_LABELS: dict[str, str] = {grade.key: grade.label for grade in OFSTED_GRADES}
GRADE_RANKS: dict[str, int] = {grade.key: grade.rank for grade in OFSTED_GRADES}

#: Fewer pairs than this and the figures are shown with a warning.
TOO_FEW_PAIRS = 10

MODERATION = "moderation"
JOINT = "joint"

# Landis and Koch (1977): the upper bound of each band, on kappa rounded to 2 places.
_BANDS: tuple[tuple[float, str, str], ...] = (
    (
        0.20,
        "Slight agreement",
        "{who} agree little more often than chance would give, "
        "so they are not yet reading the grade descriptors the same way.",
    ),
    (
        0.40,
        "Fair agreement",
        "{who} share some of the benchmark, but differences are common; "
        "it is worth going through the grade descriptors together.",
    ),
    (
        0.60,
        "Moderate agreement",
        "{who} often grade alike, but still differ on a good number of audits.",
    ),
    (
        0.80,
        "Substantial agreement",
        "{who} mostly grade alike; differences are the exception.",
    ),
    (
        1.00,
        "Almost perfect agreement",
        "{who} grade alike nearly every time; the benchmark is shared.",
    ),
)
_POOR = (
    "Poor agreement",
    "{who} agree less often than chance would give, so the benchmark is not shared "
    "and needs a calibration session.",
)

Pair = tuple[str, str]


def _check(pairs: Sequence[Pair], categories: Sequence[str]) -> dict[str, int]:
    if len(categories) < 2 or len(set(categories)) != len(categories):
        raise ValueError("a kappa needs at least two distinct categories")
    index = {category: number for number, category in enumerate(categories)}
    for first, second in pairs:
        for grade in (first, second):
            if grade not in index:
                raise ValueError(f"grade {grade!r} is not one of {', '.join(categories)}")
    return index


def exact_agreement(pairs: Sequence[Pair]) -> float | None:
    """The share of *pairs* whose two grades are equal, from 0 to 1; None without pairs."""
    if not pairs:
        return None
    return sum(first == second for first, second in pairs) / len(pairs)


def confusion_matrix(
    pairs: Sequence[Pair], categories: Sequence[str] = GRADE_SCALE
) -> list[list[int]]:
    """Counts of pairs by first grade (rows) and second grade (columns), in *categories* order.

    For moderation pairs the rows are the auditor's grade and the columns the moderator's.
    """
    index = _check(pairs, categories)
    matrix = [[0] * len(categories) for _ in categories]
    for first, second in pairs:
        matrix[index[first]][index[second]] += 1
    return matrix


def _weighted_kappa_terms(pairs: Sequence[Pair], categories: Sequence[str]) -> tuple[int, int]:
    """Kappa as a ratio of two integers, ``(numerator, denominator)``.

    With integer weights ``W_ij = (k − 1) − |i − j|`` (the module's ``w_ij`` times
    ``k − 1``), multiplying ``p_o − p_e`` and ``1 − p_e`` by ``(k − 1) · n²`` gives::

        numerator   = n · Σ W_ij · n_ij − Σ W_ij · r_i · c_j
        denominator = (k − 1) · n² − Σ W_ij · r_i · c_j

    Exact, as fractions would be, at the cost of integer sums. The denominator is 0
    exactly when ``p_e = 1``.
    """
    matrix = confusion_matrix(pairs, categories)
    size, total = len(categories), len(pairs)
    rows = [sum(row) for row in matrix]
    columns = [sum(column) for column in zip(*matrix, strict=True)]
    top = size - 1
    observed = expected = 0
    for i in range(size):
        for j in range(size):
            weight = top - abs(i - j)
            observed += weight * matrix[i][j]
            expected += weight * rows[i] * columns[j]
    return total * observed - expected, top * total * total - expected


def weighted_kappa(pairs: Sequence[Pair], categories: Sequence[str] = GRADE_SCALE) -> float | None:
    """Cohen's kappa with linear weights on the ordered *categories* (see the module notes).

    None when there are no pairs, or when both sides gave one and the same grade every
    time (chance agreement is then 1 and kappa is 0/0). Raises ``ValueError`` for a grade
    not in *categories* or fewer than two categories.
    """
    if not pairs:
        _check(pairs, categories)
        return None
    numerator, denominator = _weighted_kappa_terms(pairs, categories)
    if denominator == 0:
        return None
    # int / int is the correctly rounded float of the exact ratio, as float(Fraction) was
    return numerator / denominator


def direction(pairs: Sequence[Pair]) -> float | None:
    """The mean of (first rank − second rank) over *pairs*, in grades; None without pairs.

    For moderation pairs a positive value means the auditors grade more generously than
    the moderator, a negative one more harshly.
    """
    if not pairs:
        return None
    _check(pairs, GRADE_SCALE)
    return sum(GRADE_RANKS[first] - GRADE_RANKS[second] for first, second in pairs) / len(pairs)


def disagreements(pairs: Sequence[Pair]) -> dict[int, int]:
    """How many pairs differ by one, two and three grades: ``{1: n, 2: n, 3: n}``."""
    _check(pairs, GRADE_SCALE)
    gaps = Counter(abs(GRADE_RANKS[first] - GRADE_RANKS[second]) for first, second in pairs)
    return {gap: gaps[gap] for gap in range(1, len(GRADE_SCALE))}


def _band(kappa: float) -> tuple[str, str]:
    shown = round(kappa, 2)
    if shown < 0:
        return _POOR
    return next((name, sentence) for upper, name, sentence in _BANDS if shown <= upper)


def band(kappa: float) -> str:
    """The Landis and Koch name of *kappa*'s band ("Moderate agreement"), on 2 places."""
    return _band(kappa)[0]


def reading(kappa: float | None, pairs: int, who: str = "the auditors and the moderator") -> str:
    """*kappa* in plain English, as a QA lead would say it; *who* names the two sides.

    *pairs* is the number of pairs behind the figure: with none, there is nothing to
    read; with some but no kappa, everyone gave one and the same grade.
    """
    if pairs == 0:
        return "No pairs in this period, so there is nothing to measure yet."
    if kappa is None:
        return (
            "Kappa cannot be worked out: both sides gave the same single grade every time, "
            "so agreement cannot be told apart from chance. Go by the exact agreement."
        )
    name, sentence = _band(kappa)
    return f"{name}: {sentence.format(who=who)}"


def verdict(kappa: float | None, pairs: int) -> str:
    """The reading in a few words, for a table cell: the band, or why there is none."""
    if pairs == 0:
        return "No pairs"
    if kappa is None:
        return "Not defined: one grade only"
    return band(kappa)


def warning(pairs: int) -> str | None:
    """A warning when *pairs* is below :data:`TOO_FEW_PAIRS`, else None."""
    if pairs >= TOO_FEW_PAIRS:
        return None
    counted = "no pairs" if pairs == 0 else f"only {pairs} pair{'s' if pairs != 1 else ''}"
    return (
        f"Based on {counted}: fewer than {TOO_FEW_PAIRS} pairs are too few for these "
        "figures to mean much. Read them as a prompt for discussion, not a finding."
    )


def leaning(value: float | None) -> str:
    """*value* from :func:`direction` as a sentence, to one decimal place.

    "Auditors grade higher (more generously) than the moderator by 0.3 of a grade on average."
    """
    if value is None:
        return "There are no moderated audits to compare with the moderator."
    size = abs(round(value, 1))
    if size == 0:
        return "Auditors and the moderator grade at the same level on average."
    way = "higher (more generously)" if value > 0 else "lower (more harshly)"
    amount = f"{size:.1f} of a grade" if size < 1 else f"{size:.1f} grades"
    return f"Auditors grade {way} than the moderator by {amount} on average."


@dataclass(frozen=True)
class GradedPair:
    """One calibration pair, with what it is grouped by.

    *grade_a* is the auditor's grade (for a joint pair, this auditor's own judgement);
    *grade_b* the moderator's (for a joint pair, the fellow auditor's). *unit* identifies
    the comparison itself: a moderated joint audit gives one pair per auditor, all with
    the same unit, and team, process and overall figures count each unit once.
    """

    kind: str  # MODERATION or JOINT
    unit: tuple
    auditor_key: str | None
    auditor_name: str | None
    team: str
    process_key: str
    process_name: str
    grade_a: str
    grade_b: str

    @property
    def grades(self) -> Pair:
        """The two grades, auditor's first."""
        return self.grade_a, self.grade_b


@dataclass(frozen=True)
class Group:
    """The calibration figures of one auditor, team, process, the joint audits or everyone."""

    kind: str
    key: str
    name: str
    pairs: int
    joint_pairs: int
    exact_agreement: float | None
    weighted_kappa: float | None
    reading: str
    verdict: str
    warning: str | None
    direction: float | None  # over moderation pairs only: None for the joint group
    matrix: list[list[int]] = field(default_factory=list)  # moderation pairs only
    disagreements: dict[int, int] = field(default_factory=dict)

    @property
    def too_few(self) -> bool:
        """True when there are fewer pairs than :data:`TOO_FEW_PAIRS`."""
        return self.pairs < TOO_FEW_PAIRS

    def as_dict(self) -> dict:
        """The figures as JSON-ready values (fractions to 4 places, None kept)."""
        return {
            "key": self.key,
            "name": self.name,
            "pairs": self.pairs,
            "joint_pairs": self.joint_pairs,
            "exact_agreement": _rounded(self.exact_agreement),
            "weighted_kappa": _rounded(self.weighted_kappa),
            "direction": _rounded(self.direction),
            "reading": self.reading,
            "verdict": self.verdict,
            "warning": self.warning,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _group(kind: str, key: str, name: str, members: list[GradedPair], who: str) -> Group:
    grades = [pair.grades for pair in members]
    moderated = [pair.grades for pair in members if pair.kind == MODERATION]
    kappa = weighted_kappa(grades)
    return Group(
        kind=kind,
        key=key,
        name=name,
        pairs=len(grades),
        joint_pairs=sum(pair.kind == JOINT for pair in members),
        exact_agreement=exact_agreement(grades),
        weighted_kappa=kappa,
        reading=reading(kappa, len(grades), who),
        verdict=verdict(kappa, len(grades)),
        warning=warning(len(grades)),
        direction=None if kind == "joint" else direction(moderated),
        matrix=confusion_matrix(moderated),
        disagreements=disagreements(grades),
    )


def _once_each(pairs: Iterable[GradedPair]) -> list[GradedPair]:
    seen: set[tuple] = set()
    unique = []
    for pair in pairs:
        if pair.unit not in seen:
            seen.add(pair.unit)
            unique.append(pair)
    return unique


def _grouped(
    pairs: list[GradedPair], key: Callable[[GradedPair], str | None]
) -> dict[str, list[GradedPair]]:
    groups: dict[str, list[GradedPair]] = defaultdict(list)
    for pair in pairs:
        value = key(pair)
        if value is not None:
            groups[value].append(pair)
    return groups


def calibrate(pairs: Iterable[GradedPair]) -> list[Group]:
    """The figures overall, per auditor, per team, per process and for the joint audits.

    Returns the overall group first, then the auditors (most pairs first), the teams and
    the processes (by name), and last the joint audits (always present, perhaps empty).
    An auditor's figures count every pair naming them; the others count each comparison
    once, so a moderated joint audit is one pair for its team, not two.
    """
    every = list(pairs)
    once = _once_each(every)
    everyone = "the auditors and the moderator"
    groups = [_group("overall", "overall", "All audits", once, everyone)]

    auditors = []
    for key, members in _grouped(every, lambda pair: pair.auditor_key).items():
        name = members[0].auditor_name or key
        other = "their moderator or fellow joint auditor"
        if all(pair.kind == MODERATION for pair in members):
            other = "the moderator"
        auditors.append(_group("auditor", key, name, members, f"{name} and {other}"))
    groups += sorted(auditors, key=lambda group: (-group.pairs, group.name.casefold()))

    for kind, key_of, name_of in (
        ("team", lambda pair: pair.team, lambda pair: pair.team),
        ("process", lambda pair: pair.process_key, lambda pair: pair.process_name),
    ):
        found = [
            _group(kind, key, name_of(members[0]), members, everyone)
            for key, members in _grouped(once, key_of).items()
        ]
        groups += sorted(found, key=lambda group: group.name.casefold())

    joint = [pair for pair in once if pair.kind == JOINT]
    groups.append(_group("joint", "joint", "Joint audits", joint, "the two auditors"))
    return groups


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be read; *problems* maps "from" and "to" to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(". ".join(problems.values()))
        self.problems = problems


def _month(text: str, which: str) -> date | str:
    """The first day of the month written ``YYYY-MM``, or what is wrong with *text*."""
    match = MONTH.match((text or "").strip())
    try:
        if match is None:
            raise ValueError
        return first_of_month(int(match[1]), int(match[2]))
    except ValueError:
        return f"Enter the {which} month as YYYY-MM, for example 2026-06, not {text!r}"


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from *first* to *last*: [first day of first, first day after last)."""

    first: date
    last: date

    @classmethod
    def parse(cls, first: str, last: str) -> Period:
        """The period from the months written ``YYYY-MM``; ``PeriodError`` naming every problem."""
        months = {"from": _month(first, "start"), "to": _month(last, "end")}
        problems = {name: month for name, month in months.items() if isinstance(month, str)}
        if problems:
            raise PeriodError(problems)
        period = cls(months["from"], months["to"])
        if period.first > period.last:
            raise PeriodError({"to": "The end month must be the same as or after the start month"})
        return period

    @classmethod
    def ending(cls, month: date, months: int = 6) -> Period:
        """The *months* whole months ending with the month of *month*."""
        index = month.year * 12 + month.month - 1 - (months - 1)
        return cls(date(index // 12, index % 12 + 1, 1), month.replace(day=1))

    @property
    def start(self) -> datetime:
        """The first moment of the period (naive UTC, as the tables store time)."""
        return datetime(self.first.year, self.first.month, 1)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        after = _next_month(self.last)
        return datetime(after.year, after.month, 1)

    @property
    def label(self) -> str:
        """ "June 2026 to November 2026", or "November 2026" for a single month."""
        if self.first == self.last:
            return f"{self.first:%B %Y}"
        return f"{self.first:%B %Y} to {self.last:%B %Y}"

    def as_dict(self) -> dict:
        """The period as JSON-ready values."""
        return {
            "from": f"{self.first:%Y-%m}",
            "to": f"{self.last:%Y-%m}",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
