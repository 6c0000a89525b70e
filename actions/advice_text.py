"""Building advice messages from the knowledge files: what the conversation's findings forbid, the
cautions, the advice itself, the safety footer and the outcome slots.

Every answer is a list of parts, each serving some advice topics (knowledge/answers.yml). A part
whose topic a flagged code forbids (`forbids` in knowledge/red_flags.yml) is left out, and the reply
opens with why: a client with a suspected clot is never shown a calf stretch, even further down.
"""
from typing import Any, Dict, Iterable, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.knowledge import knowledge
from actions.memory import last_area
from bot.triage.rules import level_rank

Part = Tuple[List[str], str]  # (topics it serves, text)


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str) -> str:
    """A knowledge text with the clinic's numbers and the clinical facts (one value each) put in."""
    k = knowledge()
    return text.format_map(_Keep({**k["settings"], **k["facts"]})).strip()


def body_part(tracker: Tracker) -> Optional[str]:
    """The area the client just named, else the one from their assessment, else the last one they
    named in the conversation ("cramps in my calves", then "Stretches": the calf stretch)."""
    named = [e["value"] for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "body_part"]
    area = named[0] if named else (tracker.get_slot("spasm_area") or last_area(tracker))
    return area if area in knowledge()["stretches"] else None


def stretch_reply(area: str) -> str:
    """A stretch shown on its own, the stretch to do first: "For your calf: Wall calf stretch, once
    or twice a day ...", then its steps, hold and when to stop (knowledge/stretches.yml)."""
    k = knowledge()
    stretch = k["stretches"][area]
    lead = k["stretch_lead"].format(label=stretch["label"], name=stretch["name"])
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(stretch["steps"], 1))
    hold = stretch.get("hold") or k["facts"]["stretch_hold"]
    return fill(f"{lead}\n{steps}\n{hold}\n{stretch['avoid']}")


def stretch_buttons(area: str) -> List[Dict[str, str]]:
    """Under a stretch: another muscle's stretch (never the same one again), then related help."""
    stretches = knowledge()["stretches"]
    other = stretches[stretches[area]["another"]]
    return [{"title": f"Another stretch: {other['label']}", "payload": other["ask"]},
            {"title": "Self-massage", "payload": "how do I massage it myself?"},
            {"title": "Heat or ice?", "payload": "should I use heat or ice?"}]


def stretch_text(area: str) -> str:
    stretch = knowledge()["stretches"][area]
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(stretch["steps"], 1))
    hold = stretch.get("hold") or knowledge()["facts"]["stretch_hold"]
    return fill(f"{stretch['name']}:\n{steps}\n{hold}\n{stretch['avoid']}")


def entry_parts(entry: Dict[str, Any]) -> List[Part]:
    """An answer as parts: its `parts`, or its whole `text` serving all its topics."""
    if "parts" in entry:
        return [(list(p.get("topics") or []), p["text"]) for p in entry["parts"]]
    return [(list(entry.get("topics") or []), entry["text"])]


# --- what the findings forbid -------------------------------------------------------------------
def forbidding(tracker: Tracker) -> Dict[str, List[str]]:
    """Each forbidden item (stretching, heat...) -> the flagged codes that forbid it."""
    codes = knowledge()["red_flags"].codes
    found: Dict[str, List[str]] = {}
    for code in tracker.get_slot("red_flags") or []:
        for item in codes[code].forbids if code in codes else ():
            found.setdefault(item, []).append(code)
    return found


def allowed(parts: Iterable[Part], forbidden: Dict[str, List[str]]) -> Tuple[List[Part], List[str]]:
    """(the parts no finding forbids, the forbidden items that were asked for)."""
    kept, withheld = [], []
    for topics, text in parts:
        blocked = [t for t in topics if t in forbidden]
        if blocked:
            withheld += [t for t in blocked if t not in withheld]
        else:
            kept.append((topics, text))
    return kept, withheld


