"""The web widget's channel: Rasa's socketio channel with server-issued, signed sessions.

Registered in credentials.yml as `bot.channels.secure_socketio.SecureSocketIOInput`. It speaks the
same socket.io protocol as Rasa's `socketio` channel (events `session_request`/`session_confirm`,
`user_uttered`, `bot_uttered` with `text`, `quick_replies` and `metadata`), and closes the hole of
Rasa's `session_persistence`, which trusts whatever session id a client sends.

Security model (see docs/widget.md):

- The server issues every session id (`secrets.token_urlsafe(24)`); the sender id of the
  conversation is that id. The browser receives a token `v1.<session id>.<key thumbprint>.<issued
  at>.<HMAC-SHA256>` signed with WIDGET_SECRET, and presents it on `session_request`.
- A missing, malformed, forged, expired or someone else's token gets a NEW session: the socket never
  joins the presented room. Messages from a socket go only to the session the server verified for
  that socket; the `session_id` a client puts in `user_uttered` is ignored.
- Proof of possession: the widget keeps a non-extractable ECDSA P-256 key in IndexedDB (WebCrypto).
  A token issued to that browser carries the key's thumbprint, and restoring it needs a signature
  over a fresh server nonce (`session_challenge`). A token copied to another browser (another
  profile, another machine, another browser context) restores nothing there. Browsers without
  WebCrypto (plain-http pages that are not localhost) get unbound tokens, which are bearer secrets
  kept in localStorage.
- Origins: the socket.io server accepts connections only from the origins in CORS_ORIGINS
  (or `cors_origins` in credentials.yml) and from the server's own origin (the /chat page).
- An emergency sent while another turn of the session is still running (waiting for a hung action
  server) is referred at once (bot/channels/early_referral.py).
- A message over `max_message_chars` (the REST channel's 5,000) gets the "too long" reply and its
  first part is read, as on every channel (bot/channels/rest.py: read_within_limit). A payload over
  python-engineio's `max_http_buffer_size` (1 MB) is refused, and its socket closed, undecoded.

The blueprint also serves the widget (`/widget/widget.js`, `/widget/widget.css`,
`/widget/socket.io.min.js`, built by `make web` into web/dist/) and a demo page at `/chat`.
"""
import base64
import hashlib
import hmac
import html
import logging
import os
import re
import secrets
import string
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.early_referral import REFERRALS
from bot.channels.identity import conversation_id, namespaced
from bot.channels.ratings import (
    MAX_RATINGS_PER_CONVERSATION,
    RATINGS,
    count_ratings,
    find_answer,
    latest_ratings,
    rating_event,
    same_moment,
)
from bot.channels.rest import (
    EMPTY_REPLY,
    MAX_MESSAGE_CHARS,
    part_read,
    read_within_limit,
    too_long_reply,
)
from bot.channels.text import is_blank
from bot.paths import ROOT
from bot.request_limit import limit_on_start
from bot.triage.detector import MAX_CHARS as TRIAGE_MAX_CHARS

logger = logging.getLogger(__name__)

TOKEN_VERSION = "v1"
PROOF_PREFIX = "rasa-widget-session:"
ESCALATION_PREFIX = "utter_escalate_"
# Escalation responses that are not named utter_escalate_<level>, with the urgency they carry.
URGENT_RESPONSES = {"utter_triage_reminder": "emergency"}
CALL_NOW_LEVELS = ("emergency_ambulance", "emergency")
DEFAULT_WIDGET_DIR = ROOT / "web" / "dist"
WIDGET_FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "socket.io.min.js": "application/javascript; charset=utf-8",
    "chat-page.css": "text/css; charset=utf-8",
}
PAGE_FIELDS = ("clinic_name", "emergency_number", "clinic_phone", "clinic_hours")
MAX_HISTORY = 300
WELCOME_RESPONSE = "utter_greet"
DEFAULT_PRIVACY_NOTICE = "Clinic staff may read this chat."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- signing ------------------------------------------------------------------------------------

def key_thumbprint(public_key: bytes) -> str:
    """The id of a device key: SHA-256 of its raw (uncompressed point) encoding, base64url."""
    return _b64(hashlib.sha256(public_key).digest())


