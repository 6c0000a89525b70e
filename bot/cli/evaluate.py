"""Run vignette files against the assistant over HTTP and report the metrics of CONTRACT.md.

    python -m bot.cli.evaluate VIGNETTE_FILE [...] [--url http://localhost:5005] [--token TOKEN]
        [--workers 4] [--report out.json] [--min-sensitivity 1.0] [--max-over-escalation 0.02]
        [--min-advice-accuracy 0.97] [--max-unanswered 0]

Each vignette is a fresh conversation with a random sender id: its turns are posted one after another
to the REST channel (with REST_TOKEN when set), then the outcome slots are read from the tracker and checked against `expect`.
A human-readable summary is printed first; the last line of stdout is the metrics as one JSON object.
The exit code is 1 if a given threshold is missed, else 0.

The pure part (load_vignettes, check_vignette, summarise) does no I/O beyond reading the files; the
HTTP part uses requests; `bot.stack` is imported only when no assistant answers at --url.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple
from urllib.parse import urlparse

import requests
import yaml

from bot.channels.rest_token import client_headers

# Lowest first; an unset level ranks below all of them.
LEVELS = ("self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance")
EXPECT_KEYS = {"flags", "no_flags", "no_flags_at_all", "min_level", "max_level", "advice_any",
               "advice_all", "flags_any", "reply_has", "reply_lacks"}
# CONTRACT.md: the codes whose minimum is emergency or emergency_ambulance.
EMERGENCY_CODES = frozenset({"pe_signs", "stroke_signs", "compartment_signs", "self_harm", "cardiac_signs",
                             "sepsis_meningitis", "limb_ischaemia", "cauda_equina", "rhabdo_signs"})
TIMEOUT_S = 30


# --------------------------------------------------------------------------------------------------
# pure part
# --------------------------------------------------------------------------------------------------
def level_rank(level: Optional[str]) -> int:
    """0 for unset, 1 for self_care ... 5 for emergency_ambulance; ValueError for anything else."""
    if level is None or level == "":
        return 0
    if level not in LEVELS:
        raise ValueError(f"unknown triage level {level!r}")
    return LEVELS.index(level) + 1


def load_vignettes(path: str) -> List[Dict[str, Any]]:
    """Read one vignette file; each item gets a `file` key. Raises ValueError on a malformed item."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a YAML list of vignettes")
    vignettes = []
    for index, item in enumerate(data):
        where = f"{path}: item {index}"
        if not isinstance(item, dict) or not item.get("id"):
            raise ValueError(f"{where}: needs an `id`")
        where = f"{path}: {item['id']}"
        turns = item.get("turns")
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns):
            raise ValueError(f"{where}: `turns` must be a non-empty list of strings")
        expect = item.get("expect") or {}
        if not isinstance(expect, dict) or set(expect) - EXPECT_KEYS:
            raise ValueError(f"{where}: unknown `expect` keys {sorted(set(expect) - EXPECT_KEYS)}")
        for key in ("min_level", "max_level"):
            if key in expect and expect[key] not in LEVELS:
                raise ValueError(f"{where}: {key} {expect[key]!r} is not a level")
        for key in ("reply_has", "reply_lacks"):
            for pattern in _as_list(expect.get(key)):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{where}: {key} {pattern!r} is not a regex: {exc}") from exc
        vignettes.append({"id": str(item["id"]), "turns": turns, "expect": expect, "file": path})
    return vignettes


def _as_list(value: Any) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def normalise_slots(slots: Optional[Dict[str, Any]]) -> Tuple[Optional[str], List[str], List[str]]:
    """(triage_level or None, red_flags, advice_topics) from a tracker's `slots`."""
    slots = slots or {}
    level = slots.get("triage_level") or None
    return level, _as_list(slots.get("red_flags")), _as_list(slots.get("advice_topics"))


