"""FollowUpRule: a message that refers back to the conversation gets the intent `follow_up`.

"so which one should I use? it only started today", "any other ones?", "what can I do about it
myself?" say nothing on their own; the classifier reads them as a fallback, `inform` or "what can
you do". The words of a follow-up (knowledge/conversation_memory.yml `follow_ups`, bot/follow_ups.py)
decide, unless the classifier is sure the message asks a self-care question of its own ("which stretch
is best for calves?" stays ask_stretching). actions/follow_up.py answers it against the conversation.
Runs after the classifiers, FallbackClassifier and ReportRule; red flags are untouched (TriagePolicy
reads the findings, not the intent).
"""
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.knowledge_component import KnowledgeComponent
from bot.follow_ups import follow_up_kind


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FollowUpRule(KnowledgeComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "knowledge": "knowledge/conversation_memory.yml",
            "spacy_model": "build/spacy_en",
            "intent": "follow_up",
            # a self-care question (or a request for a person) the classifier is at least this sure
            # of keeps its intent
            "sure_question": 0.6,
            "questions": ["ask_", "request_human"],
            # "what can you do?" is not a self-care question: "what else can I do?" is a follow-up
            "not_questions": ["ask_capabilities"],
            # intents a follow-up's words never override
            "keep": ["greet", "goodbye", "stop", "non_english", "report_spasm", "bot_challenge"],
            # the classifier's own `follow_up` without a follow-up's words is re-ranked without it;
            # below this (config.yml FallbackClassifier's threshold) the message is unsure
            "fallback_threshold": 0.4,
            "fallback_intent": "nlu_fallback",
        }

    def setup(self) -> None:
        self.vocabulary = self.knowledge["follow_ups"]

    def process_message(self, message: Message) -> None:
        if not self.is_follow_up(message):
            self.unless_words(message)
            return
        intent = {"name": self.config["intent"], "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != intent["name"]]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)

    def unless_words(self, message: Message) -> None:
        """The words decide what a follow-up is: a `follow_up` guessed by the classifier from a
        message without them ("so what would the therapist do?") takes the next intent, its
        confidence renormalised without the follow-up's share, or the fallback when that is unsure."""
        if (message.get(INTENT) or {}).get("name") != self.config["intent"]:
            return
        ranking = message.get(INTENT_RANKING_KEY) or []
        share = sum(r["confidence"] for r in ranking if r["name"] == self.config["intent"])
        rest = [{"name": r["name"], "confidence": r["confidence"] / max(1e-9, 1 - share)}
                for r in ranking if r["name"] not in (self.config["intent"], self.config["fallback_intent"])]
        if not rest or rest[0]["confidence"] < self.config["fallback_threshold"]:
            top = {"name": self.config["fallback_intent"], "confidence": self.config["fallback_threshold"]}
        else:
            top = rest[0]
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ([top] if top not in rest else []) + rest, add_to_output=True)

    def is_follow_up(self, message: Message) -> bool:
        if not follow_up_kind(message.get(TEXT), self.vocabulary):
            return False
        intent = message.get(INTENT) or {}
        name, confidence = intent.get("name") or "", intent.get("confidence") or 0.0
        if name in self.config["keep"]:
            return False
        asks = (any(name.startswith(prefix) for prefix in self.config["questions"])
                and name not in self.config["not_questions"])
        return not (asks and confidence >= self.config["sure_question"])
