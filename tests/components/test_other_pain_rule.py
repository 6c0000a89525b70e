"""OtherPainRule: pain the assistant does not help with (period, stomach, headache, tooth) becomes
out_of_scope with an `other_pain` entity; a muscle area named apart from it keeps the message."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.body_part_extractor import BodyPartExtractor
from bot.components.other_pain_rule import OtherPainRule
from bot.paths import SPACY_PIPELINE


def _load(cls, tmp_path_factory, name):
    config = {**cls.get_default_config(), "spacy_model": str(SPACY_PIPELINE)}
    context = ExecutionContext(GraphSchema({}), "1")
    storage = LocalModelStorage(tmp_path_factory.mktemp(name))
    cls.create(config, storage, Resource(name), context).train(TrainingData())
    return cls.load(config, storage, Resource(name), context)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    return [_load(BodyPartExtractor, tmp_path_factory, "body"),
            _load(OtherPainRule, tmp_path_factory, "other")]


def parse(pipeline, text, intent="report_spasm"):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.6},
                            "intent_ranking": [{"name": intent, "confidence": 0.6}], "entities": []})
    for component in pipeline:
        component.process([message])
    kinds = [e["value"] for e in message.get("entities") if e["entity"] == "other_pain"]
    return message.get("intent")["name"], kinds


@pytest.mark.parametrize("text, kind", [
    ("I have period cramps", "period"),
    ("really bad period pain", "period"),
    ("stomach ache since lunch", "stomach"),
    ("i've got a tummy ache", "stomach"),
    ("I have a headache", "headache"),
    ("my tooth is killing me", "tooth"),
    ("toothache", "tooth"),
])
def test_other_pain_is_out_of_scope_with_its_kind(pipeline, text, kind):
    assert parse(pipeline, text) == ("out_of_scope", [kind])


@pytest.mark.parametrize("text", [
    "my calf keeps cramping",
    "my neck is tight and I get headaches from it",
    "cramp in my stomach muscles after sit-ups",
])
def test_other_pain_muscle_messages_keep_their_intent(pipeline, text):
    assert parse(pipeline, text) == ("report_spasm", [])
