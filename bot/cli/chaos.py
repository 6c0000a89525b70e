"""`make test-chaos`: faults injected into the production profile under load; nothing may be lost and
every red flag must be referred within 2 s.

    python -m bot.cli.chaos [--clients 15] [--steady 4] [--faults actions_hung,...] [--out path]

The profile (bot/cluster/: nginx, 2 Rasa replicas, 2 action servers, relay, consumer) runs on a
PostgreSQL, a Redis and a RabbitMQ of its own (bot/bench/scratch_servers.py), never on the machine's
shared servers, supervised as `make cluster` does (a process that exits is started again). Once
every replica has played a warm-up conversation, `--clients` widget-like clients (chaos_load.py:
bench conversations with emergencies mixed in, a typing pause between messages, retries with the same
message_id) talk to it through nginx while the faults (bot/bench/faults.py) hit it one after
another, `--steady` seconds of plain load before, between and after them. While the action servers
hang, IN_FLIGHT_FLAGS conversations each send a question that waits on them and, a second later, a
red flag (bot/bench/chaos_load.py: `in_flight`): each red flag must be referred within the limit
although its conversation's turn is held up, and both messages stored. Then the load stops, the
console's store is given time to catch up, and both stores are read back (bot/bench/chaos_report.py).

The report goes to var/chaos/report.json (and --out), the processes' logs to var/chaos/run/log/;
the last line of stdout is a one-line summary. Exit code 0 only if nothing was lost and no
referral was late.
"""
import argparse
import json
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import requests
import uvloop
from sqlalchemy.engine import make_url

from bot.bench.chaos_load import RED_FLAGS, ChaosLoad, chaos_conversations
from bot.bench.chaos_report import (
    REFERRAL_LIMIT_S,
    console_section,
    fault_windows,
    in_flight_section,
    messages_section,
    red_flags_section,
    stored_message_ids,
    summary_line,
    verdict,
)
from bot.bench.cluster import compare_stores, scratch_settings
from bot.bench.conversations import conversation_mix
from bot.bench.faults import ACTIONS_QUESTION, Faults
from bot.bench.scratch_servers import scratch_servers
from bot.bench.supervisor import Supervisor
from bot.cluster.stack import Cluster, running_cluster
from bot.paths import ROOT
from bot.review.database import connect

FAULTS = ("actions_hung", "actions_killed", "postgres_restarted", "redis_stopped",
          "rabbitmq_stopped", "replica_killed")
CHAOS_DIR = ROOT / "var" / "chaos"
REPORT = CHAOS_DIR / "report.json"
CONSOLE_CATCH_UP_S = 60
IN_FLIGHT_FLAGS = RED_FLAGS  # one question + red flag conversation each, while actions hang
WARM_UP = ("hi", "my calf keeps cramping", "since yesterday", "I was running", "about a 6",
           "none of these apply", "is heat or ice better?", "what's the clinic number",
           RED_FLAGS[0], "thanks")


def say(text: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=15, help="concurrent conversations")
    p.add_argument("--steady", type=float, default=4.0,
                   help="seconds of plain load before, between and after the faults")
    p.add_argument("--faults", default=",".join(FAULTS), help="in this order; from " + ",".join(FAULTS))
    p.add_argument("--limit", type=float, default=REFERRAL_LIMIT_S, help="seconds for a referral")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="also write the report here")
    return p


def warm_up(cluster: Cluster) -> None:
    """A conversation on every replica directly, not counted: first predictions, the first form
    and the first action calls of a process are slow."""
    for address in cluster.settings.rasa_addresses():
        for text in WARM_UP:
            requests.post(f"http://{address}/webhooks/rest/webhook", timeout=60,
                          json={"sender": f"chaos-warm-up-{address}", "message": text}
                          ).raise_for_status()


def inject(faults: Faults, names: Sequence[str], steady_s: float) -> None:
    time.sleep(steady_s)
    for name in names:
        getattr(faults, name)()
        time.sleep(steady_s)


