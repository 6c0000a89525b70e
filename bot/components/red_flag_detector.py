"""RedFlagDetector: finds the red-flag and caution codes of knowledge/red_flags.yml in every message.

It adds `triage` to the parse data: {"codes", "uncertain", "concepts", "mentions"}; TriagePolicy
reads it from every message of the conversation. No ML: the same words always give the same codes.
"""
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.knowledge_component import KnowledgeComponent
from bot.policies.triage_policy import FINDINGS_KEY
from bot.triage import rules
from bot.triage.detector import Detector


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class RedFlagDetector(KnowledgeComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge": "knowledge/red_flags.yml", "spacy_model": "build/spacy_en"}

    def setup(self) -> None:
        self.detector = Detector(rules.parse(self.knowledge), self.nlp)

    def process_message(self, message: Message) -> None:
        findings = self.detector.detect(message.get(TEXT) or "")
        message.set(FINDINGS_KEY, findings.as_dict(), add_to_output=True)
