"""How the second opinion's thresholds were chosen: 5-fold cross-validation on the corpus.

    python -m bot.cli.second_opinion_report [--folds 5]

For every corpus sentence the rules run once; the second opinion is trained on four folds and
judges the fifth. Printed per threshold: how many expected emergency codes (the only ones it may add) the rules alone find, how many the
rules plus the second opinion find (escalating at that threshold), and the share of harmless
sentences that get a code added. The corpus was written by helpers who never saw the rules, but the
thresholds are chosen on it: it is a development set, not a blind one.
"""
import argparse
import json
import sys
from typing import List, Optional, Sequence

import numpy as np

from bot.triage.second_opinion import MIN_WORDS, SecondOpinion
from bot.triage.service import Triage

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli.second_opinion_report")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    triage = Triage.load(trained=False)
    texts, labels = triage.corpus()
    read = triage.training_texts(texts)
    codes = sorted(triage.rules.codes)
    emergency = triage.emergency_codes()
    rule_codes: List[set] = []
    judged: List[dict] = []
    for text in texts:
        language, english, spell = triage.read(text)
        found = triage.detector.detect(english, spell)
        rule_codes.append(set(found.codes))
        judged.append(triage.judged(found))
    probabilities = np.zeros((len(texts), len(codes)))
    order = np.random.RandomState(42).permutation(len(texts))
    for fold in range(args.folds):
        test = order[fold::args.folds]
        train = np.setdiff1d(order, test)
        model = SecondOpinion.fit([read[i] for i in train], [labels[i] for i in train], codes, 1, 1)
        probabilities[test] = model.probabilities([read[i] for i in test])
    expected = sum(len(set(lab) & emergency) for lab in labels)
    harmless = [i for i, lab in enumerate(labels) if not lab]
    rows = []
    for t in THRESHOLDS:
        found = fp = 0
        for i, lab in enumerate(labels):
            added = {c for j, c in enumerate(codes) if probabilities[i, j] >= t and not judged[i][c]
                     and c in emergency and len(read[i].split()) >= MIN_WORDS}
            combined = rule_codes[i] | added
            found += len(set(lab) & emergency & combined)
            if not lab and added - rule_codes[i]:
                fp += 1
        rows.append({"threshold": t, "recall_with_second_opinion": round(found / expected, 4),
                     "harmless_with_a_code_added": round(fp / len(harmless), 4)})
    rules_found = sum(len(set(lab) & emergency & rule_codes[i]) for i, lab in enumerate(labels))
    rules_fp = sum(1 for i in harmless if rule_codes[i])
    print(f"corpus: {len(texts)} sentences, {expected} expected codes, {len(harmless)} harmless")
    print(f"rules alone: recall {rules_found / expected:.3f}, harmless flagged {rules_fp / len(harmless):.3f}")
    for row in rows:
        print(f"threshold {row['threshold']:.2f}: recall {row['recall_with_second_opinion']:.3f}, "
              f"harmless given a code {row['harmless_with_a_code_added']:.3f}")
    print(json.dumps({"rules_recall": round(rules_found / expected, 4),
                      "rules_harmless_flagged": round(rules_fp / len(harmless), 4), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
