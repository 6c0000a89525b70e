"""Triage: the red-flag layers as one object, used by the NLU component, the policy and
`make eval-triage`:

    clean -> language (knowledge/languages/: other languages glossed into English)
          -> normalise (knowledge/lexicon.yml, spelling) -> rules (knowledge/red_flags.yml)
          -> statistical second opinion (data/red_flags/), which may add a finding or a
             question where the rules are silent, never remove one.
"""
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set

from spacy.language import Language

from bot.knowledge_files import read_yaml, resolve
from bot.nlp import load_pipeline
from bot.triage import rules as triage_rules
from bot.triage.conversation import TriageState, assess
from bot.triage.detector import Detector, Findings
from bot.triage.language import LANGUAGES, Languages, read_languages
from bot.triage.normalise import Normaliser, clean, rule_vocabulary
from bot.triage.second_opinion import NOT_ABOUT_NOW, SecondOpinion, read_corpus

LEXICON = "knowledge/lexicon.yml"
RULES = "knowledge/red_flags.yml"
BODY_PARTS = "knowledge/body_parts.yml"
CORPUS = "data/red_flags"
# Probabilities of the second opinion (bot/triage/second_opinion.py), chosen by `make
# eval-second-opinion` (5-fold cross-validation on the corpus; docs/red-flags.md has the table).
ESCALATE = 0.7
ASK = 0.7
# below this share of English words a message is read as another language (Triage.read)
ENGLISH_SHARE = 0.5
# between the two, the language model must be sure (p >= 0.99): Spanish shares "me", "el" with English
MOSTLY_ENGLISH = 0.7
# a glossary must read at least this share of a message's letters to be its language (Triage.read)
GLOSSED_SHARE = 0.1


# digits with a unit or an ordinal: English ("10k", "3pm", "2nd", "20min", "5x"), not Arabizi
_UNIT = re.compile(r"\d+(?:k|km|m|mi|kg|lb|lbs|g|mg|ml|l|am|pm|h|hr|hrs|min|mins|s|sec|x|st|nd|rd|th|c|f|yo|yr|yrs|mph|bpm|d|w|wk|wks)")


def knowledge_files() -> List[Path]:
    """Every file the red-flag layers read (fingerprints of training caches)."""
    folder = Path(resolve(LANGUAGES))
    return ([resolve(RULES), resolve(LEXICON), resolve(BODY_PARTS)] + sorted(folder.glob("*.yml"))
            + corpus_files())


def corpus_files() -> List[Path]:
    return sorted(Path(resolve(CORPUS)).glob("*.jsonl"))


