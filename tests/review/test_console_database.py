"""Choosing the tracker store: SQLite by default, PostgreSQL with TRACKER_STORE=postgres."""
import pytest

from bot.review.database import database_url, endpoints_file, tracker_store_env


def test_sqlite_by_default():
    env = {"TRACKER_DB": "/data/tracker.db"}
    assert str(database_url(env)) == "sqlite:////data/tracker.db"
    assert endpoints_file(env) == "endpoints.yml" and tracker_store_env(env) == {}
    assert database_url({}).database.endswith("var/tracker.db")


def test_postgres_from_a_url():
    env = {"TRACKER_STORE": "postgres", "TRACKER_DB_URL": "postgresql://bot:s3cr%40t@db.local:6543/rasa"}
    assert endpoints_file(env) == "endpoints.postgres.yml"
    assert tracker_store_env(env) == {
        "TRACKER_DB_HOST": "db.local", "TRACKER_DB_PORT": "6543", "TRACKER_DB_NAME": "rasa",
        "TRACKER_DB_USER": "bot", "TRACKER_DB_PASSWORD": "s3cr@t"}
    assert database_url(env).render_as_string(hide_password=False) == env["TRACKER_DB_URL"]


def test_postgres_from_parts_with_defaults():
    env = {"TRACKER_STORE": "postgres", "TRACKER_DB_NAME": "clinic"}
    assert tracker_store_env(env) == {
        "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": "clinic",
        "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": ""}


@pytest.mark.parametrize("env", [{"TRACKER_STORE": "mongo"},
                                 {"TRACKER_STORE": "postgres", "TRACKER_DB_URL": "mysql://x/y"}])
def test_wrong_settings_are_refused(env):
    with pytest.raises(ValueError):
        database_url(env)
