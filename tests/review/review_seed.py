"""Conversations for the console's tests, written by Rasa's own SQLTrackerStore (so with Rasa's
schema and serialisation) at chosen times, shaped like the assistant's: the client's message, the
outcome slots TriagePolicy and the actions set, the referral utterance with its reason."""
import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import ListSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

DAY = 24 * 3600
KNOWLEDGE_VERSION = "2026-12-04+0123abcd"
SLOTS = [TextSlot("triage_level", mappings=[]), ListSlot("red_flags", mappings=[]),
         ListSlot("advice_topics", mappings=[]), TextSlot("knowledge_version", mappings=[])]
ACTIONS = {"emergency_ambulance": "🚨 Please call 999 now for an ambulance.",
           "emergency": "🚨 Please go to A&E now.",
           "consultation_24": "⚠️ Please see a doctor within 24 hours: call your GP or NHS 111.",
           "consultation": "Please book an appointment with your GP or a physiotherapist."}


@dataclass
class Turn:
    client: str
    intent: str = "inform"
    bot: List[str] = field(default_factory=lambda: ["Thanks, noted."])
    slots: Dict[str, Any] = field(default_factory=dict)
    referral: Optional[str] = None   # the level TriagePolicy refers to in this turn
    mentioned: str = ""              # what the referral says the client mentioned
    at: Optional[float] = None       # seconds after the conversation's start (default: 30 s apart)
    actions: List[str] = field(default_factory=list)  # run after the message (a fallback action)


@dataclass
class Seeded:
    sender: str
    started: float
    turns: List[Turn]
    channel: str = "rest"

    def events(self) -> List[Event]:
        t = self.started
        events: List[Event] = [ActionExecuted("action_session_start", timestamp=t),
                               SessionStarted(timestamp=t), ActionExecuted("action_listen", timestamp=t)]
        for i, turn in enumerate(self.turns):
            t = self.started + (turn.at if turn.at is not None else 1 + 30 * i)
            events.append(UserUttered(turn.client, {"name": turn.intent, "confidence": 0.9},
                                      timestamp=t, input_channel=self.channel,
                                      message_id=uuid.uuid4().hex))
            events += [SlotSet(name, value, timestamp=t + 0.01) for name, value in turn.slots.items()]
            events += [ActionExecuted(name, timestamp=t + 0.015) for name in turn.actions]
            texts = list(turn.bot)
            if turn.referral:
                action = f"utter_escalate_{turn.referral}"
                events.append(ActionExecuted(action, policy="TriagePolicy", timestamp=t + 0.02))
                events.append(BotUttered(f"{ACTIONS[turn.referral]}\nThis is because you mentioned "
                                         f"{turn.mentioned}.\nI'm an automated assistant.",
                                         metadata={"utter_action": action}, timestamp=t + 0.03))
            for j, text in enumerate(texts):
                events.append(BotUttered(text, timestamp=t + 0.04 + j / 100))
            events.append(ActionExecuted("action_listen", timestamp=t + 0.1))
        return events


def tracker_store(url: str) -> SQLTrackerStore:
    """Rasa's store on `url` (sqlite:///path or postgresql://...), creating its table."""
    return SQLTrackerStore(host=url)


def save(store: SQLTrackerStore, conversations: List[Seeded]) -> None:
    for conversation in conversations:
        tracker = DialogueStateTracker.from_events(conversation.sender, conversation.events(), SLOTS)
        asyncio.run(store.save(tracker))


def clinic(now: float) -> List[Seeded]:
    """A small clinic's conversations, relative to `now`."""
    return [
        Seeded("alice-web", now - 2 * DAY, [
            Turn("hi, my name is Alice Smith", "greet", ["Hi! I'm the clinic's assistant."]),
            Turn("my email is alice@example.com and my phone is 07700 900123"),
            Turn("my left calf is swollen, red and warm",
                 slots={"red_flags": ["dvt_signs"], "triage_level": "consultation_24"},
                 referral="consultation_24", mentioned="a swollen, red or warm calf"),
        ]),
        Seeded("bob-widget", now - 1 * DAY, channel="socketio", turns=[
            Turn("is ice good for a cramp?", "ask_heat_ice", ["Ice for a fresh strain, heat after."],
                 slots={"advice_topics": ["heat", "ice"], "triage_level": "self_care",
                        "knowledge_version": KNOWLEDGE_VERSION}),
            Turn("I have chest pain and can't breathe",
                 slots={"red_flags": ["pe_signs"], "triage_level": "emergency_ambulance"},
                 referral="emergency_ambulance", mentioned="breathlessness or chest pain"),
        ]),
        Seeded("carol-tg", now - 600, channel="telegram", turns=[
            Turn("how much water should I drink? I'm Carol", "ask_hydration", ["About 2 litres."],
                 slots={"advice_topics": ["hydration"], "triage_level": "self_care"}),
        ]),
        Seeded("dan", now - 10 * DAY, [
            Turn("my back is in spasm and it's numb down there",
                 slots={"red_flags": ["cauda_equina", "neuro_symptoms"], "triage_level": "emergency"},
                 referral="emergency", mentioned="numbness between the legs"),
        ]),
        Seeded("erin", now - 3 * DAY, [Turn("hello", "greet", ["Hi!"])]),
        Seeded("frank-old", now - 100 * DAY, [
            Turn("my cramps have been getting worse for weeks",
                 slots={"red_flags": ["persistent_or_worsening"], "triage_level": "consultation"},
                 referral="consultation", mentioned="spasms getting worse"),
        ]),
        Seeded("whatsapp:+447700900456", now - 100 * DAY, channel="twilio", turns=[
            Turn("cramp in my foot again", "report_spasm", ["Try this stretch."],
                 slots={"advice_topics": ["stretching"], "triage_level": "self_care"}),
            Turn("still cramping, call me on +44 7700 900456", at=99 * DAY,
                 slots={"advice_topics": ["stretching", "self_massage"]}),
        ]),
        Seeded("hank", now - 4 * DAY, [Turn("=1+2 my hamstring cramps at night", "report_spasm")]),
    ]
