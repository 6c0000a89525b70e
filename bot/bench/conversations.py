"""Conversation scripts for the benchmark: the vignettes' client turns, as a fixed mix of self-care and
red-flag conversations.

A vignette with expected `flags` is a red-flag conversation, any other a self-care one. Single-turn
vignettes are made multi-turn the way clients write: every second one opens with a greeting, every
third one ends with a thank-you (by position in its file). Each kind is shuffled with a fixed seed so a
short run still sees varied topics; the kinds are then interleaved evenly at the requested share.
"""
import random
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from bot.cli.evaluate import load_vignettes
from bot.paths import ROOT

VIGNETTE_FILES = (
    ROOT.parent / "shared" / "eval" / "vignettes.yml",
    ROOT / "eval" / "vignettes" / "selfcare.yml",
    ROOT / "eval" / "vignettes" / "red_flags.yml",
)
SELF_CARE, RED_FLAG = "self_care", "red_flag"
GREETINGS = ("hi", "hello", "good morning")
THANKS = ("thanks", "ok thank you", "cheers")


@dataclass(frozen=True)
class Script:
    """One conversation: the vignette it comes from, its kind and the client's messages in order."""

    id: str
    kind: str
    turns: Tuple[str, ...]


def _extended(turns: Sequence[str], index: int) -> Tuple[str, ...]:
    if len(turns) != 1:
        return tuple(turns)
    opening = (GREETINGS[index // 2 % len(GREETINGS)],) if index % 2 == 0 else ()
    closing = (THANKS[index // 3 % len(THANKS)],) if index % 3 == 0 else ()
    return opening + tuple(turns) + closing


def load_scripts(paths: Sequence[Path] = VIGNETTE_FILES) -> List[Script]:
    """Every vignette of `paths` as a script, in file order, single-turn ones extended."""
    scripts = []
    for path in paths:
        for index, vignette in enumerate(load_vignettes(str(path))):
            kind = RED_FLAG if vignette["expect"].get("flags") else SELF_CARE
            scripts.append(Script(vignette["id"], kind, _extended(vignette["turns"], index)))
    return scripts


def conversation_mix(red_flag_share: float = 0.3, count: Optional[int] = None, seed: int = 0,
                     paths: Sequence[Path] = VIGNETTE_FILES) -> List[Script]:
    """`count` scripts, round(count * red_flag_share) of them red-flag ones spread evenly; by default
    as many as fit without repeating a script. Scripts repeat, in the same order, if `count` needs it."""
    if not 0 <= red_flag_share <= 1:
        raise ValueError(f"red_flag_share must be within [0, 1], not {red_flag_share}")
    scripts = load_scripts(paths)
    pools = {kind: [s for s in scripts if s.kind == kind] for kind in (SELF_CARE, RED_FLAG)}
    for pool in pools.values():
        random.Random(seed).shuffle(pool)
    shares = {SELF_CARE: 1 - red_flag_share, RED_FLAG: red_flag_share}
    if count is None:
        count = int(min(len(pools[k]) / shares[k] for k in pools if shares[k] > 0))
    mix, used = [], {SELF_CARE: 0, RED_FLAG: 0}
    for position in range(count):
        # red at the positions where round(n * share) steps up: an even spread with the exact share
        red = int((position + 1) * red_flag_share + 0.5) > int(position * red_flag_share + 0.5)
        kind = RED_FLAG if red else SELF_CARE
        if not pools[kind]:
            raise ValueError(f"no {kind} vignettes in {[str(p) for p in paths]}")
        mix.append(pools[kind][used[kind] % len(pools[kind])])
        used[kind] += 1
    return mix
