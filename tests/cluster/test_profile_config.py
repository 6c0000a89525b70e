"""The production profile's configuration: settings from the environment, the nginx config, the
consumer's reading of broker messages, the REST channel's stored turns (no servers needed)."""
import json
import time

import pytest
import yaml
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.rest import CLIENT_ID_KEY, replies_of, stored_turn
from bot.cluster.consumer import event_rows
from bot.cluster.nginx import render_config, write_config
from bot.cluster.settings import ClusterSettings
from bot.cluster.stack import plan


def test_settings_from_the_environment_round_trip():
    env = {"CLUSTER_PORT": "9000", "CLUSTER_REPLICAS": "3", "CLUSTER_ROLES": "rasa,actions",
           "REDIS_URL": "redis://:s3cret@redis.internal:6380/4",
           "RABBITMQ_URL": "amqp://clinic:p%40ss@mq.internal:5673/", "RABBITMQ_EXCHANGE": "clinic_a",
           "TRACKER_DB_URL": "postgresql://bot:pw@db.internal:5433/tracker"}
    settings = ClusterSettings.from_env(env)
    assert settings.replicas == 3 and settings.roles == ("rasa", "actions")
    assert ClusterSettings.from_env(settings.as_env()) == settings
    rasa = settings.rasa_env()
    assert (rasa["REDIS_HOST"], rasa["REDIS_PORT"], rasa["REDIS_DB"], rasa["REDIS_PASSWORD"]) == \
        ("redis.internal", "6380", "4", "s3cret")
    assert not [name for name in rasa if name.startswith("RABBITMQ")]  # the relay publishes
    assert (settings.rabbitmq_url, settings.rabbitmq_exchange) == \
        ("amqp://clinic:p%40ss@mq.internal:5673/", "clinic_a")
    assert (rasa["TRACKER_DB_HOST"], rasa["TRACKER_DB_PORT"], rasa["TRACKER_DB_NAME"]) == \
        ("db.internal", "5433", "tracker")
    assert settings.rasa_addresses() == ["127.0.0.1:5011", "127.0.0.1:5012", "127.0.0.1:5013"]


def test_unknown_role_is_refused():
    with pytest.raises(ValueError, match="CLUSTER_ROLES"):
        ClusterSettings.from_env({"CLUSTER_ROLES": "rasa,database"})


def test_nginx_config_balances_replicas_and_sticks_socketio(tmp_path):
    settings = ClusterSettings.from_env({"RASA_UPSTREAMS": "10.0.0.11:5011,10.0.0.12:5011"})
    config = render_config(settings, tmp_path, tmp_path)
    assert config.count("server 10.0.0.11:5011") == 2 and config.count("server 10.0.0.12:5011") == 2
    assert "hash $sticky_key consistent" in config and "default $arg_route" in config
    assert '"~(^|[ ,])10\\.0\\.0\\.12:5011$" rasa-2;' in config  # X-Replica names, not addresses
    assert "proxy_next_upstream error http_502 http_503 non_idempotent" in config
    assert write_config(settings, tmp_path / "run", tmp_path / "log").is_file()  # nginx -t accepts it


def test_consumer_reads_turns_and_single_events():
    turn = {"sender_id": "c1", "events": [
        {"event": "user", "timestamp": 1.5, "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "slot", "timestamp": 1.6, "name": "triage_level", "value": "self_care"}]}
    rows = event_rows(json.dumps(turn).encode())
    assert [(r["sender_id"], r["type_name"], r["intent_name"], r["action_name"]) for r in rows] == \
        [("c1", "user", "greet", None), ("c1", "slot", None, "triage_level")]
    assert "sender_id" not in json.loads(rows[0]["data"])
    single = event_rows(json.dumps({"sender_id": "c1", **turn["events"][1]}).encode())
    assert single[0]["event_hash"] == rows[1]["event_hash"]  # the same event, stored once
    other = {"sender_id": "c2", "events": turn["events"][:1]}
    relayed = event_rows(json.dumps({"turns": [turn, {"sender_id": None}, other]}).encode())
    assert [(r["sender_id"], r["type_name"]) for r in relayed] == [("c1", "user"), ("c1", "slot"),
                                                                   ("c2", "user")]
    assert relayed[:2] == rows
    for junk in (b"", b"not json", b"[]", b'{"events": []}', b'{"sender_id": "c1", "events": [1]}',
                 b'{"turns": 5}', b'{"turns": [1, "x"]}', b'{"sender_id": "c1", "events": "x"}'):
        assert event_rows(junk) == []


def test_a_stored_turn_is_found_by_its_message_id():
    now = time.time()
    events = [UserUttered("first", metadata={CLIENT_ID_KEY: "m1"}, timestamp=now),
              BotUttered("one", {"buttons": [{"title": "A", "payload": "a"}]}, timestamp=now),
              ActionExecuted("action_listen", timestamp=now),
              UserUttered("second", metadata={CLIENT_ID_KEY: "m2"}, timestamp=now),
              SlotSet("triage_level", "self_care", timestamp=now), BotUttered("two", timestamp=now)]
    turn = stored_turn(events, "m2")
    assert [type(e).__name__ for e in turn] == ["UserUttered", "SlotSet", "BotUttered"]
    assert replies_of(stored_turn(events, "m1"), "c1") == [
        {"recipient_id": "c1", "text": "one", "buttons": [{"title": "A", "payload": "a"}]}]
    assert stored_turn(events, "m3") is None


def _served_channels(settings: ClusterSettings, run_dir) -> dict:
    """The channels a Rasa replica of the plan would serve, and the REST token it would read."""
    replica = next(s for s in plan(settings, run_dir / "log") if s.name == "rasa-1")
    credentials = replica.command[replica.command.index("--credentials") + 1]
    return {"channels": set(yaml.safe_load(open(credentials, encoding="utf-8"))),
            "token": replica.env.get("REST_TOKEN")}


def test_production_profile_serves_rest_only_behind_a_token_or_when_asked(tmp_path):
    rest = "bot.channels.rest.ClinicRestInput"
    widget = "bot.channels.secure_socketio.SecureSocketIOInput"
    default = _served_channels(ClusterSettings.from_env({"CLUSTER_ROLES": "rasa"}), tmp_path / "a")
    assert widget in default["channels"] and rest not in default["channels"]
    token = "t" * 32
    with_token = ClusterSettings.from_env({"CLUSTER_ROLES": "rasa", "REST_TOKEN": token})
    behind = _served_channels(with_token, tmp_path / "b")
    assert rest in behind["channels"] and behind["token"] == token
    assert token not in repr(with_token)  # settings get printed; the token is a secret
    asked = ClusterSettings.from_env({"CLUSTER_ROLES": "rasa", "CLUSTER_OPEN_REST": "1"})
    assert rest in _served_channels(asked, tmp_path / "c")["channels"]
    assert ClusterSettings.from_env(asked.as_env()) == asked
