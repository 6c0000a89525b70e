"""The red-flag rule file (knowledge/red_flags.yml) as Python objects, checked on load."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, Optional, Set, Tuple

from bot.knowledge_files import load_yaml
from bot.paths import KNOWLEDGE

RULES_FILE = KNOWLEDGE / "red_flags.yml"
LEVELS = ("self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance")
# what a code may forbid (the advice topics of CONTRACT.md that the assistant could suggest, and deep
# pressure, which several answers mention): the advice builders leave a forbidden item out and say why
FORBIDDABLE = ("stretching", "self_massage", "heat", "ice", "strengthening", "activity",
               "massage_treatment", "deep_pressure")
CONTEXT_KINDS = (
    "negation", "post_negation", "resolved", "pseudo", "uncertain", "hypothetical", "other_person",
    "first_person", "past", "scope_end", "about_me", "own_report", "proxy", "happening_now", "supposing",
    "harmless_cause", "subject", "in_care", "animal_did", "framing",
)


def level_rank(level: Optional[str]) -> int:
    """0 for no level, then 1 (self_care) up to 5 (emergency_ambulance)."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def highest_level(levels: Iterable[Optional[str]]) -> Optional[str]:
    ranked = [level for level in levels if level in LEVELS]
    return max(ranked, key=level_rank) if ranked else None


@dataclass(frozen=True)
class Concept:
    name: str
    patterns: Tuple[str, ...]
    exceptions: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Code:
    name: str
    level: str
    sources: Tuple[str, ...]
    mentioned: str
    meanwhile: str
    question: str
    when: Tuple[FrozenSet[str], ...]
    ask_when: Tuple[FrozenSet[str], ...] = ()  # not enough for the code, enough to ask its question
    counts_if_past: bool = False
    counts_if_resolved: bool = False  # "it's fine now" does not clear it (a TIA still needs 999)
    within_weeks: float = 12
    forbids: Tuple[str, ...] = ()  # FORBIDDABLE items not to suggest while this code is flagged
    concern: str = ""  # what the findings can be a sign of ("a blood clot in the lung")
    lead: str = ""     # said before the level's action ("talk to someone now" for self-harm)
    action: str = ""   # replaces the level's action when this code alone sets the level
    label: str = ""    # plain-language name for clinic staff (the review console), never for clients
    # concepts that only name the condition ("meningitis", "heart attack"): feared by name with its
    # signs denied in the same message ("I think it's meningitis... no temperature, no rash"), the
    # code is asked about, not referred (bot/triage/detector.py, _feared_by_name)
    named: Tuple[str, ...] = ()

    def counts(self, historic: bool, weeks_ago: Optional[float]) -> bool:
        """Whether a mention with this timing is a finding about now for this code."""
        if weeks_ago is not None and weeks_ago < 0:
            # a time to come ("surgery next month") is not a finding about now, but a plan or wish
            # about tomorrow ("I'd rather not wake up tomorrow") is an emergency today
            return level_rank(self.level) >= level_rank("emergency")
        if self.counts_if_past:
            return True
        return not historic and (weeks_ago is None or weeks_ago <= self.within_weeks)


@dataclass
class Rules:
    levels: Dict[str, Dict[str, str]]
    context: Dict[str, Tuple[str, ...]]
    concepts: Dict[str, Concept]
    codes: Dict[str, Code]
    extra: Dict[str, Any] = field(default_factory=dict)
    # a concept in the client's terms, so a referral names only what they said ("breathlessness")
    said: Dict[str, str] = field(default_factory=dict)

    def codes_for(self, present: Dict[str, Set[str]]) -> Set[str]:
        """Codes whose `when` lines are met; `present` maps code -> concepts that count for it."""
        return {
            code.name
            for code in self.codes.values()
            if any(line <= present.get(code.name, set()) for line in code.when)
        }

    def codes_to_ask(self, present: Dict[str, Set[str]]) -> Set[str]:
        """Codes one of whose `ask_when` lines is met: the assistant asks the code's question."""
        return {
            code.name
            for code in self.codes.values()
            if any(line <= present.get(code.name, set()) for line in code.ask_when)
        }

    def level_of(self, codes: Iterable[str]) -> Optional[str]:
        return highest_level(self.codes[c].level for c in codes if c in self.codes)


def _strings(value: Any, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _concept(name: str, spec: Any) -> Concept:
    if isinstance(spec, dict):
        return Concept(name, _strings(spec.get("match"), name),
                       _strings(spec.get("except", []), name) if spec.get("except") else ())
    return Concept(name, _strings(spec, name))


def _code(name: str, spec: Dict[str, Any], concepts: Dict[str, Concept]) -> Code:
    if spec.get("level") not in LEVELS:
        raise ValueError(f"{name}: level must be one of {LEVELS}")
    when = tuple(frozenset(_strings(line, f"{name}.when")) for line in spec.get("when", []))
    ask_when = tuple(
        frozenset(_strings(line, f"{name}.ask_when")) for line in spec.get("ask_when", [])
    )
    unknown = {c for line in when + ask_when for c in line} - set(concepts)
    if not when or unknown:
        raise ValueError(f"{name}: needs `when` lines naming known concepts (unknown: {unknown})")
    forbids = _strings(spec.get("forbids", []), f"{name}.forbids") if spec.get("forbids") else ()
    named = _strings(spec.get("named", []), f"{name}.named") if spec.get("named") else ()
    if set(named) - set(concepts):
        raise ValueError(f"{name}: named must be known concepts, not {set(named) - set(concepts)}")
    if set(forbids) - set(FORBIDDABLE):
        raise ValueError(f"{name}: forbids must be among {FORBIDDABLE}, not {set(forbids) - set(FORBIDDABLE)}")
    return Code(
        name=name,
        level=spec["level"],
        sources=_strings(spec.get("sources"), f"{name}.sources"),
        mentioned=str(spec["mentioned"]),
        meanwhile=str(spec.get("meanwhile", "")),
        question=str(spec["question"]),
        when=when,
        ask_when=ask_when,
        counts_if_past=bool(spec.get("counts_if_past", False)),
        counts_if_resolved=bool(spec.get("counts_if_resolved", False)),
        within_weeks=float(spec.get("within_weeks", 12)),
        forbids=forbids,
        concern=str(spec.get("concern", "")),
        lead=str(spec.get("lead", "")),
        action=str(spec.get("action", "")),
        label=str(spec.get("label", "")),
        named=named,
    )


def parse(data: Dict[str, Any]) -> Rules:
    concepts = {name: _concept(name, spec) for name, spec in data["concepts"].items()}
    context = {kind: _strings(data["context"][kind], f"context.{kind}") for kind in CONTEXT_KINDS}
    levels = data["levels"]
    if list(levels) != list(LEVELS):
        raise ValueError(f"levels must be listed in order: {LEVELS}")
    codes = {name: _code(name, spec, concepts) for name, spec in data["codes"].items()}
    said = {str(k): str(v) for k, v in (data.get("said") or {}).items()}
    if set(said) - set(concepts):
        raise ValueError(f"said: unknown concepts {set(said) - set(concepts)}")
    return Rules(levels=levels, context=context, concepts=concepts, codes=codes, said=said)


def load(path: Path = RULES_FILE) -> Rules:
    return parse(load_yaml(Path(path).read_text(encoding="utf-8")))
