"""bot.remote_action_fallback: a custom action that cannot reach the action server, or waits for it
beyond the turn's budget (ACTION_TIMEOUT_S), tells the client so."""
import asyncio

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.constants import DEFAULT_LOCK_LIFETIME
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches, remote_action_fallback
from bot.paths import ROOT
from bot.stack import free_port

rasa_patches.install("action_fallback")  # as the server does (bot/cli/rasa_server.py)
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


def test_a_form_answer_that_cannot_be_validated_is_told_so_and_asked_again():
    """Rasa drops a failed validation's events: the answer got no reply at all (make test-chaos)."""
    said, cleared = run("validate_assessment_form", [SlotSet("requested_slot", "spasm_onset")])
    assert isinstance(said, BotUttered) and "try again" in said.text
    assert cleared == SlotSet("spasm_onset", None)  # the form asks for it again
    # no slot asked for yet (the form only starting): left to Rasa, which drops the form, so no
    # question is asked whose answer could not be read (tests/e2e/test_fail_safe.py)
    with pytest.raises(RasaException, match="Failed to execute custom action"):
        run("validate_assessment_form")


def test_a_rejection_still_reaches_the_form(monkeypatch):
    async def reject(*_):
        raise ActionExecutionRejection("action_answer_question")

    monkeypatch.setattr(remote_action_fallback, "_run_remote", reject)
    with pytest.raises(ActionExecutionRejection):
        run("action_answer_question")


# --- the turn's budget for the action server (ACTION_TIMEOUT_S) ------------------------------------

def test_the_budget_is_a_few_seconds_unless_configured():
    assert remote_action_fallback.configured_budget({}) == remote_action_fallback.DEFAULT_BUDGET_S
    assert remote_action_fallback.configured_budget({"ACTION_TIMEOUT_S": " "}) == \
        remote_action_fallback.DEFAULT_BUDGET_S
    assert remote_action_fallback.configured_budget({"ACTION_TIMEOUT_S": "2.5"}) == 2.5
    # a turn stuck on the action server ends long before clients (60 s) or Rasa's lock give up
    assert remote_action_fallback.DEFAULT_BUDGET_S <= DEFAULT_LOCK_LIFETIME / 4


@pytest.mark.parametrize("value", ["five", "0", "-1", "inf", "nan"])
def test_a_wrong_budget_stops_the_server_instead_of_waiting_minutes(value):
    with pytest.raises(ValueError, match="ACTION_TIMEOUT_S"):
        remote_action_fallback.configured_budget({"ACTION_TIMEOUT_S": value})


def test_the_budget_counts_from_the_clients_message():
    asked = UserUttered("should I use heat or ice?", timestamp=1000.0)
    turn = [ActionExecuted("action_listen"), asked, ActionExecuted("action_answer_question")]
    assert remote_action_fallback.time_left(turn, 5.0, now=1002.0) == 3.0
    assert remote_action_fallback.time_left(turn, 5.0, now=1009.0) == 0.0
    assert remote_action_fallback.time_left(turn, 5.0, now=990.0) == 5.0  # clock set back
    # outside a client's turn (an action run through the HTTP API): the whole budget
    assert remote_action_fallback.time_left([*turn, ActionExecuted("action_listen")], 5.0,
                                            now=2000.0) == 5.0
    assert remote_action_fallback.time_left([], 5.0) == 5.0


class _HungActionServer:
    """Accepts connections and never answers: the action server that kept turns waiting 5 minutes."""

    def __init__(self) -> None:
        self.connections = 0

    async def __aenter__(self) -> EndpointConfig:
        async def never_answer(reader, _writer):
            self.connections += 1
            await reader.read()  # until Rasa hangs up

        self.server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return EndpointConfig(f"http://127.0.0.1:{port}/webhook")

    async def __aexit__(self, *_) -> None:
        self.server.close()


def _in_one_turn(hung: _HungActionServer, budget_s: float, monkeypatch, *names: str):
    """Runs the custom actions `names` one after another in one client turn against a hung action
    server, as the processor does (each sees the events of those before); returns each one's
    outcome: its events, or the exception it raised."""
    monkeypatch.setattr(remote_action_fallback, "_budget_s", budget_s)

    async def turn():
        events = [ActionExecuted("action_listen"), UserUttered("I have a muscle spasm")]
        outcomes = []
        async with hung as endpoint:
            for name in names:
                tracker = DialogueStateTracker.from_events("c1", events, DOMAIN.slots)
                try:
                    said = await RemoteAction(name, endpoint).run(
                        CollectingOutputChannel(),
                        TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN)
                except Exception as error:  # noqa: BLE001 - Rasa's processor would log it
                    said = error
                outcomes.append(said)
                events += [ActionExecuted(name), *([] if isinstance(said, Exception) else said)]
        return outcomes

    # a generous bound, far below the 300 s Rasa waits on its own
    return asyncio.run(asyncio.wait_for(turn(), 30))


def test_a_hung_action_server_is_given_up_on_and_the_client_told(monkeypatch):
    hung = _HungActionServer()
    (said,) = _in_one_turn(hung, 0.5, monkeypatch, "action_answer_question")
    assert [event.text for event in said] == \
        [DOMAIN.responses[remote_action_fallback.UNAVAILABLE][0]["text"]]
    assert hung.connections == 1


def test_the_actions_of_one_turn_share_the_budget_so_their_timeouts_cannot_add_up(monkeypatch):
    # starting the assessment: action_start_assessment, the form's validation, personal advice
    hung = _HungActionServer()
    started, validated, advised = _in_one_turn(
        hung, 0.5, monkeypatch, "action_start_assessment", "validate_assessment_form",
        "action_personal_advice")
    assert hung.connections == 1, "a call was made after the turn's budget was spent"
    assert [event.metadata["utter_action"] for event in started] == [remote_action_fallback.UNAVAILABLE]
    assert advised == []  # not called (hung.connections), and told once already
    assert isinstance(validated, Exception)  # the form only starting: left to Rasa, not called
