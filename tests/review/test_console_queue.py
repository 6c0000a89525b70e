"""Issue 17 in the console, over HTTP on a console of its own: the work queue (order, Previous/Next,
mark reviewed and open next, assignment), plain-language names, intents for admins only,
corrections and `make export-reviews`, the dashboard's fallback/hand-off/no-advice numbers and the
CSV's notes."""
import asyncio
import csv
import io
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest
import yaml
from rasa.shared.core.events import BotUttered
from review_seed import DAY, Seeded, Turn, clinic, save, tracker_store
from review_support import PASSWORD, Console, add_users, console_env, running_console, sqlite_url

from bot.channels.ratings import rating_event
from bot.cli.evaluate import load_vignettes
from bot.paths import ROOT
from bot.review.annotations import Annotations
from bot.review.conversations import Conversation, Message
from bot.review.dashboard import stats
from bot.review.filters import Filters, rows_of
from bot.review.queue import _place
from bot.review.teach import domain_intents
from bot.triage import rules as triage_rules

ZONE = timezone.utc


def seeded(now: float):
    """The clinic's conversations, and one each that fell back, asked for a person, and had its
    emergency message labelled with the wrong intent (as in the issue)."""
    return clinic(now) + [
        Seeded("gail", now - 5 * DAY, [
            Turn("zxqv blorp", "nlu_fallback", ["Sorry, I didn't get that."]),
            Turn("my calf cramps", "report_spasm", ["Sorry, could you say that another way?"],
                 actions=["utter_ask_rephrase"]),
            Turn("can someone call me back?", "request_human", ["You can call the clinic."]),
        ]),
        Seeded("ivy", now - 6 * DAY, [
            Turn("yes I'm fine but my face is drooping on one side", "confirm_safe",
                 slots={"red_flags": ["stroke_signs"], "triage_level": "emergency_ambulance"},
                 referral="emergency_ambulance", mentioned="a face drooping"),
        ]),
    ]


@pytest.fixture(scope="module")
def queue_db(tmp_path_factory) -> str:
    url = sqlite_url(tmp_path_factory.mktemp("queue") / "tracker.db")
    store = tracker_store(url)
    save(store, seeded(time.time()))
    rate_first_answer(store, "gail", "down")
    add_users(url)
    done = subprocess.run([sys.executable, "-m", "bot.review.users", "add", "ada", "--role", "admin"],
                          input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                          env=console_env(url))
    assert done.returncode == 0, done.stderr
    return url


def rate_first_answer(store, sender: str, rating: str) -> None:
    """What the widget's thumbs do (bot/channels/ratings.py): the rating joins the conversation."""
    tracker = asyncio.run(store.retrieve(sender))
    answer = next(e for e in tracker.events if isinstance(e, BotUttered))
    tracker.update(rating_event(rating, answer))
    asyncio.run(store.save(tracker))


@pytest.fixture(scope="module")
def console(queue_db, tmp_path_factory) -> Iterator[str]:
    with running_console(queue_db, tmp_path_factory.mktemp("queue-log") / "console.log") as url:
        yield url


def signed_in(console: str, name: str) -> Console:
    client = Console(console)
    assert client.sign_in(name).status_code == 303
    return client


@pytest.fixture(scope="module")
def sam(console) -> Console:
    return signed_in(console, "sam")


@pytest.fixture(scope="module")
def lena(console) -> Console:
    return signed_in(console, "lena")


@pytest.fixture(scope="module")
def ada(console) -> Console:
    return signed_in(console, "ada")


def listed(client: Console, **filters):
    return client.get("/api/conversations", params=filters).json()["conversations"]


def key_of(client: Console, sender: str) -> int:
    return next(c["conversation"] for c in listed(client) if c["sender"] == sender)


# --- the queue -------------------------------------------------------------------------------

def test_the_queue_walks_unreviewed_most_urgent_first(lena):
    queue = listed(lena, reviewed="no")
    assert [c["sender"] for c in queue[:3]] == ["bob-widget", "ivy", "dan"]
    first, second, third = (c["conversation"] for c in queue[:3])
    page = lena.get(f"/conversations/{first}?reviewed=no").text
    assert f'id="position">1 of {len(queue)}<' in page
    assert f'href="/conversations/{second}?reviewed=no" rel="next"' in page
    assert 'id="previous"' not in page
    token = lena.csrf()
    done = lena.post(f"/conversations/{first}/reviewed",
                     data={"csrf_token": token, "reviewed": "1", "next": "1", "queue": "reviewed=no"})
    assert done.status_code == 303 and done.headers["Location"] == f"/conversations/{second}?reviewed=no"
    assert listed(lena, reviewed="yes")[0]["conversation"] == first
    # the one just reviewed keeps its place: Next from it is still the one that followed it
    page = lena.get(f"/conversations/{first}?reviewed=no").text
    assert "not in this queue" in page and f'href="/conversations/{second}?reviewed=no" rel="next"' in page
    page = lena.get(f"/conversations/{second}?reviewed=no").text
    assert f'id="position">1 of {len(queue) - 1}<' in page
    assert f'href="/conversations/{third}?reviewed=no" rel="next"' in page
    # unfiltered, reviewed conversations come after every unreviewed one
    everything = listed(lena)
    assert everything[-1]["conversation"] == first and not everything[0]["reviewed"]


