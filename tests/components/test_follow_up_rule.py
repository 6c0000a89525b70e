"""FollowUpRule: a message that refers back to the conversation becomes `follow_up` (issue 16, point
3); a self-care question the classifier is sure of, a greeting or a report keeps its intent."""
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.follow_up_rule import FollowUpRule
from bot.follow_ups import follow_up_kind
from bot.knowledge_files import read_yaml
from bot.paths import SPACY_PIPELINE

RESOURCE = Resource("follow_up_rule")
WORDS = read_yaml("knowledge/conversation_memory.yml")["follow_ups"]


def config():
    return {**FollowUpRule.get_default_config(), "spacy_model": str(SPACY_PIPELINE)}


@pytest.fixture(scope="module")
def rule(tmp_path_factory):
    context = ExecutionContext(GraphSchema({}), "1")
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    FollowUpRule.create(config(), storage, RESOURCE, context).train(TrainingData())
    return FollowUpRule.load(config(), storage, RESOURCE, context)


def intent_after(rule, text, intent, confidence):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    rule.process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text, kind", [
    ("so which one should I use? it only started today", "which_one"),
    ("ok which is better", "which_one"),
    ("any other ones?", "another"),
    ("got another stretch?", "another"),
    ("what can I do about it myself?", "what_else"),
    ("what else helps", "what_else"),
])
def test_follow_up_kinds_are_read_from_the_knowledge_words(text, kind):
    assert follow_up_kind(text, WORDS) == kind


@pytest.mark.parametrize("text", ["is ice good for cramp?", "my calf cramps", "thanks"])
def test_follow_up_plain_messages_are_not_follow_ups(text):
    assert follow_up_kind(text, WORDS) is None


@pytest.mark.parametrize("text, intent, confidence", [
    ("so which one should I use? it only started today", "nlu_fallback", 0.25),
    ("any other ones?", "inform", 0.73),
    ("what can I do about it myself?", "ask_capabilities", 0.59),
    ("what else can I do?", "ask_capabilities", 0.79),
    ("another one please", "request_human", 0.36),
    ("which one for my calf?", "ask_stretching", 0.4),
])
def test_follow_up_unclear_or_misread_references_become_follow_up(rule, text, intent, confidence):
    assert intent_after(rule, text, intent, confidence) == "follow_up"


@pytest.mark.parametrize("text, intent, confidence", [
    ("which stretch is best for calves?", "ask_stretching", 0.9),
    ("which one of you is a person? I want to talk to someone", "request_human", 0.8),
    ("hi, which one of these should I pick", "greet", 0.3),
    ("my calf keeps cramping, what else can it be", "report_spasm", 1.0),
])
def test_follow_up_a_sure_question_greeting_or_report_keeps_its_intent(rule, text, intent, confidence):
    assert intent_after(rule, text, intent, confidence) == intent


def ranked(rule, text, ranking):
    message = Message(data={"text": text, "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
                            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})
    rule.process([message])
    return message.get("intent")


def test_follow_up_guessed_without_its_words_takes_the_next_intent_renormalised(rule):
    intent = ranked(rule, "ok so what would the therapist actually do?",
                    [("follow_up", 0.86), ("ask_treatment", 0.08), ("ask_seek_help", 0.01)])
    assert intent["name"] == "ask_treatment" and round(intent["confidence"], 2) == 0.57


def test_follow_up_guessed_without_its_words_and_no_sure_alternative_is_unsure(rule):
    intent = ranked(rule, "hmm so what then", [("follow_up", 0.5), ("ask_treatment", 0.15),
                                               ("ask_causes", 0.15), ("greet", 0.1)])
    assert intent["name"] == "nlu_fallback"
