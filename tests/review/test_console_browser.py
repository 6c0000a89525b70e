"""The console in a real headless Chromium: sign-in, filter, open, mark reviewed, export.

Debian's /usr/bin/chromium (CHROMIUM overrides) is driven by playwright-core from web/node_modules
(pinned by web/package-lock.json; `make web` installs it) through console_browser.js, on a console
of its own over a freshly seeded database. Screenshots go to var/screenshots/review/.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import time

import pytest

from bot.paths import ROOT
from review_seed import clinic, save, tracker_store
from review_support import PASSWORD, add_users, running_console, sqlite_url

HERE = ROOT / "tests" / "review"


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(found):
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    return found


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    if not (ROOT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.fail("playwright-core is not installed: run `make web`")
    node = shutil.which("node")
    assert node, "node is needed to drive the browser"
    work = tmp_path_factory.mktemp("console-browser")
    url = sqlite_url(work / "tracker.db")
    save(tracker_store(url), clinic(time.time()))
    add_users(url)
    with running_console(url, work / "console.log") as console:
        config, results = work / "config.json", work / "results.json"
        config.write_text(json.dumps({
            "url": console, "username": "sam", "password": PASSWORD, "chromium": chromium(),
            "screenshots": str(ROOT / "var" / "screenshots" / "review")}))
        run = subprocess.run([node, str(HERE / "console_browser.js"), str(config), str(results)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    found = json.loads(results.read_text())
    assert found["ok"], found.get("error")
    return found


def test_sign_in(seen):
    assert "/login?next=%2Fconversations%3Flevel%3Demergency" in seen["anonymousUrl"]
    assert seen["wrongPassword"] == "Wrong user name or password."
    assert seen["afterSignIn"] == "/conversations?level=emergency"
    assert [r["cells"][3] for r in seen["emergencyRows"]] == ["cauda_equina, neuro_symptoms"]


def test_filter(seen):
    assert seen["total"] == "8"
    assert "dvt_signs (1)" in seen["flagOptions"] and "pe_signs (1)" in seen["flagOptions"]
    assert seen["filteredTotal"] == "1"
    [row] = seen["filtered"]
    assert row["cells"][2] == "consultation_24" and row["cells"][6] == "hi, my name is [name] [name]"


def test_open_a_conversation(seen):
    c = seen["conversation"]
    assert (c["level"], c["flags"], c["channel"]) == ("consultation_24", "dvt_signs", "rest")
    assert "my email is [email] and my phone is [phone]" in c["transcript"]
    assert not any("alice@example.com" in t for t in c["transcript"])
    assert "because you mentioned a swollen, red or warm calf" in c["escalations"][0]


def test_mark_reviewed_tag_and_note(seen):
    assert seen["reviewedStatus"].startswith("Reviewed by sam on ")
    assert seen["tags"] == ["called back"]
    assert seen["notes"] == ["Rang the client: seeing the GP today."]
    assert seen["notReviewedAfter"] == []
    assert [r["cells"][2] for r in seen["reviewedAfter"]] == ["consultation_24"]


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
    assert len(seen["charts"]) == 4
    assert seen["afterSignOut"] == "/login"
    assert seen["problems"] == []
