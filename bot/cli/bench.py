"""`make bench`: latency, throughput, errors, memory and CPU of the stock starter bot and of this assistant
(production profile, one and two replicas) under the same closed-loop REST load, in one run.

    python -m bot.cli.bench [--duration 30] [--warmup 5] [--clients 1,10,50]
        [--targets stock,ours_1_replica,ours_2_replicas] [--out path.json] [--check]

Targets, one after another (each started on free ports, measured at every client level, stopped):
  stock            Rasa's starter bot (`rasa init`, bot/bench/stock.py): one `rasa run`, REST channel
  ours_1_replica   the production profile (bot/cluster/) with 1 Rasa + 1 action replica, through nginx,
                   on this machine's PostgreSQL, Redis and RabbitMQ (scratch databases and queue)
  ours_2_replicas  the same with 2 Rasa + 2 action replicas
Every level plays the same deterministic conversation_mix() with `run_load`: a warm-up (not counted),
then the measured window (--duration, or BENCH_DURATION, default 30 s). Per level: latency
percentiles, msgs/s, errors by kind, empty replies, peak RSS of every process (PeakMemory; nginx with
its worker), CPU seconds of the whole machine (/proc/stat) and of every process tree
(/proc/<pid>/stat utime+stime of it and its children, dead children included) over the measured
window, plus the load generator itself ("bench") and PostgreSQL, RabbitMQ and Redis. For ours, after
each level: until the console's store has as many events as the tracker store for every sender of the
level (waited for up to --settle seconds), then lost_events and missing_messages.

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
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy.engine import make_url

from bot.bench.cluster import compare_stores, scratch_cluster, scratch_settings
from bot.bench.conversations import conversation_mix
from bot.bench.cpu import service_pids, util_now
from bot.bench.load import LoadResult
from bot.bench.memory import PROC, PeakMemory
from bot.bench.report import ONE, STOCK, TARGETS, TWO, brief, missed, ratios_and_targets, table
from bot.bench.stock import BENCH_DIR, running_stock_bot
from bot.bench.window import measured_load
from bot.paths import ROOT

REPLICAS = {ONE: 1, TWO: 2}
DEFAULT_CLIENTS = (1, 10, 50)
RESULTS = BENCH_DIR / "results.json"
LOGS = BENCH_DIR / "logs"


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure_level(url: str, scripts: Sequence[Sequence[str]], clients: int, args: argparse.Namespace,
                  processes: Dict[str, int]) -> Tuple[LoadResult, Dict[str, Any]]:
    """One load level: run_load plus peak memory of `processes` and CPU over the measured window."""
    trees = {**processes, **service_pids()}
    nginx = {name: pid for name, pid in processes.items() if name == "nginx"}
    memory = PeakMemory({n: p for n, p in processes.items() if n not in nginx}, interval_s=0.5)
    memory_nginx = PeakMemory(nginx, interval_s=0.5, include_children=True)  # master + worker
    memory.start(), memory_nginx.start()
    try:
        result, cpu = measured_load(url, scripts, clients, args.duration, args.warmup, trees,
                                    timeout_s=args.timeout)
    finally:
        peaks = {**memory.stop(), **memory_nginx.stop()}
    level = result.summary()
    level["memory_mb"] = {name: peaks[name] for name in processes}
    level["cpu"] = cpu
    return result, level


def bench_stock(scripts, args, log_dir: Path) -> Dict[str, Any]:
    from bot.stack import free_port

    started = time.monotonic()
    with running_stock_bot(free_port(), log_dir) as (url, process):
        measured: Dict[str, Any] = {"startup_s": round(time.monotonic() - started, 1),
                                    "processes": ["rasa"], "levels": {}}
        say(f"stock bot up in {measured['startup_s']} s at {url}")
        for clients in args.clients:
            _, level = measure_level(url, scripts, clients, args, {"rasa": process.pid})
            measured["levels"][str(clients)] = level
            say(f"stock, {clients} clients: {brief(level)}")
    return measured


def level_order(target: str, clients: Sequence[int]) -> List[int]:
    """Two replicas play the levels in reverse, so that the two measurements the scaling target
    compares (one and two replicas at the most clients) run back to back: this shared machine's
    speed drifts over minutes."""
    return sorted(clients, reverse=target == TWO)


def bench_ours(target: str, scripts, args, log_dir: Path) -> Dict[str, Any]:
    from bot.review.database import connect

    n = REPLICAS[target]
    settings = scratch_settings("clinic_bench", replicas=n, action_replicas=n)
    started = time.monotonic()
    say(f"starting {target}: {n} Rasa + {n} action replicas, nginx on :{settings.port}, "
        f"databases {make_url(settings.tracker_db_url).database} / "
        f"{make_url(settings.console_db_url).database}, queue {settings.rabbitmq_queue}")
    with scratch_cluster(settings, log_dir) as cluster:
        processes = cluster.pids()
        measured: Dict[str, Any] = {"startup_s": round(time.monotonic() - started, 1),
                                    "processes": list(processes), "levels": {}}
        say(f"{target} up in {measured['startup_s']} s at {cluster.url}")
        tracker = connect(make_url(settings.tracker_db_url))
        console = connect(make_url(settings.console_db_url))
        try:
            for clients in level_order(target, args.clients):
                result, level = measure_level(cluster.url, scripts, clients, args, processes)
                level["store_check"] = compare_stores(tracker, console, result.sent, args.settle)
                measured["levels"][str(clients)] = level
                say(f"{target}, {clients} clients: {brief(level)}")
                dead = [name for name, pid in processes.items() if not Path(f"/proc/{pid}").exists()]
                if dead:
                    raise RuntimeError(f"{', '.join(dead)} stopped during the load; see {log_dir}/log")
        finally:
            tracker.dispose()
            console.dispose()
    return measured


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
    parser.add_argument("--duration", type=float, default=float(env.get("BENCH_DURATION") or 30),
                        help="measured seconds per level (default: BENCH_DURATION or 30)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds played before each level")
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
    if args.duration <= 0:
        parser.error("--duration must be positive")
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
    say(f"{len(args.targets)} targets x levels {args.clients}, {args.warmup} s warm-up + "
        f"{args.duration} s each; {len(scripts)} conversation scripts; logs in {LOGS}")
    started = time.monotonic()
    for target in args.targets:
        log_dir = LOGS / target
        shutil.rmtree(log_dir, ignore_errors=True)
        log_dir.mkdir(parents=True)
        try:
            report["results"][target] = (bench_stock(scripts, args, log_dir) if target == STOCK
                                         else bench_ours(target, scripts, args, log_dir))
        except Exception as error:  # noqa: BLE001 - record it, go on with the next target
            say(f"{target} failed: {error}")
            report["results"][target] = {"error": str(error), "levels": {}}
    report["wall_s"] = round(time.monotonic() - started, 1)
    report["ratios"], report["targets"] = ratios_and_targets(report["results"], args.clients,
                                                             os.cpu_count())
    return report


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
