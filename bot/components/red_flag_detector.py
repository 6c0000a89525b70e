"""RedFlagDetector: finds the red-flag and caution codes of knowledge/red_flags.yml in every message.

It adds `triage` to the parse data: {"codes", "uncertain", "concepts", "mentions", "language",
"second_opinion"}; TriagePolicy reads it from every message of the conversation. The layers are
bot/triage/service.py's: normalisation (knowledge/lexicon.yml), other languages glossed into English
(knowledge/languages/), the rules, and a statistical second opinion trained here, at `rasa train`,
on data/red_flags/ (fixed seed) that may add a finding or a question, never remove one.
"""
import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge_files import fingerprint
from bot.nlp import load_pipeline
from bot.policies.triage_policy import FINDINGS_KEY
from bot.triage.second_opinion import SecondOpinion
from bot.triage.service import Triage, knowledge_files, read_knowledge


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class RedFlagDetector(GraphComponent):
    KNOWLEDGE = "knowledge.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"spacy_model": "build/spacy_en", "second_opinion": True}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return fingerprint(knowledge_files())

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 knowledge: Dict[str, Any], second_opinion: Optional[SecondOpinion] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.knowledge = knowledge
        self.triage = Triage.build(knowledge, load_pipeline(config["spacy_model"]), second_opinion)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RedFlagDetector":
        return cls(config, model_storage, resource, read_knowledge())

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "RedFlagDetector":
        with model_storage.read_from(resource) as directory:
            knowledge = json.loads((directory / cls.KNOWLEDGE).read_text(encoding="utf-8"))
            second_opinion = SecondOpinion.load(directory)
        return cls(config, model_storage, resource, knowledge, second_opinion)

    def train(self, training_data: TrainingData) -> Resource:
        if self.config.get("second_opinion", True):
            self.triage.second_opinion = self.triage.train_second_opinion()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.KNOWLEDGE).write_text(json.dumps(self.knowledge), encoding="utf-8")
            if self.triage.second_opinion:
                self.triage.second_opinion.save(directory)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(FINDINGS_KEY, self.triage.detect(message.get(TEXT) or ""),
                        add_to_output=True)
        return messages
