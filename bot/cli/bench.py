"""`make bench`: latency, throughput, errors, memory and CPU of the stock starter bot and of this assistant
(production profile, one and two replicas) under the same closed-loop REST load, in one run.

    python -m bot.cli.bench [--duration 50] [--rounds 5] [--warmup 5] [--clients 1,10,50]
        [--targets stock,ours_1_replica,ours_2_replicas] [--out path.json] [--check]

Targets (each on free ports):
  stock            Rasa's starter bot (`rasa init`, bot/bench/stock.py): one `rasa run`, REST channel
  ours_1_replica   the production profile (bot/cluster/) with 1 Rasa + 1 action replica, through nginx,
                   on this machine's PostgreSQL, Redis and RabbitMQ (scratch databases and queue)
  ours_2_replicas  the same with 2 Rasa + 2 action replicas
The stock bot is measured first, alone, then stopped. Both of ours are then started and stay up
together: at every level they take turns in windows (1 2, 2 1, 1 2 ... --rounds each), so that
the drift of this shared machine's speed over minutes reaches both alike. A window plays the same
deterministic conversation_mix() with `run_load`: a warm-up (not counted), then --duration / --rounds
measured seconds (--duration: BENCH_DURATION, default 50 s in all per target and level). Per level,
over its windows: latency percentiles, msgs/s (and each window's), errors by kind, empty replies,
peak RSS of every process (PeakMemory; nginx with its worker), CPU seconds of the whole machine
(/proc/stat) and of every process tree (/proc/<pid>/stat utime+stime of it and its children, dead
children included) over the measured seconds, plus the load generator itself ("bench") and
PostgreSQL, RabbitMQ and Redis. For ours, after each level: until the console's store has as many
events as the tracker store for every sender of the level (waited for up to --settle seconds), then
lost_events and missing_messages.

A table is printed, then the results as one JSON object on the last line of stdout; they are also
written to var/bench/results.json (and --out). Exit code 0, or with --check 1 if a target is missed.
Ctrl-C (or SIGTERM) stops every process and removes the scratch databases and queue.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import uvloop
from sqlalchemy.engine import make_url

from bot.bench.cluster import compare_stores, scratch_cluster, scratch_settings
from bot.bench.conversations import conversation_mix
from bot.bench.cpu import cpu_sum, service_pids, util_now
from bot.bench.load import LoadResult, run_load
from bot.bench.memory import PROC, PeakMemory
from bot.bench.report import ONE, STOCK, TARGETS, TWO, brief, missed, ratios_and_targets, table
from bot.bench.stock import BENCH_DIR, running_stock_bot
from bot.bench.window import measured_load
from bot.paths import ROOT

REPLICAS = {ONE: 1, TWO: 2}
FIRST_WARMUP_S = 20.0  # played on each cluster once it is up, before any window
DEFAULT_CLIENTS = (1, 10, 50)
Window = Tuple[LoadResult, Dict[str, Any]]  # a measured window's load, and its memory and CPU
RESULTS = BENCH_DIR / "results.json"
LOGS = BENCH_DIR / "logs"


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure_window(url: str, scripts: Sequence[Sequence[str]], clients: int, args: argparse.Namespace,
                   processes: Dict[str, int]) -> Window:
    """One measured window (--duration / --rounds seconds after a warm-up): run_load plus peak memory
    of `processes` and CPU over the measured seconds."""
    trees = {**processes, **service_pids()}
    nginx = {name: pid for name, pid in processes.items() if name == "nginx"}
    memory = PeakMemory({n: p for n, p in processes.items() if n not in nginx}, interval_s=0.5)
    memory_nginx = PeakMemory(nginx, interval_s=0.5, include_children=True)  # master + worker
    memory.start(), memory_nginx.start()
    try:
        result, cpu = measured_load(url, scripts, clients, args.duration / args.rounds, args.warmup,
                                    trees, timeout_s=args.timeout)
    finally:
        peaks = {**memory.stop(), **memory_nginx.stop()}
    return result, {"memory_mb": {name: peaks[name] for name in processes}, "cpu": cpu}


def combine(windows: Sequence[Window]) -> Tuple[LoadResult, Dict[str, Any]]:
    """A target's windows at one level taken together: one result and its level summary (peak memory
    the largest of any window), with each window's msgs/s."""
    result = LoadResult.merged([load for load, _ in windows])
    level = result.summary()
    level["windows_msgs_per_s"] = [load.summary()["msgs_per_s"] for load, _ in windows]
    level["memory_mb"] = {name: max(w["memory_mb"][name] for _, w in windows)
                          for name in windows[0][1]["memory_mb"]}
    level["cpu"] = cpu_sum([w["cpu"] for _, w in windows], result.messages)
    return result, level


