"""Masking what clients type: e-mail addresses, phone numbers, postcodes, street addresses, dates of
birth and names.

Names are found after the cues people use to give them ("my name is …", "call me …", "I'm Sarah",
"thanks, Tom"); a name found once is masked everywhere in that conversation. A date is masked only
after a cue that makes it a date of birth ("dob", "born on", "date of birth:"): the dates and
durations of symptoms stay readable. Masking is the console's and the exports' default; staff with
the `reveal_pii` permission can ask to see the text.

Every pattern runs in time linear in the text. Client text and sender ids come from anyone who can
reach the assistant (the REST channel takes an id of any length) and are masked on the console's
only event loop, where a pattern that backtracks over the whole text from every position froze the
console for minutes on one 200,000-character id. So every repetition is bounded (what can match at
one position is at most a few dozen characters long), repetitions inside repetitions never overlap
(a word and the spaces around it share no character), and names are matched through a trie rather
than a list of alternatives.
"""
import re
from typing import Dict, Iterable, List, Set

# RFC 5321 bounds: a local part of at most 64 characters, labels of at most 63.
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# 7 to 15 digits, optionally led by + and split by spaces, dashes, dots or brackets.
PHONE = re.compile(r"(?<![\w+])(?:\+|\()?\d(?:[\s\-.()]{0,2}\d){6,14}(?!\w)")
# UK postcodes, the outward code (SW1A, M1, B33, CR2) and the inward one (1AA), space optional. The
# inward letters never include C, I, K, M, O or V, so doses and distances ("b12 1mg") are kept.
POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]|\d{1,2}|[A-HK-Y]\d[ABEHMNPRV-Y]|"
                      r"[A-HK-Y]\d{1,2})|GIR)\s{0,2}\d[ABD-HJLNP-UW-Z]{2}\b", re.I)
# Words that are never part of a street's name: they make "3 days ago", "10 to 15 minutes" or
# "2 miles up the hill" what they are.
_NOT_STREET = ("a|about|after|ago|along|an|and|are|around|at|bad|before|by|days?|degrees|down|each|"
               "every|for|from|glasses|had|has|have|her|his|hours?|hrs?|in|into|is|it|its|km|laps|"
               "less|miles?|metres?|meters?|mg|mins?|minutes?|ml|months?|more|my|nights?|of|off|on|"
               "or|our|out|over|per|reps|round|seconds?|secs?|sets|steps|than|that|the|their|these|"
               "this|those|times?|to|under|up|very|was|weeks?|were|with|years?|your")
_STREET_WORD = rf"(?!(?:{_NOT_STREET})\b)[A-Za-z][A-Za-z'\-]{{0,29}}"
_STREET_TYPE = ("street|st|road|rd|avenue|ave|lane|drive|close|way|crescent|place|court|gardens|"
                "terrace|grove|square|hill|park|mews|row|walk|rise|parade|boulevard")
