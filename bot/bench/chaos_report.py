"""The verdict of a chaos run: what the clients sent, what was answered, what the stores hold.

A message is lost when, after the client's retries, it was never answered (no reply with a bot
message; an in-flight question silenced by its conversation's early referral counts as answered
by it, and is reported as such) or is not in the tracker store (no user event carrying its
`message_id`); a red flag is
late when its referral reached the client more than `limit_s` after the client first sent it (or
never did). The console's store (fed through RabbitMQ) is checked the same way, once it has caught
up, and reported on its own. Times in the report are seconds from the start of the load.

The in-flight pairs (bot/bench/chaos_load.py: a question waiting on the hung action servers, then
a red flag in its conversation) are reported on their own too: a pair fails unless the red flag
was sent while the question was still waiting, was referred within `limit_s`, and both messages
were answered and stored. A run that hangs the action servers and played no pair fails.
"""
import json
from collections import Counter
from typing import Any, Dict, Iterable, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.bench.chaos_load import CANNOT_ANSWER, InFlight, Sent
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
    lost = [m for m in messages if not m.settled or not stored[m.message_id]]
    return {
        "sent": len(messages),
        "answered": sum(m.answered for m in messages),
        "silenced_by_referral": sum(m.outcome == "silenced_by_referral" for m in messages),
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


def in_flight_section(pairs: Sequence[InFlight], stored: Counter, origin: float,
                      limit_s: float = REFERRAL_LIMIT_S, expected: bool = True) -> Dict[str, Any]:
    """The in-flight pairs: how many, the red flags' referral times, and the ones that failed."""
    def failure(pair: InFlight) -> Optional[str]:
        flag, question = pair.red_flag, pair.question
        if not pair.overlapped:
            return "the question was answered before the red flag was sent"
        if not flag.referred or flag.latency_s > limit_s:
            return "red flag not referred within the limit"
        if not question.settled or not flag.answered:
            return "not answered"
        if not stored[question.message_id] or not stored[flag.message_id]:
            return "not stored"
        return None

    failed = [(pair, failure(pair)) for pair in pairs if failure(pair)]
    return {
        "pairs": len(pairs),
        "expected": expected,
        "failed": len(failed) + (1 if expected and not pairs else 0),
        "limit_s": limit_s,
        "referral_ms": _ms([p.red_flag.latency_s for p in pairs if p.red_flag.referred]),
        "question_ms": _ms([p.question.latency_s for p in pairs
                            if p.question.latency_s is not None]),
        "both_stored": sum(bool(stored[p.question.message_id] and stored[p.red_flag.message_id])
                           for p in pairs),
        # the question's own outcome: silenced (the referral was sent by the replica running its
        # turn) or told "can't look that up right now" (by the other replica, after the referral)
        "question_silenced_by_referral": sum(p.question.outcome == "silenced_by_referral"
                                             for p in pairs),
        "question_told_cannot_answer": sum(any(CANNOT_ANSWER in r for r in p.question.replies)
                                           for p in pairs),
        "failed_examples": [{"why": why, "question": _example(pair.question, origin),
                             "red_flag": _example(pair.red_flag, origin,
                                                  replies=pair.red_flag.replies[:2])}
                            for pair, why in failed[:EXAMPLES]],
    }


def console_section(messages: Sequence[Sent], stored_in_console: Counter,
                    comparison: Dict[str, Any]) -> Dict[str, Any]:
    """What reached the console's store: messages by id, and events against the tracker store."""
    missing = [m for m in messages if m.settled and not stored_in_console[m.message_id]]
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
            unanswered=sum(not m.settled for m in during),
            latency_ms=_ms([m.latency_s for m in during if m.latency_s is not None]),
            red_flags=len(flags),
            late_red_flags=sum(not m.referred or m.latency_s > limit_s for m in flags),
            referral_ms=_ms([m.latency_s for m in flags if m.referred]))
        windows.append(window)
    return windows


def verdict(report: Dict[str, Any]) -> bool:
    """Nothing lost (tracker store and console's store), no late or missing referral."""
    return (report["messages"]["lost"] == 0 and report["red_flags"]["late"] == 0
            and report["console"]["missing"] == 0 and report["console"]["lost_events"] == 0
            and report.get("in_flight", {}).get("failed", 0) == 0)


def summary_line(report: Dict[str, Any]) -> str:
    messages, flags, console = report["messages"], report["red_flags"], report["console"]
    pairs = report.get("in_flight") or {"pairs": 0, "failed": 0, "referral_ms": {"max": None}}
    failed_fault = f" (a fault did not end: {report['fault_error']})" if report.get("fault_error") else ""
    return (f"chaos {'PASSED' if report['passed'] else 'FAILED'}{failed_fault}: "
            f"{messages['sent']} messages sent, "
            f"{messages['answered']} answered, "
            f"{messages.get('silenced_by_referral', 0)} silenced by a referral, "
            f"{messages['stored']} stored, {messages['lost']} lost "
            f"({messages['retried']} retried); console store {console['stored']}, "
            f"{console['missing']} missing; {flags['sent']} red flags, {flags['late']} late "
            f"(referral p50 {flags['referral_ms']['p50']} ms, max {flags['referral_ms']['max']} ms,"
            f" limit {flags['limit_s']:g} s); in flight behind a hung turn: {pairs['pairs']} "
            f"question+red flag pairs, {pairs['failed']} failed (referral max "
            f"{pairs['referral_ms']['max']} ms); faults: "
            + ", ".join(f["fault"] for f in report["faults"]))
