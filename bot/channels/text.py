"""Splitting bot texts to a platform's message-size limit without losing a word.

Every platform caps one message (SMS/WhatsApp through Twilio 1600 characters, Telegram 4096,
Messenger 2000 and 640 under a button template, a Slack section block 3000). A referral that
names several red flags can pass some of these caps, and a platform rejects an over-long message
outright, so the whole escalation would be lost. Texts are therefore split, preferably at line
breaks, then at spaces, never truncated.
"""
import re
from typing import Iterator, List

_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_WORDS = re.compile(r"\S+\s*|\s+")


def _pieces(text: str, limit: int) -> Iterator[str]:
    """Lines (with their newline), lines over the limit as words, words over it cut hard."""
    for line in _LINES.findall(text):
        if len(line) <= limit:
            yield line
            continue
        for word in _WORDS.findall(line):
            while len(word) > limit:
                yield word[:limit]
                word = word[limit:]
            if word:
                yield word


def split_text(text: str, limit: int) -> List[str]:
    """`text` in chunks of at most `limit` characters; joined again they hold every word."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = (text or "").strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: List[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and len(current) + len(piece.rstrip()) > limit:
            chunks.append(current.rstrip())
            current = ""
        if not current:
            piece = piece.lstrip()
        current += piece
    if current.strip():
        chunks.append(current.rstrip())
    return chunks


def clip(title: str, limit: int) -> str:
    """A button title cut to `limit` characters with an ellipsis (titles only: payloads never)."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
