"""The production profile: a real Rasa server on PostgreSQL (TRACKER_STORE=postgres) keeps a
conversation across a restart in the middle of it, and the console reads it from there."""
import secrets

import requests
from review_support import postgres_database
from sqlalchemy import func, select

from bot.review.conversations import load
from bot.review.database import connect
from bot.review.schema import events
from bot.stack import free_port, running_assistant

SENDER = "restart-" + secrets.token_hex(4)
LAST = "I was out running, and now my left calf is swollen and red and warm"  # answers the form too


def say(base: str, text: str) -> str:
    response = requests.post(f"{base}/webhooks/rest/webhook",
                             json={"sender": SENDER, "message": text}, timeout=60)
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json()).lower()


def tracker(base: str, token: str) -> dict:
    response = requests.get(f"{base}/conversations/{SENDER}/tracker", params={"token": token},
                            timeout=30)
    response.raise_for_status()
    return response.json()


def test_a_conversation_survives_a_restart_on_postgres(tmp_path, monkeypatch):
    token = secrets.token_urlsafe(16)
    with postgres_database("clinic_test_restart") as url:
        monkeypatch.setenv("TRACKER_STORE", "postgres")
        monkeypatch.setenv("TRACKER_DB_URL", url)
        with running_assistant(port=free_port(), api_token=token, log_dir=tmp_path / "first") as base:
            assert "when did it start" in say(base, "my calf keeps cramping")
            assert "what were you doing" in say(base, "it started yesterday, a minute each time")
            before = tracker(base, token)
        assert before["slots"]["spasm_area"] == "calf"
        assert not (tmp_path / "first" / "tracker.db").exists()  # nothing went to SQLite
        with connect(url).connect() as connection:
            stored = connection.execute(select(func.count()).select_from(events)
                                        .where(events.c.sender_id == SENDER)).scalar()
        assert stored == len(before["events"])

        with running_assistant(port=free_port(), api_token=token, log_dir=tmp_path / "second") as base:
            restored = tracker(base, token)
            assert restored["slots"] == before["slots"]
            assert restored["events"] == before["events"]
            reply = say(base, LAST)
            assert "within 24 hours" in reply and "how bad is it" in reply  # the form goes on
            assert "when did it start" not in reply and "which muscle" not in reply  # remembered
            after = tracker(base, token)
        assert after["slots"]["spasm_area"] == "calf"
        assert after["slots"]["spasm_onset"] == before["slots"]["spasm_onset"]
        assert after["slots"]["red_flags"] == ["dvt_signs"]
        assert after["slots"]["triage_level"] == "consultation_24"
        assert after["events"][:len(before["events"])] == before["events"]

        [conversation] = load(connect(url), with_bot=True)
        assert conversation.sender_id == SENDER and conversation.channel == "rest"
        assert conversation.client_texts == ["my calf keeps cramping",
                                             "it started yesterday, a minute each time",
                                             LAST]
        assert [(e.level, e.codes) for e in conversation.escalations] == [
            ("consultation_24", ["dvt_signs"])]
        assert conversation.escalations[0].reason.startswith("because you mentioned")
