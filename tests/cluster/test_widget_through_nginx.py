"""The web widget in a real headless Chromium (Debian's), served and answered through nginx by two
replicas: socket.io starts on long-polling, so every request must stick to one replica; a reload
reconnects (perhaps to the other replica) and restores the conversation from the shared store."""
import json
import shutil
import subprocess

import pytest

from bot.paths import ROOT
from tests.web.conftest import chromium_path

SCENARIOS = ROOT / "tests" / "web" / "widget_scenarios.js"


@pytest.fixture(scope="module")
def seen(cluster, tmp_path_factory):
    node = shutil.which("node")
    assert node, "node is needed to drive the browser (Node 20)"
    work = tmp_path_factory.mktemp("cluster-browser")
    config, results = work / "config.json", work / "results.json"
    config.write_text(json.dumps({"url": cluster.url, "chromium": chromium_path(),
                                  "screenshots": str(work), "only": ["selfcare", "redflag"]}))
    run = subprocess.run([node, str(SCENARIOS), str(config), str(results)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(results.read_text())


def bot_texts(state):
    return " ".join(m["text"] for m in state["messages"] if m["sender"] == "bot").lower()


def test_self_care_answer_through_nginx(seen):
    result = seen["selfcare"]
    assert result["ok"], result.get("error")
    assert result["problems"] == []
    assert "ice" in bot_texts(result["answered"])


def test_escalation_and_reload_through_nginx(seen):
    result = seen["redflag"]
    assert result["ok"], result.get("error")
    assert result["problems"] == []
    assert "999" in bot_texts(result["flagged"])
    assert result["sameToken"]
    restored = bot_texts(result["reloaded"])
    assert "999" in restored and "ice" in restored  # the whole conversation came back
