"""Other languages: which one a message is in, and for the ones the rules cover, an English gloss.

py3langid (its model ships in the wheel; nothing is downloaded) names the language among English and
the languages of knowledge/languages/, for a message Triage.read has already found not to be English
(few English words, or another script): clients' English with typos and slang must stay English.

For a language with a `glossary`, its words and phrases (matched without accents, longest first)
are replaced by the English the red-flag rules read, so that one rule set serves every language:
"me duele el pecho y me falta el aire" -> "my chest hurts and i can't breathe".
"""
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, Optional

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.knowledge_files import read_yaml, resolve
from bot.triage.messages import _Keep

LANGUAGES = "knowledge/languages"
# languages py3langid confuses with the ones above; recognised so as not to be misread as them
NEIGHBOURS = ("fr", "de", "nl", "ca", "gl", "sk", "cs", "hi", "fa", "ru", "uk", "bg", "el", "zh", "ja",
              "tr", "sv", "da", "no", "hu", "lt", "lv", "ta", "te", "ne", "sw")
# languages py3langid tells apart badly on short messages; the glossary that reads more decides
_CLOSE_KIN = ({"ru", "uk", "bg"}, {"hi", "ne"})  # short Hindi with loanwords is ranked Nepali
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "đ": "d", "ı": "i", "İ": "i",
                       # Arabic script: one letter where Urdu and Arabic keyboards type two, and for
                       # Egyptian final ى ("عندى" = "عندي"); a tatweel (ـ) only stretches a word
                       "ی": "ي", "ى": "ي", "ے": "ي", "ک": "ك", "ہ": "ه", "ۃ": "ه", "ة": "ه", "ھ": "ه",
                       "ـ": "",
                       # the Urdu full stop ends a phrase like "." ("بخار بھی نہیں ہے۔": "no fever either.")
                       "۔": "."})


