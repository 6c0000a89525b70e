"""Filters, their counts and the list's order (bot.review.filters), on made-up conversations."""
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.review.annotations import Annotations
from bot.review.conversations import Conversation, Message
from bot.review.filters import Filters, rows_of

ZONE = ZoneInfo("Europe/London")


def conversation(key, level, flags=(), channel="rest", last=0.0, text="cramp"):
    return Conversation(f"s{key}", key, last, last, channel, level, list(flags), [],
                        messages=[Message(last, "client", text)])


@pytest.fixture
def rows():
    conversations = [
        conversation(1, "consultation", ["persistent_or_worsening"], last=100),
        conversation(2, "emergency_ambulance", ["pe_signs", "dvt_signs"], "socketio", last=50),
        conversation(3, "consultation_24", ["dvt_signs"], last=300, text="my name is Zoe, calf"),
        conversation(4, None, last=400),
        conversation(5, "emergency_ambulance", ["stroke_signs"], "telegram", last=60),
        conversation(6, "consultation_24", ["dvt_signs"], last=200),
    ]
    reviewed = {"s2": Annotations("sam", 1.0, tags=[{"tag": "follow up", "author": "sam",
                                                      "created_at": 1.0}]),
                "s6": Annotations("sam", 1.0)}
    return rows_of(conversations, reviewed)


def keys(rows):
    return [r.conversation.key for r in rows]


def test_the_queue_is_unreviewed_first_then_most_urgent_then_newest(rows):
    assert keys(Filters().apply(rows)) == [5, 3, 1, 4, 2, 6]


def test_each_filter(rows):
    assert keys(Filters(level="consultation_24").apply(rows)) == [3, 6]
    assert keys(Filters(level="none").apply(rows)) == [4]
    assert keys(Filters(flag="dvt_signs").apply(rows)) == [3, 2, 6]
    assert keys(Filters(channel="telegram").apply(rows)) == [5]
    assert keys(Filters(reviewed="yes").apply(rows)) == [2, 6]
    assert keys(Filters(reviewed="no").apply(rows)) == [5, 3, 1, 4]
    assert keys(Filters(text="FOLLOW up").apply(rows)) == [2]  # tags are searched too
    assert keys(Filters(flag="dvt_signs", reviewed="no").apply(rows)) == [3]


def test_free_text_searches_masked_text_unless_revealed(rows):
    assert keys(Filters(text="zoe").apply(rows)) == []
    assert keys(Filters(text="zoe").apply(rows, reveal=True)) == [3]
    assert keys(Filters(text="[name] calf").apply(rows)) == [3]


def test_counts_are_what_each_value_would_list_with_the_other_filters(rows):
    counts = Filters(flag="dvt_signs").counts(rows)
    assert counts["level"] == {"emergency_ambulance": 1, "consultation_24": 2}
    assert counts["reviewed"] == {"yes": 2, "no": 1}
    assert counts["channel"] == {"rest": 2, "socketio": 1}
    # the flag filter's own counts ignore the flag chosen, so other codes can be picked
    assert counts["flag"] == {"persistent_or_worsening": 1, "pe_signs": 1, "dvt_signs": 3,
                              "stroke_signs": 1}
    for value, count in Filters().counts(rows)["level"].items():
        assert len(Filters(level=value).apply(rows)) == count


def test_parse_and_query_round_trip():
    args = {"from": "2024-05-01", "to": "2024-05-31", "level": "emergency", "flag": "pe_signs",
            "channel": "rest", "reviewed": "no", "q": " calf  pain "}
    filters = Filters.parse(args)
    assert filters.date_from == date(2024, 5, 1) and filters.text == "calf  pain"
    assert Filters.parse(filters.query()) == filters
    assert Filters.parse({}) == Filters() and Filters().query() == {}


@pytest.mark.parametrize("args", [
    {"from": "31/05/2024"}, {"from": "2024-06-02", "to": "2024-06-01"}, {"level": "urgent"},
    {"flag": "DROP TABLE"}, {"reviewed": "maybe"}, {"q": "x" * 201}, {"channel": "a b"},
])
def test_bad_filters_are_refused(args):
    with pytest.raises(ValueError):
        Filters.parse(args)


def test_date_bounds_are_whole_days_in_the_console_time_zone():
    start, end = Filters(date_from=date(2024, 7, 1), date_to=date(2024, 7, 1)).bounds(ZONE)
    assert end - start == 24 * 3600
    assert start == 1719788400  # 2024-07-01 00:00 BST
