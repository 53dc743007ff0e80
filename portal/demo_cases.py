"""What the demo council's case import says about each case: the child's characteristics,
the case's flags, and the family's (invented) name and address.

Drawn from a random generator seeded with the case's reference, so a case gets the same
details on every run and the rest of the demo plan is not disturbed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from portal.models.cases import CaseType

AGE_WEIGHTS = {"UNBORN": 3, "0": 10, "1-4": 20, "5-9": 25, "10-15": 30, "16-17": 12}
SEX_WEIGHTS = {"M": 50, "F": 48, "U": 2}
# roughly a shire council's children in need; None: not recorded
ETHNICITY_WEIGHTS = {
    "WBRI": 68, "WOTH": 5, "WIRI": 1, "WROM": 1, "WIRT": 1, "MWBC": 3, "MWBA": 2,
    "MWAS": 2, "MOTH": 2, "AIND": 2, "APKN": 3, "ABAN": 1, "AOTH": 1, "BCRB": 2,
    "BAFR": 3, "BOTH": 1, "CHNE": 1, "OOTH": 1, "REFU": 1, "NOBT": 1, None: 4,
}  # fmt: skip
DISABILITY_WEIGHTS = {"YES": 10, "NO": 78, "UNKNOWN": 6, None: 6}
# the flags a case of each type may carry, with their weights
FLAG_WEIGHTS = {
    CaseType.CP: {
        "NEGLECT": 45, "EMOTIONAL_ABUSE": 25, "PHYSICAL_ABUSE": 15, "SEXUAL_ABUSE": 5,
        "DOMESTIC_ABUSE": 30, "PARENTAL_SUBSTANCE_MISUSE": 15,
    },
    CaseType.S47: {
        "PHYSICAL_ABUSE": 30, "NEGLECT": 25, "SEXUAL_ABUSE": 10, "DOMESTIC_ABUSE": 25,
        "CSE": 5,
    },
    CaseType.CIN: {
        "NEGLECT": 25, "DOMESTIC_ABUSE": 30, "PARENTAL_MENTAL_HEALTH": 25,
        "PARENTAL_SUBSTANCE_MISUSE": 15, "YOUNG_CARER": 5, "SELF_HARM": 5,
    },
    CaseType.CLA: {
        "NEGLECT": 40, "EMOTIONAL_ABUSE": 15, "MISSING": 10, "CSE": 8, "CCE": 6, "UASC": 5,
    },
    CaseType.CARE_LEAVER: {"UASC": 15, "SELF_HARM": 5, "CCE": 5},
    CaseType.EARLY_HELP: {
        "DOMESTIC_ABUSE": 20, "PARENTAL_MENTAL_HEALTH": 20, "NEGLECT": 10, "YOUNG_CARER": 8,
    },
    CaseType.MASH_CONTACT: {
        "DOMESTIC_ABUSE": 35, "NEGLECT": 20, "PHYSICAL_ABUSE": 15, "MISSING": 5, "CSE": 5,
    },
}  # fmt: skip
# how many flags a case of a type with flags carries, with their weights
FLAG_COUNTS = {0: 25, 1: 50, 2: 25}
TITLES = ("Ms", "Mrs", "Mr", "Miss", "Mx")
PARENT_NAMES = """Amy Becky Donna Kelly Lisa Natalie Shannon Stacey Tasha Zoe Farah Nadia
Dean Gary Lee Darren Jason Wayne Shane Karl Imran Kofi"""
FAMILY_SURNAMES = """Ashworth Barlow Bradshaw Dawson Fenton Holt Kershaw Lomax Marsden Nuttall
Pickup Ramsden Shaw Tattersall Whittaker Akhtar Bashir Iqbal Mahmood Mensah Okoro Popescu
Rossi Sadowski Duffy Kavanagh Quinn"""
STREETS = """Albert Victoria Station Mill Church Chapel Park Oak Elm Ash Beech Moor Brook
Hollins Lark Meadow Willow Cross Bank"""
STREET_ENDINGS = ("Road", "Street", "Lane", "Close", "Avenue", "Terrace", "Way", "Grove")
TOWNS = (("Northbrook", "NB"), ("Southmoor", "SM"), ("Eastfield", "EF"), ("Westholme", "WH"))


@dataclass(frozen=True)
class DemoCaseDetails:
    """The details the demo's case import carries for one case."""

    age_band: str | None
    sex: str | None
    ethnicity: str | None
    disability: str | None
    flags: frozenset[str]
    family_name: str
    family_address: str

    def columns(self) -> dict[str, str | None]:
        """The details held in the case's own columns (all but the flags)."""
        return {
            "age_band": self.age_band,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "disability": self.disability,
            "family_name": self.family_name,
            "family_address": self.family_address,
        }


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_case_details(reference: str, case_type: CaseType) -> DemoCaseDetails:
    """The details of the demo case *reference*, plausible for its *case_type*."""
    rng = random.Random(f"demo-case/{reference}")
    surname = rng.choice(FAMILY_SURNAMES.split())
    town, postcode_area = rng.choice(TOWNS)
    address = "\n".join(
        [
            f"{rng.randint(1, 180)} {rng.choice(STREETS.split())} {rng.choice(STREET_ENDINGS)}",
            town,
            f"{postcode_area}{rng.randint(1, 9)} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        ]
    )
    if case_type is CaseType.FOSTERING:  # the foster carers' household: no child recorded
        name = f"Mr and Mrs {surname}"
        return DemoCaseDetails(None, None, None, None, frozenset(), name, address)
    name = f"{rng.choice(TITLES)} {rng.choice(PARENT_NAMES.split())} {surname}"
    age_band = "18+" if case_type is CaseType.CARE_LEAVER else _pick(rng, AGE_WEIGHTS)
    flags: set[str] = set()
    if weights := FLAG_WEIGHTS.get(case_type):
        for _ in range(_pick(rng, FLAG_COUNTS)):
            flags.add(_pick(rng, weights))
    return DemoCaseDetails(
        age_band=age_band,
        sex=_pick(rng, SEX_WEIGHTS),
        ethnicity=_pick(rng, ETHNICITY_WEIGHTS),
        disability=_pick(rng, DISABILITY_WEIGHTS),
        flags=frozenset(flags),
        family_name=name,
        family_address=address,
    )
