"""Tables: Rasa's `events` (read; deleted by retention only) and the console's `review_*` tables.

The console never writes tracker events: reviews, notes, tags, assignments and corrections live in
its own tables in the same database, keyed by the conversation's sender id, each with who did it and
when.

Migrations: the console's schema only ever grows by new tables, which `create_console_tables`
creates on start (and every command) when they are missing; existing tables and their rows are left
as they are. A change to an existing table would need its own ALTER step here.
"""
from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Engine


def events_table(metadata: MetaData, *extra: Column) -> Table:
    """A table of the shape of Rasa's SQLTrackerStore `events` (plus `extra` columns)."""
    return Table(
        "events", metadata,
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False, index=True),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
        *extra,
    )


# Rasa's SQLTrackerStore table, as rasa 3.6 creates it (only described here: Rasa owns it).
TRACKER = MetaData()
events = events_table(TRACKER)

CONSOLE = MetaData()
users = Table(
    "review_users", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Float, nullable=False),
)
sessions = Table(
    "review_sessions", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("review_users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)
reviews = Table(
    "review_reviewed", CONSOLE,
    Column("sender_id", String(255), primary_key=True),
    Column("reviewed_by", String(64), nullable=False),
    Column("reviewed_at", Float, nullable=False),
)
notes = Table(
    "review_notes", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("author", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("text", Text, nullable=False),
)
tags = Table(
    "review_tags", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("tag", String(40), nullable=False),
    Column("author", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("sender_id", "tag"),
)
access_log = Table(
    "review_access_log", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False, index=True),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("sender_id", String(255), index=True),
    Column("detail", Text),
)
# Sign-in attempts counted per user name and per client address (bot.review.throttle): `key` is
# "account:<name>" or "address:<address>"; `attempts` in the window that began at `window_start`.
sign_in_attempts = Table(
    "review_sign_in_attempts", CONSOLE,
    Column("key", String(80), primary_key=True),
    Column("window_start", Float, nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
)
retention_log = Table(
    "review_retention_log", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("ran_at", Float, nullable=False),
    Column("run_by", String(64), nullable=False),
    Column("days", Integer, nullable=False),
    Column("cutoff", Float, nullable=False),
    Column("conversations", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    Column("console_rows", Integer, nullable=False),
)

# Who is to review a conversation (issue 17): one assignee at a time, set by anyone signed in.
assignments = Table(
    "review_assignments", CONSOLE,
    Column("sender_id", String(255), primary_key=True),
    Column("assignee", String(64), nullable=False),
    Column("assigned_by", String(64), nullable=False),
    Column("assigned_at", Float, nullable=False),
)
# What staff say the assistant should have understood in one client message (`event_id`, the row of
# Rasa's `events` holding it): `kind` "intent" (value: the right intent; one per message),
# "missed_flag" or "wrong_flag" (value: a red-flag code). `make export-reviews` turns them into NLU
# examples and vignettes (bot.review.teach).
corrections = Table(
    "review_corrections", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("event_id", Integer, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("value", String(64), nullable=False),
    Column("author", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("event_id", "kind", "value"),
)
# Call-back requests (issue 17), stored by `python -m bot.alerts` from the conversation's events
# (the event id of action_request_callback is `source_event`): the number as the client gave it,
# shown only here; staff mark a request done.
callbacks = Table(
    "review_callbacks", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("source_event", Integer, nullable=False, unique=True),
    Column("requested_at", Float, nullable=False),
    Column("phone", String(32), nullable=False),
    Column("within_hours", Boolean, nullable=False),  # what the client was told: within N hours
    Column("done_by", String(64)),
    Column("done_at", Float),
)
# Alerts to the clinic (bot/alerts/): one row per alert and way (email, webhook), with its tries.
alerts = Table(
    "review_alerts", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),      # emergency | callback
    Column("channel", String(16), nullable=False),   # email | webhook
    Column("sender_id", String(255), nullable=False, index=True),
    Column("source_event", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("state", String(16), nullable=False, index=True),  # pending | sending | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Float, nullable=False),
    Column("sent_at", Float),
    Column("last_error", Text),
    UniqueConstraint("source_event", "channel"),
)
# Where the alert watcher has read the events table up to (one row, id 1).
alert_position = Table(
    "review_alert_position", CONSOLE,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, nullable=False),
)

# The console's tables that hold rows about one conversation (retention deletes them with it).
PER_CONVERSATION = (reviews, notes, tags, assignments, corrections, access_log, callbacks, alerts)


def create_console_tables(engine: Engine) -> None:
    """Create the review_* tables that do not exist yet (Rasa creates `events` itself)."""
    CONSOLE.create_all(engine)
