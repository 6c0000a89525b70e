"""Reviews that teach: staff corrections written as Rasa NLU examples and regression vignettes.

    make export-reviews                       # to var/reviews/ (REVIEW_EXPORT_DIR overrides)
    python -m bot.review.teach --out DIR

Staff correct client messages in the console (bot.review.annotations.correct): the intent the
message should have had, or a red flag the assistant missed or raised wrongly. This writes them
where training and tests do NOT read them, for a developer to accept:

- `nlu.yml`: one Rasa 3.x NLU example per intent correction (`version: "3.1"`, `nlu:` items);
- `vignettes.yml`: one vignette (../shared/CONTRACT.md's format) per flag correction: the
  conversation's client messages up to the corrected one, expecting the missed code (`flags`, and
  its level as `min_level`) or its absence (`no_flags`); and per intent correction whose intent asks
  for an advice topic (`ask_heat_ice` -> heat or ice), expecting that advice (`advice_any`).
- `README.txt`: what was exported and how to accept it.

Client text is masked as the console masks it (names, phone numbers, e-mail addresses become
[name], [phone], [email]) unless `--reveal`: these files leave the database. Every run is written to
the access log. Accepting: see docs/console.md ("Accepting reviewed corrections").
"""
import argparse
import os
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from sqlalchemy.engine import Engine

from bot.paths import ROOT
from bot.review import annotations
from bot.review.conversations import Conversation, load
from bot.review.database import connect
from bot.review.filters import Row, rows_of
from bot.review.schema import create_console_tables
from bot.triage import rules as triage_rules

DEFAULT_OUT = ROOT / "var" / "reviews"
# intent -> the advice topics an answer to it gives (CONTRACT.md's topics), for advice vignettes
ADVICE_OF_INTENT = {
    "ask_hydration": ["hydration"], "ask_electrolytes": ["electrolytes"],
    "ask_self_massage": ["self_massage"], "ask_stretching": ["stretching"],
    "ask_heat_ice": ["heat", "ice"], "ask_strengthening": ["strengthening"],
    "ask_activity": ["activity"], "ask_posture": ["posture"],
    "ask_treatment": ["massage_treatment"],
    "ask_seek_help": ["seek_help"], "ask_active_spasm": ["active_spasm"],
}


@lru_cache(maxsize=1)
def domain_intents() -> Tuple[str, ...]:
    """The intents of domain.yml: what a message can be corrected to."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")) or {}
    names = [next(iter(i)) if isinstance(i, dict) else str(i) for i in domain.get("intents", [])]
    return tuple(names)


def red_flag_codes() -> Dict[str, str]:
    """Code -> minimum level, from knowledge/red_flags.yml."""
    return {name: code.level for name, code in triage_rules.load().codes.items()}


def check(kind: str, value: str) -> None:
    """ValueError unless `value` is a known intent (kind "intent") or red-flag code."""
    if kind == "intent" and value not in domain_intents():
        raise ValueError(f"{value!r} is not an intent of the domain")
    if kind in ("missed_flag", "wrong_flag") and value not in red_flag_codes():
        raise ValueError(f"{value!r} is not a red-flag code")


class _Literal(str):
    """A YAML block scalar (`examples: |`), as Rasa's own NLU files write examples."""


