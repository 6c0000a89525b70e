"""What the client is told: referral, reminder and check-question texts built from the rule file."""
from typing import Dict, Iterable, List

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

    def _mentioned(self, codes: Iterable[str]) -> str:
        items = [self.rules.codes[c].mentioned for c in codes]
        return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]

    def _meanwhile(self, codes: Iterable[str]) -> List[str]:
        lines = [self._fill(self.rules.codes[c].meanwhile) for c in codes]
        return [line for i, line in enumerate(lines) if line and line not in lines[:i]]

    def referral(self, level: str, codes: List[str]) -> str:
        """The escalation: what to do, why, and what not to do meanwhile."""
        lines = [self._fill(self.rules.levels[level]["action"]),
                 f"This is because you mentioned {self._mentioned(codes)}."]
        lines += self._meanwhile(codes)
        if "self_harm" in codes:
            lines.append(self._fill("You can also talk to {crisis_line}."))
        lines.append("I'm an automated assistant, not a clinician, so I can't examine you.")
        return "\n".join(lines)

    def reminder(self, level: str, codes: List[str]) -> str:
        """Said instead of self-care advice while an emergency has not been dealt with."""
        return "\n".join([
            f"Because you mentioned {self._mentioned(codes)}, self-care advice isn't safe yet.",
            self._fill(self.rules.levels[level]["action"]),
            "Tell me once you've been seen or you're safe, and I'll help with self-care then.",
        ])

    def question(self, code: str) -> str:
        return self._fill(self.rules.codes[code].question)

    def noted(self, code: str) -> str:
        meanwhile = self._meanwhile([code])
        return " ".join(["Thanks for telling me, I'll keep that in mind."] + meanwhile)
