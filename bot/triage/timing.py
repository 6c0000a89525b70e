"""How long ago something happened, read from lay time expressions ("3 weeks ago", "in 2009")."""
import re
from datetime import date
from typing import Optional

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "few": 3, "couple": 2, "couple of": 2, "several": 4, "many": 10,
}
_UNIT_WEEKS = {"day": 1 / 7, "week": 1, "wk": 1, "fortnight": 2, "month": 4.3, "year": 52, "yr": 52,
               "decade": 520}
_NUMBER = r"(\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(day|week|wk|fortnight|month|year|yr|decade)s?"
# "3 weeks ago"; a range ("2 or 3 months ago", "2-3 weeks ago") counts from its recent end
_AGO = re.compile(_NUMBER + r"(?:\s*(?:or|to|-)\s*" + _NUMBER + r")?\s+" + _UNIT + r"\s+(ago|back)")
_BARE_AGO = re.compile(r"\b(years|decades|ages|months|weeks|days)\s+(ago|back)")
_LAST = re.compile(r"\b(last|past|this)\s+(week|month|year|summer|winter|spring|autumn|fall)")
# "in 2019", or a year standing alone at a clause's end ("slurring at a wedding - champagne, 2018"),
# not a count ("2000 steps", "1500 ml")
_YEAR = re.compile(r"\b(in|since|back in)\s+((19|20)\d\d)\b"
                   # not what year someone believes it is ("he's muddled, he thinks it's 1985")
                   r"|(?<![\d.,£$€])(?<!it's )(?<!its )(?<!it is )\b((19[5-9]|20[0-2])\d)\b"
                   # not a count ("2000 steps"), unless a postposition follows: "2015 mein" (Urdu),
                   # glossed "2015 in"; "2019 yilinda" (Turkish)
                   r"(?!\s*(?!(?:in|mein|me|mai|yilinda|yılında)\b)[a-z0-9%£$€/:])")
_RECENT = re.compile(r"\b(yesterday|today|tonight|this morning|last night|just|recently|recent)\b")
_BARE_WEEKS = {"days": 0.5, "weeks": 3, "months": 26, "years": 104, "decades": 520, "ages": 104}
_LAST_WEEKS = {"week": 1, "month": 4.3, "year": 52}


def _count(number: str) -> int:
    return int(number) if number.isdigit() else _NUMBERS[number]


_SINCE = re.compile(r"\bsince\s+(last|this|yesterday|about|around|early|late|\d|back|the (start|beginning|end)|"
                    r"a (few|couple|week|month|year|fortnight)|(mon|tues|wednes|thurs|fri|satur|sun)day|"
                    r"january|february|march|april|june|july|august|september|october|november|december|"
                    r"christmas|easter|the summer|the spring|the autumn|the winter)")


# "appendix out at 12", "done when I was 9": an age, not a clock time ("pain started at 11" is a time)
_AT_AGE = re.compile(r"\b(out|removed|done|taken out|operated on|op|operation|surgery|fixed)\s+"
                     r"(at|aged|at age|at the age of|when i was)\s+(\d{1,2})\b(?!\s*(am|pm|:|o'?clock))"
                     r"|\b(broke|broken|fractured|tore|torn|dislocated|injured|hurt|smashed)\b[\w\s']{0,30}?"
                     r"\b(at|aged|at age)\s+(1[3-9]|2[0-5])\b(?!\s*(am|pm|:|o'?clock|h\b))")


# a time to come: "starting a new tablet next week", "surgery in the summer", "op next year"
_FUTURE = re.compile(r"\b(next (week|month|year|summer|spring|autumn|winter|time)|tomorrow|in the "
                     r"(summer|spring|autumn|winter|new year)|in (a|two|three|a few|a couple of) "
                     r"(days|weeks|months)|later this (week|month|year)|on the waiting list|"
                     r"(hasn't|has not|hasnt|haven't|not) (happened|been done|been booked|booked) yet|"
                     r"not booked|no op yet|isn't booked|before my (op|operation|surgery)|"
                     r"(i'm|i am|im) (having|getting|booked in for|booked for|due|scheduled for|down for|"
                     r"waiting for) (a|an|my|the)?\s*\w*\s*(op|operation|surgery|replacement))\b")


# "put me on them in the spring", "the scan came back in the summer": a season told in the past
# tense is the last one, not one to come (not "I'm having it done in the summer")
_SEASON = re.compile(r"\bin the (summer|spring|autumn|winter)\b")
_TOLD_AS_PAST = re.compile(r"\b(was|were|had|did|came|started|began|got|went|put|took|found|showed|"
                           r"told|said|diagnosed|prescribed|switched|changed)\b")
_TO_COME = re.compile(r"\b(will|going to|gonna|having|getting|booked|due|scheduled|next)\b")


def weeks_ago(text: str, today: Optional[date] = None) -> Optional[float]:
    """Weeks since the time the text names, or None when it names none. A start date ("since last
    year I can't control my bladder") says the finding goes on now: 0; a time to come, -1."""
    text = re.sub(r"\s+(?=n't|'[a-z]+\b)", "", text.lower())  # tokens joined back: "i 'm" -> "i'm"
    if _TOLD_AS_PAST.search(text) and not _TO_COME.search(text):
        text = _SEASON.sub(r"last \1", text)
    if _SINCE.search(text):
        return 0
    if _FUTURE.search(text):
        return -1  # not yet: no finding about now
    if _AT_AGE.search(text):
        return 52 * 10  # a childhood or youth event: long past for any code
    found = _AGO.search(text)
    if found:
        counts = [_count(n) for n in found.group(1, 2) if n]
        return min(counts) * _UNIT_WEEKS[found.group(3)]
    found = _BARE_AGO.search(text)
    if found:
        return _BARE_WEEKS[found.group(1)]
    found = _YEAR.search(text)
    if found:
        return max(0, ((today or date.today()).year - int(found.group(2) or found.group(4)))) * 52
    found = _LAST.search(text)
    if found:
        return 0 if found.group(1) == "this" else _LAST_WEEKS.get(found.group(2), 26)
    if _RECENT.search(text):
        return 0
    return None
