"""bot.rasa_speedups changes how fast, never what: the same verdicts and the same intents as Rasa's code."""
import jsonschema
import numpy as np
import pytest
from rasa.core.actions.action import RemoteAction
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

import bot.policies  # noqa: F401 - installs the speed-ups, as loading the model does
from bot import rasa_speedups

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
