"""Compile the rule file's pattern syntax into spaCy Matcher patterns.

Syntax (one pattern per string, matched on lower-cased lemmas, so "swelling" and "swelled" meet):
- words separated by spaces must follow each other: ``pins and needles``
- ``a|b|c`` is any one of the alternatives: ``calf|leg|shin``
- ``word*`` is any word that starts with ``word``: ``numb*`` (numb, numbness, numbess)
- ``a_b`` joins words into one alternative: ``can't|unable_to breathe``
- ``...`` is a gap of up to three words within the sentence: ``urine ... dark|brown``
- between two words a filler adverb may stand ("can't really feel", "my leg actually went cold"):
  `FILLERS` carry no clinical meaning, and spelling each of them out in every pattern is how rules
  miss the next client's wording
"""
from dataclasses import dataclass
from itertools import product
from typing import Dict, Iterable, List, Set, Tuple

from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

GAP = "..."
GAP_WORDS = 3
_SENTENCE_END = [".", "!", "?", ";"]
FILLERS = ["really", "actually", "literally", "basically", "even", "properly", "kinda", "sorta",
           "genuinely", "definitely", "honestly", "seriously", "truly"]

TokenSpec = Dict[str, object]


def _gap() -> List[TokenSpec]:
    return [{"LOWER": {"NOT_IN": _SENTENCE_END}, "OP": "?"} for _ in range(GAP_WORDS)]


def _filler() -> TokenSpec:
    return {"LOWER": {"IN": FILLERS}, "OP": "?"}


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
        for index, (slot, sequence) in enumerate(zip(slots, combination)):
            if index and slot != GAP and slots[index - 1] != GAP:
                specs.append(_filler())
                literal.append(False)
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


def _spec_words(spec: TokenSpec) -> Tuple[List[str], List[str]]:
    """The words one token spec accepts, and the prefixes (as _alternatives writes them: a lemma,
    {"IN": [...]} alternatives, {"REGEX": "^(a|b)"} prefixes)."""
    words: List[str] = []
    prefixes: List[str] = []
    for value in spec.values():
        if isinstance(value, str):
            words.append(value)
        elif "IN" in value:
            words.extend(value["IN"])
        else:
            prefixes.extend(value["REGEX"][2:-1].split("|"))
    return words, prefixes


class _Label:
    """One label's Matcher, and for each of its patterns the required words it is tried for."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.literal: Dict[str, List[bool]] = {}
        self.words: Set[str] = set()
        self.prefixes: Set[str] = set()


class PhraseSet:
    """spaCy Matchers whose matches know which of their tokens were literal words.

    One Matcher per label, run only on a message that has (as its lower-case form or lemma) the
    rarest word one of the label's patterns requires: most messages mention few labels, and the
    Matcher's time grows with the number of patterns it tries."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.labels: Dict[str, _Label] = {}
        self._by_word: Dict[int, Set[str]] = {}  # word (its hash in the vocab's strings) -> labels
        self._by_prefix: Dict[str, Set[str]] = {}
        self._longest_prefix = 0

    def add(self, label: str, patterns: Tuple[str, ...]) -> None:
        group = self.labels.setdefault(label, _Label(self.nlp))
        for pattern in patterns:
            for specs, literal in compile_pattern(pattern, self.nlp):
                key = f"{label}#{len(group.literal)}"
                group.literal[key] = literal
                group.matcher.add(key, [specs])
                words, prefixes = _spec_words(self._rarest(specs, literal))
                group.words.update(words)
                group.prefixes.update(prefixes)
        self._index()

    def _rarest(self, specs: List[TokenSpec], literal: List[bool]) -> TokenSpec:
        """The pattern's required token least likely in a message: no stop word among its
        alternatives, then the longest shortest alternative ("a|my clot" → "clot")."""
        stop_words = self.nlp.Defaults.stop_words

        def commonness(spec: TokenSpec) -> Tuple[bool, int]:
            words = [w for part in _spec_words(spec) for w in part]
            return any(w in stop_words for w in words), -min(map(len, words))

        return min((spec for spec, required in zip(specs, literal) if required), key=commonness)

    def _index(self) -> None:
        strings = self.nlp.vocab.strings
        self._by_word, self._by_prefix = {}, {}
        for label, group in self.labels.items():
            for word in group.words:
                self._by_word.setdefault(strings.add(word), set()).add(label)
            for prefix in group.prefixes:
                self._by_prefix.setdefault(prefix, set()).add(label)
        self._longest_prefix = max(map(len, self._by_prefix), default=0)

    def _candidates(self, doc: Doc) -> List[str]:
        """The labels with a pattern whose rarest required word is in `doc` (lower-case or lemma)."""
        words = set(doc.to_array([LOWER, LEMMA]).ravel().tolist())
        found = set().union(*(self._by_word.get(w, ()) for w in words))
        if self._by_prefix:
            for w in words:
                text = doc.vocab.strings[w]
                for n in range(1, min(len(text), self._longest_prefix) + 1):
                    found.update(self._by_prefix.get(text[:n], ()))
        return [label for label in self.labels if label in found]

    def __call__(self, doc: Doc) -> List[Match]:
        return self.matches(doc, self._candidates(doc))

    def matches(self, doc: Doc, labels: Iterable[str]) -> List[Match]:
        """What the Matchers of `labels` find in `doc`, the longest per label and place."""
        found: Dict[Tuple[str, int, int], Match] = {}
        for label in labels:
            group = self.labels[label]
            for key_id, start, end, alignment in group.matcher(doc, with_alignments=True):
                literal = group.literal[doc.vocab.strings[key_id]]
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
