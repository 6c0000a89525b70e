"""Splitting bot texts to a platform's message-size limit without losing a word.

Every platform caps one message (SMS/WhatsApp through Twilio 1600 characters, Telegram 4096,
Messenger 2000 and 640 under a button template, a Slack section block 3000). A referral that
names several red flags can pass some of these caps, and a platform rejects an over-long message
outright, so the whole escalation would be lost. Texts are therefore split, preferably at line
breaks, then at spaces, never truncated.
"""
import re
import unicodedata
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


# Shown as nothing although not whitespace or a format character: Hangul fillers, the braille
# blank, the combining grapheme joiner and variation selectors (what a "blank" message from a
# phone keyboard or a copied invisible name is made of).
_BLANK_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f") | frozenset(
    chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
_BLANK_CATEGORIES = ("Cc", "Cf", "Zs", "Zl", "Zp")


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only whitespace, control, format (zero-width) or filler
    characters. Such a message has no words to read, so it is answered as an empty one."""
    return all(c.isspace() or c in _BLANK_EXTRA or unicodedata.category(c) in _BLANK_CATEGORIES
               for c in text or "")


def leading_part(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ended at the last blank within them when there is
    one near the end (a word is not cut in two), else cut hard."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace():
        blank = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if blank > 0 and blank >= limit - 200:
            head = head[:blank]
    return head.rstrip()