def _block(dumper: yaml.SafeDumper, text: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")


yaml.SafeDumper.add_representer(_Literal, _block)


def _clean(text: str) -> str:
    """One line: an NLU example and a vignette turn are single messages."""
    return " ".join(text.split())


def _turns(row: Row, event_id: int, reveal: bool) -> Tuple[List[str], Optional[str]]:
    """The client's messages up to and including event `event_id`, and that message's text."""
    show = (lambda text: text) if reveal else row.masker
    turns: List[str] = []
    for message in row.conversation.messages:
        if message.sender != "client":
            continue
        turns.append(_clean(show(message.text)))
        if message.event_id == event_id:
            return turns, turns[-1]
    return turns, None


def collect(engine: Engine, reveal: bool = False) -> Dict[str, Any]:
    """NLU examples per intent and vignettes, from every correction in the database."""
    notes = annotations.all_annotations(engine)
    corrected = {sender for sender, a in notes.items() if a.corrections}
    conversations: List[Conversation] = [c for c in load(engine) if c.sender_id in corrected]
    levels = red_flag_codes()
    examples: Dict[str, List[str]] = defaultdict(list)
    vignettes: List[Dict[str, Any]] = []
    for row in rows_of(conversations, notes):
        for item in row.annotations.corrections:
            turns, text = _turns(row, item["event_id"], reveal)
            if not text:
                continue  # the message is gone (retention) or was not the client's
            kind, value, number = item["kind"], item["value"], item["id"]
            expect: Dict[str, Any] = {}
            if kind == "intent":
                if text not in examples[value]:
                    examples[value].append(text)
                if value in ADVICE_OF_INTENT:
                    expect = {"advice_any": ADVICE_OF_INTENT[value]}
            elif kind == "missed_flag":
                expect = {"flags": [value], "min_level": levels[value]}
            else:
                expect = {"no_flags": [value]}
            if expect:
                source = (f"console correction {number} by {item['author']} ({kind} {value}), "
                          f"conversation {row.conversation.key}")
                vignettes.append({"id": f"review{number:05d}", "turns": turns, "expect": expect,
                                  "source": source})
    return {"examples": dict(examples), "vignettes": vignettes}


def nlu_document(examples: Dict[str, List[str]]) -> str:
    items = [{"intent": intent, "examples": _Literal("".join(f"- {e}\n" for e in texts))}
             for intent, texts in sorted(examples.items())]
    return ("# Staff corrections from the review console (make export-reviews). NOT training data\n"
            "# until a developer accepts them: see docs/console.md.\n"
            + yaml.safe_dump({"version": "3.1", "nlu": items}, sort_keys=False,
                             allow_unicode=True, width=1000))


def vignettes_document(vignettes: List[Dict[str, Any]]) -> str:
    """CONTRACT.md's format; where each came from is a comment above it."""
    parts = ["# Regression vignettes from staff corrections (make export-reviews), CONTRACT.md's\n"
             "# format. Run: make eval VIGNETTES=<this file>. Accept: docs/console.md.\n"]
    for item in vignettes:
        item = dict(item)
        parts.append(f"# {item.pop('source')}\n"
                     + yaml.safe_dump([item], sort_keys=False, allow_unicode=True, width=1000))
    return "".join(parts) if vignettes else parts[0] + "[]\n"


def export(engine: Engine, out: Path, username: str, reveal: bool = False) -> Dict[str, int]:
    """Write nlu.yml, vignettes.yml and README.txt to `out`; how many of each."""
    found = collect(engine, reveal)
    out.mkdir(parents=True, exist_ok=True)
    (out / "nlu.yml").write_text(nlu_document(found["examples"]), encoding="utf-8")
    (out / "vignettes.yml").write_text(vignettes_document(found["vignettes"]), encoding="utf-8")
    counts = {"examples": sum(len(v) for v in found["examples"].values()),
              "vignettes": len(found["vignettes"])}
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (out / "README.txt").write_text(
        f"Exported {stamp} by {username}: {counts['examples']} NLU examples, "
        f"{counts['vignettes']} vignettes, {'revealed' if reveal else 'masked'}.\n"
        "Not read by training or tests. To accept, see docs/console.md.\n", encoding="utf-8")
    annotations.log(engine, username, "export_reviews", None,
                    f"{counts['examples']} examples, {counts['vignettes']} vignettes to {out}"
                    f"{', revealed' if reveal else ''}")
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.review.teach", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(os.environ.get("REVIEW_EXPORT_DIR") or DEFAULT_OUT))
    parser.add_argument("--reveal", action="store_true", help="client text as typed (unmasked)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == (ROOT / "data").resolve() or (ROOT / "data").resolve() in out.parents:
        print("error: the export stays out of data/ until a developer accepts it", file=sys.stderr)
        return 1
    engine = connect()
    create_console_tables(engine)
    username = os.environ.get("USER") or "cli"
    started = time.monotonic()
    counts = export(engine, out, username, args.reveal)
    print(f"export-reviews: {counts['examples']} NLU examples, {counts['vignettes']} vignettes "
          f"in {out} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
