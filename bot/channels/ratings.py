"""A client's thumbs up or down on one of the assistant's answers, kept in the conversation itself.

The web widget sends `rate_answer {answer, rating}` on its verified socket (bot/channels/
secure_socketio.py); `answer` is the timestamp of the rated BotUttered event, which the widget got
with the message (`answer_id`). The rating is appended to that conversation's tracker as an
`AgentUttered` event (type name `agent` in Rasa's `events` table), the one event type Rasa stores
but never applies to the dialogue state, featurizes or shows in a story, so it changes nothing the
assistant decides, needs no domain change and no retraining, travels through the event broker like
every other event (the production profile's console database gets it too), and is deleted with its
conversation by the console's retention. Its `data`:

    {"kind": "answer_rating", "rating": "up" | "down", "answer_at": <the answer's timestamp>,
     "answer": <the answer's text, at most 2,000 characters>}

A later rating of the same answer replaces the earlier one (`latest_ratings`). The review console
reads them with `ratings_of_conversation` (one query on the `events` table).
"""
import json
from typing import Any, Dict, Iterable, List, Optional

from rasa.shared.core.events import AgentUttered, BotUttered

KIND = "answer_rating"
RATINGS = ("up", "down")
MAX_ANSWER_CHARS = 2000
MAX_RATINGS_PER_CONVERSATION = 300  # a client cannot grow a tracker without end by clicking


def rating_event(rating: str, answer: BotUttered) -> AgentUttered:
    """The event that records `rating` of `answer` (see the module docstring for its shape)."""
    if rating not in RATINGS:
        raise ValueError(f"a rating is one of {RATINGS}")
    return AgentUttered(text=None, data={
        "kind": KIND, "rating": rating, "answer_at": answer.timestamp,
        "answer": (answer.text or "")[:MAX_ANSWER_CHARS]})


def rating_of(data: Any) -> Optional[Dict[str, Any]]:
    """The rating an `agent` event's data holds (as stored: the event's `data` field), else None."""
    if not isinstance(data, dict) or data.get("kind") != KIND or data.get("rating") not in RATINGS:
        return None
    if not isinstance(data.get("answer_at"), (int, float)):
        return None
    return data


def same_moment(a: Any, b: Any) -> bool:
    """Whether two event timestamps are the same (they round-trip exactly through JSON; the
    tolerance only guards against a store that keeps fewer digits)."""
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-6


def find_answer(events: Iterable[Any], answer_at: Any) -> Optional[BotUttered]:
    """The bot message of a conversation sent at `answer_at`, or None (not this conversation's)."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered) and same_moment(event.timestamp, answer_at):
            return event
    return None


def latest_ratings(events: Iterable[Any]) -> Dict[float, str]:
    """The latest rating of each rated answer, by the answer's timestamp."""
    ratings: Dict[float, str] = {}
    for event in events:
        if isinstance(event, AgentUttered):
            rating = rating_of(event.data)
            if rating:
                ratings[rating["answer_at"]] = rating["rating"]
    return ratings


def count_ratings(events: Iterable[Any]) -> int:
    return sum(1 for e in events if isinstance(e, AgentUttered) and rating_of(e.data))


def ratings_of_conversation(connection: Any, events_table: Any, sender_id: str
                            ) -> List[Dict[str, Any]]:
    """For the review console: a conversation's ratings, latest per answer, oldest answer first,
    each `{answer_at, answer, rating, rated_at}`, read from Rasa's `events` table (a SQLAlchemy
    connection and table, such as bot/review/schema.py's `events_table`)."""
    from sqlalchemy import select

    table = events_table
    rows = connection.execute(
        select(table.c.timestamp, table.c.data)
        .where(table.c.sender_id == sender_id, table.c.type_name == "agent")
        .order_by(table.c.timestamp, table.c.id)).fetchall()
    latest: Dict[float, Dict[str, Any]] = {}
    for row in rows:
        try:
            event = json.loads(row.data)
        except (TypeError, ValueError):
            continue
        rating = rating_of(event.get("data") if isinstance(event, dict) else None)
        if rating:
            latest[rating["answer_at"]] = {"answer_at": rating["answer_at"],
                                           "answer": rating.get("answer", ""),
                                           "rating": rating["rating"], "rated_at": row.timestamp}
    return [latest[key] for key in sorted(latest)]
