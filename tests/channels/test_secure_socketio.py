"""The web widget channel's session signing, device binding and escalation metadata (no server)."""
import asyncio
import logging
import os
import stat

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from bot.channels.rest import LONG_REPLY, MAX_MESSAGE_CHARS
from bot.channels.secure_socketio import (
    SecureSocketIOInput,
    SessionAuthority,
    SessionSigner,
    call_targets,
    escalation_metadata,
    format_bot_message,
    history_messages,
    render_page,
    too_long_reply,
    verify_proof,
    widget_secret,
)
from bot.channels.text import leading_part
from bot.channels.widget_secret import ensure_widget_secret, persistent_secret
from bot.triage.detector import MAX_CHARS as TRIAGE_MAX_CHARS
from tests.web.device_key import Device

SECRET = b"k" * 32
SETTINGS = {
    "emergency_number": "999", "urgent_line": "NHS 111 (call 111 or use 111.nhs.uk)",
    "crisis_line": "Samaritans, free any time on 116 123", "clinic_phone": "020 7946 0018",
    "clinic_name": "Calm <Muscle> Clinic", "clinic_hours": "9-5",
}
TARGETS = call_targets(SETTINGS)


# --- tokens -------------------------------------------------------------------------------------

def test_issued_token_verifies_to_its_session():
    signer = SessionSigner(SECRET)
    session, token = signer.issue("thumb")
    assert signer.verify(token) == session
    assert session.thumbprint == "thumb"
    assert len(session.session_id) >= 32 and session.session_id in token


def test_session_ids_are_random():
    signer = SessionSigner(SECRET)
    assert len({signer.issue()[0].session_id for _ in range(200)}) == 200


@pytest.mark.parametrize("part", [1, 2, 3, 4])
def test_any_changed_part_breaks_the_signature(part):
    signer = SessionSigner(SECRET)
    _, token = signer.issue("thumb")
    parts = token.split(".")
    parts[part] = ("1" + parts[part][1:]) if parts[part][:1] != "1" else ("2" + parts[part][1:])
    assert signer.verify(".".join(parts)) is None


def test_other_secret_does_not_verify():
    _, token = SessionSigner(b"x" * 32).issue()
    assert SessionSigner(SECRET).verify(token) is None


def test_unbinding_a_bound_token_breaks_it():
    signer = SessionSigner(SECRET)
    _, token = signer.issue("thumb")
    version, sid, _, issued, mac = token.split(".")
    assert signer.verify(".".join([version, sid, "", issued, mac])) is None


@pytest.mark.parametrize("token", [None, 42, "", "abc", "v1.x", "v1...1.", "v2.a.b.1.c",
                                   "v1.a.b.notanumber.c", "x" * 1000, {"session_id": "a"}])
def test_malformed_tokens_are_refused(token):
    assert SessionSigner(SECRET).verify(token) is None


def test_bare_session_id_is_not_a_token():
    signer = SessionSigner(SECRET)
    session, _ = signer.issue()
    assert signer.verify(session.session_id) is None


def test_tokens_expire():
    now = [1_000_000.0]
    signer = SessionSigner(SECRET, max_age_s=60, clock=lambda: now[0])
    _, token = signer.issue()
    now[0] += 59
    assert signer.verify(token) is not None
    now[0] += 2
    assert signer.verify(token) is None


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        SessionSigner(b"")


# --- proof of possession ------------------------------------------------------------------------

def test_webcrypto_style_signature_verifies():
    device = Device()
    assert verify_proof(device.public, "nonce-1", device.sign("nonce-1"))


def test_signature_over_another_nonce_or_by_another_key_fails():
    device, other = Device(), Device()
    assert not verify_proof(device.public, "nonce-2", device.sign("nonce-1"))
    assert not verify_proof(other.public, "nonce-1", device.sign("nonce-1"))
    assert not verify_proof(device.public, "nonce-1", b"\0" * 64)
    assert not verify_proof(b"short", "nonce-1", device.sign("nonce-1"))
    assert not verify_proof(device.public, "nonce-1", b"short")


