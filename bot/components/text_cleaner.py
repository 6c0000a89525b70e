"""TextCleaner: the first NLU step, so that no later step can fail on what a channel delivers.

Why: a lone UTF-16 surrogate (half of an emoji that a phone or a browser broke, e.g. "\\ud83d")
cannot be encoded to UTF-8, and spaCy hashes every token as UTF-8: SpacyNLP raised
UnicodeEncodeError inside Rasa's NLU graph, the whole turn was dropped (no reply, no referral,
nothing stored) even when the message plainly named a red flag ("... short of breath\\ud83d").
This component replaces the message text with `bot.triage.normalise.clean(text)` (lone surrogates
become U+FFFD, NUL and other control characters become spaces, NFKC, plain quotes; it never
raises), so SpacyNLP, the tokenizer, RedFlagDetector, the featurizers and LanguageGuard all read
clean text and the red flag in a damaged message is still found.

What changes and what does not: only the parsed message's text (the `text` of the parse data)
is cleaned. Rasa 3.6's MessageProcessor stores `UserUttered(message.text, ..., parse_data)` with
the text the channel handed over, so the tracker (and the review console, the widget's history)
keeps the client's original words; `parse_data["text"]` is the cleaned text the NLU read.

Training examples are cleaned the same way (`process_training_data`), so the classifiers learn
from text as they will see it; entity offsets are kept right by cleaning the text piece by piece
between entity boundaries.
"""
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.triage.normalise import clean

logger = logging.getLogger(__name__)


def cleaned_example(text: str, entities: List[Dict[str, Any]]) -> Optional[tuple]:
    """(clean text, entities with offsets into it) for an annotated example; None when the
    entities' offsets do not fit the text (the example is then left as it is)."""
    try:
        bounds = {int(e[ENTITY_ATTRIBUTE_START]) for e in entities} | \
                 {int(e[ENTITY_ATTRIBUTE_END]) for e in entities}
    except (KeyError, TypeError, ValueError):
        return None
    if any(b < 0 or b > len(text) for b in bounds):
        return None
    cuts = sorted(bounds | {0, len(text)})
    position = {0: 0}
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        pieces.append(clean(text[start:end]))
        position[end] = position[start] + len(pieces[-1])
    new_text = "".join(pieces)
    new_entities = []
    for entity in entities:
        start, end = int(entity[ENTITY_ATTRIBUTE_START]), int(entity[ENTITY_ATTRIBUTE_END])
        moved = {**entity, ENTITY_ATTRIBUTE_START: position[start], ENTITY_ATTRIBUTE_END: position[end]}
        if entity.get(ENTITY_ATTRIBUTE_VALUE) == text[start:end]:  # not a synonym: the words
            moved[ENTITY_ATTRIBUTE_VALUE] = new_text[position[start]:position[end]]
        new_entities.append(moved)
    return new_text, new_entities


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextCleaner(GraphComponent):
    """Replaces each message's text with `clean(text)`. A MESSAGE_FEATURIZER in Rasa's terms only
    because that is the type whose `process_training_data` runs at training and whose output feeds
    the next component in the pipeline; it adds no features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TextCleaner":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                cleaned = clean(text)
                if cleaned != text:
                    message.set(TEXT, cleaned)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if text is None or clean(text) == text:
                continue
            entities = example.get(ENTITIES) or []
            if not entities:
                example.set(TEXT, clean(text))
                continue
            result = cleaned_example(text, entities)
            if result is None:
                logger.warning(f"Training example left uncleaned (entity offsets do not fit): "
                               f"{text[:60]!r}")
                continue
            example.set(TEXT, result[0])
            example.set(ENTITIES, result[1])
        return training_data
