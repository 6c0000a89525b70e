"""What the client is told: referral, reminder and check-question texts built from the rule file."""
from typing import Dict, Iterable, List, Optional

from bot.triage.rules import Rules


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class TriageMessages:
    def __init__(self, rules: Rules, settings: Dict[str, str]) -> None:
        self.rules = rules
        self.settings = _Keep(settings)

    def _fill(self, text: str) -> str:
        return text.format_map(self.settings).strip()

    def _mentioned(self, codes: Iterable[str], said: Optional[Dict[str, List[str]]] = None) -> str:
        """Why, per code: what the client said in their terms and what it can be a sign of; the
        code's `mentioned` text when they named nothing themselves (a confirmed check question)."""
        items = [self._why(self.rules.codes[c], (said or {}).get(c, [])) for c in codes]
        items = list(dict.fromkeys(items))
        return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]

    def _why(self, code, concepts: List[str]) -> str:
        words = list(dict.fromkeys(self.rules.said[c] for c in concepts if c in self.rules.said))
        if not words:
            return code.mentioned
        named = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return f"{named}, which can be a sign of {code.concern}" if code.concern else named

    def _meanwhile(self, codes: Iterable[str]) -> List[str]:
        lines = [self._fill(self.rules.codes[c].meanwhile) for c in codes]
        return [line for i, line in enumerate(lines) if line and line not in lines[:i]]

    def _first(self, level: str, codes: List[str]) -> List[str]:
        """What to do, first: the codes' own lead lines, then the action for the level (a code's
        own action when it alone sets the level)."""
        leads = [self._fill(self.rules.codes[c].lead) for c in codes if self.rules.codes[c].lead]
        own = [self.rules.codes[c].action for c in codes if self.rules.codes[c].level == level]
        action = own[0] if len(own) == 1 and own[0] else self.rules.levels[level]["action"]
        return list(dict.fromkeys(leads)) + [self._fill(action)]

    def referral(self, level: str, codes: List[str],
                 said: Optional[Dict[str, List[str]]] = None) -> str:
        """The escalation: what to do, why (`said`: code -> the client's own findings for it), and
        what not to do meanwhile."""
        lines = self._first(level, codes)
        lines.append(f"This is because you mentioned {self._mentioned(codes, said)}.")
        # what not to do meanwhile, from the codes that set the level: a lower code's line would
        # repeat it ("don't massage" twice) or no longer fit ("see a doctor if ... call 999")
        lines += self._meanwhile([c for c in codes if self.rules.codes[c].level == level] or codes)
        lines.append("I'm an automated assistant, not a clinician, so I can't examine you.")
        return "\n".join(lines)

    def reminder(self, level: str, codes: List[str],
                 said: Optional[Dict[str, List[str]]] = None) -> str:
        """Said instead of self-care advice while an emergency has not been dealt with: the
        action first, then why."""
        return "\n".join(self._first(level, codes) + [
            f"Because you mentioned {self._mentioned(codes, said)}, self-care advice isn't safe yet.",
            "Tell me once you've been seen or assessed (by a paramedic, a doctor or 111), and I'll "
            "help with self-care then.",
        ])

    def question(self, code: str) -> str:
        return self._fill(self.rules.codes[code].question)

    def noted(self, code: str) -> str:
        meanwhile = self._meanwhile([code])
        return " ".join(["Thanks for telling me, I'll keep that in mind."] + meanwhile)
