"""Fixtures for the review console's tests: a seeded clinic database (SQLite, written by Rasa's own
tracker store), a console server on it, and signed-in clients for a staff member and a lead."""
import time
from typing import Iterator

import pytest
from review_seed import clinic, save, tracker_store
from review_support import Console, add_users, running_console, sqlite_url
from sqlalchemy.engine import Engine

from bot.review.database import connect
from bot.review.schema import create_console_tables


@pytest.fixture(scope="session")
def now() -> float:
    return time.time()


@pytest.fixture(scope="session")
def clinic_url(tmp_path_factory, now) -> str:
    """SQLite with the clinic's conversations and the accounts sam (staff) and lena (lead)."""
    url = sqlite_url(tmp_path_factory.mktemp("clinic") / "tracker.db")
    save(tracker_store(url), clinic(now))
    add_users(url)
    return url


@pytest.fixture(scope="session")
def clinic_engine(clinic_url) -> Engine:
    engine = connect(clinic_url)
    create_console_tables(engine)
    return engine


@pytest.fixture(scope="session")
def console_url(clinic_url, tmp_path_factory) -> Iterator[str]:
    with running_console(clinic_url, tmp_path_factory.mktemp("console") / "console.log") as url:
        yield url


@pytest.fixture
def anonymous(console_url) -> Console:
    return Console(console_url)


@pytest.fixture
def staff(console_url) -> Console:
    client = Console(console_url)
    assert client.sign_in("sam").status_code == 303
    return client


@pytest.fixture
def lead(console_url) -> Console:
    client = Console(console_url)
    assert client.sign_in("lena").status_code == 303
    return client
