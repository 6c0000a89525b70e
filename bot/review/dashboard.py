"""The dashboard's numbers, over the conversations the filters select.

Per day (the day a conversation started, in the console's time zone): conversations, and
escalations (each rise of triage_level above self_care, on the day it happened). Per red-flag code:
conversations flagged with it, and escalations it caused. Per advice topic and per triage level:
conversations. The per-day chart covers the filter's dates, or the data's, at most MAX_DAYS.

What tells the clinic where the assistant falls short (issue 17), per day and in total:
- fallback rate: client messages the assistant did not understand (the NLU's fallback intent, or a
  fallback action in answer) over client messages, on the day they were sent;
- hand-off requests: client messages asking for a person or a call-back (the domain's intents,
  bot.review.conversations.HANDOFF_INTENTS);
- conversations with no advice, and their share: the client wrote, and the conversation got neither
  an advice topic nor a referral, by the day it started.
A day or a selection with no messages has a rate of 0, not an error.
"""
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.review import charts
from bot.review.filters import NO_LEVEL, Filters, Row
from bot.review.present import flag_label, level_label
from bot.triage.rules import LEVELS

MAX_DAYS = 92


@dataclass
class Stats:
    days: List[str]
    conversations_per_day: List[int]
    escalations_per_day: List[int]
    per_code: List[Tuple[str, Tuple[int, int]]]   # code, (conversations, escalations)
    per_topic: List[Tuple[str, Tuple[int]]]
    per_level: List[Tuple[str, Tuple[int]]]
    days_cut: bool                                 # the range was longer than MAX_DAYS
    total: int
    escalations: int
    client_messages_per_day: List[int] = field(default_factory=list)
    fallbacks_per_day: List[int] = field(default_factory=list)
    handoffs_per_day: List[int] = field(default_factory=list)
    no_advice_per_day: List[int] = field(default_factory=list)
    client_messages: int = 0
    fallbacks: int = 0
    handoffs: int = 0
    no_advice: int = 0

    @property
    def fallback_rate(self) -> float:
        return share(self.fallbacks, self.client_messages)

    @property
    def no_advice_share(self) -> float:
        return share(self.no_advice, self.total)

    @property
    def gaps_per_day(self) -> List[Tuple[str, Tuple]]:
        """Per day: client messages, fallbacks, fallback rate (%), hand-off requests,
        conversations, with no advice, their share (%)."""
        return [(day, (messages, fallbacks, percent(fallbacks, messages), handoffs, started,
                       none, percent(none, started)))
                for day, messages, fallbacks, handoffs, started, none in zip(
                    self.days, self.client_messages_per_day, self.fallbacks_per_day,
                    self.handoffs_per_day, self.conversations_per_day, self.no_advice_per_day)]

    @property
    def per_day(self) -> List[Tuple[str, Tuple[int, int]]]:
        return list(zip(self.days, zip(self.conversations_per_day, self.escalations_per_day)))


def share(part: int, whole: int) -> float:
    """part / whole, 0 when there is no whole (a quiet day)."""
    return part / whole if whole else 0.0


def percent(part: int, whole: int) -> float:
    return round(100 * share(part, whole), 1)


def no_advice(row: Row) -> bool:
    """The client wrote, and got neither self-care advice nor a referral."""
    c = row.conversation
    return bool(c.client_texts) and not c.advice_topics and not c.escalations


def as_json(numbers: "Stats") -> Dict:
    """The dashboard's numbers for /api/dashboard, rates included."""
    return {**asdict(numbers), "fallback_rate": numbers.fallback_rate,
            "no_advice_share": numbers.no_advice_share}


