"""Intent quality of the NLU: the held-out set with the trained model, then k-fold cross-validation.

    python -m bot.cli.nlu_report --model models/assistant.tar.gz --heldout tests/nlu/heldout.yml
        [--folds 5] [--out var/results/nlu] [--config config.yml] [--nlu data/nlu]
        [--skip-crossval] [--min-macro-f1 0.95]

The held-out run is Rasa's own NLU evaluation (`rasa.nlu.test.run_evaluation`, as `rasa test nlu`)
written to OUT/heldout; the same loaded model then parses every held-out message once more to count
the `nlu_fallback` answers, which Rasa's evaluation hides (it scores the intent ranked below the
fallback). Cross-validation is `rasa test nlu --cross-validation` on the training data, written to
OUT/crossval. A human-readable summary is printed first; the last line of stdout is one JSON object
{"heldout": {accuracy, macro_f1, weighted_f1, examples}, "crossval": {accuracy, macro_f1, folds}}
("crossval" is null with --skip-crossval). Exit code 1 if the held-out macro F1 is below
--min-macro-f1, else 0. The pure part (summarise, confused_pairs, weak_intents, result_json) only
reads dicts; Rasa is imported only to run the evaluations.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

AGGREGATES = {"accuracy", "macro avg", "weighted avg", "micro avg"}
FALLBACK = "nlu_fallback"


# --------------------------------------------------------------------------------------------------
# pure part
def per_intent(report: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The per-intent rows of an intent_report.json (labels that occur in the gold data only)."""
    return {k: v for k, v in report.items()
            if k not in AGGREGATES and isinstance(v, dict) and v.get("support", 0) > 0}


def summarise(report: Dict[str, Any]) -> Dict[str, Any]:
    """Accuracy, macro and weighted F1 and the number of examples of an intent_report.json."""
    rows = per_intent(report)
    accuracy = report.get("accuracy")
    if accuracy is None:  # sklearn writes "micro avg" instead when labels are a subset
        accuracy = report.get("micro avg", {}).get("f1-score", 0.0)
    return {"accuracy": round(float(accuracy), 4),
            "macro_f1": round(float(report["macro avg"]["f1-score"]), 4),
            "weighted_f1": round(float(report["weighted avg"]["f1-score"]), 4),
            "examples": int(sum(r["support"] for r in rows.values()))}


def confused_pairs(report: Dict[str, Any], errors: Optional[Iterable[Dict[str, Any]]] = None,
                   n: int = 10) -> List[Tuple[str, str, int]]:
    """The n most frequent (gold, predicted, count) confusions, most frequent first.

    From intent_errors.json when given (every error), else from the report's `confused_with`
    (Rasa keeps only the two most frequent confusions per intent there)."""
    counts: Counter = Counter()
    if errors is not None:
        for e in errors:
            counts[(e["intent"], (e.get("intent_prediction") or {}).get("name"))] += 1
    else:
        for gold, row in per_intent(report).items():
            for predicted, count in (row.get("confused_with") or {}).items():
                counts[(gold, predicted)] += count
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], str(kv[0][1])))
    return [(gold, str(predicted), count) for (gold, predicted), count in ranked[:n]]


def weak_intents(report: Dict[str, Any], threshold: float = 0.9) -> List[Tuple[str, float, int]]:
    """(intent, F1, support) of the intents with F1 below threshold, worst first."""
    rows = [(k, round(float(v["f1-score"]), 4), int(v["support"])) for k, v in per_intent(report).items()
            if v["f1-score"] < threshold]
    return sorted(rows, key=lambda r: (r[1], r[0]))


def result_json(heldout: Dict[str, Any], crossval: Optional[Dict[str, Any]], folds: int) -> Dict[str, Any]:
    """The last line's object: held-out summary and the cross-validation summary (or None)."""
    return {"heldout": {k: heldout[k] for k in ("accuracy", "macro_f1", "weighted_f1", "examples")},
            "crossval": None if crossval is None else
            {"accuracy": crossval["accuracy"], "macro_f1": crossval["macro_f1"], "folds": folds}}