def withheld_lines(withheld: List[str], forbidden: Dict[str, List[str]]) -> List[str]:
    """Why the withheld items are not given: one line per set of codes that forbid the same
    items ("Because you mentioned ... and ..., please don't use heat ...")."""
    k = knowledge()
    names = k["withheld"]["names"]
    by_code: Dict[str, List[str]] = {}
    for item in withheld:
        for code in forbidden[item]:
            by_code.setdefault(code, []).append(names.get(item, item))
    by_items: Dict[Tuple[str, ...], List[str]] = {}
    for code, items in by_code.items():
        by_items.setdefault(tuple(items), []).append(k["red_flags"].codes[code].mentioned)
    return [fill(k["withheld"]["text"].format(mentioned=_listed(said, "; and "),
                                              items=_listed(list(items))))
            for items, said in by_items.items()]


def _listed(items: List[str], last: str = " or ") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


# --- cautions and footer --------------------------------------------------------------------------
def cautions(tracker: Tracker, given: Iterable[str] = ()) -> List[str]:
    """One line per flagged code that changes self-care: caution codes and referral codes. A
    caution the advice itself gives is not said twice: a spasm happening now (`active_spasm`) whose
    what-to-do-now advice is in the reply."""
    k = knowledge()
    lines = []
    for code in tracker.get_slot("red_flags") or []:
        if code in given:
            continue
        if code in k["cautions"]:
            lines.append(fill(k["cautions"][code]["text"]))
        elif code in k["red_flags"].codes and level_rank(k["red_flags"].codes[code].level) > 1:
            meanwhile = fill(k["red_flags"].codes[code].meanwhile)
            if meanwhile:
                lines.append(meanwhile)
    return [line for i, line in enumerate(lines) if line not in lines[:i]]


def footer_due(tracker: Tracker) -> bool:
    """The safety footer is said once per conversation, and again after the findings change."""
    note = knowledge()["safety_note"]
    said = changed = -1
    for i, event in enumerate(tracker.events or []):
        if event.get("event") == "bot" and note in (event.get("text") or ""):
            said = i
        elif event.get("event") == "slot" and event.get("name") == "red_flags":
            changed = i
    return said < 0 or changed > said


def advised_messages(tracker: Tracker, parts: Iterable[Part], lead: str = "",
                     separate: bool = False) -> Tuple[List[str], List[str]]:
    """(the messages, the topics they advised): why anything is withheld and the client's
    cautions first, then the advice the findings allow (one message per part when `separate`),
    then the footer if it is due."""
    forbidden = forbidding(tracker)
    kept, withheld = allowed(parts, forbidden)
    given = [t for topics, _ in kept for t in topics]
    notes = withheld_lines(withheld, forbidden) + cautions(tracker, given)
    texts = [fill(text) for _, text in kept]
    body = texts if separate else (["\n".join(texts)] if texts else [])
    opening = [b for b in (lead, "Please note: " + " ".join(notes) if notes else "") if b]
    if opening:
        body = ["\n\n".join(opening + body[:1])] + body[1:]
    if footer_due(tracker) and body:
        body[-1] += "\n\n" + knowledge()["safety_note"]
    topics = [t for topics, _ in kept for t in topics]
    return body, list(dict.fromkeys(topics))


def advised(tracker: Tracker, parts: Iterable[Part], lead: str = "") -> Tuple[str, List[str]]:
    """advised_messages as one message."""
    messages, topics = advised_messages(tracker, parts, lead)
    return "\n\n".join(messages), topics


def outcome_events(tracker: Tracker, topics: List[str]) -> List[SlotSet]:
    """advice_topics gains the topics; triage_level becomes self_care if nothing set it yet."""
    events = []
    known = tracker.get_slot("advice_topics") or []
    merged = known + [t for t in topics if t not in known]
    if merged != known:
        events.append(SlotSet("advice_topics", merged))
    if topics and not tracker.get_slot("triage_level"):
        events.append(SlotSet("triage_level", "self_care"))
    return events


def buttons(entry: Dict[str, Any]) -> List[Dict[str, str]]:
    return [{"title": b["title"], "payload": b["payload"]} for b in entry.get("buttons", [])]
