"""What the case import may say about the child and the case: fixed lists with codes.

The child's age band, sex, ethnicity (the categories of the Children in Need census) and
disability, and the case's flags (the concerns the case system records, such as neglect).
Each list maps a code, stored on the case, to the label staff read. :func:`parse_code`
reads a code or a label from the case system's file, ignoring case and spacing.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The child's age band, youngest first.
AGE_BANDS: dict[str, str] = {
    "UNBORN": "Unborn",
    "0": "Under 1",
    "1-4": "1 to 4",
    "5-9": "5 to 9",
    "10-15": "10 to 15",
    "16-17": "16 to 17",
    "18+": "18 and over",
}
AGE_BAND_ALIASES: dict[str, tuple[str, ...]] = {
    "0": ("under 1", "<1", "0-1"),
    "18+": ("18 plus", "over 18", "18-25"),
}

#: The child's sex, as the Children in Need census records it.
SEXES: dict[str, str] = {"M": "Male", "F": "Female", "U": "Not known"}
SEX_ALIASES: dict[str, tuple[str, ...]] = {"U": ("unknown", "not stated", "not recorded")}

#: The ethnicity categories of the Children in Need census, by their census codes.
ETHNICITIES: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

#: Whether the child has a disability.
DISABILITIES: dict[str, str] = {"YES": "Disabled", "NO": "Not disabled", "UNKNOWN": "Not known"}
DISABILITY_ALIASES: dict[str, tuple[str, ...]] = {
    "YES": ("y", "yes", "true", "1"),
    "NO": ("n", "no", "false", "0"),
    "UNKNOWN": ("not known", "unknown"),
}

#: The concerns a case may be flagged with (the factors of the Children in Need census).
FLAGS: dict[str, str] = {
    "NEGLECT": "Neglect",
    "PHYSICAL_ABUSE": "Physical abuse",
    "EMOTIONAL_ABUSE": "Emotional abuse",
    "SEXUAL_ABUSE": "Sexual abuse",
    "DOMESTIC_ABUSE": "Domestic abuse",
    "CSE": "Child sexual exploitation",
    "CCE": "Child criminal exploitation",
    "MISSING": "Going missing",
    "GANGS": "Gangs",
    "TRAFFICKING": "Trafficking",
    "FGM": "Female genital mutilation",
    "PARENTAL_SUBSTANCE_MISUSE": "Parental substance misuse",
    "PARENTAL_MENTAL_HEALTH": "Parental mental health",
    "SELF_HARM": "Self-harm",
    "YOUNG_CARER": "Young carer",
    "UASC": "Unaccompanied asylum-seeking child",
}
FLAG_ALIASES: dict[str, tuple[str, ...]] = {
    "DOMESTIC_ABUSE": ("domestic violence", "DV", "DA"),
    "CSE": ("sexual exploitation",),
    "CCE": ("criminal exploitation",),
    "MISSING": ("missing",),
    "SELF_HARM": ("self harm",),
    "UASC": ("unaccompanied asylum seeking child",),
}

#: How flags are separated in one cell of the file.
FLAG_SEPARATOR = ";"
#: Longest family name and postal address kept (the columns hold this much).
FAMILY_NAME_MAX_LENGTH = 200
FAMILY_ADDRESS_MAX_LENGTH = 500


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def parse_code(
    text: str,
    codes: Mapping[str, str],
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    *,
    what: str,
) -> str:
    """The code of *codes* that *text* names by its code, its label or an alias.

    Raises ``ValueError`` naming the accepted codes when *text* names none of them.
    """
    wanted = _folded(text)
    for code, label in codes.items():
        names = {_folded(code), _folded(label)}
        names.update(_folded(alias) for alias in (aliases or {}).get(code, ()))
        if wanted in names:
            return code
    raise ValueError(f"unknown {what} {text!r} (use one of {', '.join(codes)})")


def label_of(codes: Mapping[str, str], code: str | None, missing: str = "Not recorded") -> str:
    """The label of *code* in *codes*; *missing* when the case has none."""
    if code is None:
        return missing
    return codes.get(code, code)