def test_device_thumbprint_needs_a_valid_proof_of_this_nonce():
    device = Device()
    public, proof = device.proof("n1")
    assert SessionAuthority.device_thumbprint(public, proof, "n1") == device.thumbprint
    assert SessionAuthority.device_thumbprint(public, proof, "n2") == ""
    assert SessionAuthority.device_thumbprint(public, proof, None) == ""
    assert SessionAuthority.device_thumbprint(public, None, "n1") == ""
    assert SessionAuthority.device_thumbprint("!!!", "%%%", "n1") == ""
    assert SessionAuthority.device_thumbprint(public, "A" * 500, "n1") == ""


# --- which session a socket gets ----------------------------------------------------------------

def test_no_token_gets_a_new_session_bound_to_the_device():
    authority = SessionAuthority(SessionSigner(SECRET))
    session, token, restored = authority.resolve(None, "device-a")
    assert not restored and session.thumbprint == "device-a"
    assert authority.signer.verify(token) == session


def test_valid_token_on_its_device_restores_the_session():
    authority = SessionAuthority(SessionSigner(SECRET))
    first, token, _ = authority.resolve(None, "device-a")
    again, same_token, restored = authority.resolve(token, "device-a")
    assert restored and again == first and same_token == token


def test_stolen_bound_token_restores_nothing_elsewhere():
    authority = SessionAuthority(SessionSigner(SECRET))
    victim, token, _ = authority.resolve(None, "device-a")
    for device in ("device-b", ""):
        session, new_token, restored = authority.resolve(token, device)
        assert not restored
        assert session.session_id != victim.session_id and new_token != token


def test_unbound_token_is_a_bearer_token():
    authority = SessionAuthority(SessionSigner(SECRET))
    first, token, _ = authority.resolve(None, "")
    assert not first.thumbprint
    assert authority.resolve(token, "")[2] and authority.resolve(token, "device-b")[2]


@pytest.mark.parametrize("claimed", ["someone-elses-id", "v1.someone..1700000000.forged"])
def test_forged_or_bare_ids_get_a_new_session(claimed):
    authority = SessionAuthority(SessionSigner(SECRET))
    session, token, restored = authority.resolve(claimed, "")
    assert not restored and session.session_id != "someone-elses-id" and token != claimed


# --- escalation metadata ------------------------------------------------------------------------

def test_call_targets_come_from_the_settings():
    assert [(t["kind"], t["number"]) for t in TARGETS] == [
        ("emergency", "999"), ("crisis", "116 123"), ("urgent", "111"), ("clinic", "020 7946 0018")]


def test_ambulance_escalation_is_urgent_with_a_999_link():
    text = "🚨 Please call 999 now for an ambulance.\nThis is because you mentioned breathlessness."
    meta = escalation_metadata(text, "utter_escalate_emergency_ambulance", None, TARGETS)
    assert meta["urgency"] == "emergency_ambulance" and meta["call_now"]
    assert meta["calls"] == [{"kind": "emergency", "number": "999", "tel": "999",
                              "label": "Call 999"}]


def test_each_escalation_response_has_its_level():
    assert escalation_metadata("x", "utter_escalate_emergency", None, TARGETS)["urgency"] == \
        "emergency"
    assert escalation_metadata("x", "utter_escalate_consultation_24", None, TARGETS)["urgency"] == \
        "consultation_24"
    assert escalation_metadata("x", "utter_escalate_consultation", None, TARGETS)["urgency"] == \
        "consultation"
    reminder = escalation_metadata("call 999", "utter_triage_reminder", None, TARGETS)
    assert reminder["urgency"] == "emergency" and reminder["call_now"]


def test_response_metadata_urgency_wins():
    meta = escalation_metadata("x", "utter_other", {"urgency": "emergency"}, TARGETS)
    assert meta["urgency"] == "emergency"