def format_report(title: str, report: Dict[str, Any], errors: Optional[List[Dict[str, Any]]]) -> List[str]:
    s = summarise(report)
    lines = [f"== {title}: {s['examples']} examples",
             f"intent accuracy {s['accuracy']:.4f}  macro F1 {s['macro_f1']:.4f}  "
             f"weighted F1 {s['weighted_f1']:.4f}",
             "most confused (gold -> predicted: count):"]
    lines += [f"  {g} -> {p}: {c}" for g, p, c in confused_pairs(report, errors)] or ["  none"]
    weak = weak_intents(report)
    lines.append("intents with F1 < 0.9:" + ("" if weak else " none"))
    lines += [f"  {name:20s} F1 {f1:.3f}  (support {support})" for name, f1, support in weak]
    return lines


# --------------------------------------------------------------------------------------------------
# Rasa part
def _read(directory: Path) -> Tuple[Dict[str, Any], Optional[List[Dict[str, Any]]]]:
    report = json.loads((directory / "intent_report.json").read_text())
    errors_file = directory / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else None
    return report, errors


def run_heldout(model: str, heldout: str, out: Path) -> Tuple[Dict[str, Any], Optional[List], List[Tuple]]:
    """Rasa's NLU evaluation of the held-out file, and (gold, text, intent ranked next) of the
    held-out messages answered `nlu_fallback`."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.nlu.test import run_evaluation
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # Rasa logs to sys.stdout: main() redirects it
    configure_structlog(logging.WARNING)
    agent = Agent.load(model_path=model)
    out.mkdir(parents=True, exist_ok=True)

    async def evaluate() -> List[Tuple[str, str, Optional[str]]]:
        await run_evaluation(heldout, agent.processor, output_directory=str(out), errors=True,
                             disable_plotting=True, report_as_dict=True)
        fallbacks = []
        for example in load_data(heldout).nlu_examples:
            parsed = await agent.processor.parse_message(UserMessage(text=example.get("text")))
            if parsed["intent"].get("name") == FALLBACK:
                ranked = [r["name"] for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
                fallbacks.append((example.get("intent"), example.get("text"), ranked[0] if ranked else None))
        return fallbacks

    fallbacks = asyncio.run(evaluate())
    report, errors = _read(out)
    return report, errors, fallbacks


def run_crossval(config: str, nlu: str, folds: int, out: Path) -> Tuple[Dict[str, Any], Optional[List]]:
    """`rasa test nlu --cross-validation` with this interpreter's Rasa."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", nlu, "--config", config,
           "--cross-validation", "--folds", str(folds), "--out", str(out)]
    # No training cache: the fold models are throwaway and would only fill .rasa/cache.
    env = {"RASA_MAX_CACHE_SIZE": "0", **os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with open(out / "rasa.log", "w") as log:
        subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT, env=env)
    return _read(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/assistant.tar.gz")
    parser.add_argument("--heldout", default="tests/nlu/heldout.yml")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default="var/results/nlu")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--nlu", default="data/nlu")
    parser.add_argument("--skip-crossval", action="store_true")
    parser.add_argument("--min-macro-f1", type=float, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    out = Path(args.out)

    with contextlib.redirect_stdout(sys.stderr):  # stdout is the summary and the JSON line only
        report, errors, fallbacks = run_heldout(args.model, args.heldout, out / "heldout")
    heldout = summarise(report)
    lines = format_report(f"held-out {args.heldout}", report, errors)
    right = sum(gold == below for gold, _, below in fallbacks)
    lines.append(f"nlu_fallback answers on held-out: {len(fallbacks)}/{heldout['examples']} "
                 f"({right} of them had the right intent ranked next)")
    lines += [f"  {gold}: {text!r} (ranked next: {below})" for gold, text, below in fallbacks]

    crossval = None
    if not args.skip_crossval:
        cv_report, cv_errors = run_crossval(args.config, args.nlu, args.folds, out / "crossval")
        crossval = summarise(cv_report)
        lines += format_report(f"{args.folds}-fold cross-validation of {args.nlu}", cv_report, cv_errors)

    print("\n".join(lines))
    exact_macro_f1 = float(report["macro avg"]["f1-score"])  # not the rounded value
    failed = args.min_macro_f1 is not None and exact_macro_f1 < args.min_macro_f1
    if failed:
        print(f"FAILED: held-out macro F1 {exact_macro_f1:.5f} < {args.min_macro_f1}")
    print(json.dumps(result_json(heldout, crossval, args.folds)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
