"""A statistical second opinion on red flags, for recall where the rules are silent.

One logistic regression per code over hashed character and word n-grams of the normalised message,
trained on lay sentences written by people who never saw the rules (data/red_flags/*.jsonl, fixed
seed). It never removes what the rules found. For a code the rules did not find:
- it speaks only to the emergency codes (missing one is the worst error the assistant can make;
  the caution codes are the rules' alone, so that a stray question never delays self-care advice);
- probability >= `escalate` adds the code (the assistant refers as for a rule finding), except in a
  message where the client lists what they do not have: there it only asks;
- probability >= `ask` asks the code's direct question;
- where the rules saw that code's words and judged them negated, someone else's, hypothetical or
  long past, or the client lists what they do not have, only probability >= CERTAIN refers (never
  where the client says something is over or fine, supposes it or tells someone else's), and
  nothing less is said: the rules' reading of context wins ("no chest pain" stays clear) unless
  the model is all but sure ("can't walk to the bus stop without gasping", which reads as a
  negation word by word).

The weights are saved as a NumPy array file (no pickle): loading a model cannot run code.
"""
import json
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

N_FEATURES = 2 ** 16
SEED = 42
NOT_ABOUT_NOW = {"negated", "resolved", "other_person", "hypothetical", "proxy_resolved",
                 "proxy_asked_resolved", "explained"}
# A one- or three-word answer ("none", "about a 5", "skip") gives a linear model nothing to go on:
# its probabilities there are the intercept's, not evidence.
MIN_WORDS = 4
# and to refer on its own word, a sentence: "I want to end this" (5 words, said to stop the questions)
# gets the direct question instead
MIN_WORDS_TO_REFER = 6
# Where the rules judged the code's words not about the client now. Measured on blind sets A-G
# (python -m bot.cli.triage_eval, 2026-12-05): at 0.95 emergency sensitivity rose on five of the
# seven sets (G 0.930 -> 0.967, C 0.970 -> 0.985) for four more harmless conversations sent to
# 999 in 4,846 (at 0.9: thirteen more); the four were someone else's, supposed or over, which
# the rule below now leaves to the rules (no set sends more harmless conversations to 999).
CERTAIN = 0.95


_TOKEN = re.compile(r"[\w']+|[.,;:!?]")
_NEGATION = {"no", "not", "never", "without", "nothing", "none", "nor", "neither", "nope", "nah",
             "zero", "isn't", "aren't", "wasn't", "don't", "doesn't", "didn't", "haven't", "hasn't",
             "normal", "normally", "clear", "fine"}  # "a normal colour", "peeing fine": reassurance
_SCOPE_END = {".", ",", ";", ":", "!", "?", "but", "just", "only", "though", "although"}


def mark_negation(text: str) -> List[str]:
    """Words, with those in a negation's scope prefixed "not_" (to the next punctuation or "but"):
    the classic way to let a bag-of-words model tell "no weakness in my legs" from "weakness"."""
    tokens, negated = [], False
    for token in _TOKEN.findall(text.lower()):
        if token in _SCOPE_END:
            negated = False
            continue
        tokens.append("not_" + token if negated else token)
        negated = negated or token in _NEGATION
    return tokens


def _vectorisers():
    common = dict(n_features=N_FEATURES, alternate_sign=False, norm="l2", lowercase=True)
    return (HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
            HashingVectorizer(analyzer=lambda text: _ngrams(mark_negation(text)), **{
                k: v for k, v in common.items() if k != "lowercase"}))