def test_ordinary_messages_carry_no_metadata():
    assert escalation_metadata("Drink 999 glasses", "utter_greet", None, TARGETS) == {}
    assert escalation_metadata("text", None, None, TARGETS) == {}
    assert "metadata" not in format_bot_message("Hello", None, {"utter_action": "utter_greet"},
                                                TARGETS)[0]


def test_links_only_for_numbers_in_the_text():
    text = "⚠️ Please see a doctor within 24 hours: call your GP surgery today or NHS 111 " \
           "(call 111 or use 111.nhs.uk). Crisis: 116 123. Not 9999."
    meta = escalation_metadata(text, "utter_escalate_consultation_24", None, TARGETS)
    assert [c["tel"] for c in meta["calls"]] == ["116123", "111"]
    assert not meta["call_now"]


def test_bot_message_shape_matches_rasa_socketio():
    buttons = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]
    messages = format_bot_message("First part.\n\nSecond part, call 999.", buttons,
                                  {"utter_action": "utter_escalate_emergency"}, TARGETS)
    assert [m["text"] for m in messages] == ["First part.", "Second part, call 999."]
    assert "quick_replies" not in messages[0]
    assert messages[1]["quick_replies"] == [
        {"content_type": "text", "title": "Yes", "payload": "yes"},
        {"content_type": "text", "title": "No", "payload": "no"}]
    assert all(m["metadata"]["urgency"] == "emergency" for m in messages)


# --- history ------------------------------------------------------------------------------------

def test_history_has_user_and_bot_messages_with_urgency():
    events = [
        SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("/restart"),
        UserUttered("my calf is swollen and I can't breathe"),
        BotUttered("🚨 Please call 999 now.", data={"quick_replies": [
            {"title": "I've called", "payload": "I've called for help"}]},
            metadata={"utter_action": "utter_escalate_emergency_ambulance"}),
        UserUttered("<img src=x onerror=alert(1)>"),
        BotUttered("Hello", metadata={"utter_action": "utter_greet"}),
    ]
    history = history_messages(events, TARGETS)
    assert [(h["sender"], h["text"]) for h in history] == [
        ("user", "my calf is swollen and I can't breathe"),
        ("bot", "🚨 Please call 999 now."),
        ("user", "<img src=x onerror=alert(1)>"),
        ("bot", "Hello")]
    assert history[1]["metadata"]["urgency"] == "emergency_ambulance"
    assert history[1]["quick_replies"][0]["title"] == "I've called"
    assert "metadata" not in history[3]


def test_history_shows_a_tapped_button_by_its_title_and_where_answers_can_be_rated():
    from rasa.shared.core.events import AgentUttered

    from bot.channels.ratings import rating_event

    welcome = [{"title": "I have a spasm now", "payload": "my muscle is cramping right now"}]
    answer = BotUttered("Stretch gently.\n\nIf it gets worse, get help.", timestamp=100.5, data={
        "buttons": [{"title": "Heat or ice?", "payload": "should I use heat or ice?"}]})
    referral = BotUttered("🚨 Please call 999 now.", timestamp=200.25,
                          metadata={"utter_action": "utter_escalate_emergency_ambulance"})
    events = [
        UserUttered("my muscle is cramping right now", timestamp=100.0), answer,
        rating_event("down", answer), rating_event("up", answer),   # the later one counts
        UserUttered("should I use heat or ice?", timestamp=150.0),
        BotUttered("Heat for stiffness.", timestamp=150.5),
        UserUttered("should I use heat or ice?", timestamp=160.0),  # typed again: no button offered
        BotUttered("Ice for swelling.", timestamp=160.5),
        UserUttered("my calf is swollen and I can't breathe", timestamp=200.0), referral,
    ]
    history = history_messages(events, TARGETS, welcome_buttons=welcome)
    assert [h["text"] for h in history if h["sender"] == "user"] == [
        "I have a spasm now", "Heat or ice?", "should I use heat or ice?",
        "my calf is swollen and I can't breathe"]
    rated = [(h["text"], h["rate"]) for h in history if "rate" in h]
    assert rated == [("If it gets worse, get help.", {"answer": 100.5, "rating": "up"}),
                     ("Heat for stiffness.", {"answer": 150.5, "rating": None}),
                     ("Ice for swelling.", {"answer": 160.5, "rating": None})]  # not the referral
    assert all(h["answer_id"] == 100.5 for h in history[1:3])
    assert not any(isinstance(e, AgentUttered) and e.text for e in events)