def fold(text: str) -> str:
    """Lower case without accents or diacritics: "Dolor torácico" -> "dolor toracico"; Arabic
    script without vowel marks or hamza, Urdu and Arabic letter forms as one: "میرے" -> "ميري"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_languages(folder: str = LANGUAGES) -> Dict[str, Dict[str, Any]]:
    """{code: {"name", "reply", "glossary"?}} from knowledge/languages/*.yml (others.yml holds several;
    a language's own file wins over its entry there)."""
    specs: Dict[str, Dict[str, Any]] = {}
    for path in sorted(Path(resolve(folder)).glob("*.yml"), key=lambda p: (p.stem != "others", p.stem)):
        data = {k: v for k, v in read_yaml(path).items() if k != "meta"}  # not a language
        if path.stem == "others":
            specs.update(data)
        else:
            specs[path.stem] = data
    return specs


class Languages:
    def __init__(self, specs: Dict[str, Dict[str, Any]]) -> None:
        self.specs = specs
        self.identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
        # a language py3langid does not know (Somali) is told by its glossary alone (`romanised`)
        self.identifier.set_languages(sorted({"en", *specs, *NEIGHBOURS} & set(self.identifier.nb_classes)))
        self._glossaries = {}
        self._patterns: Dict[str, "re.Pattern"] = {}
        for code, spec in specs.items():
            glossary = {fold(str(k)): str(v) for k, v in (spec.get("glossary") or {}).items()}
            if glossary:
                spaceless = bool(spec.get("spaceless"))
                clitics = {fold(str(k)): str(v) for k, v in (spec.get("clitics") or {}).items()}
                self._glossaries[code] = (glossary, spaceless, clitics)
        self.romanised = [code for code, spec in specs.items()
                          if spec.get("romanised") and code in self._glossaries]

    @staticmethod
    def other_script(text: str) -> bool:
        """Whether most letters are outside the Latin alphabets (Arabic, Gurmukhi, Bengali...)."""
        letters = [c for c in text if c.isalpha()]
        return bool(letters) and sum(1 for c in letters if ord(c) > 0x24F) / len(letters) > 0.5

    def sure(self, text: str) -> bool:
        """Whether py3langid is all but certain the message is in a language of knowledge/languages/."""
        code, probability = self.identifier.rank(text)[0]
        return code in self.specs and probability >= 0.99

    def named(self, text: str, best: Optional[str] = None) -> Optional[str]:
        """For a message already known not to be English: the language of knowledge/languages/
        py3langid ranks first, when it gives it at least even odds (unaccented Romanian scores
        0.5 against Spanish) and, for a glossed language, its glossary reads at least a word of it
        (keyboard mashing is no language), else None. A message in Latin letters that a `romanised` language's
        glossary reads best (best_glossary, or `best` when the caller has it already) is in that
        language whatever py3langid says."""
        code, probability = self.identifier.rank(text)[0]
        if self.romanised and not self.other_script(text):
            best = best or self.best_glossary(text)
            if best in self.romanised:
                return best  # Roman Urdu: py3langid calls it Swahili, German, English...
        if best and code != best and any({code, best} <= kin for kin in _CLOSE_KIN):
            return best  # Ukrainian named Russian, short Russian named Bulgarian: the glossary knows
        if code in self._glossaries and not self._coverage(text, code):
            return None  # "asdkjh qwpeoiru zxmcnb" scores as French: not one French word in it
        return code if code in self.specs and probability >= 0.5 else None

    def glosses(self, code: Optional[str]) -> bool:
        return code in self._glossaries

    def gloss(self, text: str, code: str) -> str:
        """The message with the language's glossary phrases replaced by English. A key ending in
        `*` is a stem: "goraczk*" reads "goraczka", "goraczke", "goraczki" (declined forms).

        A language written without spaces between words (Chinese: "我胸口痛" is "my chest hurts")
        has `spaceless: true` in its file: its keys are found anywhere in a run of letters, and each
        English replacement is set off by spaces, so that "我胸口痛" reads "my chest pain"."""
        glossary, spaceless, clitics = self._glossaries[code]
        pattern = self._pattern(code)
        folded = re.sub(r"[-'’]", " ", fold(text))
        if not spaceless:
            return pattern.sub(lambda m: _with_clitic(glossary, clitics, m), folded)
        padded = pattern.sub(lambda m: f" {glossary[_key(glossary, m.group())]} ", folded)
        return re.sub(r" {2,}", " ", padded).strip()

    def best_glossary(self, text: str, among: int = 3) -> Optional[str]:
        """The glossed language, among py3langid's `among` likeliest, whose glossary reads most of
        the message (characters covered; ties keep py3langid's order). Close languages fool the
        detector on short unaccented messages (Portuguese and Romanian pass for Italian): the
        glossary that understands the words is the better judge of which language they are.

        A language marked `romanised: true` (ur.yml, ar.yml) is a candidate for every message in Latin
        letters: py3langid knows Urdu and Arabic only in their own script, and names Roman Urdu
        ("seene mein dard hai") or Arabizi ("sadri byewga3ni") Swahili, German or English at random,
        so only its glossary can tell. It comes last: it must read more than the likelier ones."""
        ranked = [code for code, _ in self.identifier.rank(text) if code in self._glossaries][:among]
        if not self.other_script(text):
            ranked += [code for code in self.romanised if code not in ranked]
        return max(ranked, key=lambda code: self._coverage(text, code)) if ranked else None

    def share_read(self, text: str, code: str) -> float:
        """The share of the message's letters that the language's glossary reads."""
        letters = sum(1 for c in text if c.isalpha())
        return self._coverage(text, code) / letters if letters else 0.0

    def _pattern(self, code: str) -> "re.Pattern":
        """The glossary's pattern, compiled the first time a message may be in that language: the
        generated glossaries (Hindi, Tamil: thousands of inflected phrases) take seconds to compile,
        which every process would otherwise pay at start for languages most never see."""
        if code not in self._patterns:
            glossary, spaceless, clitics = self._glossaries[code]
            self._patterns[code] = _glossary_pattern(glossary, spaceless, clitics)
        return self._patterns[code]

    def _coverage(self, text: str, code: str) -> int:
        pattern = self._pattern(code)
        folded = re.sub(r"[-'’]", " ", fold(text))
        return sum(len(m.group()) for m in pattern.finditer(folded))

    def reply(self, code: str, settings: Dict[str, str]) -> Optional[str]:
        spec = self.specs.get(code) or {}
        text = spec.get("reply")
        return text.format_map(_Keep(settings)) if text else None


# a word's letters: `\w` and the Indic scripts' vowel signs, which `\w` leaves out ("ਲੱਤੋਂ" is one word,
# not "ਲੱਤ" + "ੋਂ"; "કફ" is not in "કફી"); not the danda and double danda (U+0964, U+0965), the full
# stops of Panjabi, Bengali and Hindi ("ਕੋਈ ਸੋਜ ਨਹੀਂ।" ends a phrase like "no swelling.")
_WORD = r"[\w\u0900-\u0963\u0966-\u0DFF]"


def _glossary_pattern(glossary: Dict[str, str], spaceless: bool = False,
                      clitics: Optional[Dict[str, str]] = None) -> "re.Pattern":
    """Longest key first; a key ending in `*` matches the stem followed by any letters. A key must
    stand as a word of its own (not "ne" in "nerve"), except in a `spaceless` language: there a
    run of letters holds many words, so a key is found anywhere, and a stem is its bare letters
    (what follows it is the next word, not an ending).

    `clitics` are words a language writes joined to the next one (Arabic "و", and: "واصابعي" is
    "and my fingers"): a key may follow one, when the whole word is not a key itself."""
    if spaceless:
        keys = sorted({k[:-1] if k.endswith("*") else k for k in glossary}, key=len, reverse=True)
        return re.compile("|".join(re.escape(k) for k in keys))
    parts = "|".join(re.escape(k[:-1]) + _WORD + "*" if k.endswith("*") else re.escape(k)
                     for k in sorted(glossary, key=len, reverse=True))
    if clitics:
        joined = "|".join(re.escape(c) for c in sorted(clitics, key=len, reverse=True))
        return re.compile(rf"(?<!{_WORD})(?:(?:{parts})|(?P<clitic>{joined})(?:{parts}))(?!{_WORD})")
    return re.compile(rf"(?<!{_WORD})(?:{parts})(?!{_WORD})")


def _with_clitic(glossary: Dict[str, str], clitics: Dict[str, str], found: "re.Match") -> str:
    """The English of a glossary match, its joined clitic ("و") read as a word of its own."""
    clitic = found.groupdict().get("clitic")
    if not clitic:
        return glossary[_key(glossary, found.group())]
    return f"{clitics[clitic]} {glossary[_key(glossary, found.group()[len(clitic):])]}"


def _key(glossary: Dict[str, str], found: str) -> str:
    if found in glossary:
        return found
    stems = [k for k in glossary if k.endswith("*") and found.startswith(k[:-1])]
    return max(stems, key=len)
