"""The conversation list, which is the work queue: filters, their counts, and the queue's order.

The order (issue 17): conversations nobody has reviewed first, then the reviewed ones; within each,
the most urgent level first, then the most recently active. A clinic lead with 877 conversations
opens the first line and walks on with Next (bot.review.queue).

Filters come from the query string (`from`, `to`, `level`, `flag`, `channel`, `reviewed`,
`assignee` (a user name, or "nobody"), `q`) and
are shared by the list, the exports, the dashboard and the JSON API. Dates are days in the console's
time zone and select conversations by the day they started; `to` is inclusive. The count shown for
each value of a filter is the number of conversations that match every other filter and that value.
"""
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Callable, Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.review.annotations import Annotations, all_annotations
from bot.review.conversations import Conversation, load
from bot.review.pii import Masker
from bot.triage.rules import LEVELS, level_rank

NO_LEVEL = "none"
FACETS = ("level", "flag", "channel", "reviewed", "assignee")
NOBODY = "nobody"
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
_CHANNEL = re.compile(r"^[\w.-]{1,60}$")
_ASSIGNEE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MAX_TEXT = 200


@dataclass
class Row:
    """A conversation as listed: its outcome, what staff added, and its client text for search."""
    conversation: Conversation
    annotations: Annotations
    masker: Masker
    _haystacks: Dict[bool, str] = field(default_factory=dict, repr=False)

    @property
    def level(self) -> str:
        return self.conversation.triage_level or NO_LEVEL

    def haystack(self, reveal: bool) -> str:
        """What free-text search looks in: client messages (masked unless revealed), tags, notes."""
        if reveal not in self._haystacks:
            texts = self.conversation.client_texts
            texts = texts if reveal else [self.masker(t) for t in texts]
            texts += self.annotations.tag_names + [n["text"] for n in self.annotations.notes]
            self._haystacks[reveal] = "\n".join(texts).lower()
        return self._haystacks[reveal]


def queue_key(row: Row, by_review: bool = True) -> Tuple:
    """Where a conversation stands in the queue: unreviewed first (unless `by_review` is False),
    then the most urgent level, the most recently active, the newest."""
    c = row.conversation
    return (int(row.annotations.reviewed) if by_review else 0, -level_rank(c.triage_level),
            -c.last_active, -c.key)


def rows_of(conversations: List[Conversation], annotations: Mapping[str, Annotations]) -> List[Row]:
    return [Row(c, annotations.get(c.sender_id, Annotations()), Masker(c.client_texts))
            for c in conversations]


def _day(value: str, name: str) -> Optional[date]:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValueError(f"{name} must be a date like 2024-05-31") from None


@dataclass(frozen=True)
class Filters:
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    level: str = ""     # a triage level, or "none"
    flag: str = ""      # a red-flag code
    channel: str = ""
    reviewed: str = ""  # "yes" or "no"
    text: str = ""
    assignee: str = ""  # a user name, or "nobody"

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> "Filters":
        """From query arguments; ValueError says what is wrong."""
        get = lambda name: (args.get(name) or "").strip()  # noqa: E731
        filters = cls(_day(get("from"), "from"), _day(get("to"), "to"), get("level"), get("flag"),
                      get("channel"), get("reviewed"), get("q"), get("assignee"))
        if filters.level and filters.level not in LEVELS + (NO_LEVEL,):
            raise ValueError(f"level must be one of {', '.join(LEVELS + (NO_LEVEL,))}")
        if filters.flag and not _CODE.match(filters.flag):
            raise ValueError("flag must be a red-flag code")
        if filters.channel and not _CHANNEL.match(filters.channel):
            raise ValueError("channel must be a channel name")
        if filters.reviewed not in ("", "yes", "no"):
            raise ValueError("reviewed must be yes or no")
        if filters.assignee and not _ASSIGNEE.match(filters.assignee):
            raise ValueError("assignee must be a user name or nobody")
        if len(filters.text) > MAX_TEXT:
            raise ValueError(f"the search text has at most {MAX_TEXT} characters")
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise ValueError("from must not be after to")
        return filters

    def query(self) -> Dict[str, str]:
        """The query arguments that give these filters back (empty ones left out)."""
        names = {"date_from": "from", "date_to": "to", "text": "q"}
        return {names.get(f.name, f.name): str(value) for f in fields(self)
                if (value := getattr(self, f.name))}

    def as_dict(self) -> Dict[str, Optional[str]]:
        return {key: (str(value) if value else None) for key, value in asdict(self).items()}

    def bounds(self, zone: ZoneInfo) -> Tuple[Optional[float], Optional[float]]:
        """[start, end) of the date range in epoch seconds, for the database query."""
        start = (datetime.combine(self.date_from, time(), zone).timestamp()
                 if self.date_from else None)
        end = (datetime.combine(self.date_to + timedelta(days=1), time(), zone).timestamp()
               if self.date_to else None)
        return start, end

    def _tests(self, reveal: bool) -> Dict[str, Callable[[Row], bool]]:
        words = self.text.lower().split()
        tests = {
            "level": lambda r: r.level == self.level,
            "flag": lambda r: self.flag in r.conversation.red_flags,
            "channel": lambda r: r.conversation.channel == self.channel,
            "reviewed": lambda r: r.annotations.reviewed == (self.reviewed == "yes"),
            "text": lambda r: all(word in r.haystack(reveal) for word in words),
            "assignee": lambda r: (r.annotations.assignee or NOBODY) == self.assignee,
        }
        active = {name for name in tests if getattr(self, name)}
        return {name: test for name, test in tests.items() if name in active}

    def apply(self, rows: List[Row], reveal: bool = False, skip: str = "") -> List[Row]:
        """The rows matching every filter (but `skip`), in the queue's order."""
        tests = [test for name, test in self._tests(reveal).items() if name != skip]
        kept = [row for row in rows if all(test(row) for test in tests)]
        return sorted(kept, key=queue_key)

    def counts(self, rows: List[Row], reveal: bool = False) -> Dict[str, Dict[str, int]]:
        """For each filter, how many conversations each of its values would list."""
        values: Dict[str, Callable[[Row], List[str]]] = {
            "level": lambda r: [r.level],
            "flag": lambda r: r.conversation.red_flags,
            "channel": lambda r: [r.conversation.channel],
            "reviewed": lambda r: ["yes" if r.annotations.reviewed else "no"],
            "assignee": lambda r: [r.annotations.assignee or NOBODY],
        }
        counts: Dict[str, Dict[str, int]] = {}
        for facet in FACETS:
            tally: Dict[str, int] = {}
            for row in self.apply(rows, reveal, skip=facet):
                for value in values[facet](row):
                    tally[value] = tally.get(value, 0) + 1
            counts[facet] = tally
        return counts


@dataclass
class Listing:
    rows: List[Row]                    # matching every filter, in list order
    counts: Dict[str, Dict[str, int]]  # per filter, per value


def listing(engine: Engine, filters: Filters, zone: ZoneInfo, reveal: bool = False,
            with_bot: bool = False) -> Listing:
    """The conversations the filters select (the date range is applied by the query)."""
    start, end = filters.bounds(zone)
    conversations = load(engine, started_from=start, started_until=end, with_bot=with_bot)
    rows = rows_of(conversations, all_annotations(engine))
    return Listing(filters.apply(rows, reveal), filters.counts(rows, reveal))
