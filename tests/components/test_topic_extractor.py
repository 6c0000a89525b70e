"""TopicExtractor: every self-care topic a message's questions ask, from knowledge/topics.yml.

Classes of wording, not single sentences: two topics joined by "and"/"also", a phrase that asks two
topics at once ("heat or ice"), a longer phrase of one topic hiding a word of another ("warm up"),
self-massage against a massage at the clinic, and sentences that tell rather than ask.
"""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.topic_extractor import TopicExtractor
from bot.knowledge_files import read_yaml
from bot.paths import SPACY_PIPELINE

RESOURCE = Resource("topic_extractor")
CONTRACT_TOPICS = {"hydration", "electrolytes", "heat", "ice", "stretching", "self_massage",
                   "strengthening", "activity", "posture", "massage_treatment", "seek_help",
                   "active_spasm"}


def config():
    return {**TopicExtractor.get_default_config(), "spacy_model": str(SPACY_PIPELINE)}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    context = ExecutionContext(GraphSchema({}), "1")
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    TopicExtractor.create(config(), storage, RESOURCE, context).train(TrainingData())
    return TopicExtractor.load(config(), storage, RESOURCE, context)


def topics(extractor, text, intent="ask_stretching"):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})
    extractor.process([message])
    return message.get("topics")


def test_the_vocabulary_covers_exactly_the_contract_topics():
    assert set(read_yaml("knowledge/topics.yml")["topics"]) == CONTRACT_TOPICS


@pytest.mark.parametrize("text, expected", [
    ("should I drink more water and is heat ok?", ["hydration", "heat"]),
    ("any stretches? also is a hot shower ok?", ["stretching", "heat"]),
    ("how long should I hold a calf stretch, and is coffee bad for cramps?", ["stretching", "hydration"]),
    ("can I still go to the gym with it? would a heat pack help?", ["activity", "heat"]),
    ("how do I strengthen my core, and should I stop running for now?", ["strengthening", "activity"]),
])
def test_two_topics_asked_together_are_both_found_in_order(extractor, text, expected):
    assert topics(extractor, text) == expected


def test_a_phrase_that_asks_two_topics_gives_both(extractor):
    assert topics(extractor, "is heat or ice better for a tight back, and should I stretch it?") == [
        "heat", "ice", "stretching"]


def test_a_longer_phrase_of_one_topic_hides_a_word_of_another(extractor):
    assert topics(extractor, "should I warm up differently before a run?") == ["activity"]
    assert topics(extractor, "would a cold compress help?") == ["ice"]
    assert topics(extractor, "water or a sports drink?") == ["hydration", "electrolytes"]


@pytest.mark.parametrize("text, expected", [
    ("can I massage it myself?", "self_massage"),
    ("is a foam roller worth buying?", "self_massage"),
    ("would massaging them before bed help?", "self_massage"),
    ("is it worth getting a massage for it?", "massage_treatment"),
    ("how long is a session at the clinic?", "massage_treatment"),
])
def test_self_massage_and_a_massage_at_the_clinic_are_told_apart(extractor, text, expected):
    assert topics(extractor, text) == [expected]


def test_only_the_question_sentences_are_read(extractor):
    text = "Stretched them out and had a hot bath. What should I drink next time?"
    assert topics(extractor, text) == ["hydration"]


def test_a_message_that_asks_nothing_asks_no_topic(extractor):
    assert topics(extractor, "I stretched it and drank loads of water", intent="report_spasm") == []


def test_a_message_without_a_question_mark_is_read_whole_when_it_was_taken_for_a_question(extractor):
    assert topics(extractor, "tips on stretching and drinks pls", intent="ask_stretching") == [
        "stretching", "hydration"]


def test_holding_a_stretch_is_not_posture(extractor):
    assert topics(extractor, "how long should I hold a stretch?") == ["stretching"]
    assert topics(extractor, "is there a better way to sit at work?") == ["posture"]


def classified(extractor, text, ranking):
    message = Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.25},
                            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.25}] + [
                                {"name": n, "confidence": c} for n, c in ranking]})
    extractor.process([message])
    return message.get("intent")["name"], message.get("topics")


def test_an_unsure_classification_that_the_words_agree_with_is_answered(extractor):
    intent, found = classified(extractor, "which is better for cramps, water or a sports drink?",
                               [("ask_electrolytes", 0.5), ("ask_hydration", 0.5)])
    assert intent == "ask_electrolytes" and found == ["hydration", "electrolytes"]


def test_an_unsure_classification_the_words_do_not_agree_with_stays_unsure(extractor):
    assert classified(extractor, "is it bad to stretch?", [("ask_medication", 0.6)])[0] == "nlu_fallback"
    assert classified(extractor, "what is this?", [("ask_hydration", 0.6)])[0] == "nlu_fallback"


def test_a_topic_the_classifier_barely_considered_does_not_decide(extractor):
    assert classified(extractor, "should I stretch?", [("ask_medication", 0.8),
                                                      ("ask_stretching", 0.05)])[0] == "nlu_fallback"


def test_gaming_is_not_exercise(extractor):
    assert "activity" not in topics(extractor, "what can I do for tight shoulders from gaming all night?")


@pytest.mark.parametrize("text, expected", [
    ("what strengthening exercises can I do?", ["strengthening"]),
    ("any stretching exercises for my back?", ["stretching"]),
])
def test_a_topics_exercises_are_that_topic_not_activity(extractor, text, expected):
    assert topics(extractor, text) == expected


@pytest.mark.parametrize("text", ["do you stretch the muscle during a massage session?",
                                  "do you use a heat pack before the massage?",
                                  "will the therapist press on the knot?"])
def test_what_the_clinic_does_asked_of_it_is_the_treatment(extractor, text):
    assert topics(extractor, text) == ["massage_treatment"]


def act(extractor, text, intent, confidence, ranking):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}] + [
                                {"name": n, "confidence": c} for n, c in ranking]})
    extractor.process([message])
    return message.get("intent")["name"]


def test_a_question_naming_a_topic_is_that_question_when_the_act_was_a_guess(extractor):
    # "is heat ok" in the middle of the assessment, read as a yes at 0.5
    assert act(extractor, "is heat ok", "affirm", 0.5, [("ask_heat_ice", 0.39)]) == "ask_heat_ice"
    assert act(extractor, "does magnesium help and whats a good calf stretch", "greet", 0.3,
               [("ask_electrolytes", 0.3), ("ask_stretching", 0.25)]) == "ask_electrolytes"


def test_a_sure_act_a_report_or_a_message_asking_nothing_keeps_its_intent(extractor):
    assert act(extractor, "yes heat is ok", "affirm", 0.9, [("ask_heat_ice", 0.05)]) == "affirm"
    assert act(extractor, "my calf cramps, is heat ok?", "report_spasm", 0.5,
               [("ask_heat_ice", 0.4)]) == "report_spasm"
    assert act(extractor, "I used heat yesterday", "inform", 0.5, [("ask_heat_ice", 0.4)]) == "inform"
