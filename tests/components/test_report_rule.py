"""ReportRule turns a misread short spasm report into report_spasm, and leaves everything else."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.report_rule import ReportRule

AREA = [{"entity": "body_part", "value": "hand", "start": 3, "end": 7}]


def _message(text, intent, entities=AREA, concepts=()):
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.3},
                         "entities": entities, "triage": {"concepts": list(concepts)},
                         "intent_ranking": [{"name": intent, "confidence": 0.3}]})


@pytest.fixture
def rule():
    return ReportRule(ReportRule.get_default_config())


@pytest.mark.parametrize("text, intent", [
    ("my hand cramps", "nlu_fallback"),
    ("neck is in spasm", "ask_what_is_spasm"),
    ("hamstring tightness and spasms", "nlu_fallback"),
    ("neck cramp", "ask_active_spasm"),
])
def test_short_report_becomes_report_spasm(rule, text, intent):
    message = rule.process([_message(text, intent)])[0]
    assert message.get("intent") == {"name": "report_spasm", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "report_spasm"


@pytest.mark.parametrize("text, intent, entities", [
    ("what is a spasm in my hand?", "ask_what_is_spasm", AREA),      # a question
    ("my hand cramps, is heat or ice better", "ask_heat_ice", AREA),  # another intent
    ("I get cramps", "nlu_fallback", []),                            # no body area
    ("my hand hurts", "nlu_fallback", AREA),                          # no spasm word
])
def test_other_messages_keep_their_intent(rule, text, intent, entities):
    message = rule.process([_message(text, intent, entities)])[0]
    assert message.get("intent")["name"] == intent


def test_a_spasm_happening_now_keeps_its_intent(rule):
    message = rule.process([_message("my hand cramp won't let go", "ask_active_spasm",
                                     concepts=["NOW", "SPASM_WORD"])])[0]
    assert message.get("intent")["name"] == "ask_active_spasm"