def verify_proof(public_key: bytes, nonce: str, signature: bytes) -> bool:
    """Check a WebCrypto ECDSA P-256/SHA-256 signature (raw r||s) over PROOF_PREFIX + nonce."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if len(signature) != 64 or len(public_key) != 65:
        return False
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                   int.from_bytes(signature[32:], "big"))
        key.verify(der, (PROOF_PREFIX + nonce).encode("utf-8"), ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


@dataclass(frozen=True)
class Session:
    session_id: str
    thumbprint: str  # "" for a token not bound to a device key
    issued_at: int


class SessionSigner:
    """Issues and verifies session tokens `v1.<id>.<thumbprint>.<issued at>.<mac>`."""

    def __init__(self, secret: bytes, max_age_s: Optional[int] = 30 * 24 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        if not secret:
            raise ValueError("an empty secret signs nothing")
        self._secret = secret
        self.max_age_s = max_age_s
        self._clock = clock

    def _mac(self, session_id: str, thumbprint: str, issued_at: int) -> str:
        message = "|".join([TOKEN_VERSION, session_id, thumbprint, str(issued_at)]).encode("utf-8")
        return _b64(hmac.new(self._secret, message, hashlib.sha256).digest())

    def issue(self, thumbprint: str = "") -> Tuple[Session, str]:
        session = Session(secrets.token_urlsafe(24), thumbprint, int(self._clock()))
        return session, self.sign(session)

    def sign(self, session: Session) -> str:
        mac = self._mac(session.session_id, session.thumbprint, session.issued_at)
        return ".".join([TOKEN_VERSION, session.session_id, session.thumbprint,
                         str(session.issued_at), mac])

    def verify(self, token: Any) -> Optional[Session]:
        """The session a token stands for, or None if it is malformed, forged or expired."""
        if not isinstance(token, str) or len(token) > 512:
            return None
        parts = token.split(".")
        if len(parts) != 5 or parts[0] != TOKEN_VERSION or not parts[3].isdigit():
            return None
        _, session_id, thumbprint, issued, mac = parts
        if not session_id:
            return None
        issued_at = int(issued)
        if not hmac.compare_digest(mac, self._mac(session_id, thumbprint, issued_at)):
            return None
        if self.max_age_s is not None and self._clock() - issued_at > self.max_age_s:
            return None
        return Session(session_id, thumbprint, issued_at)


def widget_secret() -> bytes:
    """WIDGET_SECRET from the environment, or a random per-process secret (with a warning)."""
    secret = os.environ.get("WIDGET_SECRET", "")
    if secret:
        if len(secret) < 32:
            logger.warning("WIDGET_SECRET is shorter than 32 characters: use a long random value.")
        return secret.encode("utf-8")
    logger.warning("WIDGET_SECRET is not set: using a random secret for this process only, so web "
                   "widget sessions will not survive a restart. `make run` keeps one in var/.")
    return secrets.token_bytes(32)


class SessionAuthority:
    """Decides which conversation a socket belongs to. Pure logic, no I/O: unit-tested."""

    def __init__(self, signer: SessionSigner) -> None:
        self.signer = signer

    @staticmethod
    def device_thumbprint(public_key: Any, proof: Any, nonce: Optional[str]) -> str:
        """The thumbprint of a device key the client proved it holds for this nonce, or ""."""
        if not (nonce and isinstance(public_key, str) and isinstance(proof, str)):
            return ""
        if len(public_key) > 200 or len(proof) > 200:
            return ""
        try:
            key, signature = _unb64(public_key), _unb64(proof)
        except (ValueError, TypeError):
            return ""
        return key_thumbprint(key) if verify_proof(key, nonce, signature) else ""

    def resolve(self, token: Any, device: str) -> Tuple[Session, str, bool]:
        """(session, token to give the client, whether an existing session was restored).

        An existing session is restored only for a valid token whose device binding, if any, is
        the device key the client just proved it holds. Anything else gets a new session, bound
        to the client's device key when it proved one.
        """
        claimed = self.signer.verify(token)
        if claimed is not None and (not claimed.thumbprint or
                                    hmac.compare_digest(claimed.thumbprint, device)):
            return claimed, token, True
        session, new_token = self.signer.issue(device)
        return session, new_token, False


# --- escalation metadata ------------------------------------------------------------------------

def _phone_number(text: str) -> Optional[str]:
    """The first phone number in a settings line ("Samaritans, free any time on 116 123")."""
    match = re.search(r"\+?\d[\d ]*\d|\d", text or "")
    return match.group(0).strip() if match else None


def call_targets(settings: Dict[str, str]) -> List[Dict[str, str]]:
    """Numbers an escalation may name, most urgent first."""
    targets = []
    for key, kind in (("emergency_number", "emergency"), ("crisis_line", "crisis"),
                      ("urgent_line", "urgent"), ("clinic_phone", "clinic")):
        number = _phone_number(settings.get(key, ""))
        if number:
            targets.append({"kind": kind, "number": number})
    return targets


def urgency_of(utter_action: Optional[str], metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """The escalation level of a bot message: response metadata `urgency`, else its response name."""
    if isinstance(metadata, dict) and isinstance(metadata.get("urgency"), str):
        return metadata["urgency"]
    if not utter_action:
        return None
    if utter_action.startswith(ESCALATION_PREFIX):
        return utter_action[len(ESCALATION_PREFIX):]
    return URGENT_RESPONSES.get(utter_action)


def escalation_metadata(text: str, utter_action: Optional[str], metadata: Optional[Dict[str, Any]],
                        targets: Sequence[Dict[str, str]]) -> Dict[str, Any]:
    """`{urgency, calls}` for an escalation message; {} for any other message."""
    urgency = urgency_of(utter_action, metadata)
    if not urgency:
        return {}
    calls = []
    for target in targets:
        number = target["number"]
        if re.search(r"(?<![\d.])" + re.escape(number) + r"(?![\d])", text or ""):
            calls.append({"kind": target["kind"], "number": number,
                          "tel": re.sub(r"[^\d+]", "", number),
                          "label": f"Call {number}"})
    return {"urgency": urgency, "call_now": urgency in CALL_NOW_LEVELS, "calls": calls}


def format_bot_message(text: Optional[str], buttons: Optional[List[Dict[str, Any]]],
                       extra: Dict[str, Any], targets: Sequence[Dict[str, str]]
                       ) -> List[Dict[str, Any]]:
    """Rasa's socketio `bot_uttered` payloads for one bot message, with escalation metadata.

    As in Rasa's SocketIOOutput: the text is split on blank lines into several bubbles and the
    buttons become the last bubble's `quick_replies`.
    """
    text = text or ""
    response_metadata = extra.get("metadata") if isinstance(extra.get("metadata"), dict) else {}
    metadata = dict(response_metadata)
    metadata.update(escalation_metadata(text, extra.get("utter_action"), response_metadata,
                                        targets))
    parts = [part for part in text.strip().split("\n\n") if part.strip()] or [text]
    messages: List[Dict[str, Any]] = [{"text": part} for part in parts]
    answer_id = extra.get("timestamp")
    if isinstance(answer_id, (int, float)) and not isinstance(answer_id, bool):
        # the BotUttered event's timestamp: what the widget names when the client rates the answer
        for message in messages:
            message["answer_id"] = answer_id
    if buttons:
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
            for b in buttons
        ]
    if metadata:
        for message in messages:
            message["metadata"] = metadata
    return messages


def _offered(buttons: Any) -> Dict[str, str]:
    """A bot message's buttons as {payload: title}: what a client's tap on one sends and shows."""
    offered: Dict[str, str] = {}
    for button in buttons or []:
        if isinstance(button, dict) and button.get("payload") and button.get("title"):
            offered.setdefault(str(button["payload"]), str(button["title"]))
    return offered


def history_messages(events: Sequence[Any], targets: Sequence[Dict[str, str]],
                     limit: int = MAX_HISTORY, welcome_buttons: Sequence[Dict[str, Any]] = ()
                     ) -> List[Dict[str, Any]]:
    """A conversation's past user and bot messages, as the widget draws them.

    A client's message that is the payload of a button the bot had just offered (or of the
    welcome's starter buttons, at the start) is shown as the button's title, as the widget showed
    it when the client tapped it; a `/intent` payload typed by nobody stays hidden otherwise.
    The last bot message of each turn carries `rate` ({answer, rating}) unless the turn referred
    the client to call now, as live answers do (ratings: bot/channels/ratings.py).
    """
    history: List[Dict[str, Any]] = []
    offered = _offered(welcome_buttons)
    ratings = latest_ratings(events)
    turn: List[Dict[str, Any]] = []

    def end_turn() -> None:
        rateable = [m for m in turn if "answer_id" in m]
        if rateable and not any((m.get("metadata") or {}).get("call_now") for m in turn):
            last = rateable[-1]
            last["rate"] = {"answer": last["answer_id"],
                            "rating": next((r for at, r in ratings.items()
                                            if same_moment(at, last["answer_id"])), None)}
        turn.clear()

    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            shown = offered.get(text)
            if text and (shown or not text.startswith("/")):
                end_turn()
                history.append({"sender": "user", "text": shown or text})
        elif isinstance(event, BotUttered):
            message = event.message()
            buttons = message.get("quick_replies") or message.get("buttons")
            if not message.get("text") and not buttons:
                continue
            offered = _offered(buttons)
            for part in format_bot_message(message.get("text"), buttons, message, targets):
                history.append({"sender": "bot", **part})
                turn.append(history[-1])
    end_turn()
    return history[-limit:]


def welcome_message(domain: Any) -> Optional[Dict[str, Any]]:
    """The widget's welcome: the assistant's own greeting (`utter_greet` in domain.yml), its text
    and its starter buttons, shown before the client writes; None without a loaded domain."""
    responses = getattr(domain, "responses", None) or {}
    variants = responses.get(WELCOME_RESPONSE) or []
    first = variants[0] if variants and isinstance(variants[0], dict) else None
    if not first or not first.get("text"):
        return None
    return {"text": first["text"],
            "quick_replies": [{"content_type": "text", "title": b["title"], "payload": b["payload"]}
                              for b in first.get("buttons") or []
                              if isinstance(b, dict) and b.get("title") and b.get("payload")]}


def _load_settings() -> Dict[str, str]:
    try:
        from bot.settings import load_settings
        return load_settings()
    except Exception as error:  # the widget still works, escalations just lack a call link
        logger.warning(f"Clinic settings not readable, escalations get no call link: {error}")
        return {}


def render_page(template: str, settings: Dict[str, str]) -> str:
    """The demo page with the clinic's details, HTML-escaped."""
    values = {key: html.escape(settings.get(key, ""), quote=True) for key in PAGE_FIELDS}
    return string.Template(template).safe_substitute(values)