def window_order(targets: Sequence[str], rounds: int) -> List[str]:
    """The measured windows of one level: each target `rounds` times, taking turns, every other round
    in reverse (A B, B A, A B ...): a drift of this shared machine's speed over the minutes of a level
    reaches every target alike."""
    return [target for r in range(rounds) for target in (targets if r % 2 == 0 else targets[::-1])]


def warm_up(target: str, url: str, scripts: Sequence[Sequence[str]], args: argparse.Namespace) -> None:
    """Play a target just started, unmeasured: its first turns pay for lazy set-up (first
    predictions, caches, database connections)."""
    say(f"warming {target} up: {max(args.clients)} clients for {FIRST_WARMUP_S} s")
    uvloop.run(run_load(url, scripts, max(args.clients), FIRST_WARMUP_S, warmup_s=0))


def bench_stock(scripts, args, log_dir: Path) -> Dict[str, Any]:
    from bot.stack import free_port

    started = time.monotonic()
    with running_stock_bot(free_port(), log_dir) as (url, process):
        measured: Dict[str, Any] = {"startup_s": round(time.monotonic() - started, 1),
                                    "processes": ["rasa"], "levels": {}}
        say(f"stock bot up in {measured['startup_s']} s at {url}")
        warm_up(STOCK, url, scripts, args)
        for clients in args.clients:
            _, level = combine([measure_window(url, scripts, clients, args, {"rasa": process.pid})
                                for _ in range(args.rounds)])
            measured["levels"][str(clients)] = level
            say(f"stock, {clients} clients: {brief(level)}")
    return measured


def bench_ours(targets: Sequence[str], scripts, args) -> Dict[str, Dict[str, Any]]:
    """A scratch cluster per target, all of them up at once; at every level the targets take turns
    (window_order), then each one's windows are taken together and its two stores compared."""
    from bot.review.database import connect

    measured: Dict[str, Dict[str, Any]] = {}
    clusters, stores = {}, {}
    with ExitStack() as stack:
        for target in targets:
            n = REPLICAS[target]
            settings = scratch_settings("clinic_bench", replicas=n, action_replicas=n)
            started = time.monotonic()
            say(f"starting {target}: {n} Rasa + {n} action replicas, nginx on :{settings.port}, "
                f"databases {make_url(settings.tracker_db_url).database} / "
                f"{make_url(settings.console_db_url).database}, queue {settings.rabbitmq_queue}")
            clusters[target] = stack.enter_context(scratch_cluster(settings, _log_dir(target)))
            measured[target] = {"startup_s": round(time.monotonic() - started, 1),
                                "processes": list(clusters[target].pids()), "levels": {}}
            stores[target] = [connect(make_url(url))
                              for url in (settings.tracker_db_url, settings.console_db_url)]
            for engine in stores[target]:
                stack.callback(engine.dispose)
            say(f"{target} up in {measured[target]['startup_s']} s at {clusters[target].url}")
        pids = {target: cluster.pids() for target, cluster in clusters.items()}
        for target, cluster in clusters.items():
            warm_up(target, cluster.url, scripts, args)
        for clients in args.clients:
            windows: Dict[str, List[Window]] = {target: [] for target in targets}
            for target in window_order(targets, args.rounds):
                windows[target].append(
                    measure_window(clusters[target].url, scripts, clients, args, pids[target]))
                dead = [name for name, pid in pids[target].items() if not Path(f"/proc/{pid}").exists()]
                if dead:
                    raise RuntimeError(f"{target}: {', '.join(dead)} stopped during the load; "
                                       f"see {_log_dir(target)}/log")
            for target in targets:
                result, level = combine(windows[target])
                level["store_check"] = compare_stores(*stores[target], result.sent, args.settle)
                measured[target]["levels"][str(clients)] = level
                say(f"{target}, {clients} clients: {brief(level)}")
    return measured


def _log_dir(target: str) -> Path:
    return LOGS / target


