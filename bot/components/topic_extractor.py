"""TopicExtractor: every self-care topic a message asks about (knowledge/topics.yml), in the order asked.

The intent classifier names one dialogue act per message ("ask_heat_ice"); a client often asks two
things at once ("is heat or ice better, and should I stretch it?"). This component reads the
topics' lay words in the message's question sentences, so that the answer can cover each of them,
and adds them to the parse data as `topics` (a list of CONTRACT.md advice topics). Sentences that
only tell ("I stretched it out.") ask nothing; a message with no question sentence is read whole when
the classifier took it for a self-care question ("tips on stretching and drinks pls").

When the classifier was unsure (`nlu_fallback`: "water or a sports drink?" scores hydration and
electrolytes alike) and its likeliest self-care question is about a topic the words name, the two
agree: the message is that question, and its topics are answered rather than a rephrase asked for.
"""
import re
from typing import Any, Dict, List, Set, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.knowledge_component import KnowledgeComponent
from bot.questions import looks_like_question
from bot.triage.patterns import Match, PhraseSet

TOPICS_KEY = "topics"
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")


def question_spans(text: str, asked: bool) -> List[Tuple[int, int]]:
    """The character spans of the sentences that ask something; all of them when none looks like
    a question but the classifier took the message for one (`asked`)."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    questions = [(s, e) for s, e in sentences if looks_like_question(text[s:e])]
    return questions or (sentences if asked else [])


def widest(matches: List[Match]) -> List[Match]:
    """Drop a match overlapping a longer match of another topic: "warm up" is activity, so its
    "warm" is not heat, and "do you use a heat pack" (the clinic's treatment) is not heat; a phrase
    of two topics ("heat or ice") keeps both."""
    def beaten(m: Match, n: Match) -> bool:
        return n.start < m.end and m.start < n.end and n.end - n.start > m.end - m.start
    return [m for m in matches if not any(beaten(m, n) for n in matches if n.label != m.label)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicExtractor(KnowledgeComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge": "knowledge/topics.yml", "spacy_model": "build/spacy_en",
                "fallback_intent": "nlu_fallback", "min_confidence": 0.2,
                # an act at least this sure keeps its intent (FollowUpRule's sure_question)
                "sure": 0.6,
                "keep": ["report_spasm", "follow_up", "request_human", "stop", "non_english",
                         "bot_challenge", "confirm_safe", "skip"]}

    def setup(self) -> None:
        self.topics = list(self.knowledge["topics"])
        self.phrases = PhraseSet(self.nlp)
        for topic, spec in self.knowledge["topics"].items():
            self.phrases.add(topic, tuple(spec["words"]))

    def process_message(self, message: Message) -> None:
        topics = self.topics_asked(message)
        message.set(TOPICS_KEY, topics, add_to_output=True)
        if topics and self.unsure_act(message):
            self.agree(message, topics)

    def unsure_act(self, message: Message) -> bool:
        """The classifier was unsure (`nlu_fallback`), or guessed a conversational act it is not sure
        of for a question that names a topic ("is heat ok" read as `affirm` at 0.5): the topic the
        words name decides. Reports, follow-ups and sure answers keep their intent."""
        intent = message.get(INTENT) or {}
        name = intent.get("name") or ""
        if name == self.config["fallback_intent"]:
            return True
        return (not name.startswith("ask_") and name not in self.config["keep"]
                and (intent.get("confidence") or 0) < self.config["sure"])

    def agree(self, message: Message, topics: List[str]) -> None:
        """An unsure classification becomes the likeliest self-care question about a topic asked."""
        answering = {self.knowledge["topics"][t].get("answer") for t in topics}
        ranking = message.get(INTENT_RANKING_KEY) or []
        best = next((r for r in ranking if r.get("name") in answering), None)
        if best and best.get("confidence", 0) >= self.config["min_confidence"]:
            intent = {"name": best["name"], "confidence": best["confidence"]}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent] + [r for r in ranking if r is not best],
                        add_to_output=True)

    def topics_asked(self, message: Message) -> List[str]:
        text = message.get(TEXT) or ""
        intent = ((message.get(INTENT) or {}).get("name") or "")
        spans = question_spans(text, intent.startswith("ask_"))
        if not spans:
            return []
        doc = self.nlp(text.lower())
        found: List[Tuple[int, str]] = []
        for match in widest(self.phrases(doc)):
            start = doc[match.start].idx
            if any(s <= start < e for s, e in spans):
                found.append((start, match.label))
        seen: Set[str] = set()
        return [t for _, t in sorted(found) if not (t in seen or seen.add(t))]
