"""Plain English for the letters to families: the service's jargon in plain words, and
sentences that end with one full stop.

The actions of a review's plan are written by staff for staff ("Audit all CIN plans for
chronologies"); a family reads them in the "you said, we did" letter. :func:`plain` puts
each term of :data:`GLOSSARY` in the words a family would use; :func:`jargon_in` finds the
terms left in a letter someone has edited, so the page can point them out.
"""

from __future__ import annotations

import re

#: The service's jargon and its plain words, longest first (a plural before its singular,
#: a phrase before its abbreviation).
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("CIN plans", "plans to support children in need"),
    ("CIN plan", "plan to support a child in need"),
    ("CP plans", "child protection plans"),
    ("CP plan", "child protection plan"),
    ("CLA", "children in our care"),
    ("LAC", "children in our care"),
    ("CIN", "children in need"),
    ("CP", "child protection"),
    ("ICPCs", "child protection conferences"),
    ("ICPC", "child protection conference"),
    ("RCPC", "child protection review conference"),
    ("CSC", "children's social care"),
    ("EH", "early help"),
    ("MASH", "the team that first hears about worries for a child"),
    ("TAF", "team around the family"),
    ("SWs", "social workers"),
    ("SW", "social worker"),
    ("TMs", "team managers"),
    ("TM", "team manager"),
    ("PLO", "the pre-proceedings process"),
    ("chronologies", "timelines of what has happened"),
    ("chronology", "timeline of what has happened"),
)


def _with_capitals(glossary: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """*glossary* with each lower-case term also as it starts a sentence ("Chronologies
    are ..."), its plain words capitalised too; the order kept."""
    terms = []
    for term, words in glossary:
        terms.append((term, words))
        if term[0].islower():
            terms.append((term[0].upper() + term[1:], words[0].upper() + words[1:]))
    return terms


_TERMS_FOUND = _with_capitals(GLOSSARY)
_TERMS = re.compile(
    r"\b(" + "|".join(re.escape(term) for term, _ in _TERMS_FOUND) + r")\b",
)
_PLAIN = dict(_TERMS_FOUND)
_FULL_STOPS = re.compile(r"(?<!\.)\.\.(?!\.)")  # two full stops, not an ellipsis


def plain(text: str) -> str:
    """*text* with each term of the glossary in plain words."""
    return _TERMS.sub(lambda found: _PLAIN[found.group(1)], text)


def jargon_in(text: str) -> list[tuple[str, str]]:
    """The glossary's terms in *text*, once each in the order found, with their plain words."""
    found = dict.fromkeys(match.group(1) for match in _TERMS.finditer(text))
    return [(term, _PLAIN[term]) for term in found]


def sentence(text: str) -> str:
    """*text* as one sentence: trimmed, a capital letter first, and one full stop at the end
    (none added after a question or an exclamation mark)."""
    text = text.strip().rstrip(" .")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(("?", "!")) else f"{text}."


def one_full_stop(text: str) -> str:
    """*text* with no double full stops (an ellipsis stays)."""
    return _FULL_STOPS.sub(".", text)
