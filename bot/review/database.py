"""Where conversations are stored, for the assistant (bot/stack.py) and the review console alike.

SQLite by default: the file named by TRACKER_DB (default var/tracker.db). PostgreSQL, the
production profile, when TRACKER_STORE=postgres: from TRACKER_DB_URL
(postgresql://user:password@host:port/db) or else from TRACKER_DB_HOST, TRACKER_DB_PORT,
TRACKER_DB_NAME, TRACKER_DB_USER and TRACKER_DB_PASSWORD.
"""
import os
from typing import Dict, Mapping, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url

from bot.paths import ROOT

DEFAULT_SQLITE = ROOT / "var" / "tracker.db"
STORES = ("sqlite", "postgres")


def uses_postgres(env: Optional[Mapping[str, str]] = None) -> bool:
    env = os.environ if env is None else env
    store = env.get("TRACKER_STORE", "sqlite").strip().lower() or "sqlite"
    if store not in STORES:
        raise ValueError(f"TRACKER_STORE must be one of {STORES}, not {store!r}")
    return store == "postgres"


def postgres_url(env: Optional[Mapping[str, str]] = None) -> URL:
    env = os.environ if env is None else env
    if env.get("TRACKER_DB_URL"):
        url = make_url(env["TRACKER_DB_URL"])
        if url.get_backend_name() != "postgresql":
            raise ValueError("TRACKER_DB_URL must be a postgresql:// URL")
        return url
    return URL.create(
        "postgresql",
        username=env.get("TRACKER_DB_USER") or "postgres",
        password=env.get("TRACKER_DB_PASSWORD") or None,
        host=env.get("TRACKER_DB_HOST") or "127.0.0.1",
        port=int(env.get("TRACKER_DB_PORT") or 5432),
        database=env.get("TRACKER_DB_NAME") or "rasa",
    )


def database_url(env: Optional[Mapping[str, str]] = None) -> URL:
    """The tracker store's SQLAlchemy URL; the console keeps its own tables in the same database."""
    env = os.environ if env is None else env
    if uses_postgres(env):
        return postgres_url(env)
    return URL.create("sqlite", database=env.get("TRACKER_DB") or str(DEFAULT_SQLITE))


def endpoints_file(env: Optional[Mapping[str, str]] = None) -> str:
    """The endpoints file the Rasa server is started with."""
    return "endpoints.postgres.yml" if uses_postgres(env) else "endpoints.yml"


def tracker_store_env(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The variables endpoints.postgres.yml reads (none for SQLite, which reads TRACKER_DB)."""
    if not uses_postgres(env):
        return {}
    url = postgres_url(env)
    return {
        "TRACKER_DB_HOST": url.host or "127.0.0.1",
        "TRACKER_DB_PORT": str(url.port or 5432),
        "TRACKER_DB_NAME": url.database or "rasa",
        "TRACKER_DB_USER": url.username or "postgres",
        "TRACKER_DB_PASSWORD": url.password or "",
    }


def connect(url: Optional[URL] = None) -> Engine:
    """An engine on the tracker store's database (SQLAlchemy 1.4, 2.0-style API)."""
    return create_engine(url or database_url(), future=True, pool_pre_ping=True)
