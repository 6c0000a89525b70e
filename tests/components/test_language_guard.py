"""LanguageGuard: `non_english` for other languages, `nlu_fallback` for non-words, and the intent
classifier's answer for English, slang and typos included (the training examples' words count)."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_guard import LanguageGuard
from bot.paths import SPACY_PIPELINE

RESOURCE = Resource("language_guard")
CONFIG = {**LanguageGuard.get_default_config(), "spacy_model": str(SPACY_PIPELINE)}
EXAMPLES = [
    ("hi", "greet"),
    ("ok", "affirm"),
    ("my cafl keeps crampin", "report_spasm"),
    ("hammy crampin again", "report_spasm"),
    ("shud i use heat or ice", "ask_heat_ice"),
    ("me duele la pierna", "non_english"),
    ("j'ai une crampe au mollet", "non_english"),
]


@pytest.fixture(scope="module")
def context():
    return ExecutionContext(GraphSchema({}), "1")


def training_data():
    return TrainingData(training_examples=[
        Message(data={"text": text, "intent": intent}) for text, intent in EXAMPLES])


@pytest.fixture(scope="module")
def guard(tmp_path_factory, context):
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    LanguageGuard.create(dict(CONFIG), storage, RESOURCE, context).train(training_data())
    return LanguageGuard.load(dict(CONFIG), storage, RESOURCE, context)


def classify(guard, text, intent="report_spasm", confidence=0.8):
    ranking = [{"name": intent, "confidence": confidence}, {"name": "inform", "confidence": 0.1}]
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": ranking})
    guard.process([message])
    return message


def intent_of(guard, text, intent="report_spasm"):
    return classify(guard, text, intent).get("intent")["name"]


@pytest.mark.parametrize("text", [
    "Me duele mucho la pierna desde ayer",
    "J'ai une crampe dans le mollet depuis hier",
    "Ich habe seit gestern einen Krampf in der Wade",
    "Mi polpaccio ha un crampo da ieri",
    "У меня судорога в икре",
])
def test_other_languages_get_non_english(guard, text):
    message = classify(guard, text)
    assert message.get("intent") == {"name": "non_english", "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "non_english"
    assert [r["name"] for r in ranking].count("non_english") == 1
    assert "report_spasm" in [r["name"] for r in ranking]


@pytest.mark.parametrize("text", ["qwertyuiop", "asdfgh jkl", "???"])
def test_non_words_get_the_fallback(guard, text):
    assert intent_of(guard, text, intent=None) == "nlu_fallback"


@pytest.mark.parametrize("text", ["qwertyuiop", "zxcvb"])
def test_non_words_get_the_fallback_whatever_the_classifier_said(guard, text):
    assert intent_of(guard, text, intent="greet") == "nlu_fallback"


@pytest.mark.parametrize("text, intent", [
    ("my cafl keeps crampin", "report_spasm"),
    ("crampin", "report_spasm"),                  # a typo only the training data knows
    ("shud i put ice on my hammy", "ask_heat_ice"),
    ("should I use ice or heat on my calf", "ask_heat_ice"),
    ("my calf is killing me", "report_spasm"),
    ("hi", "greet"),
    ("ok", "affirm"),
])
def test_english_keeps_the_classifiers_intent(guard, text, intent):
    message = classify(guard, text, intent=intent, confidence=0.8)
    assert message.get("intent") == {"name": intent, "confidence": 0.8}


def test_training_words_are_english_to_the_guard(context, tmp_path):
    """Without the training examples the slang is not recognised: the vocabulary is what helps."""
    untrained = LanguageGuard.create(dict(CONFIG), LocalModelStorage(tmp_path), RESOURCE, context)
    assert intent_of(untrained, "hammy crampin") == "nlu_fallback"
    (tmp_path / "trained").mkdir()
    storage = LocalModelStorage(tmp_path / "trained")
    LanguageGuard.create(dict(CONFIG), storage, RESOURCE, context).train(training_data())
    trained = LanguageGuard.load(dict(CONFIG), storage, RESOURCE, context)
    assert intent_of(trained, "hammy crampin") == "report_spasm"


def test_training_vocabulary_excludes_non_english_examples(guard):
    assert {"cafl", "crampin", "hammy", "shud"} <= guard.vocabulary
    assert not {"duele", "pierna", "crampe", "mollet"} & guard.vocabulary
    # so a non-English training example does not teach the guard to accept its language
    assert intent_of(guard, "me duele la pierna") == "non_english"


def test_vocabulary_survives_the_model_storage_round_trip(guard, tmp_path, context):
    storage = LocalModelStorage(tmp_path)
    created = LanguageGuard.create(dict(CONFIG), storage, RESOURCE, context)
    created.train(training_data())
    loaded = LanguageGuard.load(dict(CONFIG), storage, RESOURCE, context)
    assert loaded.vocabulary == created.vocabulary == guard.vocabulary
