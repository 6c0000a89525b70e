"""Speed-ups of Rasa 3.6 internals that keep their behaviour, installed when the model's custom
components load (bot/policies/__init__.py). Measured with `make bench` (README.md, "Performance").

- Custom action responses: Rasa validates every action server response with `jsonschema.validate`,
  which first checks the schema itself against the JSON Schema meta-schema: about half of a Rasa
  replica's CPU time under load (py-spy). The response is still validated against the same schema,
  with a validator built once.
- Intent classification: scikit-learn computes `X @ coef_.T`; with `coef_` in C order, scipy copies
  the whole transposed matrix (features x intents) for every message (py-spy: about 10% of a
  replica's CPU). The same numbers in Fortran order make the transpose a view.
"""
from functools import lru_cache, wraps
from typing import Any, Dict, Text

import numpy as np
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, not for every response
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _action_response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (f". Failed to validate Action server response from API, make sure your "
                      f"response from the Action endpoint is valid. For more information about "
                      f"the format visit {DOCS_BASE_URL}/custom-actions")
        raise e


_classify = LogisticRegressionClassifier.process


@wraps(_classify)  # Rasa checks a component's `process` signature
def _classify_with_fortran_coefficients(self: LogisticRegressionClassifier, messages: Any) -> Any:
    coefficients = getattr(self.clf, "coef_", None)
    if coefficients is not None and not coefficients.flags.f_contiguous:
        self.clf.coef_ = np.asfortranarray(coefficients)
    return _classify(self, messages)


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    LogisticRegressionClassifier.process = _classify_with_fortran_coefficients
