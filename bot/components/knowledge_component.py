"""Base for NLU components that read a YAML knowledge file at training time and keep it in the model."""
import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge_files import fingerprint, read_yaml
from bot.nlp import load_pipeline


class KnowledgeComponent(GraphComponent):
    """Config keys: `knowledge` (the YAML file) and `spacy_model` (the saved spaCy pipeline)."""

    FILE_NAME = "knowledge.json"

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return fingerprint([{**cls.get_default_config(), **config}["knowledge"]])

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 knowledge: Dict[str, Any]) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.knowledge = knowledge
        self.nlp = load_pipeline(config["spacy_model"])
        self.setup()

    def setup(self) -> None:
        """Build matchers from self.knowledge and self.nlp."""
        raise NotImplementedError

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "KnowledgeComponent":
        return cls(config, model_storage, resource, read_yaml(config["knowledge"]))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "KnowledgeComponent":
        with model_storage.read_from(resource) as directory:
            knowledge = json.loads((directory / cls.FILE_NAME).read_text())
        return cls(config, model_storage, resource, knowledge)

    def train(self, training_data: TrainingData) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.FILE_NAME).write_text(json.dumps(self.knowledge))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        raise NotImplementedError
