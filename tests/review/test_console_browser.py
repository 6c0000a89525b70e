"""The console in a real headless Chromium: sign-in, filter, open, mark reviewed, export; a clinic
lead walking the work queue, correcting an intent, and `make export-reviews`; a phone's width.

Debian's /usr/bin/chromium (CHROMIUM overrides) is driven by playwright-core from web/node_modules
(pinned by web/package-lock.json; `make web` installs it) through console_browser.js, on a console
of its own over a freshly seeded database. Screenshots go to docs/screenshots/ (console-desktop-*,
console-phone-*, next to the widget's), the same names every run. A clinic lead's whole day, with
the alert e-mail and the call-back queue, is test_console_lead_day.py.
"""
import csv
import io
import json
import subprocess
import time

import pytest
import yaml
from review_seed import clinic, save, tracker_store
from review_support import SCREENSHOTS, add_users, browser_walk, console_env, running_console, sqlite_url

from bot.paths import ROOT
from bot.triage import rules as triage_rules

HERE = ROOT / "tests" / "review"
SHOTS = ("console-desktop-sign-in.png", "console-desktop-list.png",
         "console-desktop-conversation.png", "console-desktop-dashboard.png",
         "console-desktop-queue.png", "console-desktop-queue-conversation.png",
         "console-phone-queue.png", "console-phone-conversation.png")


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    work = tmp_path_factory.mktemp("console-browser")
    url = sqlite_url(work / "tracker.db")
    save(tracker_store(url), clinic(time.time()))
    add_users(url)
    started = time.time()
    with running_console(url, work / "console.log") as console:
        found = browser_walk(HERE / "console_browser.js", {
            "url": console, "username": "sam", "lead": "lena", "intent": "report_spasm"}, work)
    found["started"] = started
    # the lead exports her correction, as a developer would find it
    out = work / "reviews"
    export = subprocess.run(["make", "-s", "export-reviews", f"REVIEW_EXPORT_DIR={out}"], cwd=ROOT,
                            env=console_env(url), capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stdout + export.stderr
    found["export"] = {"stdout": export.stdout, "nlu": yaml.safe_load((out / "nlu.yml").read_text())}
    return found


def label(code: str) -> str:
    return triage_rules.load().codes[code].label


def test_sign_in(seen):
    assert "/login?next=%2Fconversations%3Flevel%3Demergency" in seen["anonymousUrl"]
    assert seen["wrongPassword"] == "Wrong user name or password."
    assert seen["afterSignIn"] == "/conversations?level=emergency"
    assert [r["flags"] for r in seen["emergencyRows"]] == [["cauda_equina", "neuro_symptoms"]]
    assert seen["emergencyRows"][0]["cells"][3] == "".join(
        label(code).split(" (")[0] for code in ("cauda_equina", "neuro_symptoms"))


def test_filter(seen):
    assert seen["total"] == "8"
    assert f"{label('dvt_signs')} (1)" in seen["flagOptions"]
    assert f"{label('pe_signs')} (1)" in seen["flagOptions"]
    assert seen["filteredTotal"] == "1"
    [row] = seen["filtered"]
    assert row["cells"][2] == "See a doctor within 24 hours"
    assert row["cells"][6] == "hi, my name is [name] [name]"


def test_open_a_conversation(seen):
    c = seen["conversation"]
    assert (c["level"], c["flags"], c["channel"]) == (
        "See a doctor within 24 hours", label("dvt_signs"), "rest")
    assert "my email is [email] and my phone is [phone]" in c["transcript"]
    assert not any("alice@example.com" in t for t in c["transcript"])
    assert "because you mentioned a swollen, red or warm calf" in c["escalations"][0]


def test_mark_reviewed_tag_and_note(seen):
    assert seen["reviewedStatus"].startswith("Reviewed by sam on ")
    assert seen["tags"] == ["called back"]
    assert seen["notes"] == ["Rang the client: seeing the GP today."]
    assert seen["notReviewedAfter"] == []
    assert [r["cells"][2] for r in seen["reviewedAfter"]] == ["See a doctor within 24 hours"]


def test_export(seen):
    assert seen["csv"]["name"].endswith(".csv") and seen["json"]["name"].endswith(".json")
    rows = list(csv.DictReader(io.StringIO(seen["csv"]["text"])))
    assert len(rows) == 5 and {r["channel"] for r in rows} == {"rest"}
    assert "alice@example.com" not in seen["csv"]["text"]
    document = json.loads(seen["json"]["text"])
    assert document["masked"] and len(document["conversations"]) == 5
    alice = next(c for c in document["conversations"] if c["sender"] == "alice-web")
    assert alice["reviewed_by"] == "sam" and [t["tag"] for t in alice["tags"]] == ["called back"]


def test_dashboard_and_sign_out(seen):
    assert len(seen["charts"]) == 5
    assert seen["afterSignOut"] == "/login"
    assert seen["problems"] == []


def test_a_lead_walks_the_queue_most_urgent_first(seen):
    lead = seen["lead"]
    # sam reviewed alice's conversation; the queue starts with the ambulance-level one, bob's
    assert [r["flags"] for r in lead["queue"][:2]] == [["pe_signs"], ["cauda_equina", "neuro_symptoms"]]
    first, second = lead["first"], lead["second"]
    assert first["level"] == "Ambulance now" and first["position"] == f"1 of {len(lead['queue'])}"
    assert lead["firstFlags"] == [label("pe_signs")]
    assert lead["intentsShown"] == 0  # a lead is not an admin: no NLU intent on any message
    assert second["level"] == "Emergency department now"
    assert second["path"] == f"/conversations/{lead['queue'][1]['conversation']}?reviewed=no"
    assert second["position"] == f"1 of {len(lead['queue']) - 1}"
    assert [r["conversation"] for r in lead["reviewed"]][:1] == [lead["queue"][0]["conversation"]]
    assert lead["assignee"] == "lena"
    assert lead["problems"] == []


def test_a_lead_corrects_an_intent_and_exports_it(seen):
    lead = seen["lead"]
    assert lead["corrected"] == "my back is in spasm and it's numb down there"
    assert lead["corrections"] == ["Meant: report_spasm"]
    assert lead["afterCorrection"]["path"] == seen["lead"]["second"]["path"]  # still in the queue
    assert "1 NLU examples" in seen["export"]["stdout"]
    assert seen["export"]["nlu"]["nlu"] == [
        {"intent": "report_spasm", "examples": f"- {lead['corrected']}\n"}]


def test_on_a_phone(seen):
    phone = seen["phone"]
    for page in ("queueWidth", "conversationWidth", "dashboardWidth"):
        scroll, screen = phone[page]
        assert scroll <= screen, f"{page}: {scroll} px wide on a {screen} px screen"
    assert phone["transcriptTop"] < phone["reviewTop"]  # the transcript first, the forms below
    assert phone["nextVisible"]


def test_screenshots_saved(seen):
    for name in SHOTS:
        path = SCREENSHOTS / name
        assert path.is_file() and path.stat().st_size > 10_000, name
        assert path.stat().st_mtime >= seen["started"], f"{name} was not written by this run"