_HOUSE = r"\d{1,4}[A-Za-z]?\b,?"
# A house number, one to three words and a street type ("12 Acacia Avenue", "221b Baker St"), led
# by the flat if there is one ("Flat 3, 45 High Street").
ADDRESS = re.compile(rf"\b(?:(?:flat|apartment|apt|unit)\.?\s{{0,2}}{_HOUSE}\s{{1,3}})?"
                     rf"{_HOUSE}\s{{1,3}}(?:{_STREET_WORD}\s{{1,3}}){{1,3}}(?:{_STREET_TYPE})\b",
                     re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b"
_YEAR = r",?\s{0,2}(?:\d{4}|\d{2})\b"
_DATE = (r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b|"
         rf"{_DAY}\s{{0,2}}(?:of\s{{1,2}})?{_MONTH}(?:{_YEAR})?|"
         rf"{_MONTH}\s{{0,2}}(?:{_DAY}(?:{_YEAR})?|\d{{4}}\b)")
# A date after a cue that makes it a date of birth; the cue is kept ("dob [date of birth]").
DATE_OF_BIRTH = re.compile(
    r"(?P<cue>\b(?:d\.o\.b\.?|dob|date of birth|birth\s?date|birthday|born(?:\s{1,2}on)?)"
    rf"(?:\s{{0,3}}(?:is|was|on|in|:|-|=)){{0,2}}\s{{0,3}}(?:the\s{{1,3}})?)(?:{_DATE})", re.I)
_WORD = r"[A-Za-z][A-Za-z'\-]{0,39}(?![A-Za-z'\-])"  # a name is at most 40 letters long
# Cues after which the next words are a name whatever their case ("my name is alice"). The words
# are read in a lookahead, so that the next search starts right after the cue: "my name is Tom
# call me Tommy" has two names.
_STRONG = re.compile(rf"\b(?:my name is|my name's|name is|name:|call me|i'?m called|i am called)"
                     rf"\s{{1,5}}(?=((?:{_WORD})(?:\s{{1,5}}{_WORD}){{0,2}}))", re.I)
# Cues after which only capitalised words are taken as a name ("I'm Sarah", "thanks, Tom").
_WEAK = re.compile(r"\b(?:i'?m|i am|this is|it'?s|thanks|thank you|cheers|regards|kind regards)"
                   r",?\s{1,5}(?=([A-Z][a-z'\-]{1,39}(?:\s{1,5}[A-Z][a-z'\-]{1,39})?)\b)", re.I)
# Words that end a name or are never one (checked case-insensitively).
_NOT_NAMES = frozenset("""
a afraid an and anxious are at back bad but call can concerned cramp cramping diabetic feeling fine
for from getting going good got had has have here hi hello how hurting i im in injured is it just
me much my new no not now of ok okay old on only or out please pregnant pretty quite really same
scared since so sore sorry still struggling sure that the then there thanks this to too unsure
very was well what when with worried worse yes you
""".split())

EMAIL_MASK, PHONE_MASK, NAME_MASK = "[email]", "[phone]", "[name]"
POSTCODE_MASK, ADDRESS_MASK, DATE_OF_BIRTH_MASK = "[postcode]", "[address]", "[date of birth]"
# In this order: a date of birth written 03-04-1985 would otherwise be taken for a phone number.
_DETAILS = ((EMAIL, EMAIL_MASK), (DATE_OF_BIRTH, r"\g<cue>" + DATE_OF_BIRTH_MASK),
            (PHONE, PHONE_MASK), (POSTCODE, POSTCODE_MASK), (ADDRESS, ADDRESS_MASK))
# Sender ids are cut to this many characters once masked, and marked with TRUNCATED.
MAX_IDENTIFIER_CHARS = 100
TRUNCATED = "…"
# The letters other than A-Z that [A-Za-z] matches under IGNORECASE, as the ASCII letter they match.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _name_words(candidate: str) -> List[str]:
    words = []
    for word in candidate.split():
        if word.lower() in _NOT_NAMES:
            break
        words.append(word)
    return words


def find_names(text: str) -> Set[str]:
    """Names a client gave in one message."""
    names = set()
    for match in _STRONG.finditer(text):
        names.update(_name_words(match.group(1)))
    for match in _WEAK.finditer(text):
        names.update(w for w in _name_words(match.group(1)) if w[0].isupper())
    return {name for name in names if len(name) > 1}


def _trie(words: Iterable[str]) -> Dict[str, Dict]:
    """The words letter by letter, folded as IGNORECASE compares them, "" marking a word's end."""
    root: Dict[str, Dict] = {}
    for word in words:
        node = root
        for letter in word.translate(_FOLD).lower():
            node = node.setdefault(letter, {})
        node[""] = {}
    return root


def _alternatives(node: Dict[str, Dict]) -> str:
    """A pattern for the words below `node`. As a trie, at most one branch goes on at any letter,
    so trying every name at a position costs the length of the longest name, not the number of
    names (a list of 10,000 alternatives is tried one by one at every word). Longer words come
    first, as in a list sorted longest first: "Mary-Jane" is one name, not "Mary" and "-Jane"."""
    branches = [re.escape(letter) + _alternatives(child)
                for letter, child in sorted(node.items()) if letter]
    if not branches:
        return ""
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


class Masker:
    """Masks contact details, postcodes, addresses, dates of birth and the names found anywhere in
    one conversation."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        names = set().union(*(find_names(t) for t in texts))
        self._names = re.compile(rf"\b{_alternatives(_trie(names))}\b", re.I) if names else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        for pattern, mask in _DETAILS:
            text = pattern.sub(mask, text)
        return self._names.sub(NAME_MASK, text) if self._names else text


def mask_identifier(sender_id: str) -> str:
    """A sender id (a phone number for WhatsApp or SMS, an id elsewhere), contact details hidden.
    Cut to MAX_IDENTIFIER_CHARS after masking (so no e-mail or number is cut in two and left
    half-shown): pages list ids, and the REST channel takes one of any length."""
    masked = PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, sender_id))
    if len(masked) <= MAX_IDENTIFIER_CHARS:
        return masked
    cut = masked[:MAX_IDENTIFIER_CHARS]
    opened = cut.rfind("[")
    if opened >= 0 and "]" not in cut[opened:]:
        cut = cut[:opened]  # a mask cut in two: drop its first half
    return cut + TRUNCATED
