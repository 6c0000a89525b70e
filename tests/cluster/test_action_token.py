"""The production profile's action servers answer only whoever holds ACTION_SERVER_TOKEN, and the
Rasa replicas send it (endpoints.cluster.yml): an action server of the profile's plan, called
without the token, then through Rasa's own action client configured by that file; and a turn
through the whole running profile."""
import asyncio
import secrets

import requests
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.bench.cluster import scratch_settings
from bot.cluster.stack import ENDPOINTS, plan
from bot.paths import ROOT
from bot.stack import stop_process
from tests.cluster.cluster_client import texts

CLINIC_PHONE = "020 7946 0018"  # settings/clinic.yml, said by action_clinic_contact


def contact_through_rasa(action_url: str) -> str:
    """What action_clinic_contact says when Rasa calls it as a replica does (endpoints.cluster.yml,
    the action server at `action_url`)."""
    endpoint = read_endpoint_config(str(ROOT / ENDPOINTS), "action_endpoint")
    endpoint.url = action_url
    domain = Domain.load(str(ROOT / "domain.yml"))
    events = [ActionExecuted("action_listen"), UserUttered("what's the clinic number")]
    tracker = DialogueStateTracker.from_events("c1", events, domain.slots)
    said = asyncio.run(RemoteAction("action_clinic_contact", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker,
        domain))
    return "\n".join(e.text or "" for e in said if isinstance(e, BotUttered))


def test_the_profiles_action_servers_answer_only_the_token(tmp_path, monkeypatch):
    token = secrets.token_urlsafe(32)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", token)
    settings = scratch_settings("clinic_test_actions", action_replicas=1, roles=("actions",))
    service, = plan(settings, tmp_path)
    for name in [*settings.rasa_env(), "ACTION_SERVER_TOKEN"]:  # what a replica's endpoints read
        monkeypatch.setenv(name, service.env[name])
    service.start()
    try:
        service.wait_ready()
        url = f"http://127.0.0.1:{settings.action_port}"
        for headers in ({}, {"Authorization": "Bearer " + secrets.token_urlsafe(32)}):
            assert requests.post(f"{url}/webhook", json={}, headers=headers,
                                 timeout=10).status_code == 401
            assert requests.get(f"{url}/actions", headers=headers, timeout=10).status_code == 401
        assert CLINIC_PHONE in contact_through_rasa(f"{url}/webhook")
    finally:
        stop_process(service.process)


def test_a_turn_that_needs_an_action_is_answered_through_the_token(client, cluster):
    sender = client.new_sender()
    replies, _ = client.turn(sender, "what's the clinic number")
    assert CLINIC_PHONE in texts(replies), replies
    proxy = f"http://127.0.0.1:{cluster.settings.action_proxy_port}"
    assert requests.post(f"{proxy}/webhook", json={}, timeout=10).status_code == 401
