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
    return [m["text"] for m in state["messages"] if m["sender"] == sender]


def test_page_and_widget_load_without_errors(seen):
    for name in ("selfcare", "redflag", "phone", "markup", "startover"):
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
    assert result["widgetB"]["messages"] == []
    # a raw socket presenting the token, then the bare id, got new sessions without history
    confirms = result["raw"]["confirms"]
    assert [c["restored"] for c in confirms] == [False, False]
    assert all(c["history"] == 0 and c["session"] != victim for c in confirms)
    # and heard the answer to its own message, then nothing while the victim talked
    assert result["raw"]["ownAnswer"]
    assert result["raw"]["heardWhileVictimTalked"] == []
    assert result["widgetBAfter"]["messages"] == []
    assert texts(result["aAfter"]), "the victim got its answer"
    # the victim's conversation went on, without the intruder's message
    assert "what stretches help a calf cramp?" in texts(result["aReloaded"], "user")
    assert "hello" not in texts(result["aReloaded"], "user")
    assert result["problems"] == []


def test_start_over_begins_a_new_conversation(seen):
    result = scenario(seen, "startover")
    assert result["cleared"]["messages"] == []
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
    for name in ("widget-desktop.png", "widget-desktop-urgent.png", "widget-phone.png"):
        path = SCREENSHOTS / name
        assert path.is_file() and path.stat().st_size > 10_000, name
