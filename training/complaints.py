#!/usr/bin/env python3
"""Train the complaint recogniser's shipped weights and measure how they generalise.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python -m training.complaints [--data DIR] [--write]

Data: ``dev.csv`` of the complaints data set of Preoţiuc-Pietro, Găman and Aletras,
"Automatically Identifying Complaints in Social Media" (ACL 2019), columns ``id, text,
complaint, domain``; by default from ``../shared/data/complaints`` next to the repository, or
``$CRISISDESK_COMPLAINTS_DATA``. The tweets never enter the app: only learned weights do.

Method (chosen by measurement, see bench/README.md): logistic regression (scikit-learn, L2,
C=0.1, balanced classes) over :mod:`crisisdesk.analysis.complaint_features`, word clusters
included (``training/word_clusters.py``). Words and word pairs are kept only when they occur in
at least 3 (pairs: 4) of the training domains, so brand names and one business's jargon do not
become rules (clusters always count: they stand for words of any business); the random tweets
(no business addressed) weigh a quarter. Measured by leaving one business domain out at a time:
train on the rest, test on the left-out domain. ``--write`` trains on everything and writes
``crisisdesk/resources/complaint_model.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crisisdesk.analysis import recogniser

ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "CRISISDESK_COMPLAINTS_DATA"
MODEL_PATH = ROOT / "crisisdesk" / "resources" / recogniser.MODEL_RESOURCE
BUSINESS_DOMAINS = ("apparel", "retail", "services", "software", "transport")

C = 0.1
THRESHOLD = 0.0  # on the logit: balanced classes put the line at p = 0.5 (measured best)
MIN_DOMAINS = 3  # words
MIN_DOMAINS_PAIRS = 4  # word pairs
RANDOM_WEIGHT = 0.25


def data_dir() -> Path:
    """Where dev.csv is: $CRISISDESK_COMPLAINTS_DATA, else ../shared/data/complaints (or
    ../../shared/..., for a worktree)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    # a checkout next to shared/, or a worktree one level further down (wt/NAME)
    for up in (ROOT / "..", ROOT / ".." / ".."):
        found = (up / "shared" / "data" / "complaints").resolve()
        if found.is_dir():
            return found
    return (ROOT / ".." / "shared" / "data" / "complaints").resolve()


@dataclass(frozen=True)
class Example:
    text: str
    complaint: bool
    domain: str
    compound: float
    cues: tuple[str, ...]
    features: dict[str, float]


def load(path: Path | None = None) -> list[Example]:
    """dev.csv with every text scored by VADER and the cue rules, and featurised."""
    from crisisdesk.analysis.cues import detect
    from crisisdesk.analysis.sentiment import _compound

    path = path or data_dir() / "dev.csv"
    compound = _compound()
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = row["text"]
            value = compound(text)
            cues = detect(text)
            out.append(
                Example(
                    text, row["complaint"] == "1", row["domain"], value, cues,
                    recogniser.featurise(text, value, cues),
                )
            )  # fmt: skip
    return out


def fit(train: Sequence[Example]) -> recogniser.Model:
    """Logistic regression on *train* (scikit-learn: the ``train`` extra)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen: dict[str, set[str]] = defaultdict(set)
    for ex in train:
        for name in ex.features:
            if name[:2] in ("w:", "n:", "b:"):
                seen[name].add(ex.domain)

    def kept(name: str) -> bool:
        if name[:2] in ("w:", "n:"):
            return len(seen[name]) >= MIN_DOMAINS
        if name[:2] == "b:":
            return len(seen[name]) >= MIN_DOMAINS_PAIRS
        return True

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        [{k: v for k, v in ex.features.items() if kept(k)} for ex in train]
    )
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    weights = [RANDOM_WEIGHT if ex.domain.startswith("random") else 1.0 for ex in train]
    model.fit(matrix, [int(ex.complaint) for ex in train], sample_weight=weights)
    names = vectorizer.get_feature_names_out()
    learned = {
        str(n): round(float(w), 4)
        for n, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= 1e-3
    }
    return recogniser.Model(learned, round(float(model.intercept_[0]), 4), THRESHOLD)


@dataclass(frozen=True)
class Figures:
    n: int
    complaints: int
    macro_f1: float
    recall: float
    precision: float
    flagged: float  # share of texts flagged


def figures(truth: Sequence[bool], flags: Sequence[bool]) -> Figures:
    """Macro-F1 (mean of the complaint and non-complaint F1), complaint recall and precision."""
    tp = sum(t and f for t, f in zip(truth, flags, strict=True))
    fp = sum(f and not t for t, f in zip(truth, flags, strict=True))
    fn = sum(t and not f for t, f in zip(truth, flags, strict=True))
    tn = len(truth) - tp - fp - fn

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return Figures(
        len(truth),
        tp + fn,
        (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2,
        tp / (tp + fn) if tp + fn else 0.0,
        tp / (tp + fp) if tp + fp else 0.0,
        (tp + fp) / len(truth) if truth else 0.0,
    )


def flags(model: recogniser.Model, examples: Sequence[Example]) -> list[bool]:
    return [recogniser.decide(ex.text, ex.compound, ex.cues, model)[0] for ex in examples]


def leave_one_domain_out(
    examples: Sequence[Example], domains: Sequence[str] = BUSINESS_DOMAINS
) -> dict[str, Figures]:
    """Per left-out domain (trained on all the others), plus "overall" (pooled)."""
    out: dict[str, Figures] = {}
    truth: list[bool] = []
    pooled: list[bool] = []
    for domain in domains:
        model = fit([ex for ex in examples if ex.domain != domain])
        test = [ex for ex in examples if ex.domain == domain]
        found = flags(model, test)
        out[domain] = figures([ex.complaint for ex in test], found)
        truth += [ex.complaint for ex in test]
        pooled += found
    out["overall"] = figures(truth, pooled)
    return out


def inbox_order(model: recogniser.Model, examples: Sequence[Example]) -> list[Example]:
    """The examples as an owner's inbox lists them: complaints first, most certain first."""
    from crisisdesk.analysis.recogniser import logit

    return sorted(examples, key=lambda ex: -logit(ex.features, model))