# --- output -------------------------------------------------------------------------------------

class SecureSocketIOOutput(SocketIOOutput):
    """Rasa's socketio output with `metadata` (urgency, call links) on escalation messages."""

    def __init__(self, sio: AsyncServer, bot_message_evt: Text,
                 targets: Sequence[Dict[str, str]] = ()) -> None:
        super().__init__(sio, bot_message_evt)
        self.targets = list(targets)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for message in format_bot_message(text, None, kwargs, self.targets):
            await self._send_message(recipient_id, message)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        for message in format_bot_message(text, buttons, kwargs, self.targets):
            await self._send_message(recipient_id, message)


# --- input --------------------------------------------------------------------------------------

def _origins(value: Any) -> List[str]:
    if value is None:
        value = os.environ.get("CORS_ORIGINS", "")
    if isinstance(value, str):
        value = value.split(",")
    return [str(origin).strip().rstrip("/") for origin in value if str(origin).strip()]


class WidgetBlueprint(SocketBlueprint):
    """Attaches socket.io and the widget's routes; remembers the app (for the tracker store)."""

    def __init__(self, channel: "SecureSocketIOInput", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        self.ctx.channel.app = app
        self.ctx.channel.add_widget_routes(app)
        super().register(app, options)


class SecureSocketIOInput(SocketIOInput):
    """Socket.io channel for the web widget with server-issued, signed, device-bound sessions."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            cors_origins=credentials.get("cors_origins"),
            widget_dir=credentials.get("widget_dir"),
            session_max_age_days=credentials.get("session_max_age_days", 30),
            max_message_chars=credentials.get("max_message_chars", MAX_MESSAGE_CHARS),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        namespace: Optional[Text] = None,
        socketio_path: Optional[Text] = "/socket.io",
        cors_origins: Any = None,
        widget_dir: Optional[Text] = None,
        session_max_age_days: Optional[float] = 30,
        max_message_chars: int = MAX_MESSAGE_CHARS,
        secret: Optional[bytes] = None,
    ) -> None:
        super().__init__(user_message_evt, bot_message_evt, namespace,
                         session_persistence=True, socketio_path=socketio_path)
        self.cors_origins = _origins(cors_origins)
        self.widget_dir = Path(widget_dir) if widget_dir else DEFAULT_WIDGET_DIR
        if not self.widget_dir.is_absolute():
            self.widget_dir = ROOT / self.widget_dir
        max_age = None if session_max_age_days is None else int(float(session_max_age_days) * 86400)
        self.authority = SessionAuthority(SessionSigner(secret or widget_secret(), max_age))
        # A message is read whole up to the REST channel's limit, else its first part after the
        # "too long" reply; never more than what the red-flag detector reads whole.
        self.max_message_chars = max(1, min(int(max_message_chars), TRIAGE_MAX_CHARS))
        self.settings = _load_settings()
        self.targets = call_targets(self.settings)
        self.emergency_number = _phone_number(self.settings.get("emergency_number", "")) or ""
        self.app: Optional[Sanic] = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return SecureSocketIOOutput(self.sio, self.bot_message_evt, self.targets)

    # -- origins -------------------------------------------------------------------------------

    def origin_allowed(self, origin: Optional[str], environ: Optional[Dict[str, Any]] = None) -> bool:
        """An explicit CORS origin, or the server's own origin (the /chat page)."""
        if not origin:
            return True  # not a browser (browsers always send Origin on websocket and CORS requests)
        origin = origin.rstrip("/")
        if origin in self.cors_origins:
            return True
        host = (environ or {}).get("HTTP_HOST")
        return bool(host) and origin in (f"http://{host}", f"https://{host}")

    # -- history -------------------------------------------------------------------------------

    def _agent(self) -> Any:
        """The running Rasa agent; None before the server has one."""
        return getattr(getattr(self.app, "ctx", None), "agent", None)

    async def history(self, session_id: str) -> List[Dict[str, Any]]:
        store = getattr(self._agent(), "tracker_store", None)
        if store is None:
            return []
        try:
            conversation = conversation_id(self.name(), session_id)
            tracker = await store.retrieve_full_tracker(conversation)
        except Exception as error:
            logger.warning(f"Could not read the conversation history: {error}")
            return []
        welcome = self.welcome() or {}
        return history_messages(tracker.events, self.targets,
                                welcome_buttons=welcome.get("quick_replies") or []) \
            if tracker else []

    def welcome(self) -> Optional[Dict[str, Any]]:
        return welcome_message(getattr(self._agent(), "domain", None))

    def page_config(self) -> Dict[str, Any]:
        """What the widget shows from the clinic's settings: the emergency number, every number a
        message may name (made tappable), the privacy notice and its link."""
        privacy_url = self.settings.get("privacy_url", "").strip()
        return {
            "emergency_number": self.emergency_number,
            "numbers": [target["number"] for target in self.targets],
            "privacy_notice": self.settings.get("privacy_notice", "").strip()
            or DEFAULT_PRIVACY_NOTICE,
            "privacy_url": privacy_url if re.match(r"https?://", privacy_url) else "",
        }

    # -- ratings -------------------------------------------------------------------------------

    async def rate_answer(self, session_id: str, data: Any) -> Dict[str, Any]:
        """Store a client's rating of one of its own conversation's answers (ratings.py); the
        answer must be a bot message of that conversation. Returns the widget's acknowledgement."""
        data = data if isinstance(data, dict) else {}
        rating, answer_at = data.get("rating"), data.get("answer")
        if rating not in RATINGS or not isinstance(answer_at, (int, float)) \
                or isinstance(answer_at, bool):
            return {"ok": False, "error": "bad rating"}
        agent = self._agent()
        if agent is None or agent.tracker_store is None:
            return {"ok": False, "error": "not ready"}
        conversation = conversation_id(self.name(), session_id)
        try:
            async with agent.lock_store.lock(conversation):
                full = await agent.tracker_store.retrieve_full_tracker(conversation)
                events = list(full.events) if full else []
                answer = find_answer(events, answer_at)
                if answer is None:
                    return {"ok": False, "error": "no such answer"}
                if latest_ratings(events).get(answer.timestamp) == rating:
                    return {"ok": True, "rating": rating}
                if count_ratings(events) >= MAX_RATINGS_PER_CONVERSATION:
                    return {"ok": False, "error": "too many ratings"}
                tracker = await agent.processor.get_tracker(conversation)
                tracker.update(rating_event(rating, answer))
                await agent.tracker_store.save(tracker)
        except Exception as error:
            logger.warning(f"Could not store a rating: {error}")
            return {"ok": False, "error": "not stored"}
        return {"ok": True, "rating": rating}

    # -- messages the channel answers itself ---------------------------------------------------

    def channel_reply(self, text: Any) -> Optional[str]:
        """The channel's own answer to a message it does not hand to Rasa, else None: an empty
        one (nothing, blanks or only invisible characters: the widget waits for an answer and
        would otherwise get none), and one over the limit whose first part has nothing to read.
        Any other message over the limit is read in part (handle_message)."""
        if not isinstance(text, str) or is_blank(text):
            return EMPTY_REPLY
        if is_blank(part_read(text, self.max_message_chars)):
            return too_long_reply(self.max_message_chars)
        return None

    # -- widget files --------------------------------------------------------------------------

    def add_widget_routes(self, app: Sanic) -> None:
        widget_dir = self.widget_dir

        def missing(name: str) -> HTTPResponse:
            return response.text(f"{name} is not built: run `make web`", status=404)

        async def widget_file(request: Request, name: str) -> HTTPResponse:
            if name not in WIDGET_FILES:
                return response.text("not found", status=404)
            path = widget_dir / name
            if not path.is_file():
                return missing(name)
            return response.raw(path.read_bytes(), content_type=WIDGET_FILES[name], headers={
                "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                "Cross-Origin-Resource-Policy": "cross-origin"})

        async def chat_page(request: Request) -> HTTPResponse:
            path = widget_dir / "chat.html"
            if not path.is_file():
                return missing("chat.html")
            page = render_page(path.read_text(encoding="utf-8"), self.settings)
            return response.html(page, headers={
                "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": (
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
                    "frame-ancestors 'none'")})

        app.add_route(widget_file, "/widget/<name>", methods=["GET"], name="widget_file")
        app.add_route(chat_page, "/chat", methods=["GET"], name="widget_chat_page")

    # -- socket.io -----------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # conversation "widget:<session>"; an emergency while it is busy is referred at once
        on_new_message = namespaced(self.name(), REFERRALS.wrap(self._agent, on_new_message))
        # Origins are checked on connect (below): Sanic-CORS, configured by `--cors` with the
        # same list, writes the CORS headers of the HTTP long-polling requests.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
        blueprint = WidgetBlueprint(self, sio, self.socketio_path, "secure_socketio_webhook",
                                    __name__)
        limit_on_start(blueprint)  # request bodies over 1 MB: 413, unread (bot/request_limit.py)
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not self.origin_allowed(origin, environ):
                logger.info(f"Refused a socket.io connection from origin {origin!r}.")
                return False
            await sio.save_session(sid, {}, namespace=namespace)
            return True

        @sio.on("session_challenge", namespace=namespace)
        async def session_challenge(sid: Text, _: Any = None) -> Dict[str, str]:
            state = await sio.get_session(sid, namespace=namespace)
            state["nonce"] = secrets.token_urlsafe(24)
            await sio.save_session(sid, state, namespace=namespace)
            return {"nonce": state["nonce"]}

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            state = await sio.get_session(sid, namespace=namespace)
            nonce = state.pop("nonce", None)  # single use
            device = self.authority.device_thumbprint(data.get("public_key"), data.get("proof"),
                                                      nonce)
            session, token, restored = self.authority.resolve(data.get("session_id"), device)
            previous = state.get("session_id")
            if previous and previous != session.session_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            state["session_id"] = session.session_id
            await sio.save_session(sid, state, namespace=namespace)
            await sio.enter_room(sid, session.session_id, namespace=namespace)
            history = await self.history(session.session_id) if restored else []
            await sio.emit("session_confirm", {"session_id": token, "restored": restored,
                                               "device_bound": bool(session.thumbprint),
                                               "history": history,
                                               "welcome": self.welcome(),
                                               **self.page_config()},
                           room=sid, namespace=namespace)

        @sio.on("rate_answer", namespace=namespace)
        async def rate_answer(sid: Text, data: Any = None) -> Dict[str, Any]:
            # only the session this socket proved it holds: a rating names no conversation
            state = await sio.get_session(sid, namespace=namespace)
            session_id = state.get("session_id")
            if not session_id:
                return {"ok": False, "error": "no session"}
            return await self.rate_answer(session_id, data)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            state = await sio.get_session(sid, namespace=namespace)
            session_id = state.get("session_id")
            if not session_id:
                await sio.emit("session_required", {}, room=sid, namespace=namespace)
                return
            text = data.get("message") if isinstance(data, dict) else None
            reply = self.channel_reply(text)
            if reply is not None:
                # answered here, the conversation left as it was (as the REST channel does)
                try:
                    await SecureSocketIOOutput(sio, self.bot_message_evt, self.targets) \
                        .send_text_message(session_id, reply)
                finally:
                    await sio.emit("bot_turn_end", {}, room=session_id, namespace=namespace)
                return
            message = UserMessage(
                text,
                SecureSocketIOOutput(sio, self.bot_message_evt, self.targets),
                session_id,
                input_channel=self.name(),
            )
            try:
                await read_within_limit(message, self.max_message_chars)
                await on_new_message(message)
            finally:
                await sio.emit("bot_turn_end", {}, room=session_id, namespace=namespace)

        return blueprint
