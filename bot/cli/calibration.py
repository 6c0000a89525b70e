"""How far the intent confidence can be trusted: reliability on data the model never trained on.

    python -m bot.cli.calibration --model models/assistant.tar.gz --heldout tests/nlu/heldout.yml
        [--folds 5] [--out var/results/calibration] [--skip-crossval]

Two sources of (gold intent, predicted intent, confidence), each as the dialogue sees it (the whole
NLU pipeline, rules included, FallbackClassifier undone so the guess it would have made is scored):
- held-out: every message of the held-out file parsed by the trained model;
- cross-validation: the out-of-fold predictions of `rasa test nlu --cross-validation --successes`
  (each training message predicted by a model trained without its fold).
For each: a reliability table (10 confidence bins: messages, mean confidence, accuracy), the
expected calibration error (ECE: the messages-weighted gap between confidence and accuracy), and
for candidate thresholds how many messages would be asked to clarify, how many of those were right,
and the accuracy of what is answered. docs/confidence.md explains the threshold chosen. The last
line of stdout is one JSON object with the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

Prediction = Tuple[str, str, float]  # gold, predicted, confidence
FALLBACK = "nlu_fallback"
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


# --------------------------------------------------------------------------------------------------
# pure part
def reliability(predictions: Sequence[Prediction], bins: int = 10) -> List[Dict[str, Any]]:
    """Per confidence bin [i/bins, (i+1)/bins): messages, mean confidence and accuracy."""
    rows = []
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [p for p in predictions if low <= p[2] < high or (i == bins - 1 and p[2] == 1.0)]
        if not inside:
            continue
        rows.append({"bin": f"{low:.1f}-{high:.1f}", "messages": len(inside),
                     "confidence": round(sum(p[2] for p in inside) / len(inside), 3),
                     "accuracy": round(sum(p[0] == p[1] for p in inside) / len(inside), 3)})
    return rows


def expected_calibration_error(predictions: Sequence[Prediction], bins: int = 10) -> float:
    """Sum over bins of (share of messages) x |accuracy - mean confidence|."""
    total = len(predictions)
    if not total:
        return 0.0
    return round(sum(r["messages"] / total * abs(r["accuracy"] - r["confidence"])
                     for r in reliability(predictions, bins)), 4)


def threshold_table(predictions: Sequence[Prediction],
                    thresholds: Iterable[float] = THRESHOLDS) -> List[Dict[str, Any]]:
    """For each threshold: the share of messages asked to clarify (below it), how many of those the
    guess had right, the accuracy of the messages answered, and wrong answers given per 100."""
    total = len(predictions)
    rows = []
    for t in thresholds:
        asked = [p for p in predictions if p[2] < t]
        answered = [p for p in predictions if p[2] >= t]
        rows.append({
            "threshold": t,
            "asked": round(len(asked) / total, 3) if total else 0.0,
            "asked_but_right": sum(p[0] == p[1] for p in asked),
            "answered_accuracy": round(sum(p[0] == p[1] for p in answered) / len(answered), 3)
            if answered else 0.0,
            "wrong_answers_per_100": round(100 * sum(p[0] != p[1] for p in answered) / total, 1)
            if total else 0.0,
        })
    return rows


def from_rasa_results(records: Iterable[Dict[str, Any]]) -> List[Prediction]:
    """Predictions from Rasa's intent_successes.json / intent_errors.json records."""
    return [(r["intent"], (r.get("intent_prediction") or {}).get("name") or "",
             float((r.get("intent_prediction") or {}).get("confidence") or 0.0)) for r in records]


def summary(name: str, predictions: Sequence[Prediction]) -> Dict[str, Any]:
    return {"source": name, "messages": len(predictions),
            "accuracy": round(sum(p[0] == p[1] for p in predictions) / len(predictions), 4)
            if predictions else 0.0,
            "ece": expected_calibration_error(predictions),
            "reliability": reliability(predictions), "thresholds": threshold_table(predictions)}


def format_summary(s: Dict[str, Any]) -> List[str]:
    lines = [f"== {s['source']}: {s['messages']} messages, accuracy {s['accuracy']:.3f}, "
             f"ECE {s['ece']:.3f}", "confidence bin | messages | mean confidence | accuracy"]
    lines += [f"{r['bin']:>14} | {r['messages']:8d} | {r['confidence']:15.3f} | {r['accuracy']:.3f}"
              for r in s["reliability"]]
    lines.append("threshold | asked | asked but right | answered accuracy | wrong answers /100")
    lines += [f"{r['threshold']:9.2f} | {r['asked']:5.3f} | {r['asked_but_right']:15d} | "
              f"{r['answered_accuracy']:17.3f} | {r['wrong_answers_per_100']:.1f}"
              for r in s["thresholds"]]
    return lines


# --------------------------------------------------------------------------------------------------
# Rasa part
def heldout_predictions(model: str, heldout: str) -> List[Prediction]:
    """The trained model's guess (fallback undone) and its confidence for each held-out message."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(model_path=model)

    async def run() -> List[Prediction]:
        found = []
        for example in load_data(heldout).nlu_examples:
            parsed = await agent.parse_message(example.get("text"))
            ranked = [r for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
            top = ranked[0] if ranked else parsed["intent"]
            if parsed["intent"].get("name") not in (FALLBACK, None):
                top = parsed["intent"]
            found.append((example.get("intent"), top.get("name") or "", float(top.get("confidence") or 0)))
        return found

    return asyncio.run(run())


def crossval_predictions(config: str, nlu: str, folds: int, out: Path) -> List[Prediction]:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", nlu, "--config", config,
           "--cross-validation", "--folds", str(folds), "--successes", "--out", str(out)]
    env = {"RASA_MAX_CACHE_SIZE": "0", **os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with open(out / "rasa.log", "w") as log:
        subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT, env=env)
    return read_crossval(out)


def read_crossval(out: Path) -> List[Prediction]:
    records: List[Dict[str, Any]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            records += json.loads(path.read_text())
    return from_rasa_results(records)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.calibration", description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="models/assistant.tar.gz")
    parser.add_argument("--heldout", default="tests/nlu/heldout.yml")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--nlu", default="data/nlu")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default="var/results/calibration")
    parser.add_argument("--skip-crossval", action="store_true")
    parser.add_argument("--reuse-crossval", action="store_true",
                        help="read the out-of-fold predictions already in OUT instead of rerunning")
    args = parser.parse_args(argv)
    results = [summary("held-out", heldout_predictions(args.model, args.heldout))]
    if not args.skip_crossval:
        out = Path(args.out)
        predictions = read_crossval(out) if args.reuse_crossval else crossval_predictions(
            args.config, args.nlu, args.folds, out)
        results.append(summary(f"{args.folds}-fold cross-validation (out-of-fold)", predictions))
    for s in results:
        print("\n".join(format_summary(s)) + "\n")
    print(json.dumps({s["source"]: {k: s[k] for k in ("messages", "accuracy", "ece", "thresholds")}
                      for s in results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