#: corrections the simulated owner makes before the recogniser learns again (the app re-learns
#: after each correction; ten at a time keeps the simulation quick)
ROUND = 10


def learning_curve(
    examples: Sequence[Example], domain: str, steps: Sequence[int] = (20, 50)
) -> list[tuple[int, Figures, Figures]]:
    """Learning from an owner's corrections, on a domain left out of training.

    The domain is split in two (alternate rows): the owner's inbox and mentions still to come.
    The owner goes down the inbox (complaints first, the most certain first) and corrects the
    flags they disagree with; after every ten the recogniser learns and the inbox is re-scored.
    Per N corrections: figures on the mentions still to come, with the shipped model and with
    the adapted one (N is smaller where the inbox runs out of disagreements)."""
    base = fit([ex for ex in examples if ex.domain != domain])
    test = [ex for ex in examples if ex.domain == domain]
    inbox, later = test[::2], test[1::2]
    truth = [ex.complaint for ex in later]
    before = figures(truth, flags(base, later))
    corrected: list[Example] = []
    model = base
    out = []
    for n in steps:
        while len(corrected) < n:
            done = set(map(id, corrected))
            open_ = [ex for ex in inbox_order(model, inbox) if id(ex) not in done]
            wrong = [
                ex for ex, f in zip(open_, flags(model, open_), strict=True) if f != ex.complaint
            ]
            if not wrong:
                break
            corrected += wrong[: min(ROUND, n - len(corrected))]
            done = set(map(id, corrected))
            model = recogniser.adapt(
                ((ex.text, ex.compound, ex.cues, ex.complaint) for ex in corrected),
                base,
                anchors=[(ex.text, ex.compound, ex.cues) for ex in inbox if id(ex) not in done],
            )
        out.append((len(corrected), before, figures(truth, flags(model, later))))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="folder with dev.csv")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    parser.add_argument("--curve", action="store_true", help="print the learning curves too")
    args = parser.parse_args(argv)
    examples = load((args.data / "dev.csv") if args.data else None)
    print("left-out domain  n  complaints  macro-F1  recall  precision")
    for name, fig in leave_one_domain_out(examples).items():
        print(
            f"{name:<12} {fig.n:>5} {fig.complaints:>5} {fig.macro_f1:>8.3f}"
            f" {fig.recall:>7.3f} {fig.precision:>9.3f}"
        )
    for domain in ("random_reply", "random_tweet"):
        model = fit([ex for ex in examples if ex.domain != domain])
        test = [ex for ex in examples if ex.domain == domain]
        print(f"{domain}: {figures([e.complaint for e in test], flags(model, test)).flagged:.3f}"
              " flagged (none is a complaint)")  # fmt: skip
    if args.curve:
        for domain in BUSINESS_DOMAINS:
            curve = learning_curve(examples, domain)
            print(domain, "  ".join(
                f"{n}: {b.macro_f1:.3f} -> {a.macro_f1:.3f}" for n, b, a in curve
            ))  # fmt: skip
    if args.write:
        model = fit(examples)
        data = {
            "about": "Complaint recogniser weights (crisisdesk/analysis/recogniser.py), learned"
            " by training/complaints.py from the data set of Preotiuc-Pietro, Gaman and Aletras,"
            " 'Automatically Identifying Complaints in Social Media', ACL 2019.",
            **recogniser.model_data(model),
        }
        MODEL_PATH.write_text(json.dumps(data, sort_keys=True, indent=0) + "\n", "utf-8")
        print(f"wrote {MODEL_PATH} ({len(model.weights)} weights)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