def test_live_messages_carry_the_answer_id_to_rate():
    messages = format_bot_message("One.\n\nTwo.", None, {"timestamp": 12.5}, TARGETS)
    assert [m["answer_id"] for m in messages] == [12.5, 12.5]
    assert "answer_id" not in format_bot_message("One.", None, {}, TARGETS)[0]


def test_page_config_comes_from_the_settings():
    channel = SecureSocketIOInput(secret=SECRET)
    channel.settings = {**SETTINGS, "privacy_url": "javascript:alert(1)"}
    config = channel.page_config()
    assert config["privacy_url"] == "" and config["privacy_notice"]
    channel.settings["privacy_url"] = "https://clinic.example/privacy"
    assert channel.page_config()["privacy_url"] == "https://clinic.example/privacy"


def test_history_is_capped():
    events = [UserUttered(f"message {i}") for i in range(50)]
    assert [h["text"] for h in history_messages(events, TARGETS, limit=3)] == [
        "message 47", "message 48", "message 49"]


# --- page, origins, secrets ---------------------------------------------------------------------

def test_demo_page_escapes_the_settings():
    page = render_page("<h1>${clinic_name}</h1> call ${emergency_number} $other", SETTINGS)
    assert page == "<h1>Calm &lt;Muscle&gt; Clinic</h1> call 999 $other"


