"""The dashboard's numbers, over the conversations the filters select.

Per day (the day a conversation started, in the console's time zone): conversations, and
escalations (each rise of triage_level above self_care, on the day it happened). Per red-flag code:
conversations flagged with it, and escalations it caused. Per advice topic and per triage level:
conversations. The per-day chart covers the filter's dates, or the data's, at most MAX_DAYS.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.review import charts
from bot.review.filters import NO_LEVEL, Filters, Row
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

    @property
    def per_day(self) -> List[Tuple[str, Tuple[int, int]]]:
        return list(zip(self.days, zip(self.conversations_per_day, self.escalations_per_day)))


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
    )


def charts_of(numbers: Stats) -> Dict[str, Markup]:
    """The dashboard's four SVG charts."""
    return {
        "days": charts.columns(numbers.days, [numbers.conversations_per_day,
                                              numbers.escalations_per_day],
                               ["conversations", "escalations"],
                               "Conversations and escalations per day"),
        "codes": charts.bars(numbers.per_code, ["conversations", "escalations"],
                             "Conversations and escalations per red-flag code"),
        "topics": charts.bars(numbers.per_topic, ["conversations"], "Most asked topics"),
        "levels": charts.bars(numbers.per_level, ["conversations"],
                              "Conversations per triage level"),
    }