def _git() -> Dict[str, Any]:
    def run(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    try:
        return {"commit": run("rev-parse", "HEAD"), "dirty": bool(run("status", "--porcelain"))}
    except OSError:
        return {}


def environment(args: argparse.Namespace, scripts: Sequence[Sequence[str]]) -> Dict[str, Any]:
    memory_kb = next((int(line.split()[1]) for line in (PROC / "meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "memory_mb": round(memory_kb / 1024),
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "machine_util_before_start": util_now(),
        "rasa_version": version("rasa"), "python": platform.python_version(),
        "platform": platform.platform(), "git": _git(),
        "duration_s": args.duration, "warmup_s": args.warmup, "timeout_s": args.timeout,
        "clients": args.clients, "targets": args.targets,
        "conversations": {"scripts": len(scripts), "messages": sum(len(s) for s in scripts),
                          "red_flag_share": args.red_flag_share},
    }


def _clients(value: str) -> List[int]:
    levels = [int(v) for v in value.split(",") if v.strip()]
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("--clients: positive numbers, comma-separated")
    return levels


def _targets(value: str) -> List[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = set(chosen) - set(TARGETS)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"--targets: choose from {','.join(TARGETS)}")
    return [t for t in TARGETS if t in chosen]


def parse_args(argv: Optional[Sequence[str]] = None,
               env: Optional[Dict[str, str]] = None) -> argparse.Namespace:
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(prog="python -m bot.cli.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=float(env.get("BENCH_DURATION") or 50),
                        help="measured seconds per target and level (default: BENCH_DURATION or 50)")
    parser.add_argument("--rounds", type=int, default=int(env.get("BENCH_ROUNDS") or 5),
                        help="windows per target and level, the targets taking turns (default: "
                             "BENCH_ROUNDS or 5)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds played before each window")
    parser.add_argument("--clients", type=_clients, default=list(DEFAULT_CLIENTS),
                        help="concurrent clients per level (default 1,10,50)")
    parser.add_argument("--targets", type=_targets, default=list(TARGETS),
                        help=f"what to measure (default {','.join(TARGETS)})")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a reply is an error")
    parser.add_argument("--settle", type=float, default=30.0,
                        help="seconds to wait for the console's store to catch up after a level")
    parser.add_argument("--red-flag-share", type=float, default=0.3)
    parser.add_argument("--out", type=Path, help="also write the JSON results here")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rounds < 1:
        parser.error("--duration and --rounds must be positive")
    return args


def _interrupted(signum: int, frame: Any) -> None:
    # once: a second Ctrl-C must not cut the clean-up (processes, databases, queue) short
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    say("interrupted: stopping every process and removing the scratch databases and queue...")
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> Dict[str, Any]:
    scripts = [script.turns for script in conversation_mix(args.red_flag_share)]
    report: Dict[str, Any] = {"environment": environment(args, scripts), "results": {}}
    say(f"{len(args.targets)} targets x levels {args.clients}: {args.duration} s each in {args.rounds} "
        f"windows, {args.warmup} s warm-up before each; {len(scripts)} conversation scripts; "
        f"logs in {LOGS}")
    started = time.monotonic()
    for target in args.targets:
        shutil.rmtree(_log_dir(target), ignore_errors=True)
        _log_dir(target).mkdir(parents=True)
    ours = [target for target in args.targets if target != STOCK]
    if STOCK in args.targets:
        report["results"].update(
            _recorded([STOCK], lambda: {STOCK: bench_stock(scripts, args, _log_dir(STOCK))}))
    if ours:
        report["results"].update(_recorded(ours, lambda: bench_ours(ours, scripts, args)))
    report["wall_s"] = round(time.monotonic() - started, 1)
    report["ratios"], report["targets"] = ratios_and_targets(report["results"], args.clients,
                                                             os.cpu_count())
    return report


def _recorded(targets: List[str], measure: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """measure() ({target: results}), or the error it raised recorded for each of `targets`, so
    that the run goes on with the other targets."""
    try:
        return measure()
    except Exception as error:  # noqa: BLE001 - record it, go on with the next target
        say(f"{', '.join(targets)} failed: {error}")
        return {target: {"error": str(error), "levels": {}} for target in targets}


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    previous = {sig: signal.signal(sig, _interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        report = run(args)
    except KeyboardInterrupt:
        say("stopped; nothing written")
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    text = json.dumps(report, sort_keys=False)
    for path in filter(None, (RESULTS, args.out)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(text, flush=True)
    failed = missed(report["targets"])
    if failed:
        say(f"targets missed: {', '.join(failed)}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
