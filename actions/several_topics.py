"""One short reply for a message that asks about several self-care topics (knowledge/topics.yml).

TopicExtractor puts the topics the message's questions ask in the parse data (`topics`). When they
are more than the answer to the classified question covers, each topic gets its short answer
(`brief`), the decision first, as a part of its own: what the conversation's findings forbid is
still left out by advice_text.advised, and the reply stays short enough for a phone. A "More on ..."
button per topic asks for its full answer.
"""
from typing import Any, Dict, Iterable, List, Optional, Tuple

from rasa_sdk import Tracker

from actions import reading
from actions.advice_text import Part, forbidding
from actions.knowledge import knowledge

MAX_BUTTONS = 3


def asked_topics(tracker: Tracker) -> List[str]:
    """The topics the client's latest message asks about, in the order asked."""
    return list(tracker.latest_message.get("topics") or [])


def answering_intent(topic: str) -> Optional[str]:
    return knowledge()["topics"]["topics"][topic].get("answer")


def topics_of_intent(intent: str) -> List[str]:
    """The topics the classified question is about: those whose full answer is that intent's."""
    return [t for t, spec in knowledge()["topics"]["topics"].items() if spec.get("answer") == intent]


def covered(entry: Dict[str, Any]) -> List[str]:
    """The topics an answer_for entry (its `parts`) advises on."""
    return [t for topics, _ in entry["parts"] for t in topics]


def onset_of(tracker: Tracker) -> Optional[str]:
    """'acute' or 'chronic' from the message, else from the assessment's onset answer."""
    rules = knowledge()["assessment"]["onset"]
    text = tracker.latest_message.get("text")
    return reading.onset_kind(text, rules) or reading.onset_kind(tracker.get_slot("spasm_onset"), rules)


def brief_parts(topics: List[str], area: Optional[str], onset: Optional[str],
                blocked: Iterable[str] = ()) -> List[Part]:
    """Each topic's short answer as a part, in the order asked; a pair asked together (heat and
    ice) shares one line, which decides for the client when the onset tells (ice when recent),
    unless a finding forbids one of the two (`blocked`): then each has its own line, so that the
    other is still given."""
    spec = knowledge()["topics"]
    parts: List[Part] = []
    done: set = set()
    for topic in topics:
        if topic in done:
            continue
        pair = next((p for p in spec.get("pairs", []) if topic in p["topics"]
                     and set(p["topics"]) <= set(topics) and not set(p["topics"]) & set(blocked)),
                    None)
        if pair:
            chosen = pair.get(onset) or pair
            parts.append((list(chosen.get("topics") or pair["topics"]), chosen["brief"]))
            done.update(pair["topics"])
            continue
        parts.append(([topic], _brief(topic, area)))
        done.add(topic)
    return parts


def _brief(topic: str, area: Optional[str]) -> str:
    spec = knowledge()["topics"]["topics"][topic]
    if topic == "stretching" and area and spec.get("brief_for_area"):
        name = knowledge()["stretches"][area]["name"]
        return spec["brief_for_area"].replace("{stretch_name}", name[0].lower() + name[1:])
    return spec["brief"]


def more_buttons(topics: List[str], area: Optional[str]) -> List[Dict[str, str]]:
    """A button per topic that asks for its full answer (the area's stretch for stretching)."""
    buttons: List[Dict[str, str]] = []
    for topic in topics:
        if topic == "stretching" and area:
            stretch = knowledge()["stretches"][area]
            button = {"title": f"{stretch['name']}", "payload": stretch["ask"]}
        else:
            button = dict(knowledge()["topics"]["topics"][topic]["more"])
        if button["payload"] not in [b["payload"] for b in buttons]:
            buttons.append(button)
    return buttons[:MAX_BUTTONS]


def several_topics_answer(tracker: Tracker, intent: str, entry: Dict[str, Any],
                          area: Optional[str]) -> Optional[Tuple[List[Part], List[Dict[str, str]]]]:
    """(parts, buttons) when the message asks about topics the intent's answer does not cover,
    else None (the intent's own answer says it all).

    The classified question's own topics are added when the words found none of them ("which is
    better for my back?" classified as heat or ice). An answer that is about no topic (why cramps
    happen, medicines) stays whole, and the other topics' short answers follow it."""
    asked = asked_topics(tracker)
    if not asked or set(asked) <= set(covered(entry)):
        return None
    own = topics_of_intent(intent)
    if own and not set(own) & set(asked):
        asked = own + asked
    onset, blocked = onset_of(tracker), forbidding(tracker)
    if own:
        return brief_parts(asked, area, onset, blocked), more_buttons(asked, area)
    extra = [t for t in asked if t not in covered(entry)]
    return entry["parts"] + brief_parts(extra, area, onset, blocked), more_buttons(extra, area)