def test_mark_reviewed_and_open_next_at_the_end_of_the_queue_goes_back_to_the_queue(lena):
    [only] = listed(lena, reviewed="no", channel="telegram")
    token = lena.csrf()
    done = lena.post(f"/conversations/{only['conversation']}/reviewed",
                     data={"csrf_token": token, "reviewed": "1", "next": "1",
                           "queue": "reviewed=no&channel=telegram"})
    assert done.status_code == 303 and done.headers["Location"] == "/conversations?reviewed=no"
    assert lena.post(f"/conversations/{only['conversation']}/reviewed",
                     data={"csrf_token": token, "reviewed": "0", "queue": "level=bogus"}
                     ).status_code == 400


def test_assignment(sam, lena):
    key = key_of(sam, "hank")
    token = sam.csrf()
    done = sam.post(f"/conversations/{key}/assign",
                    data={"csrf_token": token, "assignee": "lena", "queue": "reviewed=no"})
    assert done.status_code == 303 and done.headers["Location"] == f"/conversations/{key}?reviewed=no"
    assert '<dd id="assignee">lena</dd>' in sam.get(f"/conversations/{key}").text
    assert [c["sender"] for c in listed(lena, assignee="lena")] == ["hank"]
    assert "hank" not in {c["sender"] for c in listed(lena, assignee="nobody")}
    page = lena.get("/conversations", params={"assignee": "lena"}).text
    assert '<option value="lena" selected>lena (1)</option>' in page
    assert sam.post(f"/conversations/{key}/assign",
                    data={"csrf_token": token, "assignee": "nobody-here"}).status_code == 400
    assert sam.post(f"/conversations/{key}/assign", data={"csrf_token": token, "assignee": ""}).ok
    assert listed(lena, assignee="lena") == []


# --- what staff read ---------------------------------------------------------------------------

def test_codes_and_levels_have_plain_names_from_knowledge(sam):
    rules = triage_rules.load()
    assert all(code.label for code in rules.codes.values())
    assert all(spec.get("label") for spec in rules.levels.values())
    ivy = key_of(sam, "ivy")
    page = sam.get(f"/conversations/{ivy}").text
    assert rules.codes["stroke_signs"].label in page
    assert '<span class="level emergency_ambulance" id="level" title="emergency_ambulance">Ambulance now</span>' in page
    listing = sam.get("/conversations").text
    assert ">Ambulance now</span>" in listing and ">stroke_signs<" not in listing
    record = sam.get(f"/api/conversations/{ivy}").json()
    assert record["triage_level"] == "emergency_ambulance"  # the codes stay in the data
    assert record["triage_level_label"] == "Ambulance now"


def test_intents_are_shown_to_admins_only(sam, lena, ada):
    ivy = key_of(sam, "ivy")
    for client in (sam, lena):
        page = client.get(f"/conversations/{ivy}").text
        assert "NLU:" not in page
        emergency = re.search(r'<li class="client".*?</p>', page, re.S).group(0)
        assert "confirm_safe" not in emergency
        messages = client.get(f"/api/conversations/{ivy}").json()["messages"]
        assert all(m["intent"] is None for m in messages)
        exported = client.get("/export.json", params={"q": "drooping"}).json()
        assert all(m["intent"] is None for m in exported["conversations"][0]["messages"])
    assert "NLU: confirm_safe" in ada.get(f"/conversations/{ivy}").text
    assert [m["intent"] for m in ada.get(f"/api/conversations/{ivy}").json()["messages"]
            if m["sender"] == "client"] == ["confirm_safe"]


def test_the_page_puts_the_transcript_before_the_forms(sam):
    page = sam.get(f"/conversations/{key_of(sam, 'alice-web')}").text
    assert page.index('id="transcript-h"') < page.index('id="review-h"') < page.index('id="esc-h"')
    css = sam.get("/static/console.css").text
    assert "@media (max-width: 760px)" in css and ".workspace { grid-template-columns: minmax(0, 1fr); }" in css


# --- corrections and make export-reviews -------------------------------------------------------

