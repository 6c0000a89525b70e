"""Normalise a client's message before the red-flag rules read it.

Clients write "cant breth", "me bits are numb", "cheast hurts": the rules know "can't breathe",
"genitals" and "chest". Three steps, each cheap and deterministic:
1. `clean`: text any channel may deliver (a lone UTF-16 surrogate from a broken emoji, control
   characters, curly quotes, full-width letters) becomes plain Unicode text; nothing raises.
2. the lexicon (knowledge/lexicon.yml): text-speak, missing apostrophes, UK/IE/AU/US slang and
   euphemisms, phrase by phrase, longest first.
3. spelling: a word that is neither English nor a rule word is first tried with sound-alike
   rewrites (knowledge/lexicon.yml `sounds_like`: "ite>ight" reads "tite" as "tight"); then a word that is neither English (spaCy's lookup tables, symspellpy's frequency list)
   nor one of the rules' own words is replaced by the closest rule word (edit distance 1, or 2 for
   words of six letters or more), else by the most frequent English word at distance 1. Known words
   are never changed, so correction cannot turn one real symptom word into another.
"""
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Optional, Set

from symspellpy import SymSpell, Verbosity

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters (a C1 is what a Windows-1252 dash becomes when mis-decoded: "\x97")
_CONTROL = ({c: " " for c in range(32) if chr(c) not in "\n\t"} | {0x7F: " "}
            | {c: " " for c in range(0x80, 0xA0)})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u00bf": " ", "\u00a1": " "})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ME = re.compile(r"\b(?:me|ma) ([a-z]+)")  # "me back", Scots "ma heid"



def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: what a latin-1 decoder gives
        return chr(byte)


# UTF-8 read as Windows-1252 ("mojibake"): "Iâ€™ve" was "I’ve", "ðŸ˜«" an emoji.
# A lead byte (0xC2-0xF4) shown as one character, then one to three continuation bytes (0x80-0xBF).
_CONTINUATION = "".join(re.escape(_cp1252_char(b)) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}}")
# a curly apostrophe lost on the way ("I\ufffdm", "don\ufffdt"): to the rules, the replacement
# character stands where a contraction's apostrophe fits ("I'm having my hip replaced" keeps its tense)
_LOST_APOSTROPHE = re.compile("(?<=[A-Za-z])\ufffd(?=(?:m|s|t|re|ve|ll|d)\\b)", re.IGNORECASE)
COMMON_ENOUGH = 200_000  # symspellpy's list counts "brest" (the city) 532k times, "tingly" 67k


def clean(text: object) -> str:
    """Plain text from anything a channel may hand over; never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _without_format_characters(_repair_mojibake(_SURROGATE.sub("\ufffd", text)))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return text.translate(_CONTROL)


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 on the way ("Iâ€™ve", "canâ€™t", "ðŸ˜«"):
    e-mail clients, old phones and copy-paste from web forms deliver it, and it split words the rules
    need ("can't" became "canâ€tmt"). Only a run that re-encodes to valid UTF-8 is changed, so
    real accented text ("não", "café") is left alone. Text garbled twice over is repaired twice."""
    if text.isascii():
        return text

    def fixed(match: "re.Match[str]") -> str:
        raw = match.group(0)
        try:
            data = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in raw)
            return data.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return raw

    for _ in range(3):  # twice-garbled text ("Ã¢â‚¬Å“" was "“") needs a pass per garbling
        repaired = _MOJIBAKE.sub(fixed, text)
        if repaired == text:
            break
        text = repaired
    return text


def _without_format_characters(text: str) -> str:
    """Drop invisible format characters (Unicode category Cf: soft hyphen, zero-width space and
    joiners, word joiner, byte-order mark, direction marks, tag characters). Pasted text and some
    keyboards put them inside words ("brea\u00adthe", "chest\u200b"), where they hid the word from
    every rule; they carry no meaning the rules need (a zero-width joiner inside an emoji only
    changes how it is drawn, and the tracker keeps the client's original text)."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# the client correcting their own typing: "stroke (STRIKE, autocorrect!!)", "clot. CLOTH. autocorrect",
# "*strike", "I meant strike"
_CORRECTION = re.compile(
    r"\*([^\W\d_]{3,})\b"
    r"|\b([^\W\d_]{3,})\b[\s.,!)(*-]*\b(?:auto-?correct(?:ed|ion)?|stupid phone|typo)\b"
    r"|\bi meant\s+([^\W\d_]{3,})\b")


def self_corrected(text: str) -> str:
    """The message with the words its writer corrected replaced by their corrections: a phone's
    autocorrect turned "strike" into "stroke" and "cloth" into "clot", and the client said so. The
    corrected word is the nearest earlier one within two edits that starts with the same letter;
    nothing changes without such a marker."""
    for match in list(_CORRECTION.finditer(text)):
        fix = next(g for g in match.groups() if g)
        words = [w for w in _WORD.finditer(text[:match.start()]) if w.group() != fix
                 and w.group()[0] == fix[0] and _edits(w.group(), fix) <= 2]
        if words:
            wrong = words[-1]
            text = text[:wrong.start()] + fix + text[wrong.end():]
    return text


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (the words here are short)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@lru_cache(maxsize=1)
def english_counts() -> Dict[str, int]:
    """symspellpy's English frequency list (82,765 words, shipped in its wheel)."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    counts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        counts[word] = int(count)
    return counts


