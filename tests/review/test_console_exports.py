"""Exports of conversations holding characters a CSV writer or a JSON consumer cannot take (NUL and
other control characters, half a broken emoji), from a console on a clinic database of their own:
the shared one keeps its conversations and counts."""
import csv
import html
import io
import json
from typing import Iterator, List

import pytest
from review_seed import DAY, Seeded, Turn, save, tracker_store
from review_support import Console, add_users, running_console, sqlite_url

from bot.review.export import _cell

REPLACEMENT = "\ufffd"


def odd_characters(now: float) -> List[Seeded]:
    return [
        Seeded("nul-in-text", now - DAY, [
            Turn("my calf\x00 hurts\x1b[31m at night\r\nand\x7f cramps, mail ann@example.com\x00"),
            Turn("still\x00 cramping", slots={"triage_level": "self_care"}),
        ]),
        Seeded("nul-before-formula", now - 2 * DAY, [Turn("=HYPERLINK(\"http://x\")\x00")]),
        Seeded("nul\x00in-id\x01", now - 3 * DAY, [Turn("\x00=1+2 cramp")]),
        # what a broken emoji sends: the high half of "\U0001F62B" alone (the tracker keeps it)
        Seeded("broken-emoji", now - 4 * DAY, [
            Turn("my calf \ud83d cramps \U0001F62B", slots={"triage_level": "consultation_24"},
                 referral="consultation_24", mentioned="a cramp \udc4d"),
        ]),
    ]


@pytest.fixture(scope="module")
def odd(tmp_path_factory, now) -> Iterator[Console]:
    """Signed in as staff on a console whose clinic has NUL in texts and in a sender id."""
    url = sqlite_url(tmp_path_factory.mktemp("odd-characters") / "tracker.db")
    save(tracker_store(url), odd_characters(now))
    add_users(url)
    with running_console(url, tmp_path_factory.mktemp("odd-console") / "console.log") as base:
        client = Console(base)
        assert client.sign_in("sam").status_code == 303
        yield client


def test_csv_export_replaces_nul_and_control_characters_and_still_guards_formulas(odd):
    response = odd.get("/export.csv")
    assert response.status_code == 200, response.text
    assert not {"\x00", "\x1b", "\x7f"} & set(response.text)
    rows = {row["sender"]: row for row in csv.DictReader(io.StringIO(response.text))}
    assert len(rows) == 4
    assert rows["nul-in-text"]["first_message"] == (
        f"my calf{REPLACEMENT} hurts{REPLACEMENT}[31m at night\nand{REPLACEMENT} cramps, "
        f"mail [email]{REPLACEMENT}")
    assert rows["nul-before-formula"]["first_message"] == f"'=HYPERLINK(\"http://x\"){REPLACEMENT}"
    odd_id = rows[f"nul{REPLACEMENT}in-id{REPLACEMENT}"]
    assert odd_id["first_message"] == f"{REPLACEMENT}=1+2 cramp"


def test_json_export_replaces_nul_and_control_characters(odd):
    response = odd.get("/export.json")
    assert response.status_code == 200, response.text
    assert "\\u0000" not in response.text and "\\u001b" not in response.text
    conversations = {c["sender"]: c for c in json.loads(response.text)["conversations"]}
    texts = [m["text"] for m in conversations["nul-in-text"]["messages"] if m["sender"] == "client"]
    assert texts == [f"my calf{REPLACEMENT} hurts{REPLACEMENT}[31m at night\r\nand{REPLACEMENT} "
                     f"cramps, mail [email]{REPLACEMENT}", f"still{REPLACEMENT} cramping"]
    assert f"nul{REPLACEMENT}in-id{REPLACEMENT}" in conversations


BROKEN = f"my calf {REPLACEMENT} cramps \U0001F62B"  # the lone half replaced, the whole emoji kept


def test_half_an_emoji_is_shown_as_a_replacement_character_everywhere(odd):
    """A lone surrogate in a stored client message made the list and the conversation page answer
    500 (it cannot be encoded as UTF-8) and the JSON API pass it on (JSON escapes it)."""
    listed = odd.get("/api/conversations")
    assert listed.status_code == 200
    summary = next(c for c in listed.json()["conversations"] if c["sender"] == "broken-emoji")
    assert summary["first_message"] == BROKEN
    key = summary["conversation"]
    for path in ("/conversations", f"/conversations/{key}"):
        page = odd.get(path)
        assert page.status_code == 200, path
        assert html.escape(BROKEN) in page.text, path
    one = odd.get(f"/api/conversations/{key}").json()
    assert [m["text"] for m in one["messages"] if m["sender"] == "client"] == [BROKEN]
    assert one["escalations"][0]["trigger"] == BROKEN
    assert one["escalations"][0]["reason"] == f"because you mentioned a cramp {REPLACEMENT}."
    exported = {c["sender"]: c for c in odd.get("/export.json").json()["conversations"]}
    assert [m["text"] for m in exported["broken-emoji"]["messages"]
            if m["sender"] == "client"] == [BROKEN]
    rows = {row["sender"]: row for row in csv.DictReader(io.StringIO(odd.get("/export.csv").text))}
    assert rows["broken-emoji"]["first_message"] == BROKEN


@pytest.mark.parametrize("value, cell", [
    ("=1+2", "'=1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r\n=1", "'\n=1"),
    ("a\x00b", f"a{REPLACEMENT}b"), ("\x00=1", f"{REPLACEMENT}=1"),
    ("one\r\ntwo\rthree", "one\ntwo\nthree"), ("bad \ud800 half", f"bad {REPLACEMENT} half"),
    ("tab\tkept", "tab\tkept"), (["a\x00", "b"], f"a{REPLACEMENT} b"),
])
def test_a_csv_cell_is_printable_and_never_a_formula(value, cell):
    assert _cell(value) == cell