def _day(timestamp: float, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(timestamp, zone).date()


def _range(rows: List[Row], filters: Filters, zone: ZoneInfo) -> Tuple[List[date], bool]:
    started = [_day(r.conversation.started, zone) for r in rows]
    first: Optional[date] = filters.date_from or min(started, default=None)
    last: Optional[date] = filters.date_to or max(started, default=None)
    if first is None or last is None:
        return [], False
    count = (last - first).days + 1
    cut = count > MAX_DAYS
    first = last - timedelta(days=MAX_DAYS - 1) if cut else first
    return [first + timedelta(days=i) for i in range(min(count, MAX_DAYS))], cut


def stats(rows: List[Row], filters: Filters, zone: ZoneInfo, codes: List[str]) -> Stats:
    """`codes` gives the order of the per-code chart (the rule file's); others follow by count."""
    days, cut = _range(rows, filters, zone)
    started = Counter(_day(r.conversation.started, zone) for r in rows)
    escalations = [e for r in rows for e in r.conversation.escalations]
    escalated = Counter(_day(e.at, zone) for e in escalations)
    flagged = Counter(code for r in rows for code in r.conversation.red_flags)
    caused = Counter(code for e in escalations for code in e.codes)
    seen = [c for c in codes if flagged[c]] + sorted(set(flagged) - set(codes), key=flagged.get,
                                                       reverse=True)
    topics = Counter(t for r in rows for t in r.conversation.advice_topics)
    levels: Dict[str, int] = Counter(r.level for r in rows)
    said = [m for r in rows for m in r.conversation.messages if m.sender == "client"]
    messages = Counter(_day(m.at, zone) for m in said)
    fallbacks = Counter(_day(m.at, zone) for m in said if m.fallback)
    handoffs = Counter(_day(m.at, zone) for m in said if m.handoff)
    unadvised = [r for r in rows if no_advice(r)]
    no_advice_days = Counter(_day(r.conversation.started, zone) for r in unadvised)
    return Stats(
        days=[d.isoformat() for d in days],
        conversations_per_day=[started[d] for d in days],
        escalations_per_day=[escalated[d] for d in days],
        per_code=[(code, (flagged[code], caused[code])) for code in seen],
        per_topic=[(topic, (n,)) for topic, n in topics.most_common()],
        per_level=[(level, (levels[level],)) for level in list(reversed(LEVELS)) + [NO_LEVEL]
                   if levels[level]],
        days_cut=cut,
        total=len(rows),
        escalations=len(escalations),
        client_messages_per_day=[messages[d] for d in days],
        fallbacks_per_day=[fallbacks[d] for d in days],
        handoffs_per_day=[handoffs[d] for d in days],
        no_advice_per_day=[no_advice_days[d] for d in days],
        client_messages=len(said),
        fallbacks=sum(fallbacks.values()),
        handoffs=sum(handoffs.values()),
        no_advice=len(unadvised),
    )


def short(label: str, most: int = 32) -> str:
    """A label for a chart's narrow margin: up to its bracket, at most `most` characters."""
    label = label.split(" (")[0]
    return label if len(label) <= most else label[:most - 1] + "…"


def named(items: List[Tuple[str, Tuple]], name) -> List[Tuple[str, Tuple]]:
    return [(short(name(key)), values) for key, values in items]


def charts_of(numbers: Stats) -> Dict[str, Markup]:
    """The dashboard's SVG charts."""
    return {
        "gaps": charts.columns(numbers.days, [numbers.fallbacks_per_day, numbers.handoffs_per_day,
                                              numbers.no_advice_per_day],
                               ["fallbacks", "hand-off requests", "no advice"],
                               "Fallbacks, hand-off requests and conversations with no advice "
                               "per day"),
        "days": charts.columns(numbers.days, [numbers.conversations_per_day,
                                              numbers.escalations_per_day],
                               ["conversations", "escalations"],
                               "Conversations and escalations per day"),
        "codes": charts.bars(named(numbers.per_code, flag_label), ["conversations", "escalations"],
                             "Conversations and escalations per red-flag code"),
        "topics": charts.bars(numbers.per_topic, ["conversations"], "Most asked topics"),
        "levels": charts.bars(named(numbers.per_level, level_label), ["conversations"],
                              "Conversations per triage level"),
    }
