"""The chat widget in a real headless Chromium against a real assistant.

Debian's /usr/bin/chromium is driven by playwright-core (pinned in web/package-lock.json, no
browser download) through tests/web/widget_scenarios.js, which runs every scenario once in its own
browser context and records what it saw; the tests below assert on that. Screenshots go to
docs/screenshots/. `make test-web` runs this file.
"""
import json
import re
import shutil
import subprocess

import pytest

from bot.paths import ROOT

from conftest import chromium_path

HERE = ROOT / "tests" / "web"
SCREENSHOTS = ROOT / "docs" / "screenshots"
EMERGENCY_NUMBER = "999"


@pytest.fixture(scope="module")
def seen(sites, tmp_path_factory):
    """What the browser saw in each scenario."""
    node = shutil.which("node")
    assert node, "node is needed to drive the browser (Node 20)"
    work = tmp_path_factory.mktemp("browser")
    config = work / "config.json"
    results = work / "results.json"
    config.write_text(json.dumps({
        "url": sites.url, "embedUrl": sites.embed_url, "blockedUrl": sites.blocked_url,
        "chromium": chromium_path(), "screenshots": str(SCREENSHOTS),
    }))
    run = subprocess.run([node, str(HERE / "widget_scenarios.js"), str(config), str(results)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(results.read_text())


def scenario(seen, name):
    result = seen[name]
    assert result["ok"], result.get("error")
    return result


def texts(state, sender="bot"):
    """What was said, without the welcome (drawn by the widget, not part of the conversation)."""
    return [m["text"] for m in state["messages"] if m["sender"] == sender and not m["welcome"]]


def conversation(state):
    return [m for m in state["messages"] if not m["welcome"]]


def test_page_and_widget_load_without_errors(seen):
    for name in ("selfcare", "redflag", "phone", "markup", "startover", "welcome", "composer"):
        assert scenario(seen, name)["problems"] == [], name


def test_launcher_aria_and_keyboard(seen):
    aria = scenario(seen, "selfcare")["aria"]
    assert aria["launcherLabel"].startswith("Open the chat")
    assert (aria["expandedBefore"], aria["expandedAfter"]) == ("false", "true")
    assert aria["logLive"] == "polite" and aria["logLabel"] == "Conversation"
    assert aria["dialogLabelledBy"] == "cmw-title"
    assert aria["inputLabel"] and aria["sendLabel"] and aria["restartLabel"] and aria["closeLabel"]
    assert aria["focusOnOpen"] == "cmw-input"            # opening focuses the message box
    assert aria["focusAfterEscape"] == "launcher"        # Escape closes, focus back on the launcher
    assert aria["expandedAfterEscape"] == "false"
    assert scenario(seen, "selfcare")["closedOpen"] is False


def test_self_care_question_is_answered(seen):
    state = scenario(seen, "selfcare")["answered"]
    assert texts(state, "user") == ["is ice good for a cramp?"]
    answer = " ".join(texts(state)).lower()
    assert "ice" in answer and "heat" in answer
    assert not any(m["urgency"] for m in state["messages"])
    assert state["replies"], "the bot's buttons are shown as quick replies"
    assert not state["typing"]
    assert state["emergencyLink"] == f"tel:{EMERGENCY_NUMBER}"   # in the header, from the settings


def test_quick_reply_sends_its_payload_and_shows_its_title(seen):
    reply = scenario(seen, "selfcare")["afterReply"]
    assert reply, "no quick replies to click"
    assert texts(reply["state"], "user")[-1] == reply["title"]
    assert len(texts(reply["state"])) > len(texts(scenario(seen, "selfcare")["answered"]))


def test_red_flag_is_urgent_with_a_call_link(seen):
    result = scenario(seen, "redflag")
    urgent = [m for m in result["flagged"]["messages"] if m["urgency"]]
    assert urgent, "the escalation is not marked urgent"
    escalation = urgent[-1]
    assert escalation["urgency"] == "emergency_ambulance"
    assert "urgent" in escalation["className"].split()
    assert EMERGENCY_NUMBER in escalation["text"]
    assert {"href": f"tel:{EMERGENCY_NUMBER}", "text": f"Call {EMERGENCY_NUMBER}"} in \
        escalation["calls"]
    assert result["flagged"]["alert"].startswith("Urgent:")   # announced assertively too
    # styled apart from ordinary bot messages: red border, tinted background
    assert result["style"]["borderColor"] == "rgb(176, 0, 32)"
    assert result["style"]["background"] != result["plainStyle"]["background"]
    assert result["style"]["borderWidth"] != result["plainStyle"]["borderWidth"]


def test_a_long_message_with_a_red_flag_first_is_not_cut_off_in_the_browser(seen):
    result = scenario(seen, "longredflag")
    assert result["length"] > 5000 and int(result["typed"]) >= result["length"]
    replies = texts(result["state"])
    assert any("longer than i can read" in text.lower() for text in replies), replies
    urgent = [m for m in result["state"]["messages"] if m.get("urgency")]
    assert urgent and EMERGENCY_NUMBER in urgent[-1]["text"]


def test_reload_shows_the_history(seen):
    result = scenario(seen, "redflag")
    before, after = result["flagged"], result["reloaded"]
    assert result["sameToken"]
    assert after["open"], "the chat stays open across a reload"
    assert [(m["sender"], m["text"]) for m in after["messages"]] == \
        [(m["sender"], m["text"]) for m in before["messages"]]
    restored = [m for m in after["messages"] if m["urgency"]][-1]
    assert restored["urgency"] == "emergency_ambulance"
    assert {"href": f"tel:{EMERGENCY_NUMBER}", "text": f"Call {EMERGENCY_NUMBER}"} in \
        restored["calls"]
    assert after["replies"] == before["replies"]


def test_phone_layout_is_full_screen(seen):
    result = scenario(seen, "phone")
    box, viewport = result["panelBox"], result["viewport"]
    assert (box["x"], box["y"]) == (0, 0)
    assert (box["width"], box["height"]) == (viewport["width"], viewport["height"])
    assert not result["launcherVisible"]
    assert [m for m in result["state"]["messages"] if m["urgency"] == "emergency_ambulance"]


def test_typed_markup_is_shown_as_text(seen):
    result = scenario(seen, "markup")
    assert texts(result["state"], "user") == [result["payload"]]
    user = [m for m in result["state"]["messages"] if m["sender"] == "user"][0]
    assert user["elements"] == []          # no element was made from the text
    assert result["state"]["imgs"] == 0
    assert result["dialogs"] == []         # nothing ran
    assert texts(result["state"]), "the bot answered"


def test_second_browser_cannot_see_the_first_ones_conversation(seen):
    result = scenario(seen, "isolation")
    victim = result["victimId"]
    # the widget given the stolen token got a new, empty session
    assert result["tokenBId"] != victim
    assert conversation(result["widgetB"]) == []
    # a raw socket presenting the token, then the bare id, got new sessions without history
    confirms = result["raw"]["confirms"]
    assert [c["restored"] for c in confirms] == [False, False]
    assert all(c["history"] == 0 and c["session"] != victim for c in confirms)
    # and heard the answer to its own message, then nothing while the victim talked
    assert result["raw"]["ownAnswer"]
    assert result["raw"]["heardWhileVictimTalked"] == []
    assert conversation(result["widgetBAfter"]) == []
    assert texts(result["aAfter"]), "the victim got its answer"
    # the victim's conversation went on, without the intruder's message
    assert "what stretches help a calf cramp?" in texts(result["aReloaded"], "user")
    assert "hello" not in texts(result["aReloaded"], "user")
    assert result["problems"] == []


def test_start_over_begins_a_new_conversation(seen):
    result = scenario(seen, "startover")
    # asked first; Escape declines and keeps the conversation
    assert result["asked"]["confirm"] and not result["asked"]["confirm"]["afterReferral"]
    assert result["declined"]["confirm"] is None and result["keptToken"]
    assert texts(result["declined"], "user") == ["is ice good for a cramp?"]
    assert conversation(result["cleared"]) == []
    assert texts(result["reloaded"], "user") == ["hello"]


def test_embedded_on_an_allowed_site_and_refused_elsewhere(seen):
    result = scenario(seen, "embedded")
    assert "ice" in " ".join(texts(result["state"])).lower()
    assert result["hostIo"] == "undefined", "the widget leaks no global into the host page"
    assert result["problems"] == []
    assert result["blockedToken"] is None
    assert re.search(r"reach", result["blockedState"]["status"])


def test_screenshots_saved(seen):
    for name in ("selfcare", "redflag", "phone"):
        scenario(seen, name)
    for name in ("widget-desktop.png", "widget-desktop-urgent.png", "widget-phone.png",
                 "widget-desktop-welcome.png", "widget-desktop-startover.png",
                 "widget-phone-restored.png", "widget-phone-startover.png"):
        path = SCREENSHOTS / name
        assert path.is_file() and path.stat().st_size > 10_000, name


# --- issue 17: welcome, privacy, start over, text box, urgent card, history, focus, links, ratings --

def _api(sites, path):
    import requests
    response = requests.get(f"{sites.url}{path}", params={"token": sites.token}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_welcome_with_starter_buttons_and_a_privacy_line(seen):
    result = scenario(seen, "welcome")
    welcome = [m for m in result["welcomed"]["messages"] if m["welcome"]]
    assert len(welcome) == 1 and "self-care assistant" in welcome[0]["text"]
    assert welcome[0]["rate"] is None                      # the welcome is not an answer to rate
    # the starters are the assistant's greeting buttons (domain.yml utter_greet)
    assert result["welcomed"]["replies"][:2] == ["I have a spasm now", "Heat or ice?"]
    assert "staff may read this chat" in result["welcomed"]["privacy"]
    assert result["welcomed"]["privacyLink"] == "https://calmmuscle.example/privacy"
    assert conversation(result["welcomed"]) == []


def test_a_tapped_starter_shows_its_title_live_and_after_a_reload(seen):
    result = scenario(seen, "welcome")
    assert texts(result["answered"], "user") == [result["starter"]]
    assert texts(result["reloaded"], "user") == [result["starter"]]   # not its payload
    assert [m["text"] for m in result["reloaded"]["messages"]] == \
        [m["text"] for m in result["afterRating"]["messages"]]


def test_a_rating_from_the_widget_is_stored_in_the_conversation(seen, sites):
    from bot.channels.ratings import ratings_of_conversation
    from bot.review.schema import events
    from sqlalchemy import create_engine

    result = scenario(seen, "welcome")
    rated = [m for m in result["afterRating"]["messages"] if m["rate"]]
    assert rated[-1]["rate"] == [{"kind": "rate-up", "pressed": "false"},
                                 {"kind": "rate-down", "pressed": "true"}]
    # in the tracker (Rasa's HTTP API) as an `agent` event naming the rated answer
    conversation_id = f"widget:{result['sessionId']}"
    tracker = _api(sites, f"/conversations/{conversation_id}/tracker")
    ratings = [e for e in tracker["events"] if e["event"] == "agent"]
    assert len(ratings) == 1 and ratings[0]["data"]["kind"] == "answer_rating"
    assert ratings[0]["data"]["rating"] == "down"
    answer = [e for e in tracker["events"] if e["event"] == "bot"
              and e["timestamp"] == ratings[0]["data"]["answer_at"]]
    assert answer and result["ratedText"] in answer[0]["text"]   # the answer the client rated
    assert answer[0]["text"].startswith(ratings[0]["data"]["answer"])
    # what the review console reads: the `events` table
    with create_engine(f"sqlite:///{sites.tracker_db}").connect() as connection:
        stored = ratings_of_conversation(connection, events, conversation_id)
    assert [(r["rating"], r["answer_at"]) for r in stored] == [("down", answer[0]["timestamp"])]
    # and the widget shows it again after a reload
    restored = [m for m in result["reloaded"]["messages"] if m["rate"]]
    assert {"kind": "rate-down", "pressed": "true"} in restored[-1]["rate"]


def test_start_over_after_a_referral_says_the_advice_still_stands(seen):
    result = scenario(seen, "redflag")
    confirm = result["asked"]["confirm"]
    assert confirm["afterReferral"]
    assert "still stands" in confirm["text"] and EMERGENCY_NUMBER in confirm["text"]
    assert confirm["calls"] == [f"tel:{EMERGENCY_NUMBER}"]
    assert result["askedFocus"]["name"] == "confirm-no"       # the safe choice has the focus
    # declined: nothing changed
    assert result["kept"]["confirm"] is None and result["keptToken"]
    assert texts(result["kept"]) == texts(result["reloaded"])
    # confirmed: a new conversation, and the advice repeated in the status line
    assert conversation(result["restarted"]) == []
    assert "still stands" in result["restarted"]["status"]
    assert EMERGENCY_NUMBER in result["restarted"]["status"]
    phone = scenario(seen, "phone")["asked"]["confirm"]
    assert phone["afterReferral"] and phone["calls"] == [f"tel:{EMERGENCY_NUMBER}"]


def test_the_urgent_card_and_its_call_button_are_whole_in_view(seen):
    for name in ("redflag", "phone"):
        result = scenario(seen, name)
        for view in (result["callView"], result["reloadedCallView"]):
            assert view and view["inLog"] and view["inViewport"], (name, view)
            assert view["width"] >= 48 and view["height"] >= 48, (name, view)   # the 999 tap target


def test_phone_reload_restores_the_referral(seen):
    result = scenario(seen, "phone")
    assert texts(result["reloaded"]) == texts(result["state"])
    assert [m for m in result["reloaded"]["messages"] if m["urgency"] == "emergency_ambulance"]


def test_focus_is_trapped_in_the_full_screen_phone_view_with_a_visible_ring(seen):
    result = scenario(seen, "phone")
    assert result["reloaded"]["modal"] == "true"
    for info in result["tabs"] + result["backTabs"]:
        assert info["inside"], info
        assert info["outlineStyle"] == "solid" and info["outlineWidth"] >= 2, info
    names = [info["name"] for info in result["tabs"]]
    assert "restart" in names and "cmw-input" in names and "close" in names
    assert len(set(names)) < len(names)        # it came round again
    assert set(i["name"] for i in result["backTabs"]) == set(names)   # backwards too


def test_desktop_focus_ring_is_visible(seen):
    rings = scenario(seen, "composer")["rings"]
    assert rings
    for info in rings:
        assert info["inside"] and info["outlineStyle"] == "solid" and info["outlineWidth"] >= 2, info
        assert info["outlineColor"] == "rgb(255, 191, 71)", info


def test_the_text_box_grows_and_enter_sends(seen):
    result = scenario(seen, "composer")
    assert result["value"] == "first line\nsecond line\nthird line\nfourth line"  # Shift+Enter: new line
    assert not result["sentWhileTyping"]
    assert result["grown"] > result["empty"] + 30
    assert result["capped"] <= 121 and result["capped"] >= result["grown"]   # then it scrolls
    assert abs(result["shrunk"] - result["empty"]) < 1 and abs(result["afterSend"] - result["empty"]) < 1


def test_phone_numbers_and_email_addresses_are_tappable(seen):
    result = scenario(seen, "composer")
    links = [link for m in conversation(result["state"]) if m["sender"] == "bot" for link in m["links"]]
    hrefs = [link["href"] for link in links]
    assert "tel:02079460018" in hrefs and "mailto:hello@calmmuscle.example" in hrefs
    assert "tel:999" in hrefs and "tel:111" in hrefs
    assert "https://calmmuscle.example/book" in hrefs
    # times, days and the web address 111.nhs.uk are not numbers to call
    assert all(link["text"] not in ("8", "7", "1", "9") for link in links)
    assert not [h for h in hrefs if h.startswith("tel:") and len(h) < 7 and h not in ("tel:999", "tel:111")]
    texts_linked = [link["text"] for link in links]
    assert "111.nhs.uk" not in " ".join(texts_linked)
    # the user's own text is never turned into links
    assert all(m["links"] == [] for m in result["state"]["messages"] if m["sender"] == "user")
