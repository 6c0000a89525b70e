"""Walking the work queue: Previous and Next from one conversation, in the list's order.

The queue is the conversation list under the filters the reviewer came with (bot.review.filters:
unreviewed first, then most urgent, then most recently active). The conversation on screen may no
longer match those filters: a lead working through "not reviewed" has just marked it reviewed. It
keeps its place all the same, among the others by level and time, so Next is the conversation that
was after it when the lead opened it, not the start of another section of the list.
"""
from dataclasses import dataclass
from typing import List, Optional
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.review.filters import Filters, Row, listing, queue_key


@dataclass
class Place:
    previous: Optional[int]        # conversation numbers, or None at either end
    next: Optional[int]
    position: Optional[int]        # 1-based place in the queue; None when it is not in it
    total: int                     # conversations in the queue
    next_unreviewed: Optional[int]  # where "Mark reviewed and open next" goes


def _place(rows: List[Row], current: Row, filters: Filters) -> Place:
    """Neighbours of `current` among `rows` (already in queue order). With a `reviewed` filter
    every row is in one section, so the current one is placed by level and time alone."""
    by_review = not filters.reviewed
    here = queue_key(current, by_review)
    key = current.conversation.key
    others = [r for r in rows if r.conversation.key != key]
    before = [r for r in others if queue_key(r, by_review) < here]
    after = [r for r in others if queue_key(r, by_review) > here]
    in_queue = len(others) < len(rows)
    unreviewed = [r for r in others if not r.annotations.reviewed]
    later = [r for r in unreviewed if queue_key(r, False) > queue_key(current, False)]
    following = (later or unreviewed)[:1]
    return Place(
        previous=before[-1].conversation.key if before else None,
        next=after[0].conversation.key if after else None,
        position=len(before) + 1 if in_queue else None,
        total=len(rows),
        next_unreviewed=following[0].conversation.key if following else None,
    )


def place(engine: Engine, current: Row, filters: Filters, zone: ZoneInfo) -> Place:
    """Where `current` stands in the queue the filters select."""
    return _place(listing(engine, filters, zone).rows, current, filters)
