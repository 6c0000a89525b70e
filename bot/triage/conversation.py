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
    """Codes found in the messages, alone or by combining concepts across them. Once a message says
    the client is with someone close or asks for them ("my mum's next to me"), another message's
    emergency about "her" is theirs now ("she says she can't feel her bottom on the toilet"), and
    their findings in different messages combine ("a high temperature since last night", then "she's
    not making sense")."""
    codes, concepts, pools = set(), set(), []
    about_them = [bool(found.get("with_someone")) for found in findings]
    here = [bool(found.get("here")) for found in findings]
    # someone is with the client ("my mum's next to me") and the client never turns to their own
    # body: the person's cautions are what the advice must respect ("she's on warfarin")
    own_body = any(found.get("own_body") for found in findings)
    for i, found in enumerate(findings):
        codes |= set(found.get("codes", []))
        concepts |= set(found.get("concepts", []))
        theirs = set(found.get("codes_if_with_them", []))
        if sum(here) - here[i] and not own_body:
            codes |= theirs
        elif sum(about_them) - about_them[i]:
            codes |= {c for c in theirs if level_rank(rules.codes[c].level) >= level_rank("emergency")}
    # across messages only: one message alone was judged where it was read ("my friend's back went
    # into spasm and he can't control his bladder" stays the friend's)
    # ("he's shivery and hot all day" / "now he's talking nonsense" / "he's right here with me": a
    # later message saying they are here counts as much as one saying the client is with them)
    if len(findings) > 1 and any(found.get("with_someone") or found.get("here") for found in findings):
        # with a message's own findings too where it never turns to the client's body: in a
        # conversation about someone, "she's not making sense" may be read as the client's
        pools = [set(found.get("concepts_if_with_them", [])) | (
            set() if found.get("own_body", True) else set(found.get("concepts", []))) for found in findings]
    emergencies = {c for c in rules.codes_for({code: set().union(*pools) for code in rules.codes})
                   if level_rank(rules.codes[c].level) >= level_rank("emergency")}
    return codes | emergencies | rules.codes_for({code: concepts for code in rules.codes})
