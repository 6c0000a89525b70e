"""Masking what clients type: e-mail addresses, phone numbers and names.

Names are found after the cues people use to give them ("my name is …", "call me …", "I'm Sarah",
"thanks, Tom"); a name found once is masked everywhere in that conversation. Masking is the
console's and the exports' default; staff with the `reveal_pii` permission can ask to see the text.
"""
import re
from typing import Iterable, List, Set

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 7 to 15 digits, optionally led by + and split by spaces, dashes, dots or brackets.
PHONE = re.compile(r"(?<![\w+])(?:\+|\()?\d(?:[\s\-.()]{0,2}\d){6,14}(?!\w)")
_WORD = r"[A-Za-z][A-Za-z'\-]*"
# Cues after which the next words are a name whatever their case ("my name is alice").
_STRONG = re.compile(rf"\b(?:my name is|my name's|name is|name:|call me|i'?m called|i am called)"
                     rf"\s+((?:{_WORD})(?:\s+{_WORD}){{0,2}})", re.I)
# Cues after which only capitalised words are taken as a name ("I'm Sarah", "thanks, Tom").
_WEAK = re.compile(r"\b(?:i'?m|i am|this is|it'?s|thanks|thank you|cheers|regards|kind regards)"
                   r",?\s+([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?)\b", re.I)
# Words that end a name or are never one (checked case-insensitively).
_NOT_NAMES = frozenset("""
a afraid an and anxious are at back bad but can concerned cramp cramping diabetic feeling fine
for from getting going good got had has have here hi hello how hurting i im in injured is it just
me much my new no not now of ok okay old on only or out please pregnant pretty quite really same
scared since so sore sorry still struggling sure that the then there thanks this to too unsure
very was well what when with worried worse yes you
""".split())

EMAIL_MASK, PHONE_MASK, NAME_MASK = "[email]", "[phone]", "[name]"


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


class Masker:
    """Masks e-mails, phone numbers and the names found anywhere in one conversation."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        names = set().union(*(find_names(t) for t in texts))
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._names = re.compile(rf"\b(?:{alternatives})\b", re.I) if names else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        text = EMAIL.sub(EMAIL_MASK, text)
        text = PHONE.sub(PHONE_MASK, text)
        return self._names.sub(NAME_MASK, text) if self._names else text


def mask_identifier(sender_id: str) -> str:
    """A sender id (a phone number for WhatsApp or SMS, an id elsewhere), contact details hidden."""
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, sender_id))
