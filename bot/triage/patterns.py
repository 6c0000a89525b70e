"""Compile the rule file's pattern syntax into spaCy Matcher patterns.

Syntax (one pattern per string, matched on lower-cased lemmas, so "swelling" and "swelled" meet):
- words separated by spaces must follow each other: ``pins and needles``
- ``a|b|c`` is any one of the alternatives: ``calf|leg|shin``
- ``word*`` is any word that starts with ``word``: ``numb*`` (numb, numbness, numbess)
- ``a_b`` joins words into one alternative: ``can't|unable_to breathe``
- ``...`` is a gap of up to three words within the sentence: ``urine ... dark|brown``
"""
from dataclasses import dataclass
from itertools import product
from typing import Dict, List, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

GAP = "..."
GAP_WORDS = 3
_SENTENCE_END = [".", "!", "?", ";"]

TokenSpec = Dict[str, object]


def _gap() -> List[TokenSpec]:
    return [{"LOWER": {"NOT_IN": _SENTENCE_END}, "OP": "?"} for _ in range(GAP_WORDS)]


def _alternatives(slot: str, nlp: Language) -> List[List[TokenSpec]]:
    """Token sequences for one slot: single-word alternatives share one spec."""
    single, prefixes, sequences = [], [], []
    for alternative in slot.split("|"):
        if alternative.endswith("*") and len(alternative) > 1:
            prefixes.append(alternative[:-1].lower())
            continue
        lemmas = [t.lemma_ for t in nlp(alternative.replace("_", " ").lower())]
        if len(lemmas) == 1:
            single.append(lemmas[0])
        else:
            sequences.append([{"LEMMA": lemma} for lemma in lemmas])
    options = [[{"LEMMA": {"IN": sorted(set(single))}}]] if single else []
    if prefixes:
        regex = "^(" + "|".join(sorted(set(prefixes))) + ")"
        options.append([{"LOWER": {"REGEX": regex}}])
        options.append([{"LEMMA": {"REGEX": regex}}])
    return options + sequences


def compile_pattern(pattern: str, nlp: Language) -> List[Tuple[List[TokenSpec], List[bool]]]:
    """All Matcher patterns for one pattern string, each with a flag per token: literal or gap."""
    slots = pattern.split()
    if not slots or slots[0] == GAP or slots[-1] == GAP:
        raise ValueError(f"pattern must start and end with a word: {pattern!r}")
    choices = [[_gap()] if slot == GAP else _alternatives(slot, nlp) for slot in slots]
    compiled = []
    for combination in product(*choices):
        specs: List[TokenSpec] = []
        literal: List[bool] = []
        for slot, sequence in zip(slots, combination):
            specs.extend(sequence)
            literal.extend([slot != GAP] * len(sequence))
        compiled.append((specs, literal))
    return compiled


@dataclass
class Match:
    label: str
    start: int
    end: int
    literal: Set[int]


class PhraseSet:
    """A spaCy Matcher whose matches know which of their tokens were literal words."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.nlp = nlp
        self.keys: Dict[str, Tuple[str, List[bool]]] = {}

    def add(self, label: str, patterns: Tuple[str, ...]) -> None:
        for pattern in patterns:
            for specs, literal in compile_pattern(pattern, self.nlp):
                key = f"{label}#{len(self.keys)}"
                self.keys[key] = (label, literal)
                self.matcher.add(key, [specs])

    def __call__(self, doc: Doc) -> List[Match]:
        found: Dict[Tuple[str, int, int], Match] = {}
        for key_id, start, end, alignment in self.matcher(doc, with_alignments=True):
            label, literal = self.keys[doc.vocab.strings[key_id]]
            positions = {start + i for i, index in enumerate(alignment) if literal[index]}
            found.setdefault((label, start, end), Match(label, start, end, positions))
        return longest_per_label(list(found.values()))


def longest_per_label(matches: List[Match]) -> List[Match]:
    """Per label, drop matches contained in a longer match of the same label (one pass)."""
    kept, furthest = [], {}
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if m.end > furthest.get(m.label, -1):
            kept.append(m)
            furthest[m.label] = m.end
    return kept
