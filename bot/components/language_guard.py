"""LanguageGuard: a clear answer for messages that are not English or not words at all.

A language named by RedFlagDetector (py3langid, bot/triage/language.py) decides first.

Runs after the intent classifiers. A message mostly in another script, or with few English words,
gets the intent `non_english`; a short string of non-words ("qwertyuiop") gets `nlu_fallback`, so
the assistant asks to rephrase instead of guessing. English words are spaCy's English stop words, the
lookup lemmatizer's table and every word of the English training examples (clients' slang and typos
included); other languages are recognised by their common words (spaCy's stop-word lists).
"""
import importlib
import json
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.lang.en.stop_words import STOP_WORDS

from bot.nlp import load_pipeline

OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "pl", "tr", "ro", "sv", "da", "id")


def _other_language_words() -> Set[str]:
    words: Set[str] = set()
    for code in OTHER_LANGUAGES:
        words |= importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS
    return words - STOP_WORDS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LanguageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "spacy_model": "build/spacy_en",
            "non_english_intent": "non_english",
            "fallback_intent": "nlu_fallback",
            "min_english_share": 0.5,
            "min_words": 3,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Set[str]] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()
        self.nlp = load_pipeline(config["spacy_model"])
        table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.english = set(STOP_WORDS) | {str(v) for v in table.values()}
        self.lemma_table = table
        self.foreign = _other_language_words()

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context: ExecutionContext, **kwargs):
        with model_storage.read_from(resource) as directory:
            words = json.loads((directory / "vocabulary.json").read_text())
        return cls(config, model_storage, resource, set(words))

    def train(self, training_data: TrainingData) -> Resource:
        for example in training_data.intent_examples:
            if example.get(INTENT) != self.config["non_english_intent"]:
                self.vocabulary |= {t.lower_ for t in self.nlp.tokenizer(example.get(TEXT))}
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "vocabulary.json").write_text(json.dumps(sorted(self.vocabulary)))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            # RedFlagDetector ran before: its packaged language model (py3langid) named the language
            language = (message.get("triage") or {}).get("language")
            verdict = self.config["non_english_intent"] if language else self.verdict(
                message.get(TEXT) or "", (message.get(INTENT) or {}).get("name"))
            if verdict:
                intent = {"name": verdict, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != verdict]
                message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)
        return messages

    def _english(self, word: str) -> bool:
        return word in self.english or word in self.vocabulary or word in self.lemma_table

    def verdict(self, text: str, intent: Optional[str]) -> Optional[str]:
        """The intent to force, or None to keep the classifier's."""
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return None if intent and text.strip() else self.config["fallback_intent"]
        foreign_script = sum(1 for c in letters if ord(c) > 0x24F)
        if foreign_script / len(letters) > 0.5:
            return self.config["non_english_intent"]
        words = [t.lower_ for t in self.nlp.tokenizer(text) if t.is_alpha]
        english = [w for w in words if self._english(w)]
        foreign = [w for w in words if w in self.foreign and w not in self.vocabulary]
        if len(foreign) >= 2 and len(foreign) >= len(english):
            return self.config["non_english_intent"]
        if len(words) >= self.config["min_words"]:
            if len(english) / len(words) < self.config["min_english_share"]:
                # Another language has some of its common words; keyboard mashing has none.
                return self.config["non_english_intent" if foreign else "fallback_intent"]
            return None
        if not english and intent != self.config["non_english_intent"]:
            return self.config["fallback_intent"]
        return None
