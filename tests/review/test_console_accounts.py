"""Accounts, password hashing and sessions (bot.review.accounts) and the users command."""
import subprocess
import sys
import time

import pytest
from review_support import console_env
from sqlalchemy import select, update

from bot.paths import ROOT
from bot.review import accounts
from bot.review.config import Settings
from bot.review.database import connect
from bot.review.schema import create_console_tables, sessions, users

PASSWORD = "a long enough password"
SETTINGS = Settings(idle_minutes=30, max_hours=8)


@pytest.fixture
def engine(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'accounts.db'}")
    create_console_tables(engine)
    accounts.add_user(engine, "nurse", PASSWORD, "staff")
    return engine


def test_passwords_are_stored_as_argon2id_hashes(engine):
    with engine.connect() as connection:
        stored = connection.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_authentication(engine):
    assert accounts.authenticate(engine, "nurse", PASSWORD).role == "staff"
    assert accounts.authenticate(engine, "nurse", PASSWORD + "x") is None
    assert accounts.authenticate(engine, "nobody", PASSWORD) is None
    accounts.set_active(engine, "nurse", False)
    assert accounts.authenticate(engine, "nurse", PASSWORD) is None


@pytest.mark.parametrize("name, password, role", [
    ("nurse", PASSWORD, "staff"), ("Bad Name", PASSWORD, "staff"), ("ok", "short", "staff"),
    ("ok", PASSWORD, "superuser")])
def test_bad_accounts_are_refused(engine, name, password, role):
    with pytest.raises(ValueError):
        accounts.add_user(engine, name, password, role)


def test_only_leads_may_reveal(engine):
    accounts.add_user(engine, "lead", PASSWORD, "lead")
    assert accounts.authenticate(engine, "lead", PASSWORD).can("reveal_pii")
    assert not accounts.authenticate(engine, "nurse", PASSWORD).can("reveal_pii")


def age_session(engine, **values):
    with engine.begin() as connection:
        connection.execute(update(sessions).values(**values))


def test_sessions_end_when_idle(engine):
    token = accounts.start_session(engine, accounts.authenticate(engine, "nurse", PASSWORD))
    user, csrf = accounts.session_user(engine, token, SETTINGS)
    assert user.username == "nurse" and len(csrf) > 30
    assert accounts.session_user(engine, "forged", SETTINGS) is None
    age_session(engine, last_seen=time.time() - 31 * 60)
    assert accounts.session_user(engine, token, SETTINGS) is None


def test_sessions_end_after_the_maximum_even_when_busy(engine):
    token = accounts.start_session(engine, accounts.authenticate(engine, "nurse", PASSWORD))
    age_session(engine, created_at=time.time() - 8 * 3600 - 1)
    assert accounts.session_user(engine, token, SETTINGS) is None


def test_a_new_password_or_disabling_ends_sessions(engine):
    user = accounts.authenticate(engine, "nurse", PASSWORD)
    token = accounts.start_session(engine, user)
    accounts.set_password(engine, "nurse", PASSWORD + "!")
    assert accounts.session_user(engine, token, SETTINGS) is None
    token = accounts.start_session(engine, user)
    accounts.set_active(engine, "nurse", False)
    assert accounts.session_user(engine, token, SETTINGS) is None


def users_command(tmp_path, *args, password=PASSWORD):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    return subprocess.run([sys.executable, "-m", "bot.review.users", *args], input=password + "\n",
                          text=True, capture_output=True, cwd=ROOT, env=console_env(url))


def test_users_command(tmp_path):
    assert users_command(tmp_path, "add", "nurse", "--role", "staff").returncode == 0
    duplicate = users_command(tmp_path, "add", "nurse", "--role", "lead")
    assert duplicate.returncode == 1 and "exists already" in duplicate.stderr
    short = users_command(tmp_path, "add", "other", "--role", "staff", password="short")
    assert short.returncode == 1 and "at least 12" in short.stderr
    assert users_command(tmp_path, "role", "nurse", "lead").returncode == 0
    assert users_command(tmp_path, "disable", "nurse").returncode == 0
    listed = users_command(tmp_path, "list").stdout
    assert listed.startswith("nurse\tlead\tdisabled\t")
    engine = connect(f"sqlite:///{tmp_path / 'cli.db'}")
    assert accounts.authenticate(engine, "nurse", PASSWORD) is None
    assert users_command(tmp_path, "enable", "nurse").returncode == 0
    assert accounts.authenticate(engine, "nurse", PASSWORD).role == "lead"