def check_vignette(expect: Dict[str, Any], slots: Optional[Dict[str, Any]],
                   answered: Sequence[bool], replies: Optional[Sequence[str]] = None) -> List[str]:
    """The reasons a conversation fails its expectations; empty if it passes. `replies` are the
    assistant's texts in answer to the last turn (reply_has / reply_lacks are checked on them)."""
    level, flags, topics = normalise_slots(slots)
    reasons = []
    missing = [c for c in _as_list(expect.get("flags")) if c not in flags]
    if missing:
        reasons.append(f"missing flags {missing} (red_flags {flags})")
    any_of = _as_list(expect.get("flags_any"))
    if any_of and not set(any_of) & set(flags):
        reasons.append(f"none of flags_any {any_of} in red_flags {flags}")
    unwanted = [c for c in _as_list(expect.get("no_flags")) if c in flags]
    if unwanted:
        reasons.append(f"unexpected flags {unwanted}")
    if expect.get("no_flags_at_all") and flags:
        reasons.append(f"red_flags should be empty, got {flags}")
    try:
        rank: Optional[int] = level_rank(level)
    except ValueError:
        rank = None
        reasons.append(f"unknown triage_level {level!r}")
    if "min_level" in expect and (rank is None or rank < level_rank(expect["min_level"])):
        reasons.append(f"triage_level {level or 'unset'} below min_level {expect['min_level']}")
    if "max_level" in expect and (rank is None or rank > level_rank(expect["max_level"])):
        reasons.append(f"triage_level {level} above max_level {expect['max_level']}")
    wanted = _as_list(expect.get("advice_any"))
    if wanted and not set(wanted) & set(topics):
        reasons.append(f"none of advice_any {wanted} in advice_topics {topics}")
    lacking = [t for t in _as_list(expect.get("advice_all")) if t not in topics]
    if lacking:
        reasons.append(f"advice_all {lacking} not in advice_topics {topics}")
    said = "\n".join(replies or [])
    for pattern in _as_list(expect.get("reply_has")):
        if not re.search(pattern, said, re.I):
            reasons.append(f"reply_has {pattern!r} not in the last replies")
    for pattern in _as_list(expect.get("reply_lacks")):
        if re.search(pattern, said, re.I):
            reasons.append(f"reply_lacks {pattern!r} found in the last replies")
    for number, ok in enumerate(answered, start=1):
        if not ok:
            reasons.append(f"turn {number} unanswered")
    return reasons


def _percentile(values: Sequence[float], pct: float) -> Optional[float]:
    """Nearest-rank percentile, None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)], 1)


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return round(numerator / denominator, 4) if denominator else None


def _finding_counts(expect: Dict[str, Any], flags: Sequence[str],
                    per_code: Dict[str, Dict[str, Any]]) -> Tuple[int, int, int, int]:
    """(expected, found, expected emergency, found emergency) findings of one vignette. Each code of
    `flags` is one finding; a `flags_any` list is one finding, an emergency one if it names one."""
    expected = found = emergency = emergency_found = 0
    for code in _as_list(expect.get("flags")):
        entry = per_code.setdefault(code, {"expected": 0, "found": 0})
        hit = code in flags
        entry["expected"] += 1
        entry["found"] += hit
        expected, found = expected + 1, found + hit
        if code in EMERGENCY_CODES:
            emergency, emergency_found = emergency + 1, emergency_found + hit
    any_of = _as_list(expect.get("flags_any"))
    if any_of:
        name = "|".join(sorted(any_of))
        entry = per_code.setdefault(name, {"expected": 0, "found": 0})
        hit = bool(set(any_of) & set(flags))
        entry["expected"] += 1
        entry["found"] += hit
        expected, found = expected + 1, found + hit
        if set(any_of) & EMERGENCY_CODES:
            emergency, emergency_found = emergency + 1, emergency_found + hit
    return expected, found, emergency, emergency_found


def summarise(results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Metrics over results; each result has id, expect, slots, answered and optionally file,
    replies (the assistant's texts answering the last turn), latencies_ms (per turn) and errors
    (transport problems, which fail the vignette)."""
    failed, failures = [], {}
    counts = [0, 0, 0, 0]  # expected, found, expected emergency, found emergency
    per_code: Dict[str, Dict[str, Any]] = {}
    with_max = over = to_ambulance = with_advice = advice_ok = 0
    turns = unanswered = 0
    latencies: List[float] = []
    files: List[str] = []
    for result in results:
        expect = result.get("expect") or {}
        answered = list(result.get("answered") or [])
        level, flags, topics = normalise_slots(result.get("slots"))
        reasons = list(result.get("errors") or []) + check_vignette(
            expect, result.get("slots"), answered, result.get("replies"))
        if reasons:
            failed.append(result["id"])
            failures[result["id"]] = reasons
        counts = [a + b for a, b in zip(counts, _finding_counts(expect, flags, per_code))]
        if "max_level" in expect:
            with_max += 1
            try:
                rank = level_rank(level)
                over += rank > level_rank(expect["max_level"])
                # "call 999" where the writer expected no emergency at all
                to_ambulance += (rank == len(LEVELS)
                                 and level_rank(expect["max_level"]) < level_rank("emergency"))
            except ValueError:
                over += 1  # an unknown level cannot be shown to be within bounds
        if expect.get("advice_any") or expect.get("advice_all"):
            with_advice += 1
            any_of, all_of = _as_list(expect.get("advice_any")), _as_list(expect.get("advice_all"))
            advice_ok += bool((not any_of or set(any_of) & set(topics)) and set(all_of) <= set(topics))
        turns += len(answered)
        unanswered += answered.count(False)
        latencies.extend(result.get("latencies_ms") or [])
        if result.get("file") and result["file"] not in files:
            files.append(result["file"])
    for entry in per_code.values():
        entry["sensitivity"] = _ratio(entry["found"], entry["expected"])
    return {
        "vignettes": len(results),
        "passed": len(results) - len(failed),
        "failed": failed,
        "failures": failures,
        "sensitivity": _ratio(counts[1], counts[0]),
        "emergency_sensitivity": _ratio(counts[3], counts[2]),
        "sensitivity_per_code": dict(sorted(per_code.items())),
        "over_escalation_rate": _ratio(over, with_max),
        "ambulance_for_harmless": to_ambulance,
        "advice_accuracy": _ratio(advice_ok, with_advice),
        "unanswered_turns": unanswered,
        "turns": turns,
        "latency_ms": {"p50": _percentile(latencies, 50), "p95": _percentile(latencies, 95)},
        "files": files,
    }


