"""Exports of the filtered list: CSV (one line per conversation) and JSON (whole conversations).

Both are built from bot.review.present, so they are masked unless revealed. CSV cells that a
spreadsheet would run as a formula (starting with =, +, -, @) are prefixed with an apostrophe.
"""
import csv
import io
import json
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from bot.review.filters import Filters, Row
from bot.review.present import detail, summary

CSV_COLUMNS = ("conversation", "sender", "channel", "started", "last_active", "triage_level",
               "red_flags", "advice_topics", "knowledge_version", "escalations", "client_messages", "reviewed",
               "reviewed_by", "reviewed_at", "tags", "first_message")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(rows: List[Row], zone: ZoneInfo, reveal: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        record = summary(row, zone, reveal)
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def to_json(rows: List[Row], filters: Filters, zone: ZoneInfo, reveal: bool,
            exported_at: str) -> str:
    document: Dict[str, Any] = {
        "exported_at": exported_at,
        "filters": filters.as_dict(),
        "masked": not reveal,
        "conversations": [detail(row, zone, reveal) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
