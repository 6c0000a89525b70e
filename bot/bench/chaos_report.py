"""The verdict of a chaos run: what the clients sent, what was answered, what the stores hold.

A message is lost when, after the client's retries, it was never answered (no reply with a bot
message) or is not in the tracker store (no user event carrying its `message_id`); a red flag is
late when its referral reached the client more than `limit_s` after the client first sent it (or
never did). The console's store (fed through RabbitMQ) is checked the same way, once it has caught
up, and reported on its own. Times in the report are seconds from the start of the load.
"""
import json
from collections import Counter
from typing import Any, Dict, Iterable, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.bench.chaos_load import CANNOT_ANSWER, Sent
from bot.bench.faults import Fault
from bot.bench.load import percentile
from bot.review.schema import events

REFERRAL_LIMIT_S = 2.0
CHUNK = 500
AFTER_FAULT_S = 2.0  # messages sent this long after a fault's recovery still count towards it
EXAMPLES = 20


def stored_message_ids(engine: Engine, senders: Iterable[str]) -> Counter:
    """{message_id: how many user events of `senders` carry it} in one store."""
    senders, found = sorted(set(senders)), Counter()
    with engine.connect() as connection:
        for start in range(0, len(senders), CHUNK):
            rows = connection.execute(select(events.c.data).where(
                events.c.sender_id.in_(senders[start:start + CHUNK]), events.c.type_name == "user"))
            for (data,) in rows:
                message_id = (json.loads(data).get("metadata") or {}).get("client_message_id")
                if message_id:
                    found[message_id] += 1
    return found


def _ms(seconds: Sequence[float]) -> Dict[str, Optional[float]]:
    values = [s * 1000 for s in seconds]
    shown = {f"p{p}": percentile(values, p) for p in (50, 95, 99)}
    shown["max"] = max(values) if values else None
    return {key: None if value is None else round(value, 1) for key, value in shown.items()}


def _example(message: Sent, origin: float, **extra: Any) -> Dict[str, Any]:
    return {"sender": message.sender, "text": message.text, "message_id": message.message_id,
            "sent_s": round(message.sent_at - origin, 2), "outcome": message.outcome,
            "attempts": message.attempts, "failures": dict(message.failures),
            "latency_s": None if message.latency_s is None else round(message.latency_s, 2),
            **extra}


def messages_section(messages: Sequence[Sent], stored: Counter, origin: float) -> Dict[str, Any]:
    lost = [m for m in messages if not m.answered or not stored[m.message_id]]
    return {
        "sent": len(messages),
        "answered": sum(m.answered for m in messages),
        "stored": sum(bool(stored[m.message_id]) for m in messages),
        "lost": len(lost),
        "stored_twice": sum(stored[m.message_id] > 1 for m in messages),
        "retried": sum(m.attempts > 1 for m in messages),
        "cannot_answer_now": sum(any(CANNOT_ANSWER in r for r in m.replies) for m in messages),
        "outcomes": dict(Counter(m.outcome for m in messages)),
        "failed_attempts": dict(sum((m.failures for m in messages), Counter())),
        "latency_ms": _ms([m.latency_s for m in messages if m.latency_s is not None]),
        "lost_examples": [_example(m, origin, stored=stored[m.message_id]) for m in lost[:EXAMPLES]],
    }


def red_flags_section(messages: Sequence[Sent], origin: float,
                      limit_s: float = REFERRAL_LIMIT_S) -> Dict[str, Any]:
    flags = [m for m in messages if m.red_flag]
    late = [m for m in flags if not m.referred or m.latency_s > limit_s]
    return {
        "sent": len(flags),
        "referred": sum(m.referred for m in flags),
        "late": len(late),
        "limit_s": limit_s,
        "referral_ms": _ms([m.latency_s for m in flags if m.referred]),
        "late_examples": [_example(m, origin, replies=m.replies[:2]) for m in late[:EXAMPLES]],
    }


def console_section(messages: Sequence[Sent], stored_in_console: Counter,
                    comparison: Dict[str, Any]) -> Dict[str, Any]:
    """What reached the console's store: messages by id, and events against the tracker store."""
    missing = [m for m in messages if m.answered and not stored_in_console[m.message_id]]
    return {"stored": sum(bool(stored_in_console[m.message_id]) for m in messages),
            "missing": len(missing),
            "lost_events": comparison["lost_events"],
            "extra_events": comparison["extra_console_events"],
            "caught_up_after_s": comparison["console_caught_up_after_s"],
            "missing_examples": [m.message_id for m in missing[:EXAMPLES]]}


def fault_windows(faults: Sequence[Fault], messages: Sequence[Sent], origin: float,
                  limit_s: float = REFERRAL_LIMIT_S) -> List[Dict[str, Any]]:
    """Each fault with the messages sent while it lasted (until AFTER_FAULT_S after its recovery)."""
    windows = []
    for fault in faults:
        end = (fault.recovered_at or fault.lifted_at or fault.started_at) + AFTER_FAULT_S
        during = [m for m in messages if fault.started_at <= m.sent_at <= end]
        flags = [m for m in during if m.red_flag]
        window = fault.as_dict(origin)
        window.update(
            messages=len(during), retried=sum(m.attempts > 1 for m in during),
            unanswered=sum(not m.answered for m in during),
            latency_ms=_ms([m.latency_s for m in during if m.latency_s is not None]),
            red_flags=len(flags),
            late_red_flags=sum(not m.referred or m.latency_s > limit_s for m in flags),
            referral_ms=_ms([m.latency_s for m in flags if m.referred]))
        windows.append(window)
    return windows


def verdict(report: Dict[str, Any]) -> bool:
    """Nothing lost (tracker store and console's store), no late or missing referral."""
    return (report["messages"]["lost"] == 0 and report["red_flags"]["late"] == 0
            and report["console"]["missing"] == 0 and report["console"]["lost_events"] == 0)


def summary_line(report: Dict[str, Any]) -> str:
    messages, flags, console = report["messages"], report["red_flags"], report["console"]
    failed_fault = f" (a fault did not end: {report['fault_error']})" if report.get("fault_error") else ""
    return (f"chaos {'PASSED' if report['passed'] else 'FAILED'}{failed_fault}: "
            f"{messages['sent']} messages sent, "
            f"{messages['answered']} answered, {messages['stored']} stored, {messages['lost']} lost "
            f"({messages['retried']} retried); console store {console['stored']}, "
            f"{console['missing']} missing; {flags['sent']} red flags, {flags['late']} late "
            f"(referral p50 {flags['referral_ms']['p50']} ms, max {flags['referral_ms']['max']} ms,"
            f" limit {flags['limit_s']:g} s); faults: "
            + ", ".join(f["fault"] for f in report["faults"]))
