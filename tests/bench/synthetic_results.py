"""Synthetic `make bench` results: every target at 1, 10 and 50 clients, all targets met by default."""
from bot.bench.report import ONE, STOCK, TWO


def level(p50, rate, errors=0, memory=None, lost=None, missing=0):
    summary = {"msgs_per_s": rate, "errors": errors, "empty_replies": 0, "error_kinds": {},
               "latency_ms": {"p50": p50, "p95": p50 and p50 * 2, "p99": p50 and p50 * 3},
               "memory_mb": memory or {},
               "cpu": {"machine_util": 0.5, "wall_s": 10.0, "other_s": 4.0}}
    if lost is not None:
        summary["store_check"] = {"lost_events": lost, "missing_messages": missing}
    return summary


def results(stock_p50=20.0, one_p50=18.0, one_rate=30.0, two_rate=55.0, two_errors=0, lost=0,
            missing=0, stock_mb=1100.0, ours_mb=700.0):
    return {
        STOCK: {"levels": {c: level(stock_p50 * n, 40.0, memory={"rasa": stock_mb})
                           for c, n in (("1", 1), ("10", 10), ("50", 50))}},
        ONE: {"levels": {c: level(one_p50 * n, one_rate, memory={"rasa-1": ours_mb, "actions-1": 120},
                                  lost=0) for c, n in (("1", 1), ("10", 10), ("50", 50))}},
        TWO: {"levels": {
            "1": level(15.0, 60.0, memory={"rasa-1": 650, "rasa-2": ours_mb - 10}, lost=0),
            "10": level(150.0, two_rate, memory={"rasa-1": 650, "rasa-2": ours_mb - 10}, lost=0),
            "50": level(700.0, two_rate, errors=two_errors, lost=lost, missing=missing,
                        memory={"rasa-1": 650, "rasa-2": ours_mb - 10, "nginx": 5000}),
        }},
    }
