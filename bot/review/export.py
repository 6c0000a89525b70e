"""Exports of the filtered list: CSV (one line per conversation) and JSON (whole conversations).

The CSV carries what staff added too: tags, the assignee and every note ("author, when: text", one
per line in the cell), so a spreadsheet of the day's calls needs nothing else.

Both are built from bot.review.present, so they are masked unless revealed. CSV cells that a
spreadsheet would run as a formula (starting with =, +, -, @) are prefixed with an apostrophe.

Client text can hold any character the channel let through, NUL included. The csv module refuses
to write a NUL (the export failed with a 500), PostgreSQL's jsonb refuses "\\u0000", and a lone
surrogate cannot be encoded as UTF-8; so both exports write control characters (but tab and line
breaks) and lone surrogates as U+FFFD, the replacement character: visibly something, not nothing.
"""
import csv
import io
import json
import re
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from bot.review.filters import Filters, Row
from bot.review.present import detail, summary, when

CSV_COLUMNS = ("conversation", "sender", "channel", "started", "last_active", "triage_level",
               "red_flags", "advice_topics", "knowledge_version", "escalations", "client_messages", "reviewed",
               "reviewed_by", "reviewed_at", "tags", "assignee", "notes", "first_message")
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")  # \n: a leading \r is written as one
# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")
REPLACEMENT = "\ufffd"


def _printable(value: Any) -> Any:
    """`value` (text, or lists and dicts of it) with what an export must not carry replaced."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    return value


def _cell(value: Any) -> str:
    """One CSV cell: printable, line breaks as \\n (what spreadsheets take for a break inside a
    cell), and never read as a formula: tested last, on the text as it is written."""
    if isinstance(value, list):
        value = " ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    text = _printable(_CARRIAGE_RETURN.sub("\n", "" if value is None else str(value)))
    return "'" + text if text.startswith(_FORMULA) else text


def _notes(row: Row, zone: ZoneInfo) -> str:
    """A conversation's notes as one cell: "author, when: text", one per line."""
    return "\n".join(f"{n['author']}, {when(n['created_at'], zone)}: {n['text']}"
                     for n in row.annotations.notes)


def to_csv(rows: List[Row], zone: ZoneInfo, reveal: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        record = {**summary(row, zone, reveal), "notes": _notes(row, zone)}
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def to_json(rows: List[Row], filters: Filters, zone: ZoneInfo, reveal: bool,
            exported_at: str, with_intents: bool = False) -> str:
    document: Dict[str, Any] = {
        "exported_at": exported_at,
        "filters": filters.as_dict(),
        "masked": not reveal,
        "conversations": [_printable(detail(row, zone, reveal, with_intents)) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
