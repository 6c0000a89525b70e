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
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import uvloop  # the load generator's own CPU competes with the servers: keep it low
from sqlalchemy.engine import Engine, make_url

from bot.bench.cluster import event_counts, scratch_cluster, scratch_settings, user_texts_of
from bot.bench.conversations import conversation_mix
from bot.bench.load import LoadResult, run_load
from bot.bench.memory import PROC, PeakMemory, descendants
from bot.bench.stock import BENCH_DIR, running_stock_bot
from bot.paths import ROOT

STOCK, ONE, TWO = "stock", "ours_1_replica", "ours_2_replicas"
TARGETS = (STOCK, ONE, TWO)
REPLICAS = {ONE: 1, TWO: 2}
DEFAULT_CLIENTS = (1, 10, 50)
RESULTS = BENCH_DIR / "results.json"
LOGS = BENCH_DIR / "logs"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVICES = {"postgres": "postgres", "rabbitmq": "beam.smp", "redis": "redis-server"}  # name: comm
MIN_SPEEDUP, MAX_MEMORY_RATIO = 1.7, 1.2


# --------------------------------------------------------------------------------------------------
# CPU time from /proc
# --------------------------------------------------------------------------------------------------
def machine_cpu_s(stat: Path = PROC / "stat") -> Dict[str, float]:
    """CPU seconds of all cores since boot: busy (user, nice, system, irq, softirq, steal) and idle
    (idle, iowait)."""
    fields = [int(v) for v in stat.read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return {"busy": (user + nice + system + irq + softirq + steal) / CLK_TCK,
            "idle": (idle + iowait) / CLK_TCK}


def process_cpu_s(pid: int, children: bool = True) -> float:
    """utime + stime of `pid` in seconds; with `children` also the CPU time of its children that have
    exited and been waited for (cutime + cstime). 0.0 for a process that is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # fields[0] is field 3 (state) of proc(5)
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of `pid` and every process below it, exited (waited-for) descendants included."""
    return sum(process_cpu_s(p) for p in [pid, *descendants(pid)])


def service_pids() -> Dict[str, int]:
    """{name: pid} of the root process of PostgreSQL, RabbitMQ and Redis, where they run here."""
    comms: Dict[int, Tuple[str, int]] = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            try:
                stat = (PROC / entry.name / "stat").read_text()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            comms[int(entry.name)] = (comm, int(stat.rsplit(")", 1)[1].split()[1]))
    found = {}
    for name, comm in SERVICES.items():
        roots = [pid for pid, (c, parent) in comms.items()
                 if c == comm and comms.get(parent, ("", 0))[0] != comm]
        if roots:
            found[name] = min(roots)
    return found


def cpu_snapshot(trees: Dict[str, int]) -> Dict[str, Any]:
    """Now: the machine's CPU seconds, every tree's and this process's own."""
    return {"at": time.monotonic(), "machine": machine_cpu_s(),
            "processes": {**{name: tree_cpu_s(pid) for name, pid in trees.items()},
                          "bench": process_cpu_s(os.getpid(), children=False)}}


def cpu_between(start: Dict[str, Any], end: Dict[str, Any], messages: int = 0) -> Dict[str, Any]:
    """Where the CPU went between two snapshots: machine busy seconds and utilisation (of all cores),
    seconds per process, `other_s` (busy time of everything not listed: other users of the machine)
    and busy CPU milliseconds per message."""
    wall = end["at"] - start["at"]
    busy = end["machine"]["busy"] - start["machine"]["busy"]
    idle = end["machine"]["idle"] - start["machine"]["idle"]
    processes = {name: round(max(0.0, end["processes"][name] - start["processes"].get(name, 0.0)), 2)
                 for name in end["processes"]}
    return {
        "wall_s": round(wall, 2),
        "machine_busy_s": round(busy, 2),
        "machine_util": round(busy / (busy + idle), 3) if busy + idle > 0 else None,
        "processes_s": processes,
        "other_s": round(busy - sum(processes.values()), 2),
        "busy_ms_per_msg": round(busy * 1000 / messages, 1) if messages else None,
    }


# --------------------------------------------------------------------------------------------------
# the two event stores
# --------------------------------------------------------------------------------------------------
def compare_stores(tracker: Engine, console: Engine, sent: Dict[str, List[str]],
                   timeout_s: float = 30, poll_s: float = 0.5) -> Dict[str, Any]:
    """Wait (up to `timeout_s`) until the console's store holds as many events as the tracker store
    for every sender of `sent`; then lost_events (the tracker's events the console lacks), and
    missing_messages (messages of `sent` that are not a user event in the tracker store)."""
    senders = [sender for sender, messages in sent.items() if messages]
    started = time.monotonic()
    while True:
        in_tracker, in_console = event_counts(tracker, senders), event_counts(console, senders)
        caught_up = in_tracker == in_console
        if caught_up or time.monotonic() - started >= timeout_s:
            break
        time.sleep(poll_s)
    waited = time.monotonic() - started
    stored = user_texts_of(tracker, senders)
    missing = extra = 0
    for sender in senders:
        expected, found = Counter(sent[sender]), Counter(stored[sender])
        missing += sum((expected - found).values())
        extra += sum((found - expected).values())
    return {
        "senders": len(senders),
        "messages_sent": sum(len(sent[s]) for s in senders),
        "tracker_events": sum(in_tracker.values()),
        "console_events": sum(in_console.values()),
        "lost_events": sum(max(0, in_tracker[s] - in_console[s]) for s in senders),
        "extra_console_events": sum(max(0, in_console[s] - in_tracker[s]) for s in senders),
        "senders_differing": sum(in_tracker[s] != in_console[s] for s in senders),
        "console_caught_up_after_s": round(waited, 1) if caught_up else None,
        "missing_messages": missing,
        "unexpected_messages": extra,
    }


# --------------------------------------------------------------------------------------------------
# ratios and targets (pure)
# --------------------------------------------------------------------------------------------------
def _level(results: Dict[str, Any], target: str, clients: int) -> Optional[Dict[str, Any]]:
    return ((results.get(target) or {}).get("levels") or {}).get(str(clients))


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def _p50(level: Optional[Dict[str, Any]]) -> Optional[float]:
    return (level or {}).get("latency_ms", {}).get("p50")


def _rate(level: Optional[Dict[str, Any]]) -> Optional[float]:
    return (level or {}).get("msgs_per_s")


def peak_rasa_mb(target: Optional[Dict[str, Any]]) -> Optional[float]:
    """The largest peak RSS of the target's Rasa server processes (`rasa`, `rasa-1`, ...)."""
    peaks = [mb for level in ((target or {}).get("levels") or {}).values()
             for name, mb in level.get("memory_mb", {}).items() if name.split("-")[0] == "rasa"]
    return max(peaks) if peaks else None


def _clean(level: Optional[Dict[str, Any]]) -> Optional[bool]:
    if level is None or "store_check" not in level:
        return None
    check = level["store_check"]
    return level["errors"] == 0 and check["lost_events"] == 0 and check["missing_messages"] == 0


def ratios_and_targets(results: Dict[str, Any], clients: Sequence[int]
                       ) -> Tuple[Dict[str, Any], Dict[str, Optional[bool]]]:
    """From {target: {"levels": {"<clients>": summary}}}: the ratios, and whether each target is met
    (None when what it needs was not measured). "At 1 client" is the lowest level, "at 50" the highest."""
    low, high = min(clients), max(clients)
    p50 = {str(c): _ratio(_p50(_level(results, ONE, c)), _p50(_level(results, STOCK, c)))
           for c in clients}
    speedup = {str(c): _ratio(_rate(_level(results, TWO, c)), _rate(_level(results, ONE, c)))
               for c in clients}
    stock_mb = peak_rasa_mb(results.get(STOCK))
    ours_mb = [mb for mb in (peak_rasa_mb(results.get(t)) for t in (ONE, TWO)) if mb is not None]
    memory = _ratio(max(ours_mb) if ours_mb else None, stock_mb)
    clean = [_clean(_level(results, t, high)) for t in (ONE, TWO)]
    ratios = {
        "lowest_clients": low, "highest_clients": high,
        "p50_ours_1_replica_over_stock": p50,
        "msgs_per_s_2_replicas_over_1": speedup,
        "rasa_peak_rss_mb": {"stock": stock_mb, "ours_max": max(ours_mb) if ours_mb else None,
                             ONE: peak_rasa_mb(results.get(ONE)), TWO: peak_rasa_mb(results.get(TWO))},
        "memory_ours_rasa_over_stock_rasa": memory,
    }
    targets = {
        "p50_not_worse_than_stock": None if p50[str(low)] is None else p50[str(low)] <= 1.0,
        "two_replicas_1_7x": None if speedup[str(high)] is None else speedup[str(high)] >= MIN_SPEEDUP,
        "no_errors_no_lost_events_at_50": None if None in clean else all(clean),
        "memory_within_1_2x": None if memory is None else memory <= MAX_MEMORY_RATIO,
    }
    return ratios, targets


def missed(targets: Dict[str, Optional[bool]]) -> List[str]:
    """The targets not met (or not measured)."""
    return [name for name, met in targets.items() if met is not True]


# --------------------------------------------------------------------------------------------------
# human-readable table
# --------------------------------------------------------------------------------------------------
def _fmt(value: Any, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def _other_util(cpu: Dict[str, Any], cores: Optional[int]) -> Optional[float]:
    """The share of all cores busy with other processes than the measured ones (other users)."""
    if not cpu.get("wall_s") or not cores:
        return None
    return max(0.0, cpu["other_s"]) / (cpu["wall_s"] * cores)


def table(report: Dict[str, Any]) -> str:
    lines = [f"{'target':<16}{'clients':>8}{'msgs/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}"
             f"{'empty':>7}{'rasa MB':>9}{'CPU%':>6}{'other%':>7}{'lost':>6}{'missing':>8}"]
    for target, measured in report["results"].items():
        for clients, level in (measured.get("levels") or {}).items():
            latency, check = level["latency_ms"], level.get("store_check") or {}
            rasa = [mb for name, mb in level["memory_mb"].items() if name.split("-")[0] == "rasa"]
            cpu = level["cpu"]
            util, other = cpu["machine_util"], _other_util(cpu, report["environment"]["cpu_count"])
            lines.append(
                f"{target:<16}{clients:>8}{_fmt(level['msgs_per_s'], '.1f'):>9}"
                f"{_fmt(latency['p50'], '.0f'):>8}{_fmt(latency['p95'], '.0f'):>8}"
                f"{_fmt(latency['p99'], '.0f'):>8}{level['errors']:>8}{level['empty_replies']:>7}"
                f"{_fmt(max(rasa) if rasa else None, '.0f'):>9}"
                f"{_fmt(None if util is None else util * 100, '.0f'):>6}"
                f"{_fmt(None if other is None else other * 100, '.0f'):>7}"
                f"{_fmt(check.get('lost_events')):>6}{_fmt(check.get('missing_messages')):>8}")
        if measured.get("error"):
            lines.append(f"{target:<16} FAILED: {measured['error']}")
    lines.append("latency in ms; rasa MB = peak RSS of the largest Rasa process; CPU% = machine (all "
                 "cores) during the measured window, other% = of it, processes not part of the bench")
    ratios = report["ratios"]
    lines.append(f"p50 ours(1 replica)/stock: {ratios['p50_ours_1_replica_over_stock']}; "
                 f"msgs/s 2 replicas/1: {ratios['msgs_per_s_2_replicas_over_1']}; "
                 f"Rasa memory ours/stock: {ratios['memory_ours_rasa_over_stock_rasa']}")
    lines += [f"  {'met' if met else 'not measured' if met is None else 'MISSED':<13}{name}"
              for name, met in report["targets"].items()]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# running it
# --------------------------------------------------------------------------------------------------
def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure_level(url: str, scripts: Sequence[Sequence[str]], clients: int, args: argparse.Namespace,
                  processes: Dict[str, int]) -> Tuple[LoadResult, Dict[str, Any]]:
    """One load level: run_load plus peak memory of `processes` and CPU over the measured window."""
    trees = {**processes, **service_pids()}
    nginx = {name: pid for name, pid in processes.items() if name == "nginx"}
    memory = PeakMemory({n: p for n, p in processes.items() if n not in nginx}, interval_s=0.5)
    memory_nginx = PeakMemory(nginx, interval_s=0.5, include_children=True)  # master + worker
    window: Dict[str, Any] = {}
    timer = threading.Timer(args.warmup, lambda: window.update(cpu_snapshot(trees)))
    timer.daemon = True
    memory.start(), memory_nginx.start()
    timer.start()
    try:
        result = uvloop.run(run_load(url, scripts, clients, args.duration, timeout_s=args.timeout,
                                      warmup_s=args.warmup))
    finally:
        timer.cancel()
        peaks = {**memory.stop(), **memory_nginx.stop()}
    end = cpu_snapshot(trees)
    level = result.summary()
    level["memory_mb"] = {name: peaks[name] for name in processes}
    level["cpu"] = cpu_between(window or end, end, result.messages)
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
            say(f"stock, {clients} clients: {_brief(level)}")
    return measured


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
            for clients in args.clients:
                result, level = measure_level(cluster.url, scripts, clients, args, processes)
                level["store_check"] = compare_stores(tracker, console, result.sent, args.settle)
                measured["levels"][str(clients)] = level
                say(f"{target}, {clients} clients: {_brief(level)}")
                dead = [name for name, pid in processes.items() if not Path(f"/proc/{pid}").exists()]
                if dead:
                    raise RuntimeError(f"{', '.join(dead)} stopped during the load; see {log_dir}/log")
        finally:
            tracker.dispose()
            console.dispose()
    return measured


def _brief(level: Dict[str, Any]) -> str:
    check = level.get("store_check")
    stores = (f", lost {check['lost_events']}, missing {check['missing_messages']}"
              f" (console caught up after {check['console_caught_up_after_s']} s)") if check else ""
    return (f"{level['msgs_per_s']} msgs/s, p50 {level['latency_ms']['p50']} ms, p95 "
            f"{level['latency_ms']['p95']} ms, errors {level['errors']}, CPU "
            f"{level['cpu']['machine_util']} (other processes {level['cpu']['other_s']} s){stores}")


def _git() -> Dict[str, Any]:
    def run(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    try:
        return {"commit": run("rev-parse", "HEAD"), "dirty": bool(run("status", "--porcelain"))}
    except OSError:
        return {}


def _util_now(seconds: float = 1.0) -> Optional[float]:
    """How busy all cores are over the next `seconds` (before anything of the bench runs)."""
    start = machine_cpu_s()
    time.sleep(seconds)
    end = machine_cpu_s()
    busy, idle = end["busy"] - start["busy"], end["idle"] - start["idle"]
    return round(busy / (busy + idle), 3) if busy + idle > 0 else None


def environment(args: argparse.Namespace, scripts: Sequence[Sequence[str]]) -> Dict[str, Any]:
    memory_kb = next((int(line.split()[1]) for line in (PROC / "meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:")), 0)
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "memory_mb": round(memory_kb / 1024),
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
        "machine_util_before_start": _util_now(),
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
    report["ratios"], report["targets"] = ratios_and_targets(report["results"], args.clients)
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
