"""OtherPainRule: pain the assistant does not help with (period pain, stomach ache, headache,
toothache) gets the intent `out_of_scope` and an `other_pain` entity naming which.

"I have period cramps" reads like a cramp report to the classifier, and "stomach ache" names the
abdomen; both would get muscle-cramp advice. The words are knowledge/clarify.yml `other_pain`; a
muscle area named outside those words ("my neck is tight and I've got a headache") keeps the message
in the assistant's domain. Runs after the classifiers, ReportRule and FollowUpRule. Red flags are
untouched: TriagePolicy reads the findings, not the intent, and answers first.
"""
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.knowledge_component import KnowledgeComponent
from bot.triage.patterns import PhraseSet

ENTITY = "other_pain"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class OtherPainRule(KnowledgeComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge": "knowledge/clarify.yml", "spacy_model": "build/spacy_en",
                "intent": "out_of_scope"}

    def setup(self) -> None:
        self.phrases = PhraseSet(self.nlp)
        for kind, entry in self.knowledge["other_pain"].items():
            self.phrases.add(kind, tuple(entry["patterns"]))

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        doc = self.nlp(text.lower())
        matches = list(self.phrases(doc))
        if not matches:
            return
        spans = [(doc[m.start:m.end].start_char, doc[m.start:m.end].end_char) for m in matches]
        for entity in message.get(ENTITIES) or []:
            inside = any(start <= entity.get("start", -1) and entity.get("end", -1) <= end
                         for start, end in spans)
            if entity.get("entity") == "body_part" and not inside:
                return
        first = min(matches, key=lambda m: m.start)
        span = doc[first.start:first.end]
        intent = {"name": self.config["intent"], "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != intent["name"]]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)
        message.set(ENTITIES, (message.get(ENTITIES) or []) + [{
            "entity": ENTITY, "value": first.label, "start": span.start_char, "end": span.end_char,
            "confidence_entity": 1.0, "extractor": type(self).__name__}], add_to_output=True)
