"""BodyPartExtractor: the `body_part` entity, from the lay words of knowledge/body_parts.yml.

"the back of my leg" -> calf, "hammy" -> hamstring; "call me back" -> nothing. The value is the canonical area that the stretch
library and the assessment form use.
"""
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.knowledge_component import KnowledgeComponent
from bot.triage.patterns import PhraseSet

ENTITY = "body_part"
NOT_A_BODY_PART = "_none"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class BodyPartExtractor(KnowledgeComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge": "knowledge/body_parts.yml", "spacy_model": "build/spacy_en"}

    def setup(self) -> None:
        # phrases that name no body part ("call me back") come first and take their words
        self.areas = [NOT_A_BODY_PART] + list(self.knowledge["body_parts"])
        self.phrases = PhraseSet(self.nlp)
        self.phrases.add(NOT_A_BODY_PART, tuple(self.knowledge.get("not_body_parts") or ()))
        for area, patterns in self.knowledge["body_parts"].items():
            self.phrases.add(area, tuple(patterns))

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        doc = self.nlp(text.lower())
        taken: set = set()
        found = []
        ordered = sorted(self.phrases(doc), key=lambda m: (self.areas.index(m.label), m.start))
        for match in ordered:
            tokens = set(range(match.start, match.end))
            if tokens & taken:
                continue
            taken |= tokens
            if match.label == NOT_A_BODY_PART:
                continue
            span = doc[match.start:match.end]
            found.append({
                "entity": ENTITY, "value": match.label, "start": span.start_char,
                "end": span.end_char, "confidence_entity": 1.0, "extractor": type(self).__name__,
            })
        found.sort(key=lambda e: e["start"])
        message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
