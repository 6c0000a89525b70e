"""Triage over a whole conversation: codes so far, what is new at this turn, the level reached."""
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from bot.triage.rules import Rules, highest_level, level_rank


@dataclass
class TriageState:
    codes: List[str]
    new_codes: List[str]
    level: Optional[str]
    uncertain: List[str]
    escalating: List[str]  # new codes that need a referral (above self-care)


def assess(
    rules: Rules,
    findings: List[Dict],
    flagged_before: Iterable[str],
    level_before: Optional[str],
    confirmed: Iterable[str] = (),
) -> TriageState:
    """Combine per-message findings (oldest first; the last is this turn's) with what was known.

    Codes never disappear and the level never goes down. Concepts found in different messages
    combine too: "my back is in spasm" then "I can't feel anything when I wipe". Codes of earlier
    messages count as known even if the slot that recorded them was lost.
    """
    before = set(flagged_before or []) | _codes(rules, findings[:-1])
    codes = before | set(confirmed) | _codes(rules, findings)
    level = highest_level([level_before, rules.level_of(codes)])
    latest = findings[-1] if findings else {}
    uncertain = [c for c in latest.get("uncertain", []) if c not in codes]
    new = sorted(codes - before)
    escalating = [c for c in new if c in rules.codes and level_rank(rules.codes[c].level) > 1]
    return TriageState(sorted(codes), new, level, uncertain, escalating)


def _codes(rules: Rules, findings: List[Dict]) -> set:
    """Codes found in the messages, alone or by combining concepts across them."""
    codes, concepts = set(), set()
    for found in findings:
        codes |= set(found.get("codes", []))
        concepts |= set(found.get("concepts", []))
    return codes | rules.codes_for({code: concepts for code in rules.codes})