def summarise_files(results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """summarise() over all results, plus `per_file` when they come from several files."""
    metrics = summarise(results)
    if len(metrics["files"]) > 1:
        metrics["per_file"] = {
            name: summarise([r for r in results if r.get("file") == name]) for name in metrics["files"]
        }
    return metrics


def missed_thresholds(metrics: Dict[str, Any], args: argparse.Namespace) -> List[str]:
    """Human-readable list of the given thresholds the metrics miss (a metric of null misses none)."""
    checks = [
        ("sensitivity", args.min_sensitivity, lambda v, t: v >= t, ">="),
        ("emergency_sensitivity", getattr(args, "min_emergency_sensitivity", None),
         lambda v, t: v >= t, ">="),
        ("over_escalation_rate", args.max_over_escalation, lambda v, t: v <= t, "<="),
        ("advice_accuracy", args.min_advice_accuracy, lambda v, t: v >= t, ">="),
        ("unanswered_turns", args.max_unanswered, lambda v, t: v <= t, "<="),
    ]
    missed = []
    for name, threshold, ok, sign in checks:
        value = metrics.get(name)
        if threshold is not None and value is not None and not ok(value, threshold):
            missed.append(f"{name} {value} (wanted {sign} {threshold})")
    return missed


# --------------------------------------------------------------------------------------------------
# HTTP part
# --------------------------------------------------------------------------------------------------
def run_vignette(vignette: Dict[str, Any], url: str, token: Optional[str]) -> Dict[str, Any]:
    """Play one vignette as a fresh conversation and read its slots from the tracker."""
    sender = uuid.uuid4().hex
    answered, latencies, errors, replies = [], [], [], []
    slots: Dict[str, Any] = {}
    with requests.Session() as http:
        for number, text in enumerate(vignette["turns"], start=1):
            start = time.perf_counter()
            try:
                response = http.post(f"{url}/webhooks/rest/webhook", headers=client_headers(),
                                     json={"sender": sender, "message": text}, timeout=TIMEOUT_S)
                response.raise_for_status()
                messages = response.json()
                answered.append(isinstance(messages, list) and len(messages) > 0)
                replies = [m.get("text") or "" for m in messages if isinstance(m, dict)] \
                    if isinstance(messages, list) else []
            except (requests.RequestException, ValueError) as exc:
                answered.append(False)
                errors.append(f"turn {number}: {type(exc).__name__}: {exc}")
            latencies.append((time.perf_counter() - start) * 1000)
        try:
            response = http.get(f"{url}/conversations/{sender}/tracker",
                                params={"token": token} if token else None, timeout=TIMEOUT_S)
            response.raise_for_status()
            slots = response.json().get("slots") or {}
        except (requests.RequestException, ValueError, AttributeError) as exc:
            message = str(exc).replace(token, "***") if token else str(exc)
            errors.append(f"tracker: {type(exc).__name__}: {message}")
    return {"id": vignette["id"], "file": vignette["file"], "sender": sender, "turns": vignette["turns"],
            "expect": vignette["expect"], "slots": {k: slots.get(k) for k in
                                                    ("triage_level", "red_flags", "advice_topics")},
            "answered": answered, "replies": replies, "latencies_ms": latencies, "errors": errors}


def is_up(url: str) -> bool:
    try:
        requests.get(f"{url}/", timeout=5)
        return True
    except requests.RequestException:
        return False


@contextmanager
def assistant(url: str, token: Optional[str]) -> Iterator[Tuple[str, Optional[str]]]:
    """(base url, token) of an assistant: the one at `url` if it answers, else one started here."""
    if is_up(url):
        if not token:
            print("warning: no --token or BOT_API_TOKEN; the tracker API may refuse", file=sys.stderr)
        yield url, token
        return
    try:
        from bot.stack import running_assistant  # lazily: the metric code must not need it
    except ImportError as exc:
        raise SystemExit(f"nothing answers at {url} and the assistant cannot be started here: {exc}") from exc

    token = token or secrets.token_urlsafe(24)
    port = urlparse(url).port or 5005
    print(f"nothing answers at {url}; starting the assistant on port {port}", file=sys.stderr)
    with running_assistant(port=port, api_token=token) as base_url:
        yield base_url.rstrip("/"), token


def run_all(vignettes: Sequence[Dict[str, Any]], url: str, token: Optional[str],
            workers: int) -> List[Dict[str, Any]]:
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda v: run_vignette(v, url, token), vignettes))


