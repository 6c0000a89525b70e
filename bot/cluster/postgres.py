"""PostgreSQL databases of the production profile, created on first start."""
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError


def ensure_database(url: URL) -> None:
    """Create the database of `url` if it does not exist (needs the right to create databases)."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": url.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()


def drop_database(url: URL) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def table_exists(url: URL, table: str) -> bool:
    engine = create_engine(url, future=True)
    try:
        return inspect(engine).has_table(table)
    except OperationalError:  # no such database yet
        return False
    finally:
        engine.dispose()
