"""The alert watcher: reads committed turns, stores call-back requests, sends alerts with retries.

Why a process of its own that reads the tracker store, rather than a hook in the turn: a referral
is decided by TriagePolicy inside Rasa's processor and sent by the channel before the turn is
saved; anything added to that path (a tracker-store wrapper, an event broker's publish, a task on
Rasa's event loop) shares the turn's process, event loop and database session, and the production
profile already has its own tracker store and broker. Here nothing runs in the turn at all: an SMTP
server that hangs, a webhook that answers 500, or a crash of this process cannot delay, block or
change what the client is told. What the watcher acts on is what was committed (the same approach
as the production profile's relay, bot/cluster/relay.py), so it survives restarts: its position in
the events table is stored (review_alert_position), and each alert is a row (review_alerts) tried
until it is sent or has failed for good, where the console shows it.

Every ALERT_POLL_S (2 s) it reads the events after its position:
- `utter_escalate_emergency` / `utter_escalate_emergency_ambulance` (an emergency referral) gives
  an emergency alert;
- `action_request_callback` with consent and a number set before it (`callback_consent` "yes",
  `callback_phone`) stores a call-back request (review_callbacks) and gives a call-back alert.
Each alert is one row per way configured (email, webhook); one sent fails without touching the
other. Retries back off from ALERT_BACKOFF_S (5 s) doubling up to ALERT_MAX_ATTEMPTS (8: about
10 minutes), then the row is `failed`. An alert names no client detail: only what happened, when,
and a link to the conversation in the review console (and to the call-back queue). Rows are
claimed with a conditional UPDATE, so two watchers never send the same row.
"""
import json
import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, inspect, or_, select, update
from sqlalchemy.engine import Connection, Engine

from bot.alerts import senders
from bot.alerts.config import AlertSettings
from bot.clinic_hours import load_hours
from bot.review.database import connect
from bot.review.schema import alert_position, alerts, callbacks, create_console_tables, events

logger = logging.getLogger("bot.alerts")

EMERGENCY_REFERRALS = ("utter_escalate_emergency", "utter_escalate_emergency_ambulance")
CALLBACK_ACTION = "action_request_callback"
LOOKBACK_S = 600.0  # a first start alerts on what happened in the last 10 minutes, not on history
BATCH = 500
# Ids are taken when a row is inserted but seen when its transaction commits, so a turn can become
# visible below the position already read (two writers committing out of order). Each poll reads
# this many ids back again; what was stored before is recognised by its event id and left alone...
OVERLAP_IDS = 200
OVERLAP_S = 60.0  # ... among the turns of the last minute (never old history)
LEASE_S = 60.0  # a row being sent by a watcher that died is taken again after this
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass
class Found:
    kind: str          # emergency | callback
    sender_id: str
    event_id: int
    at: float
    phone: Optional[str] = None


# --- reading the events ---------------------------------------------------------------------

def _position(connection: Connection, now: float) -> int:
    row = connection.execute(select(alert_position.c.event_id)
                             .where(alert_position.c.id == 1)).first()
    if row is not None:
        return row.event_id
    start = connection.execute(select(func.max(events.c.id)).where(
        events.c.timestamp < now - LOOKBACK_S)).scalar() or 0
    connection.execute(alert_position.insert().values(id=1, event_id=start))
    return start


def _slot_before(connection: Connection, sender_id: str, event_id: int,
                 name: str) -> Optional[str]:
    """A slot as set last before the event `event_id` of the conversation."""
    row = connection.execute(
        select(events.c.data).where(events.c.sender_id == sender_id, events.c.id < event_id,
                                    events.c.type_name == "slot", events.c.action_name == name)
        .order_by(events.c.id.desc()).limit(1)).first()
    return json.loads(row.data).get("value") if row else None


def _requested_phone(connection: Connection, sender_id: str, event_id: int) -> Optional[str]:
    """The number of a call-back request: only with the client's consent (a "no" also runs
    action_request_callback, which then clears the number after its own event)."""
    if _slot_before(connection, sender_id, event_id, "callback_consent") != "yes":
        return None
    return _slot_before(connection, sender_id, event_id, "callback_phone")


def read_new(connection: Connection, now: float) -> List[Found]:
    """What happened after the stored position, and OVERLAP_IDS before it (the position is moved
    past what was read)."""
    position = _position(connection, now)
    rows = connection.execute(
        select(events.c.id, events.c.sender_id, events.c.timestamp, events.c.action_name)
        .where(or_(events.c.id > position,
                   and_(events.c.id > position - OVERLAP_IDS,
                        events.c.timestamp >= now - OVERLAP_S)),
               events.c.type_name == "action",
               events.c.action_name.in_(EMERGENCY_REFERRALS + (CALLBACK_ACTION,)))
        .order_by(events.c.id).limit(BATCH + OVERLAP_IDS)).all()
    last = connection.execute(select(func.max(events.c.id))).scalar() or position
    if len(rows) == BATCH + OVERLAP_IDS:
        last = rows[-1].id
    found = []
    for row in rows:
        if row.action_name == CALLBACK_ACTION:
            phone = _requested_phone(connection, row.sender_id, row.id)
            if phone:
                found.append(Found("callback", row.sender_id, row.id, row.timestamp, phone))
        else:
            found.append(Found("emergency", row.sender_id, row.id, row.timestamp))
    if last > position:  # no write when nothing was added (SQLite: no lock taken every poll)
        connection.execute(update(alert_position).where(alert_position.c.id == 1)
                           .values(event_id=last))
    return found