# --------------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------------
def _fmt(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def human_summary(metrics: Dict[str, Any]) -> str:
    lines = [
        f"vignettes {metrics['vignettes']}: passed {metrics['passed']}, failed {len(metrics['failed'])}",
        f"red-flag sensitivity {_fmt(metrics['sensitivity'])}, emergency codes "
        f"{_fmt(metrics['emergency_sensitivity'])}",
    ]
    for code, entry in metrics["sensitivity_per_code"].items():
        lines.append(f"  {code:<26} {entry['found']}/{entry['expected']}")
    latency = metrics["latency_ms"]
    lines += [
        f"over-escalation rate {_fmt(metrics['over_escalation_rate'])} "
        f"({metrics['ambulance_for_harmless']} sent to {LEVELS[-1]} where no emergency was expected)",
        f"advice accuracy {_fmt(metrics['advice_accuracy'])}",
        f"unanswered turns {metrics['unanswered_turns']} of {metrics['turns']}",
        f"latency per turn p50 {latency['p50']} ms, p95 {latency['p95']} ms",
    ]
    for name, sub in metrics.get("per_file", {}).items():
        lines.append(f"{name}: passed {sub['passed']}/{sub['vignettes']}, sensitivity "
                     f"{_fmt(sub['sensitivity'])}, over-escalation {_fmt(sub['over_escalation_rate'])}, "
                     f"advice {_fmt(sub['advice_accuracy'])}, unanswered {sub['unanswered_turns']}")
    for vid in metrics["failed"]:
        lines.append(f"FAIL {vid}: " + "; ".join(metrics["failures"][vid]))
    return "\n".join(lines)


def select(vignettes: List[Dict[str, Any]], only: Optional[str]) -> List[Dict[str, Any]]:
    """The vignettes `--only FILE:IDS` keeps: of the file whose name ends with FILE, only the ids
    listed ("p401-p414,p421": a range keeps ids with the same prefix and a number in between)."""
    if not only:
        return vignettes
    name, _, spec = only.rpartition(":")
    wanted = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        if not last:
            wanted.add(first)
            continue
        prefix = first.rstrip("0123456789")
        low, high = int(first[len(prefix):]), int(last[len(prefix):])
        wanted |= {f"{prefix}{n:0{len(first) - len(prefix)}d}" for n in range(low, high + 1)}
    return [v for v in vignettes if not v["file"].endswith(name) or v["id"] in wanted]


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", metavar="VIGNETTE_FILE")
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--token", default=None, help="HTTP API token (default: $BOT_API_TOKEN)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--report", default=None, help="write metrics and per-vignette results here")
    parser.add_argument("--only", default=None, metavar="FILE:IDS",
                        help="run only these ids of a file, e.g. vignettes-next.yml:p401-p414 "
                             "(ranges and commas; the other files run whole)")
    gates = parser.add_argument_group("fail-under thresholds (exit code 1 when missed)")
    gates.add_argument("--min-sensitivity", type=float)
    gates.add_argument("--min-emergency-sensitivity", type=float)
    gates.add_argument("--max-over-escalation", type=float)
    gates.add_argument("--min-advice-accuracy", type=float)
    gates.add_argument("--max-unanswered", type=int)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    vignettes = select([v for path in args.files for v in load_vignettes(path)], args.only)
    seen: Dict[str, str] = {}
    for v in vignettes:
        if v["id"] in seen:
            raise SystemExit(f"duplicate vignette id {v['id']} in {seen[v['id']]} and {v['file']}")
        seen[v["id"]] = v["file"]
    token = args.token or os.environ.get("BOT_API_TOKEN") or None
    with assistant(args.url.rstrip("/"), token) as (url, api_token):
        results = run_all(vignettes, url, api_token, args.workers)
    metrics = summarise_files(results)
    missed = missed_thresholds(metrics, args)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump({"metrics": metrics, "results": results}, handle, indent=2)
    print(human_summary(metrics))
    for line in missed:
        print(f"THRESHOLD MISSED: {line}")
    print(json.dumps(metrics, sort_keys=False), flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
