"""Reading a client's free-text answers to the assessment questions (knowledge/assessment.yml)."""
import re
from functools import lru_cache
from typing import Dict, Iterable, Optional

from bot.triage.timing import weeks_ago

_FOR_DURATION = re.compile(
    r"\b(?:for|over|past|last)\s+(?:the\s+)?(?:(\d+|a|an|one|two|three|four|five|six|few|couple of|several)\s+)?"
    r"(day|week|month|year)s?\b"
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "few": 3, "couple of": 2, "several": 4}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_SCORE = re.compile(r"\b(10|[0-9])\s*(?:/|out of|outta)\s*10\b|\b(10|[0-9])\b")


@lru_cache(maxsize=None)
def _phrase(phrase: str) -> "re.Pattern[str]":
    """The phrase as whole words (compiled once: every form turn reads the trigger lists)."""
    return re.compile(r"\b" + re.escape(phrase) + r"\b")


def _has_phrase(text: str, phrases: Iterable[str]) -> bool:
    return any(_phrase(p).search(text) for p in phrases)


def onset_kind(text: Optional[str], rules: Dict) -> Optional[str]:
    """'acute' (ice), 'chronic' (heat) or None when the answer does not tell."""
    if not text:
        return None
    text = text.lower()
    days = None
    duration = _FOR_DURATION.search(text)
    if duration:
        count = duration.group(1)
        n = int(count) if count and count.isdigit() else _NUMBERS.get(count, 2)
        days = n * _UNIT_DAYS[duration.group(2)]
    else:
        ago = weeks_ago(text)
        days = None if ago is None else ago * 7
    if days is not None:
        if days <= rules["acute_days"]:
            return "acute"
        if days >= rules["chronic_weeks"] * 7:
            return "chronic"
    if _has_phrase(text, rules["chronic_words"]):
        return "chronic"
    if _has_phrase(text, rules["acute_words"]):
        return "acute"
    return None


def trigger_key(text: Optional[str], triggers: Dict) -> Optional[str]:
    """The triggers.yml key whose words appear in the answer (longest phrase wins), else None."""
    if not text:
        return None
    text = text.lower()
    best, best_len = None, 0
    for key, trigger in triggers.items():
        for word in trigger.get("words", []):
            if len(word) > best_len and _has_phrase(text, [word.lower()]):
                best, best_len = key, len(word)
    return best


def severity_score(text: Optional[str], rules: Dict) -> Optional[int]:
    """A 0-10 pain score from a number or from words ("mild", "agony")."""
    if not text:
        return None
    text = text.lower()
    found = _SCORE.search(text)
    if found:
        return int(found.group(1) or found.group(2))
    words = [word for word in rules["words"] if _has_phrase(text, [word])]
    # a word inside a longer phrase found too does not count on its own: "not bad" is not "bad"
    scores = [rules["words"][word] for word in words
              if not any(other != word and _has_phrase(other, [word]) for other in words)]
    return max(scores) if scores else None


def cannot_move(text: Optional[str], rules: Dict) -> bool:
    return bool(text) and _has_phrase(text.lower(), rules["cannot_move_words"])



def has_explicit_time(text: Optional[str]) -> bool:
    """Whether a message says when something started or for how long ("since Monday", "for 3 weeks")."""
    if not text:
        return False
    lowered = text.lower()
    return bool(weeks_ago(lowered) is not None or _FOR_DURATION.search(lowered)
                or re.search(r"\bsince\b", lowered))
