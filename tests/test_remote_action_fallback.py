"""bot.remote_action_fallback: a custom action that cannot reach the action server tells the client so."""
import asyncio

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import bot.policies  # noqa: F401 - installs the fallback, as loading the model does
from bot import remote_action_fallback
from bot.paths import ROOT
from bot.stack import free_port

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
NOBODY = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")  # nothing listens there


def run(action_name: str, events=()):
    tracker = DialogueStateTracker.from_events(
        "c1", [ActionExecuted("action_listen"), UserUttered("should I use heat or ice?"), *events],
        DOMAIN.slots)
    action = RemoteAction(action_name, NOBODY)
    return asyncio.run(action.run(CollectingOutputChannel(),
                                  TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN))


def test_installed():
    assert RemoteAction.run is remote_action_fallback._run_or_say_unavailable


def test_an_unreachable_action_server_gives_the_client_a_reply_from_the_domain():
    (said,) = run("action_answer_question")
    assert isinstance(said, BotUttered)
    assert said.text == DOMAIN.responses[remote_action_fallback.UNAVAILABLE][0]["text"]
    assert "try again" in said.text and "worrying symptom" in said.text


def test_it_is_said_once_a_turn():
    (first,) = run("action_start_assessment")
    assert run("action_answer_question", [ActionExecuted("action_start_assessment"), first]) == []


def test_a_form_validation_failure_is_left_to_rasa():
    with pytest.raises(Exception, match="Failed to execute custom action|Couldn't connect"):
        run("validate_assessment_form")


def test_a_rejection_still_reaches_the_form(monkeypatch):
    async def reject(*_):
        raise ActionExecutionRejection("action_answer_question")

    monkeypatch.setattr(remote_action_fallback, "_run_remote", reject)
    with pytest.raises(ActionExecutionRejection):
        run("action_answer_question")
