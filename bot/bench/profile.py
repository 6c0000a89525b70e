"""`make profile`: where one process of the production profile spends its time under load (py-spy).

    python -m bot.bench.profile [--process rasa-1|actions-1|consumer] [--clients 10] [--duration 20]
        [--warmup 5] [--idle]

A scratch cluster (bot/bench/cluster.py) with one Rasa and one action replica plays the benchmark's
conversation_mix() over REST: a warm-up (not counted), then the measured window, during which
`py-spy record --rate 200 --format raw` samples the chosen process (py-spy pauses it for each sample,
so msgs/s are somewhat lower than `make bench`'s). Printed: messages, msgs/s, CPU milliseconds per
message of every process (bot/bench/cpu.py), the functions with the largest inclusive share of the
samples (the function is on the stack; once per stack, whatever its line) and self share (it is the
running frame). The stacks are kept in var/bench/profile-<process>.txt, folded (one "frame;frame;...
count" line per stack): `speedscope` or `flamegraph.pl` render it. py-spy needs ptrace permission
(root, or CAP_SYS_PTRACE).
"""
import argparse
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.bench.cluster import scratch_cluster, scratch_settings
from bot.bench.conversations import conversation_mix
from bot.bench.cpu import service_pids
from bot.bench.stock import BENCH_DIR
from bot.bench.window import measured_load

PROCESSES = ("rasa-1", "actions-1", "consumer")
PY_SPY = Path(sys.executable).parent / "py-spy"
RATE = 200  # samples per second
LOGS = BENCH_DIR / "logs" / "profile"
TOP_INCLUSIVE, TOP_SELF = 30, 20
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*?)(?::\d+)?\)$")

Stack = Tuple[List[str], int]  # frames (outermost first), samples


# --------------------------------------------------------------------------------------------------
# folded stacks (pure)
# --------------------------------------------------------------------------------------------------
def read_folded(lines: Iterable[str]) -> List[Stack]:
    """The stacks of py-spy's raw (folded) output: one "frame;frame;... samples" a line."""
    stacks = []
    for line in lines:
        if line.strip():
            frames, samples = line.rstrip("\n").rsplit(" ", 1)
            stacks.append((frames.split(";"), int(samples)))
    return stacks


def function_of(frame: str) -> str:
    """"name (file:line)" → "name (file)": the function, whichever of its lines was running."""
    match = FRAME.match(frame)
    return f"{match['function']} ({match['file']})" if match else frame


