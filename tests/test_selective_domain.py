"""Selective domain: an action call carries the domain only to the actions that read it (the forms'
validations, for their required slots), with every endpoints file the assistant runs with."""
import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.paths import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
NEEDS_DOMAIN = {"validate_assessment_form", "validate_callback_form"}


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.postgres.yml", "endpoints.cluster.yml"])
def test_only_the_form_validation_gets_the_domain(endpoints):
    action_endpoint = EndpointConfig.from_dict(
        yaml.safe_load((ROOT / endpoints).read_text())["action_endpoint"])
    tracker = DialogueStateTracker.from_events(
        "c1", [ActionExecuted("action_listen"), UserUttered("my calf cramps at night")], DOMAIN.slots)
    sent = {name: "domain" in RemoteAction(name, action_endpoint)._action_call_format(tracker, DOMAIN)
            for name in DOMAIN.user_actions}
    assert len(sent) >= 6
    assert {name for name, with_domain in sent.items() if with_domain} == NEEDS_DOMAIN
