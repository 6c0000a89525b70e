"""The development sets' messages as second-opinion corpus sentences (data/red_flags/dev_sets.jsonl).

    python -m bot.cli.corpus_from_sets eval/blind/2026-12-04-a ... [--out data/red_flags/dev_sets.jsonl]

The blind sets' writers never saw the rules, which is what the corpus asks of a sentence; once a set
has been tuned on it is a development set and its words may teach the statistical layer too. Only
what a vignette says for certain about one message becomes a label:
- every turn of a conversation expected to stay at self-care or a consultation (a hard negative) is a
  message with no emergency code: a conversation's level never goes down, so no turn of it may
  escalate on its own (its caution, where it names one in a single turn, is kept);
- a one-message vignette's expected `flags` are that message's codes (`flags_any` is left out: "either
  heart or lung" is no label for either);
- the turns of a multi-turn emergency are left out: which turn carries the finding is not written down.
A blind set still blind must never be passed here (eval/blind/README.md says which are).
"""
import argparse
import json
import sys
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

from bot.cli.evaluate import load_vignettes
from bot.triage.rules import level_rank

OUT = "data/red_flags/dev_sets.jsonl"


def labelled(vignette: Dict) -> Iterator[Dict]:
    """{"text", "codes"} for each message of the vignette whose codes the vignette settles."""
    expect, turns = vignette.get("expect") or {}, vignette["turns"]
    flags = list(expect.get("flags") or [])
    harmless = "max_level" in expect and level_rank(expect["max_level"]) < level_rank("emergency")
    if harmless:
        for turn in turns:
            yield {"text": turn, "codes": flags if len(turns) == 1 else []}
    elif len(turns) == 1 and flags:
        yield {"text": turns[0], "codes": flags}


def corpus(folders: Iterable[str]) -> List[Dict]:
    """Labelled messages of every vignette file in the folders, first occurrence of a text kept."""
    seen, out = set(), []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yml")):
            for vignette in load_vignettes(str(path)):
                for item in labelled(vignette):
                    if item["text"] not in seen:
                        seen.add(item["text"])
                        out.append(item)
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.corpus_from_sets",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", metavar="SET_FOLDER")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args(argv)
    items = corpus(args.folders)
    with open(args.out, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} messages ({sum(1 for i in items if not i['codes'])} with no code) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
