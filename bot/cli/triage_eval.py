"""Red-flag outcome of vignette files without a server: the fast loop for tuning the rules.

    python -m bot.cli.triage_eval VIGNETTE_FILE [...] [--show-failures] [--report out.json]

Each vignette's turns go through the same Triage the assistant's policy uses (normalisation, rules,
statistical layer, conversation state); the red_flags and triage_level it reaches are checked against
the vignette's red-flag expectations (advice and reply expectations need the real assistant: `make
eval`). Prints the summary, then the metrics as JSON on the last line, like `make eval`.
"""
import argparse
import json
import sys
from typing import Any, Dict, List, Optional, Sequence

from bot.cli.evaluate import human_summary, load_vignettes, summarise_files
from bot.triage.service import Triage

RED_FLAG_KEYS = ("flags", "no_flags", "no_flags_at_all", "min_level", "max_level", "flags_any")


def outcome(triage: Triage, turns: Sequence[str]) -> Dict[str, Any]:
    """The slots a conversation of these client turns ends with."""
    state = triage.conversation(turns)
    return {"triage_level": state.level, "red_flags": state.codes, "advice_topics": []}


def run(files: Sequence[str], triage: Optional[Triage] = None) -> List[Dict[str, Any]]:
    triage = triage or Triage.load()
    results = []
    for path in files:
        for v in load_vignettes(path):
            expect = {k: v["expect"][k] for k in RED_FLAG_KEYS if k in v["expect"]}
            results.append({"id": v["id"], "file": path, "turns": v["turns"], "expect": expect,
                            "slots": outcome(triage, v["turns"]), "answered": [True] * len(v["turns"])})
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.triage_eval", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", metavar="VIGNETTE_FILE")
    parser.add_argument("--report", default=None, help="write metrics and per-vignette results here")
    parser.add_argument("--rules-only", action="store_true",
                        help="without the statistical second opinion (what the rules alone find)")
    args = parser.parse_args(argv)
    results = run(args.files, Triage.load(trained=not args.rules_only))
    metrics = summarise_files(results)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump({"metrics": metrics, "results": results}, handle, indent=2, ensure_ascii=False)
    print(human_summary(metrics))
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("failures", "per_file")}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
