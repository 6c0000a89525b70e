"""Staff accounts and their sessions.

Passwords are hashed with Argon2id (argon2-cffi). Roles: `staff` reviews conversations; `lead` may
also reveal what masking hides (the `reveal_pii` permission); `admin` (whoever maintains the
assistant) may also see the intent the assistant's NLU gave each client message (`see_intents`):
an intent name is a developer's guess, and next to a client's emergency message ("confirm_safe")
it misleads whoever reads it as a clinical judgement. A session is a random token kept in a
cookie, stored only as its SHA-256; it ends after REVIEW_SESSION_IDLE_MINUTES without a request,
REVIEW_SESSION_MAX_HOURS after sign-in, or at sign-out. How many passwords may be tried is
bot.review.throttle's business, before `authenticate` is called.
"""
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, List, Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Engine

from bot.review.config import Settings
from bot.review.schema import sessions, users

ROLES = {"staff": frozenset(), "lead": frozenset({"reveal_pii"}),
         "admin": frozenset({"reveal_pii", "see_intents"})}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str

    @property
    def permissions(self) -> FrozenSet[str]:
        return ROLES[self.role]

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def _check(username: str, password: Optional[str] = None, role: Optional[str] = None) -> None:
    if not USERNAME.match(username):
        raise ValueError("a user name has 2 to 64 lower-case letters, digits, '.', '_' or '-'")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")


def add_user(engine: Engine, username: str, password: str, role: str) -> None:
    _check(username, password, role)
    with engine.begin() as connection:
        if connection.execute(select(users.c.id).where(users.c.username == username)).first():
            raise ValueError(f"user {username!r} exists already")
        connection.execute(insert(users).values(
            username=username, password_hash=_hasher.hash(password), role=role, active=True,
            created_at=time.time()))


def _update_user(engine: Engine, username: str, **values) -> None:
    with engine.begin() as connection:
        found = connection.execute(
            update(users).where(users.c.username == username).values(**values))
        if not found.rowcount:
            raise ValueError(f"no user {username!r}")
        if values.get("active") is False or "password_hash" in values:  # signed out everywhere
            user_ids = select(users.c.id).where(users.c.username == username).scalar_subquery()
            connection.execute(delete(sessions).where(sessions.c.user_id == user_ids))


def set_password(engine: Engine, username: str, password: str) -> None:
    _check(username, password)
    _update_user(engine, username, password_hash=_hasher.hash(password))


def set_role(engine: Engine, username: str, role: str) -> None:
    _check(username, role=role)
    _update_user(engine, username, role=role)


def set_active(engine: Engine, username: str, active: bool) -> None:
    _update_user(engine, username, active=active)


def list_users(engine: Engine) -> List[dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(users.c.username, users.c.role, users.c.active,
                                         users.c.created_at).order_by(users.c.username))
        return [dict(row._mapping) for row in rows]


def active_usernames(engine: Engine) -> List[str]:
    """Who can be given a conversation to review."""
    with engine.connect() as connection:
        return list(connection.execute(select(users.c.username).where(users.c.active.is_(True))
                                       .order_by(users.c.username)).scalars())


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def authenticate(engine: Engine, username: str, password: str) -> Optional[User]:
    """The active user with this name and password, or None (taking as long either way)."""
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == username,
                                                     users.c.active.is_(True))).first()
    try:
        _hasher.verify(row.password_hash if row else _decoy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if not row:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        _update_user(engine, username, password_hash=_hasher.hash(password))
    return User(row.id, row.username, row.role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, user: User) -> str:
    """A new session for `user`; returns the token for the cookie."""
    token, now = secrets.token_urlsafe(32), time.time()
    with engine.begin() as connection:
        connection.execute(insert(sessions).values(token_hash=_digest(token), user_id=user.id,
                                                   csrf_token=secrets.token_urlsafe(32),
                                                   created_at=now, last_seen=now))
    return token


def session_user(engine: Engine, token: str, settings: Settings) -> Optional[Tuple[User, str]]:
    """The signed-in user and the session's CSRF token, or None if the session is unknown or over.
    Over sessions (of anyone) are deleted on the way; a live one is kept alive."""
    now = time.time()
    idle_since, started_since = now - settings.idle_minutes * 60, now - settings.max_hours * 3600
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(or_(sessions.c.last_seen < idle_since,
                                                      sessions.c.created_at < started_since)))
        row = connection.execute(
            select(users.c.id, users.c.username, users.c.role, sessions.c.csrf_token)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == _digest(token), users.c.active.is_(True))).first()
        if not row:
            return None
        connection.execute(update(sessions).where(sessions.c.token_hash == _digest(token))
                           .values(last_seen=now))
    return User(row.id, row.username, row.role), row.csrf_token


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))