def test_corrections_are_checked_and_exported_apart_from_training_data(sam, queue_db, tmp_path):
    gail, alice = key_of(sam, "gail"), key_of(sam, "alice-web")
    messages = sam.get(f"/api/conversations/{gail}").json()["messages"]
    said = [m for m in messages if m["sender"] == "client"]
    assert [m["fallback"] for m in said] == [True, True, False]
    token = sam.csrf()
    path = f"/conversations/{gail}/corrections"
    assert sam.post(path, data={"event": said[1]["event"], "kind": "intent",
                                "value": "greet"}).status_code == 403  # no CSRF token
    post = lambda **data: sam.post(path, data={"csrf_token": token, **data})  # noqa: E731
    assert post(event=said[1]["event"], kind="intent", value="ask_heat_ice").status_code == 303
    assert post(event=said[1]["event"], kind="intent", value="report_spasm").status_code == 303
    assert post(event=said[1]["event"], kind="missed_flag", value="dvt_signs").status_code == 303
    assert post(event=said[1]["event"], kind="intent", value="not_an_intent").status_code == 400
    assert post(event=said[1]["event"], kind="missed_flag", value="bogus").status_code == 400
    assert post(event=said[1]["event"], kind="guess", value="greet").status_code == 400
    other = sam.get(f"/api/conversations/{alice}").json()["messages"][1]["event"]
    assert post(event=other, kind="intent", value="greet").status_code == 400  # not gail's
    bot = next(m for m in messages if m["sender"] == "bot")
    assert post(event=bot["event"], kind="intent", value="greet").status_code == 400
    alice_said = [m for m in sam.get(f"/api/conversations/{alice}").json()["messages"]
                  if m["sender"] == "client"]
    assert sam.post(f"/conversations/{alice}/corrections",
                    data={"csrf_token": token, "event": alice_said[2]["event"],
                          "kind": "wrong_flag", "value": "dvt_signs"}).status_code == 303
    corrected = sam.get(f"/api/conversations/{gail}").json()["messages"]
    kinds = [(k["kind"], k["value"]) for m in corrected for k in m["corrections"]]
    assert kinds == [("intent", "report_spasm"), ("missed_flag", "dvt_signs")]  # intent replaced
    assert "Meant: report_spasm" in sam.get(f"/conversations/{gail}").text

    out = tmp_path / "reviews"
    run = subprocess.run(["make", "-s", "export-reviews", f"REVIEW_EXPORT_DIR={out}"], cwd=ROOT,
                         env=console_env(queue_db), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 NLU examples, 2 vignettes" in run.stdout
    nlu = yaml.safe_load((out / "nlu.yml").read_text())
    assert nlu == {"version": "3.1", "nlu": [{"intent": "report_spasm",
                                              "examples": "- my calf cramps\n"}]}
    vignettes = load_vignettes(str(out / "vignettes.yml"))  # the evaluation harness reads them
    by_expect = {tuple(sorted(v["expect"])): v for v in vignettes}
    missed = by_expect[("flags", "min_level")]
    assert missed["turns"] == ["zxqv blorp", "my calf cramps"]
    assert missed["expect"] == {"flags": ["dvt_signs"], "min_level": "consultation_24"}
    wrong = by_expect[("no_flags",)]
    assert wrong["turns"][0] == "hi, my name is [name] [name]"  # masked, as the console shows it
    assert wrong["expect"] == {"no_flags": ["dvt_signs"]}
    assert "Alice" not in (out / "vignettes.yml").read_text()
    refused = subprocess.run([sys.executable, "-m", "bot.review.teach", "--out",
                              str(ROOT / "data" / "reviews")], cwd=ROOT, env=console_env(queue_db),
                             capture_output=True, text=True)
    assert refused.returncode == 1 and not (ROOT / "data" / "reviews").exists()


def test_corrections_can_be_removed(sam):
    erin = key_of(sam, "erin")
    [said] = [m for m in sam.get(f"/api/conversations/{erin}").json()["messages"]
              if m["sender"] == "client"]
    token = sam.csrf()
    sam.post(f"/conversations/{erin}/corrections",
             data={"csrf_token": token, "event": said["event"], "kind": "intent", "value": "greet"})
    [correction] = sam.get(f"/api/conversations/{erin}").json()["corrections"]
    assert sam.post(f"/conversations/{erin}/corrections/remove",
                    data={"csrf_token": token, "id": correction["id"]}).status_code == 303
    assert sam.get(f"/api/conversations/{erin}").json()["corrections"] == []
    assert sam.post(f"/conversations/{erin}/corrections/remove",
                    data={"csrf_token": token, "id": correction["id"]}).status_code == 400


def test_correction_choices_are_the_domains_intents_and_knowledge_codes(sam):
    page = sam.get(f"/conversations/{key_of(sam, 'gail')}").text
    assert "request_human" in domain_intents() and '<option value="request_human">' in page
    assert f'<option value="pe_signs">{triage_rules.load().codes["pe_signs"].label}</option>' in page


# --- the dashboard and the CSV -------------------------------------------------------------------

def test_dashboard_counts_fallbacks_handoffs_and_no_advice(sam):
    numbers = sam.get("/api/dashboard").json()
    assert numbers["fallbacks"] == 2 and numbers["handoffs"] == 1
    assert numbers["client_messages"] == 16
    assert numbers["fallback_rate"] == pytest.approx(2 / 16)
    assert numbers["no_advice"] == 3  # erin, hank, gail: the client wrote, no advice, no referral
    assert numbers["no_advice_share"] == pytest.approx(3 / 10)
    day = numbers["days"].index((datetime.now(timezone.utc) - timedelta(days=5)).date().isoformat())
    assert numbers["fallbacks_per_day"][day] == 2 and numbers["handoffs_per_day"][day] == 1
    page = sam.get("/dashboard").text
    assert 'id="fallback-rate">12.5%<' in page and 'id="handoffs">1<' in page
    assert 'id="no-advice-share">30.0%<' in page
    assert ">Signs of a stroke</text>" in page and ">Ambulance now</text>" in page  # the charts
    assert ">stroke_signs<" not in page and ">emergency_ambulance<" not in page
    quiet = sam.get("/api/dashboard", params={"from": "2001-01-01", "to": "2001-01-02"}).json()
    assert (quiet["fallback_rate"], quiet["no_advice_share"], quiet["handoffs"]) == (0, 0, 0)
    assert "0.0%" in sam.get("/dashboard", params={"from": "2001-01-01", "to": "2001-01-02"}).text


def test_csv_export_has_notes_and_tags(sam):
    key = key_of(sam, "carol-tg")
    token = sam.csrf()
    for text in ("Rang back, no answer.", "=Second try: fine."):
        sam.post(f"/conversations/{key}/notes", data={"csrf_token": token, "text": text})
    sam.post(f"/conversations/{key}/tags", data={"csrf_token": token, "tag": "call back"})
    rows = list(csv.DictReader(io.StringIO(sam.get("/export.csv", params={"channel": "telegram"}).text)))
    [carol] = rows
    assert carol["tags"] == "call back"
    lines = carol["notes"].split("\n")
    assert len(lines) == 2 and lines[0].startswith("sam, ") and lines[0].endswith(": Rang back, no answer.")
    assert lines[1].endswith(": =Second try: fine.")


# --- units ---------------------------------------------------------------------------------------

def made_up(key, level, last, reviewed=False):
    c = Conversation(f"s{key}", key, last, last, "rest", level, [], [],
                     messages=[Message(last, "client", "cramp", event_id=key)])
    return c, (Annotations("sam", 1.0) if reviewed else Annotations())


def test_place_in_the_queue():
    made = [made_up(1, "emergency", 10), made_up(2, "emergency_ambulance", 5),
            made_up(3, None, 50), made_up(4, "consultation", 20, reviewed=True)]
    rows = rows_of([c for c, _ in made], {c.sender_id: a for c, a in made})
    queue = Filters().apply(rows)
    assert [r.conversation.key for r in queue] == [2, 1, 3, 4]
    by_key = {r.conversation.key: r for r in rows}
    first = _place(queue, by_key[2], Filters())
    assert (first.previous, first.next, first.position, first.total, first.next_unreviewed) == (
        None, 1, 1, 4, 1)
    last = _place(queue, by_key[4], Filters())
    assert (last.previous, last.next, last.next_unreviewed) == (3, None, 3)  # by level and time
    assert _place(queue, by_key[3], Filters()).next_unreviewed == 2  # none after: from the top
    unreviewed = Filters(reviewed="no")
    # 4 is reviewed, so not in the unreviewed queue: placed there by its level and time
    outside = _place(unreviewed.apply(rows), by_key[4], unreviewed)
    assert (outside.previous, outside.next, outside.position, outside.total) == (1, 3, None, 3)


def test_rates_are_zero_without_messages():
    numbers = stats([], Filters(), ZONE, [])
    assert (numbers.fallback_rate, numbers.no_advice_share, numbers.gaps_per_day) == (0.0, 0.0, [])


def test_a_clients_rating_of_an_answer_is_shown_on_the_conversation(sam):
    page = sam.get(f"/conversations/{key_of(sam, 'gail')}").text
    assert "The client's ratings" in page and "👎 not helpful" in page
    assert "Sorry, I didn&#39;t get that." in page or "Sorry, I didn't get that." in page
    assert "The client's ratings" not in sam.get(f"/conversations/{key_of(sam, 'ivy')}").text
