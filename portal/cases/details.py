"""What the case import says about a case, in the words staff read."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models.cases import Case
from portal.models.characteristics import (
    AGE_BANDS,
    DISABILITIES,
    ETHNICITIES,
    FLAGS,
    SEXES,
    label_of,
)


@dataclass(frozen=True)
class CaseDetails:
    """The case's flags and the child's characteristics, as labels."""

    flags: list[str]
    child: list[tuple[str, str]]


def case_details(case: Case) -> CaseDetails:
    """The labels of *case*'s flags and of the child's characteristics ("Not recorded"
    for those the import did not give)."""
    return CaseDetails(
        flags=[label_of(FLAGS, flag) for flag in sorted(case.flags)],
        child=[
            ("Age band", label_of(AGE_BANDS, case.age_band)),
            ("Sex", label_of(SEXES, case.sex)),
            ("Ethnicity", label_of(ETHNICITIES, case.ethnicity)),
            ("Disability", label_of(DISABILITIES, case.disability)),
        ],
    )