def run(args: argparse.Namespace) -> Dict[str, Any]:
    names = [name.strip() for name in args.faults.split(",") if name.strip()]
    unknown = set(names) - set(FAULTS)
    if unknown:
        raise SystemExit(f"unknown faults {sorted(unknown)}; choose from {FAULTS}")
    run_dir = CHAOS_DIR / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    started = time.monotonic()
    say("starting PostgreSQL, Redis and RabbitMQ of this run's own")
    with scratch_servers(log_dir=run_dir / "log") as servers:
        settings = scratch_settings("clinic_chaos", pg=servers.postgres_url,
                                    redis_url=servers.redis_url, rabbitmq_url=servers.rabbitmq_url)
        say(f"starting the production profile: nginx on :{settings.port}, logs in {run_dir}/log")
        with running_cluster(settings, run_dir) as cluster:
            warm_up(cluster)
            say(f"up after {time.monotonic() - started:.0f} s")
            report = _under_load(cluster, servers, names, args)
    report["total_s"] = round(time.monotonic() - started, 1)
    return report


def _under_load(cluster: Cluster, servers, names: List[str], args: argparse.Namespace
                ) -> Dict[str, Any]:
    conversations = chaos_conversations([s.turns for s in conversation_mix(0.3, seed=args.seed)])
    load = ChaosLoad(cluster.url, conversations, args.clients, seed=args.seed)
    supervisor = Supervisor(cluster)
    faults = Faults(cluster, servers, say,
                    while_hung=lambda: _in_flight(load, IN_FLIGHT_FLAGS))
    stop = threading.Event()
    clients = threading.Thread(target=lambda: uvloop.run(load.run(stop)), name="load")
    supervisor.start()
    origin = time.monotonic()
    say(f"load: {args.clients} clients; faults: {', '.join(names)}")
    clients.start()
    fault_error = None
    try:
        inject(faults, names, args.steady)
    except Exception as error:  # noqa: BLE001 - a fault that did not end fails the run, reported
        fault_error = f"{type(error).__name__}: {error}"
        say(f"fault failed: {fault_error}")
    finally:
        stop.set()
        clients.join()
    load_s = time.monotonic() - origin
    say(f"load stopped after {load_s:.0f} s, {len(load.messages)} messages; "
        "waiting for the console's store")
    try:
        report = _read_back(cluster, load, faults, origin, args.limit,
                            in_flight_expected="actions_hung" in names)
    finally:
        supervisor.stop()
    report.update(clients=args.clients, load_s=round(load_s, 1), fault_error=fault_error,
                  restarts=[{"process": name, "at_s": round(at - origin, 2)}
                            for name, at in supervisor.restarts])
    report["passed"] = report["passed"] and fault_error is None
    return report


def _in_flight(load: ChaosLoad, red_flags: Sequence[str]) -> None:
    say(f"in flight: {len(red_flags)} questions waiting on the hung action servers, each with a "
        "red flag behind it in its conversation")
    pairs = load.run_in_flight(ACTIONS_QUESTION, red_flags)
    say("in flight: red flags answered after " + ", ".join(
        f"{p.red_flag.latency_s:.2f} s" if p.red_flag.latency_s is not None else "never"
        for p in pairs))


def _read_back(cluster: Cluster, load: ChaosLoad, faults: Faults, origin: float,
               limit_s: float, in_flight_expected: bool = False) -> Dict[str, Any]:
    tracker = connect(make_url(cluster.settings.tracker_db_url))
    console = connect(make_url(cluster.settings.console_db_url))
    try:
        sent: Dict[str, List[str]] = {}
        for message in load.messages:
            sent.setdefault(message.sender, []).append(message.text)
        comparison = compare_stores(tracker, console, sent, timeout_s=CONSOLE_CATCH_UP_S)
        in_tracker = stored_message_ids(tracker, sent)
        in_console = stored_message_ids(console, sent)
    finally:
        tracker.dispose()
        console.dispose()
    report: Dict[str, Any] = {
        "messages": messages_section(load.messages, in_tracker, origin),
        "red_flags": red_flags_section(load.messages, origin, limit_s),
        "in_flight": in_flight_section(load.in_flight, in_tracker, origin, limit_s,
                                       expected=in_flight_expected),
        "console": console_section(load.messages, in_console, comparison),
        "faults": fault_windows(faults.done, load.messages, origin, limit_s),
    }
    report["passed"] = verdict(report)
    return report


def write(report: Dict[str, Any], *paths: Optional[Path]) -> None:
    for path in filter(None, paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    report = run(args)
    write(report, REPORT, args.out)
    say(f"report: {REPORT}")
    print(summary_line(report), flush=True)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