@dataclass
class Triage:
    rules: triage_rules.Rules
    detector: Detector
    languages: Optional[Languages] = None
    second_opinion: Optional[SecondOpinion] = None

    @classmethod
    def build(cls, knowledge: Dict[str, Any], nlp: Language,
              second_opinion: Optional[SecondOpinion] = None) -> "Triage":
        """From the parsed knowledge files (read_knowledge())."""
        rules = triage_rules.parse(knowledge["rules"])
        normaliser = build_normaliser(rules, knowledge.get("lexicon") or {},
                                      knowledge.get("body_parts") or {}, nlp)
        languages = Languages(knowledge["languages"]) if knowledge.get("languages") else None
        return cls(rules, Detector(rules, nlp, normaliser), languages, second_opinion)

    @classmethod
    def load(cls, spacy_model: Optional[str] = None, trained: bool = True) -> "Triage":
        """From the knowledge files; `trained` also fits the second opinion on the corpus (seconds)."""
        triage = cls.build(read_knowledge(), load_pipeline(spacy_model) if spacy_model
                           else load_pipeline())
        if trained:
            triage.second_opinion = triage.train_second_opinion()
        return triage

    # --- one message ---------------------------------------------------------------------------
    def read(self, text: str):
        """(language, the message as the rules read it, whether to correct its spelling).

        language is a code of knowledge/languages/ when the client wrote in one of those, else None
        (English, or a language the assistant has nothing for, or keyboard mashing: LanguageGuard tells
        those apart). A message that is not English is read through the glossary that reads most of
        it among the three likeliest languages (unaccented Romanian can pass for Italian): a wrong
        glossary finds nothing, and spelling is never "corrected" into English."""
        text = clean(text)
        if not self.languages:
            return None, text, True
        other_script = self.languages.other_script(text)
        share = self.english_share(text)
        if not other_script and share >= ENGLISH_SHARE and not (
                share < MOSTLY_ENGLISH and self.languages.sure(text)):
            return None, text, True  # "how do i stop back spasms" is English whatever the model says
        glossary = self.languages.best_glossary(text)
        if glossary and self.languages.share_read(text, glossary) < GLOSSED_SHARE:
            glossary = None  # Scots "cannae be arsed": Welsh reads "be" ("what") and nothing else
        language = self.languages.named(text, glossary)
        if language is None and glossary is None and not other_script:
            return None, text, True  # dialect or heavy slang: English to the rules, spelling and all
        return language, self.languages.gloss(text, glossary) if glossary else text, False

    def english_share(self, text: str) -> float:
        """The share of a message's words (two letters or more) that are English or rule words. A
        word with digits among its letters is Arabic typed in Latin letters ("ma2too3", "sob7",
        "3ara2"), never English, though its pieces look like it ("ma", "too", "sob", "ara")."""
        words = [w for w in re.findall(r"[^\W_]{2,}", text.lower()) if not w.isdigit()]
        words = [w for w in words if not _UNIT.fullmatch(w)]  # "10k", "3pm", "2nd", "38.5c"
        if len(words) < 3:
            return 1.0
        known = self.detector.normalise.english if self.detector.normalise else set()
        return sum(1 for w in words if w in known) / len(words)

    def detect(self, text: str) -> Dict[str, Any]:
        """The findings of one message, as stored with it in the conversation."""
        language, english, spell = self.read(text)
        findings = self.detector.detect(english, spell)
        result = findings.as_dict()
        result["language"] = language
        if self.second_opinion:
            self.second_opinion.review(findings.text, result, self.judged(findings),
                                       self.ruled_out(findings))
        return result

    def judged(self, findings: Findings) -> Dict[str, Set[str]]:
        """Per code, the concepts of its lines that the rules read as not about the client now,
        or as something else altogether ("chest day", "I know the heart attack signs")."""
        judged: Dict[str, Set[str]] = {}
        for code in self.rules.codes.values():
            concepts = set().union(*code.when, *code.ask_when)
            judged[code.name] = {
                m.concept for m in findings.mentions if m.concept in concepts and (
                    m.status in NOT_ABOUT_NOW or not code.counts(m.historic, m.weeks_ago))
            } | (concepts & set(findings.excepted))
        return judged

    def ruled_out(self, findings: Findings) -> Dict[str, Set[str]]:
        """Per code, the concepts of its lines that an `except` phrase read as something else ("my
        pee looks normal", "suicide sprints") where nothing of the code's lines is the client's now:
        the client's words rule the code out. Where something is ("a chest muscle cramp and I feel
        like I'm gonna pass out and sweat", "the pull-up session" beside a session read otherwise),
        the except read some words, not the message."""
        excepted = set(findings.excepted)
        affirmed = {m.concept for m in findings.mentions
                    if m.status in ("affirmed", "uncertain") and not m.historic}
        ruled_out = {}
        for code in self.rules.codes.values():
            concepts = set().union(*code.when, *code.ask_when)
            if (read_away := concepts & excepted) and not concepts & affirmed:
                ruled_out[code.name] = read_away
        return ruled_out

    def conversation(self, turns: Sequence[str]) -> TriageState:
        """Where a conversation of these client messages ends (red_flags and triage_level)."""
        findings: List[Dict[str, Any]] = []
        level, codes, state = None, [], None
        for text in turns:
            findings.append(self.detect(text))
            state = assess(self.rules, findings, codes, level)
            level, codes = state.level, state.codes
        return state

    # --- the second opinion's training -------------------------------------------------------------
    def corpus(self, files: Optional[Sequence[Path]] = None):
        """(texts, labels): the red-flag corpus, plus every NLU training example in which the rules
        find nothing, as more harmless messages in the assistant's own domain."""
        texts, labels = read_corpus(files if files is not None else corpus_files())
        for example in nlu_examples():
            if not self.detector.detect(example).codes:
                texts.append(example)
                labels.append([])
        return texts, labels

    def training_texts(self, texts: Iterable[str]) -> List[str]:
        """Corpus sentences as this Triage reads messages (glossed, normalised)."""
        out = []
        for text in texts:
            _, english, spell = self.read(text)
            out.append(self.detector.read(english, spell))
        return out

    def train_second_opinion(self, files: Optional[Sequence[Path]] = None,
                             escalate: float = ESCALATE, ask: float = ASK) -> Optional[SecondOpinion]:
        texts, labels = self.corpus(files)
        if not texts:
            return None
        model = SecondOpinion.fit(self.training_texts(texts), labels, sorted(self.rules.codes),
                                  escalate, ask)
        model.may_escalate = self.emergency_codes()
        return model

    def emergency_codes(self) -> Set[str]:
        return {c.name for c in self.rules.codes.values()
                if triage_rules.level_rank(c.level) >= triage_rules.level_rank("emergency")}


def nlu_examples() -> List[str]:
    """The intent examples of data/nlu/*.yml, entity annotations removed."""
    examples = []
    for path in sorted(Path(resolve("data/nlu")).glob("*.yml")):
        for block in read_yaml(path).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}",
                                           lambda m: m.group(1) or m.group(2), line[2:]))
    return examples


def read_knowledge() -> Dict[str, Any]:
    return {"rules": read_yaml(RULES), "lexicon": read_yaml(LEXICON),
            "body_parts": read_yaml(BODY_PARTS), "languages": read_languages()}


def build_normaliser(rules: triage_rules.Rules, lexicon: Dict[str, Any],
                     body_parts: Dict[str, Any], nlp: Language) -> Normaliser:
    """A Normaliser whose domain words are every word the rules and body areas name."""
    patterns: List[str] = [p for c in rules.concepts.values() for p in c.patterns]
    patterns += [p for cues in rules.context.values() for p in cues]
    patterns += [p for area in (body_parts.get("body_parts") or {}).values() for p in area]
    words, prefixes = rule_vocabulary(patterns)
    return Normaliser(lexicon, words, prefixes, english_words(nlp))


def english_words(nlp: Language) -> Set[str]:
    """Every English word form of spacy-lookups-data's lemma table (inflected forms and lemmas):
    "gashed" is English, so spelling correction leaves it alone."""
    import gzip
    import json

    import spacy_lookups_data
    from spacy.lang.en.stop_words import STOP_WORDS

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    if path.exists():
        table = json.loads(gzip.decompress(path.read_bytes()))
        return set(table) | set(table.values()) | set(STOP_WORDS)
    lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return {str(v) for v in lookup.values()} | set(STOP_WORDS)
