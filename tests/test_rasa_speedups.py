"""bot.rasa_speedups changes how fast, never what: the same verdicts and the same intents as Rasa's code."""
import jsonschema
import numpy as np
import pytest
from rasa.core.actions.action import RemoteAction
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from bot import rasa_patches, rasa_speedups

rasa_patches.install("speedups")  # as the server does (bot/cli/rasa_server.py)

RESPONSES = [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {"events": [{"event": "nope"}]},
    {"events": [{"event": "slot", "timestamp": "yesterday", "name": "x"}]},
    {"responses": "not a list"},
]


@pytest.mark.parametrize("response", RESPONSES)
def test_action_responses_get_the_same_verdict(response):
    schema = RemoteAction.action_response_format_spec()
    try:
        jsonschema.validate(response, schema)
        expected = True
    except jsonschema.ValidationError:
        expected = False
    if expected:
        assert RemoteAction._validate_action_result(None, response) is True
    else:
        with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
            RemoteAction._validate_action_result(None, response)


def test_installed():
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result


def test_fortran_coefficients_give_the_same_probabilities():
    rng = np.random.default_rng(0)
    X = sparse_random(200, 3000, density=0.01, format="csr", random_state=1)
    y = rng.integers(0, 5, 200)
    clf = LogisticRegression(max_iter=200).fit(X, y)
    before = clf.predict_proba(X[:20])
    clf.coef_ = np.asfortranarray(clf.coef_)
    assert np.allclose(before, clf.predict_proba(X[:20]))


@pytest.fixture(scope="module")
def agent():
    """The trained model, loaded as the Rasa server loads it."""
    from rasa.core.agent import Agent

    from bot.paths import ROOT

    return Agent.load(str(ROOT / "models" / "assistant.tar.gz"))


TEXTS = ["hi", "my calf keeps cramping at night", "should I use heat or ice?",
         "my calf is red swollen and hot", "asdfgh", "I want to end it all", "7 out of 10"]


def both_runs(runner, inputs, target):
    """The graph run as installed, and as Rasa runs it with dask; fresh inputs for each."""
    return (runner.run(inputs=inputs(), targets=[target])[target],
            rasa_speedups._run_with_dask(runner, inputs(), [target])[target])


@pytest.mark.parametrize("text", TEXTS)
def test_the_nlu_graph_gives_what_dask_gives(agent, text):
    from rasa.core.channels import UserMessage

    processor = agent.processor
    ours, theirs = both_runs(processor.graph_runner, lambda: {"__message__": [UserMessage(text)]},
                             processor.model_metadata.nlu_target)
    def output(messages):  # what Rasa keeps of a parse; each UserMessage has its own random id
        return [{k: v for k, v in m.as_dict(only_output_properties=True).items() if k != "message_id"}
                for m in messages]

    assert output(ours) == output(theirs)
    assert ours[0].get("intent")["name"] and "triage" in output(ours)[0]


@pytest.mark.parametrize("text", TEXTS)
def test_the_policy_graph_gives_what_dask_gives(agent, text):
    import asyncio

    from rasa.core.channels import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = agent.processor
    parse = asyncio.run(processor.parse_message(UserMessage(text)))
    tracker = DialogueStateTracker.from_events(
        "t", [ActionExecuted("action_listen"), UserUttered(text, parse["intent"], parse["entities"],
                                                           parse)], agent.domain.slots)
    ours, theirs = both_runs(processor.graph_runner, lambda: {"__tracker__": tracker},
                             processor.model_metadata.core_target)
    assert ours == theirs and ours.max_confidence_index == theirs.max_confidence_index


def test_graph_runs_without_dask_are_installed():
    from rasa.engine.runner.dask import DaskGraphRunner

    assert DaskGraphRunner.run is rasa_speedups._run_in_order