def record(connection: Connection, found: List[Found], channels, now: float) -> List[Found]:
    """Store call-back requests and one alert row per way; a row stored before is left alone.
    The items that stored anything new."""
    hours = load_hours()
    new = []
    for item in found:
        stored = False
        if item.kind == "callback":
            stored |= _insert_once(connection, callbacks,
                sender_id=item.sender_id, source_event=item.event_id, requested_at=item.at,
                phone=item.phone,
                within_hours=hours.is_open(datetime.fromtimestamp(item.at, timezone.utc)))
        for channel in channels:
            stored |= _insert_once(connection, alerts,
                kind=item.kind, channel=channel, sender_id=item.sender_id,
                source_event=item.event_id, created_at=now, state=PENDING, attempts=0,
                next_attempt_at=now)
        if stored:
            new.append(item)
    return new


def _insert_once(connection: Connection, table, **values) -> bool:
    """Insert unless a row for the same event (and way) exists. Two watchers racing make one
    commit fail on the unique key; that scan is then rolled back whole and read again."""
    keys = [table.c.source_event == values["source_event"]]
    if "channel" in values:
        keys.append(table.c.channel == values["channel"])
    if connection.execute(select(table.c.id).where(*keys)).first() is not None:
        return False
    connection.execute(table.insert().values(**values))
    return True


def scan(engine: Engine, settings: AlertSettings, now: Optional[float] = None) -> int:
    """Read new events, store what they ask for; how many referrals/requests were new."""
    now = time.time() if now is None else now
    if not inspect(engine).has_table("events"):
        return 0  # the assistant has not stored anything yet
    with engine.begin() as connection:
        found = record(connection, read_new(connection, now), settings.channels(), now)
    for item in found:
        logger.info("%s (event %d): alert queued", item.kind, item.event_id)
    return len(found)


# --- sending --------------------------------------------------------------------------------

def conversation_key(connection: Connection, sender_id: str) -> Optional[int]:
    """The console's number of a conversation: the id of its first event."""
    return connection.execute(select(func.min(events.c.id))
                              .where(events.c.sender_id == sender_id)).scalar()


def message(kind: str, at: float, link: str, queue: str, zone: str) -> Dict[str, str]:
    """Subject and text of an alert: what happened, when, and links; nothing the client said."""
    when = datetime.fromtimestamp(at, ZoneInfo(zone)).strftime("%H:%M on %d %b %Y (%Z)")
    if kind == "emergency":
        return {"subject": "Emergency referral by the assistant",
                "text": f"The assistant sent a client to emergency care at {when}. "
                        f"Open the conversation in the review console: {link}"}
    return {"subject": "Call-back requested",
            "text": f"A client asked the clinic to call them back at {when}. The number is in "
                    f"the call-back queue: {queue} (conversation: {link})"}


def _claim(engine: Engine, now: float) -> List[dict]:
    """Due rows, each leased to this watcher by a conditional UPDATE."""
    with engine.begin() as connection:
        due = connection.execute(select(alerts).where(
            or_(and_(alerts.c.state == PENDING, alerts.c.next_attempt_at <= now),
                and_(alerts.c.state == SENDING, alerts.c.next_attempt_at <= now)))
            .order_by(alerts.c.id).limit(50)).mappings().all()
        taken = []
        for row in due:
            claimed = connection.execute(update(alerts).where(
                alerts.c.id == row["id"], alerts.c.state == row["state"],
                alerts.c.next_attempt_at == row["next_attempt_at"])
                .values(state=SENDING, next_attempt_at=now + LEASE_S)).rowcount
            if claimed:
                taken.append(dict(row, key=conversation_key(connection, row["sender_id"])))
        return taken


def _send_one(settings: AlertSettings, row: dict) -> None:
    link = f"{settings.console_url}/conversations/{row['key']}"
    text = message(row["kind"], row["created_at"], link, f"{settings.console_url}/callbacks",
                   settings.timezone)
    if row["channel"] == "email":
        senders.send_email(settings, text["subject"], text["text"])
    else:
        senders.send_webhook(settings, text["subject"] + ": " + text["text"])


def deliver(engine: Engine, settings: AlertSettings, now: Optional[float] = None,
            send: Callable[[AlertSettings, dict], None] = _send_one) -> int:
    """Send what is due; a failure is retried after a doubling backoff, then marked failed."""
    now = time.time() if now is None else now
    sent = 0
    for row in _claim(engine, now):
        attempts = row["attempts"] + 1
        try:
            send(settings, row)
        except Exception as error:  # any failure: recorded, retried
            final = attempts >= settings.max_attempts
            values = dict(attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:500],
                          state=FAILED if final else PENDING,
                          next_attempt_at=time.time() + settings.backoff_s * 2 ** (attempts - 1))
            logger.warning("alert %d (%s by %s) attempt %d failed: %s%s", row["id"], row["kind"],
                           row["channel"], attempts, type(error).__name__,
                           "; given up" if final else "")
        else:
            values = dict(attempts=attempts, state=SENT, sent_at=time.time(), last_error=None)
            sent += 1
            logger.info("alert %d (%s by %s) sent", row["id"], row["kind"], row["channel"])
        with engine.begin() as connection:
            connection.execute(update(alerts).where(alerts.c.id == row["id"]).values(**values))
    return sent


def run(engine: Engine, settings: AlertSettings, stop: threading.Event) -> None:
    """Scan and deliver every poll until `stop`; a database error waits and tries again."""
    logger.info("alert watcher: email %s, webhook %s", "on" if settings.email_on else "off",
                "on" if settings.webhook_on else "off")
    tables = False  # created once the database answers (it may not exist yet at start)
    while not stop.is_set():
        try:
            if not tables:
                create_console_tables(engine)
                tables = True
            scan(engine, settings)
            deliver(engine, settings)
        except Exception:
            logger.exception("alert watcher: will try again")
        stop.wait(settings.poll_s)


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    run(connect(), AlertSettings.load(), stop)