def shares(stacks: Sequence[Stack]) -> Tuple[Dict[str, float], Dict[str, float]]:
    """Percent of all samples per function: inclusive (on the stack, once however often it appears
    there) and self (the innermost frame)."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for frames, samples in stacks:
        functions = [function_of(frame) for frame in frames]
        inclusive.update(dict.fromkeys(functions, samples))
        own[functions[-1]] += samples
    total = sum(samples for _, samples in stacks)
    return ({f: round(100 * n / total, 1) for f, n in inclusive.items()},
            {f: round(100 * n / total, 1) for f, n in own.items()})


def top(share: Dict[str, float], count: int) -> List[Tuple[str, float]]:
    """The `count` functions with the largest share, largest first (then by name)."""
    return sorted(share.items(), key=lambda item: (-item[1], item[0]))[:count]


def cpu_lines(cpu: Dict[str, Any], messages: int) -> List[str]:
    """CPU seconds and milliseconds per message of every process, then of the whole machine."""
    per_message = (lambda s: f"{s * 1000 / messages:9.1f}") if messages else (lambda s: f"{'-':>9}")
    lines = [f"{'process':<12}{'CPU s':>8}{'ms/msg':>9}"]
    lines += [f"{name:<12}{seconds:>8.2f}{per_message(seconds)}"
              for name, seconds in cpu["processes_s"].items()]
    lines.append(f"{'machine':<12}{cpu['machine_busy_s']:>8.2f}{per_message(cpu['machine_busy_s'])}")
    return lines


# --------------------------------------------------------------------------------------------------
# running it
# --------------------------------------------------------------------------------------------------
def say(text: str) -> None:
    print(f"[profile {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def record(pid: int, seconds: int, output: Path, idle: bool = False) -> subprocess.Popen:
    """py-spy sampling `pid` for `seconds` into `output` (raw, folded stacks); with `idle`, waiting
    frames too (wall time: where a turn waits for PostgreSQL, Redis, the action server...)."""
    return subprocess.Popen([str(PY_SPY), "record", "--rate", str(RATE), "--format", "raw",
                             "--output", str(output), "--duration", str(seconds), "--pid", str(pid),
                             *(["--idle"] if idle else [])],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def profile(args: argparse.Namespace, output: Path) -> Optional[Dict[str, Any]]:
    """Load a scratch cluster, sample `args.process` during the measured window. The load summary and
    CPU between the window's start and end; None if py-spy failed (said why)."""
    scripts = [script.turns for script in conversation_mix(args.red_flag_share)]
    settings = scratch_settings("clinic_profile", replicas=1, action_replicas=1)
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    output.unlink(missing_ok=True)
    say(f"starting 1 Rasa + 1 action replica, nginx on :{settings.port}; logs in {LOGS}")
    with scratch_cluster(settings, LOGS) as cluster:
        processes = cluster.pids()
        trees = {**processes, **service_pids()}
        pid = processes[args.process]
        say(f"up; {args.warmup} s warm-up, then {args.duration} s of {args.clients} clients while "
            f"py-spy samples {args.process} (pid {pid}) {RATE} times a second")
        spy: Dict[str, subprocess.Popen] = {}
        try:
            result, cpu = measured_load(
                cluster.url, scripts, args.clients, args.duration, args.warmup, trees,
                at_start=lambda: spy.update(process=record(pid, args.duration, output, args.idle)))
            py_spy_said, _ = spy["process"].communicate(timeout=30)
        finally:
            if "process" in spy and spy["process"].poll() is None:
                spy["process"].kill()
    if spy["process"].returncode != 0 or not output.exists():
        say(f"py-spy failed (exit {spy['process'].returncode}): {py_spy_said.strip()}\n"
            "py-spy reads the process's memory with ptrace: run as root, or give it CAP_SYS_PTRACE "
            "(docker run --cap-add SYS_PTRACE) or allow it (sysctl kernel.yama.ptrace_scope=0)")
        return None
    return {"load": result.summary(), "cpu": cpu}


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.bench.profile",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--process", choices=PROCESSES, default="rasa-1", help="what py-spy samples")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default 10)")
    parser.add_argument("--duration", type=int, default=20, help="sampled seconds (default 20)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds played before sampling")
    parser.add_argument("--idle", action="store_true",
                        help="sample waiting too: wall time per turn (try with --clients 1)")
    parser.add_argument("--red-flag-share", type=float, default=0.3)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration < 1:
        parser.error("--clients and --duration must be positive")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if not PY_SPY.exists():
        say(f"{PY_SPY} is missing: make sets up the virtualenv from requirements.lock (py-spy)")
        return 1
    output = BENCH_DIR / f"profile-{args.process}.txt"
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up as on Ctrl-C
    try:
        measured = profile(args, output)
    except KeyboardInterrupt:
        say("interrupted; the scratch cluster is stopped and removed")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    if measured is None:
        return 1
    load = measured["load"]
    stacks = read_folded(output.read_text().splitlines())
    inclusive, own = shares(stacks)
    print(f"{load['messages']} messages, {load['msgs_per_s']} msgs/s, {load['errors']} errors, "
          f"p50 {load['latency_ms']['p50']} ms; {args.clients} clients, {args.duration} s")
    print("\n".join(cpu_lines(measured["cpu"], load["messages"])))
    print(f"\n{args.process}: {sum(n for _, n in stacks)} samples; inclusive (function on the stack)")
    print("\n".join(f"{pct:6.1f}%  {function}" for function, pct in top(inclusive, TOP_INCLUSIVE)))
    print(f"\n{args.process}: self (the running function)")
    print("\n".join(f"{pct:6.1f}%  {function}" for function, pct in top(own, TOP_SELF)))
    print(f"\nfolded stacks: {output} (render with `speedscope` or `flamegraph.pl`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