class Normaliser:
    def __init__(self, lexicon: Dict[str, Dict[str, str]], rule_words: Iterable[str],
                 prefixes: Iterable[str], english: Iterable[str] = ()) -> None:
        lexicon = dict(lexicon or {})
        lexicon.pop("meta", None)  # version and sign-off, not phrases
        self.possessive_me = {str(w).lower() for w in lexicon.pop("possessive_me_before", []) or []}
        self.sounds = [(str(a), str(b)) for pair in lexicon.pop("sounds_like", []) or []
                       for a, b in [pair.split(">")]]
        phrases = {str(k).lower(): str(v or "").lower()
                   for section in lexicon.values() for k, v in (section or {}).items()}
        self.phrases = phrases
        alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        self._phrase = re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])") if phrases else None
        counts = english_counts()
        self.common: Set[str] = {w for w, n in counts.items() if n >= COMMON_ENOUGH}  # "thin", "pin"
        self.rule_words: Set[str] = {w for w in rule_words if len(w) >= 3}
        self.prefixes = tuple(sorted({p for p in prefixes if len(p) >= 4}))
        self.english: Set[str] = set(english) | self.rule_words  # dictionary English, no web slang
        self.known: Set[str] = (self.rule_words | set(english)
                                | self.common
                                | set(phrases) | set(" ".join(phrases.values()).split()))
        self._rules = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in self.rule_words:
            self._rules.create_dictionary_entry(word, counts.get(word, 1) + 1)
        self._english = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
        for word, count in counts.items():  # the list's order: ties in a lookup stay reproducible
            if word in self.common:
                self._english.create_dictionary_entry(word, count)

    def __call__(self, text: object, spell: bool = True) -> str:
        """The message as the rules read it; `spell=False` for text glossed from another
        language, whose leftover foreign words must not be "corrected" into English ones."""
        # only for the rules: clean() keeps a replacement character as it is (a broken emoji
        # between two letters costs only itself)
        text = self_corrected(_LOST_APOSTROPHE.sub("'", clean(text)).lower())
        text = self._lexicon(text)
        if spell:
            text = _WORD.sub(lambda m: self.correct(m.group()), text)
        text = _ME.sub(lambda m: "my " + m.group(1) if m.group(1) in self.possessive_me else m.group(), text)
        return re.sub(r"[ \t]{2,}", " ", self._lexicon(text)).strip()

    def _lexicon(self, text: str) -> str:
        return self._phrase.sub(lambda m: self.phrases[m.group()], text) if self._phrase else text

    def correct(self, word: str) -> str:
        """The word as the rules would read it: itself if known, else its closest correction."""
        if word.endswith("in") and word not in self.common and (
                word + "g" in self.rule_words or word + "g" in self.english and not self._is_known(word)):
            return word + "g"  # dropped g: "killin", "breathin", "tinglin" (not "thin", "pin": words)
        if len(word) < 4 or "'" in word or not word.isascii() or self._is_known(word):
            return word
        found = self._phonetic(word) or self._closest(self._rules, word, 1)
        if not found:  # phonetic spellings ("tite", "brethin") are often two edits away
            near = self._closest(self._rules, word, 2)
            found = near if near and near[0] == word[0] else None
        return found or self._closest(self._english, word, 1) or word

    def _phonetic(self, word: str) -> Optional[str]:
        """A rule word reached by one sound-alike rewrite ("tite" -> "tight", "breaf" -> "breath")."""
        for written, meant in self.sounds:
            at = word.find(written)
            while at >= 0:
                candidate = word[:at] + meant + word[at + len(written):]
                if candidate in self.rule_words:
                    return candidate
                at = word.find(written, at + 1)
        return None

    def _is_known(self, word: str) -> bool:
        return word in self.known or word.startswith(self.prefixes)

    @staticmethod
    def _closest(index: SymSpell, word: str, distance: int) -> Optional[str]:
        """The nearest word; among equally near ones, the same letters swapped before the more
        frequent word: "pian" is "pain" (two keys typed in the wrong order), not "plan"."""
        suggestions = index.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        swapped = [s.term for s in suggestions if sorted(s.term) == sorted(word)]
        return swapped[0] if swapped else suggestions[0].term if suggestions else None


def rule_vocabulary(patterns: Iterable[str]):
    """(words, prefixes) named by rule patterns in the syntax of bot/triage/patterns.py."""
    words, prefixes = set(), set()
    for pattern in patterns:
        for slot in pattern.lower().split():
            for alternative in slot.split("|"):
                for part in alternative.split("_"):
                    if part.endswith("*"):
                        prefixes.add(part[:-1])
                    elif part.isalpha():
                        words.add(part)
    return words, prefixes