def _ngrams(words: List[str]) -> List[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def featurise(texts: Sequence[str]):
    chars, words = _vectorisers()
    return hstack([chars.transform(texts), words.transform(texts)]).tocsr()


class SecondOpinion:
    FILE = "second_opinion.npz"

    def __init__(self, codes: Sequence[str], coef: np.ndarray, intercept: np.ndarray,
                 escalate: float, ask: float, may_escalate: Iterable[str] = ()) -> None:
        self.codes = list(codes)
        self.may_escalate = set(may_escalate)
        self.coef = coef
        self.intercept = intercept
        self.escalate = escalate
        self.ask = ask

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[Iterable[str]], codes: Sequence[str],
            escalate: float, ask: float, regularisation: float = 4.0) -> "SecondOpinion":
        features = featurise(texts)
        coef = np.zeros((len(codes), features.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(codes), dtype=np.float32)
        for i, code in enumerate(codes):
            target = np.array([code in set(found) for found in labels], dtype=int)
            if target.sum() < 2:
                intercept[i] = -20.0  # too few examples to learn anything: never fires
                continue
            model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=2000,
                                       random_state=SEED)
            model.fit(features, target)
            coef[i] = model.coef_[0]
            intercept[i] = model.intercept_[0]
        return cls(codes, coef, intercept, escalate, ask)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        scores = featurise(texts) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(scores)))

    def predict(self, text: str) -> Dict[str, float]:
        return dict(zip(self.codes, self.probabilities([text])[0].tolist()))

    # --- persistence ---------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        np.savez_compressed(Path(directory) / self.FILE, coef=self.coef, intercept=self.intercept,
                            codes=np.array(self.codes), may_escalate=np.array(sorted(self.may_escalate)),
                            thresholds=np.array([self.escalate, self.ask], dtype=np.float32))

    @classmethod
    def load(cls, directory: Path) -> Optional["SecondOpinion"]:
        path = Path(directory) / cls.FILE
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            escalate, ask = data["thresholds"].tolist()
            return cls(data["codes"].tolist(), data["coef"], data["intercept"], escalate, ask,
                       data["may_escalate"].tolist())

    # --- use beside the rules ---------------------------------------------------------------------
    def review(self, text: str, findings: Dict, judged: Dict[str, Set[str]],
               ruled_out: Optional[Dict[str, Set[str]]] = None) -> Dict:
        """Add to the rules' findings (a dict as Findings.as_dict gives) what this model is sure
        or unsure of; `judged` maps code -> concepts the rules read as not about the client now,
        `ruled_out` code -> concepts the rules read as something else that rules the code out ("my
        pee looks normal", "a suicide grip on bench press"): a bag of words never adds that code."""
        ruled_out = ruled_out or {}
        if len(text.split()) < MIN_WORDS:
            return findings
        probabilities = self.predict(text)
        added: List[str] = []
        asked: List[str] = []
        # where the client lists what they do not have, a bag of words is least reliable: there
        # it may ask, never refer
        listing_negatives = any(m["status"] in NOT_ABOUT_NOW for m in findings["mentions"])
        long_enough = len(text.split()) >= MIN_WORDS_TO_REFER
        # "got my breath back in a minute", "my chest is fine": the client said it is over
        # or, listing what they do not have, that the rest is fine ("no weakness and I can pee fine")
        reassured = (any(m["status"] == "resolved" for m in findings["mentions"])
                     or listing_negatives and bool(_FINE.search(text)))
        # whose it is and whether it happened are the rules' to say: a bag of words cannot tell
        # nor when it happened: "as a kid I had a rash and fever" is long past by the rules' reading
        not_theirs = {m["concept"] for m in findings["mentions"]
                      if m["status"] in ("hypothetical", "other_person") or m.get("historic")}
        # everything the rules read is long past or not the client's now ("my left side has always
        # been a bit weaker, since I was a kid"): a bag of words cannot tell when, so it may ask
        told_as_past = bool(findings["mentions"]) and all(
            m.get("historic") or m["status"] in NOT_ABOUT_NOW for m in findings["mentions"])
        # someone else's now ("he's holding his chest, his left arm is aching"): theirs, which the
        # conversation counts where another message says they are with the client
        someone_elses = {m["concept"] for m in findings["mentions"]
                         if m["status"] == "other_person" and not m.get("historic")}
        for_them: List[str] = []
        denied = any(m["status"] == "negated" for m in findings["mentions"])
        for code, p in probabilities.items():
            if code in findings["codes"] or code not in self.may_escalate or ruled_out.get(code):
                continue
            if judged.get(code) or listing_negatives or told_as_past:
                # "if my leg went pale and cold I'd call 999, right?", "my friend can't control his
                # bladder": a question and someone else's, not the client's report
                if (p >= CERTAIN and long_enough and not reassured
                        and not judged.get(code, set()) & not_theirs):
                    added.append(code)
                elif (p >= CERTAIN and long_enough and not reassured and not denied
                      and judged.get(code) and judged[code] <= someone_elses):
                    for_them.append(code)
                elif not judged.get(code) and p >= self.ask and code not in findings["uncertain"]:
                    asked.append(code)
            elif p >= self.escalate and long_enough:
                added.append(code)
            elif p >= self.ask and code not in findings["uncertain"]:
                asked.append(code)
        findings["codes"] = sorted(set(findings["codes"]) | set(added))
        findings["codes_if_with_them"] = sorted(set(findings.get("codes_if_with_them", [])) | set(for_them))
        findings["uncertain"] = sorted((set(findings["uncertain"]) | set(asked)) - set(added))
        findings["second_opinion"] = {"added": added, "asked": asked, "top": {
            c: round(p, 3) for c, p in sorted(probabilities.items(), key=lambda x: -x[1])[:3]}}
        return findings


# "I can pee fine", "walking normally" (not "is that normal?": a word in a question reassures nobody)
_FINE = re.compile(r"\b(fine|normally)\b(?![^.!?]*\?)")


def read_corpus(paths: Iterable[Path]):
    """(texts, labels) from JSON Lines files of {"text", "codes"}."""
    texts, labels = [], []
    for path in sorted(paths):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                texts.append(str(item["text"]))
                labels.append(list(item.get("codes") or []))
    return texts, labels