def test_origins_are_the_listed_ones_and_the_servers_own(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://clinic.example, http://localhost:5005/")
    channel = SecureSocketIOInput(secret=SECRET)
    assert channel.cors_origins == ["https://clinic.example", "http://localhost:5005"]
    environ = {"HTTP_HOST": "bot.example:5005", "wsgi.url_scheme": "http"}
    assert channel.origin_allowed("https://clinic.example", environ)
    assert channel.origin_allowed("http://bot.example:5005", environ)
    assert not channel.origin_allowed("https://evil.example", environ)
    assert not channel.origin_allowed("https://clinic.example.evil.example", environ)
    assert not channel.origin_allowed("null", environ)
    assert channel.origin_allowed(None, environ)  # not a browser: nothing to enforce


def test_credentials_origins_override_the_environment(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example")
    channel = SecureSocketIOInput.from_credentials({"cors_origins": ["https://b.example"]})
    assert channel.cors_origins == ["https://b.example"]


def test_missing_secret_is_random_per_process_with_a_warning(monkeypatch, caplog):
    monkeypatch.delenv("WIDGET_SECRET", raising=False)
    with caplog.at_level(logging.WARNING):
        first, second = widget_secret(), widget_secret()
    assert first != second and len(first) >= 32
    assert "will not survive a restart" in caplog.text


def test_secret_from_the_environment(monkeypatch):
    monkeypatch.setenv("WIDGET_SECRET", "s" * 40)
    assert widget_secret() == b"s" * 40


def test_persistent_secret_is_kept_private_and_reused(tmp_path, monkeypatch):
    path = tmp_path / "var" / "widget_secret"
    first = persistent_secret(path)
    assert persistent_secret(path) == first and len(first) >= 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.delenv("WIDGET_SECRET", raising=False)
    ensure_widget_secret(path)
    assert os.environ["WIDGET_SECRET"] == first
    monkeypatch.setenv("WIDGET_SECRET", "from-env")
    ensure_widget_secret(path)
    assert os.environ["WIDGET_SECRET"] == "from-env"


# --- message length: read whole, or answered "too long" and its first part read ------------------

RED_FLAG = "my calf is swollen and hot and now I am short of breath"


def _send(monkeypatch, text, **channel_kwargs):
    """One `user_uttered` through the channel's socket.io handler on a verified session: (the
    channel, the messages handed to Rasa, the socket.io events emitted)."""
    channel = SecureSocketIOInput(secret=SECRET, **channel_kwargs)
    handed, emitted = [], []

    async def on_new_message(message):
        handed.append(message)

    channel.blueprint(on_new_message)

    async def get_session(sid, namespace=None):
        return {"session_id": "session-1"}

    async def emit(event, data=None, room=None, namespace=None, **kwargs):
        emitted.append((event, data, room))

    monkeypatch.setattr(channel.sio, "get_session", get_session)
    monkeypatch.setattr(channel.sio, "emit", emit)
    handler = channel.sio.handlers["/"][channel.user_message_evt]
    asyncio.run(handler("socket-1", {"message": text, "session_id": "ignored"}))
    return channel, handed, emitted


@pytest.mark.parametrize("length", [2_001, 4_000, 5_000])
def test_long_message_reaches_the_assistant_whole(monkeypatch, length):
    text = ("my back is a bit stiff " * 300)[: length - len(RED_FLAG) - 1] + " " + RED_FLAG
    assert len(text) == length
    _, handed, emitted = _send(monkeypatch, text)
    assert [m.text for m in handed] == [text]  # whole: the red flag at the end is read
    assert handed[0].sender_id == "widget:session-1"  # the conversation: bot/channels/identity.py
    assert emitted == [("bot_turn_end", {}, "session-1")]


@pytest.mark.parametrize("length", [5_001, 25_000, 200_000])
def test_message_over_the_limit_gets_a_clear_answer_and_its_first_part_is_read(monkeypatch, length):
    text = (RED_FLAG + " " + "my back is a bit stiff " * (length // 20))[: length - 1] + "."
    channel, handed, emitted = _send(monkeypatch, text)
    [message] = handed  # its first part, cut at a word: the red flag written first is read
    assert message.text == leading_part(text, channel.max_message_chars)
    assert message.text.startswith(RED_FLAG) and len(message.text) <= MAX_MESSAGE_CHARS
    assert message.metadata == {"clipped_from": length}
    (event, reply, room), end = emitted
    assert event == "bot_uttered" and room == "session-1"  # told before the turn's replies
    assert reply["text"] == too_long_reply(channel.max_message_chars)
    assert "5,000 characters at most" in reply["text"] and "worrying symptom" in reply["text"]
    assert end == ("bot_turn_end", {}, "session-1")


def test_message_over_the_limit_with_nothing_to_read_first_is_answered_too_long(monkeypatch):
    channel, handed, emitted = _send(monkeypatch, "\u200b" * MAX_MESSAGE_CHARS + " " + RED_FLAG)
    assert handed == []  # its first part has no words: nothing to run
    assert [(event, data.get("text")) for event, data, _ in emitted] == [
        ("bot_uttered", too_long_reply(channel.max_message_chars)), ("bot_turn_end", None)]


def test_limit_and_wording_are_the_rest_channels():
    channel = SecureSocketIOInput(secret=SECRET)
    assert channel.max_message_chars == MAX_MESSAGE_CHARS == 5_000
    assert too_long_reply(channel.max_message_chars) == LONG_REPLY
    assert SecureSocketIOInput.from_credentials({}).max_message_chars == MAX_MESSAGE_CHARS


def test_limit_from_credentials_is_capped_at_what_the_detector_reads_whole(monkeypatch):
    assert SecureSocketIOInput.from_credentials({"max_message_chars": 8000}).max_message_chars == 8000
    capped = SecureSocketIOInput.from_credentials({"max_message_chars": 10 ** 6})
    assert capped.max_message_chars == TRIAGE_MAX_CHARS == 20_000
    text = "y" * 19_000 + " " + RED_FLAG
    _, handed, _ = _send(monkeypatch, text, max_message_chars=10 ** 6)
    assert [m.text for m in handed] == [text]
