"""ReportRule: a message that names a body area and a spasm word, and asks nothing, is a report.

"my hand cramps", "neck is in spasm", "hamstring tightness and spasms": short reports that the
classifier sometimes scores too low (nlu_fallback) or mistakes for a question about spasms, or for a
spasm happening right now when nothing says "now" ("neck cramp"). Runs after the classifiers,
FallbackClassifier and RedFlagDetector; sets `report_spasm` only when the classifier's intent is one of
`overrides` (or `now_intent` without the red-flag rules' NOW concept), so questions are left alone.
"""
import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.questions import looks_like_question


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReportRule(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent": "report_spasm",
            "overrides": ["nlu_fallback", "ask_what_is_spasm", "inform", "out_of_scope"],
            "now_intent": "ask_active_spasm",
            "spasm_words": ["spasm", "cramp", "tight", "knot", "seiz", "lock", "stiff", "twing",
                            "charlie horse", "clench", "pull"],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config
        self.spasm = re.compile(r"\b(" + "|".join(map(re.escape, config["spasm_words"])) + r")", re.I)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ReportRule":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self.is_report(message):
                intent = {"name": self.config["intent"], "confidence": 1.0}
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                           if r["name"] != intent["name"]]
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)
        return messages

    def is_report(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        intent = (message.get(INTENT) or {}).get("name")
        names_area = any(e.get("entity") == "body_part" for e in message.get(ENTITIES) or [])
        happening_now = "NOW" in (message.get("triage") or {}).get("concepts", [])
        misread = intent in self.config["overrides"] or (
            intent == self.config["now_intent"] and not happening_now)
        return (misread and names_area and bool(self.spasm.search(text))
                and not looks_like_question(text))
