"""Speed-ups of Rasa 3.6 internals that keep their behaviour, installed when the model's custom
components load (bot/policies/__init__.py). Measured with `make bench` (docs/performance.md).

- Custom action responses: Rasa validates every action server response with `jsonschema.validate`,
  which first checks the schema itself against the JSON Schema meta-schema: about half of a Rasa
  replica's CPU time under load (py-spy). The response is still validated against the same schema,
  with a validator built once.
- Graph runs: every message runs the NLU graph, and every predicted action the policy graph,
  through dask's scheduler, which builds and orders a task graph for each run (py-spy: about 6% of a
  replica's CPU). The same nodes run in the same dependency order, computed once per set of targets.
- Intent classification: scikit-learn computes `X @ coef_.T`; with `coef_` in C order, scipy copies
  the whole transposed matrix (features x intents) for every message (py-spy: about 10% of a
  replica's CPU). The same numbers in Fortran order make the transpose a view.
"""
from functools import lru_cache, wraps
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
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


_run_with_dask = DaskGraphRunner.run
Order = List[Tuple[str, Tuple[str, ...]]]  # (node, the nodes it needs), each after what it needs


def _order(runner: DaskGraphRunner, targets: Tuple[str, ...]) -> Order:
    """The nodes `targets` need, each after its parents (cached per runner and targets)."""
    cache: Dict[Tuple[str, ...], Order] = runner.__dict__.setdefault("_clinic_orders", {})
    if targets not in cache:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: Order = []
        placed = set()

        def place(name: str) -> None:
            if name in placed or name not in nodes:
                return
            placed.add(name)
            needs = tuple(nodes[name].needs.values())
            for parent in needs:
                place(parent)
            order.append((name, needs))

        for name in targets:
            place(name)
        cache[targets] = order
    return cache[targets]


def _run_in_order(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
                  targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run without dask: what dask.get would compute, node after node."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    order = _order(self, run_targets)
    done: Dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in order):
            return _run_with_dask(self, inputs, targets)  # Rasa's own error for that clash
        done[name] = (name, value)  # as dask sees an input: it replaces a node of that name
    try:
        for name, needs in order:
            if name not in done:  # a need that is no node and no input: its bare name, as in dask
                done[name] = self._instantiated_nodes[name](*(done.get(n, n) for n in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(done[name] for name in run_targets)


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    LogisticRegressionClassifier.process = _classify_with_fortran_coefficients
    DaskGraphRunner.run = _run_in_order
