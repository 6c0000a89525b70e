"""`make bench`'s results for people: the ratios between targets, whether each target is met, the table
and the one-line summary of a level. Pure: dicts in, dicts and text out."""
from typing import Any, Dict, List, Optional, Sequence, Tuple

STOCK, ONE, TWO = "stock", "ours_1_replica", "ours_2_replicas"
TARGETS = (STOCK, ONE, TWO)
MIN_SPEEDUP, MAX_MEMORY_RATIO = 1.7, 1.2


def _level(results: Dict[str, Any], target: str, clients: int) -> Optional[Dict[str, Any]]:
    return ((results.get(target) or {}).get("levels") or {}).get(str(clients))


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def _p50(level: Optional[Dict[str, Any]]) -> Optional[float]:
    return (level or {}).get("latency_ms", {}).get("p50")


def _rate(level: Optional[Dict[str, Any]]) -> Optional[float]:
    return (level or {}).get("msgs_per_s")


def _round_ratios(two: Optional[Dict[str, Any]], one: Optional[Dict[str, Any]]) -> List[float]:
    """Two replicas over one, window by window (the k-th window of each: the same round)."""
    pairs = zip((two or {}).get("windows_msgs_per_s", []), (one or {}).get("windows_msgs_per_s", []))
    return [_ratio(a, b) for a, b in pairs]


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


def scaling_ceiling(level: Optional[Dict[str, Any]], cores: Optional[int]) -> Optional[float]:
    """The most `cores` could give over one replica's msgs/s, if they did nothing but handle
    messages at what one message costs the whole machine (replica, databases, broker, consumer,
    action server, nginx, load generator) in that level: cores x 1000 / busy ms per message."""
    cost = ((level or {}).get("cpu") or {}).get("busy_ms_per_msg")
    rate = _rate(level)
    return round(cores * 1000 / cost / rate, 3) if cost and rate and cores else None


def ratios_and_targets(results: Dict[str, Any], clients: Sequence[int], cores: Optional[int] = None
                       ) -> Tuple[Dict[str, Any], Dict[str, Optional[bool]]]:
    """From {target: {"levels": {"<clients>": summary}}}: the ratios, and whether each target is met
    (None when what it needs was not measured). "At 1 client" is the lowest level, "at 50" the highest.
    With `cores`, also the ceiling of two replicas over one on this machine (scaling_ceiling)."""
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
        "msgs_per_s_2_replicas_over_1_by_round": {
            str(c): _round_ratios(_level(results, TWO, c), _level(results, ONE, c)) for c in clients},
        "msgs_per_s_ceiling_over_1": {str(c): scaling_ceiling(_level(results, ONE, c), cores)
                                      for c in clients},
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


def _fmt(value: Any, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def _other_util(cpu: Dict[str, Any], cores: Optional[int]) -> Optional[float]:
    """The share of all cores busy with other processes than the measured ones (other users)."""
    if not cpu.get("wall_s") or not cores:
        return None
    return max(0.0, cpu["other_s"]) / (cpu["wall_s"] * cores)


def table(report: Dict[str, Any]) -> str:
    """Every target's levels, one line each, then the ratios and the targets."""
    lines = [f"{'target':<16}{'clients':>8}{'msgs/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}"
             f"{'empty':>7}{'rasa MB':>9}{'CPU%':>6}{'other%':>7}{'lost':>6}{'missing':>8}"]
    for target, measured in report["results"].items():
        for clients, level in sorted((measured.get("levels") or {}).items(), key=lambda kv: int(kv[0])):
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
                 f"msgs/s 2 replicas/1: {ratios['msgs_per_s_2_replicas_over_1']} (by round: "
                 f"{ratios.get('msgs_per_s_2_replicas_over_1_by_round')}; ceiling on this "
                 f"machine: {ratios.get('msgs_per_s_ceiling_over_1')}); "
                 f"Rasa memory ours/stock: {ratios['memory_ours_rasa_over_stock_rasa']}")
    lines += [f"  {'met' if met else 'not measured' if met is None else 'MISSED':<13}{name}"
              for name, met in report["targets"].items()]
    return "\n".join(lines)


def brief(level: Dict[str, Any]) -> str:
    """One level in a line, for the progress messages."""
    check = level.get("store_check")
    stores = (f", lost {check['lost_events']}, missing {check['missing_messages']}"
              f" (console caught up after {check['console_caught_up_after_s']} s)") if check else ""
    windows = level.get("windows_msgs_per_s")
    return (f"{level['msgs_per_s']} msgs/s{f' (windows {windows})' if windows else ''}, p50 {level['latency_ms']['p50']} ms, p95 "
            f"{level['latency_ms']['p95']} ms, errors {level['errors']}, CPU "
            f"{level['cpu']['machine_util']} (other processes {level['cpu']['other_s']} s){stores}")
