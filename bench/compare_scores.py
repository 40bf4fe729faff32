#!/usr/bin/env python3
"""Do two checkouts score mentions identically? Every stored field, compared exactly.

    .venv/bin/python bench/compare_scores.py REFERENCE_TREE CANDIDATE_TREE [--generated 200000]

The sample (built once, here, so both sides score the same inputs): the demo's mentions
(``crisisdesk.demo``, 20,000 of them with their statuses), the first *generated* rows of
``bench/gen_mentions.py``, the texts of ../shared/data/complaints/dev.csv where present, and
variants of a share of them that exercise VADER's and the cue rules' edge cases (shouted,
lower-cased, emoji, "but", negations, repeated marks, curly apostrophes). Each tree then scores
them in its own process (``analysis.scoring.score_inputs``: sentiment, label, complaint flag,
cues/reasons, priority points; through a text cache, as an import's worker does, and without),
and writes the results; they are compared field by field. Prints a JSON summary; exit code 1
on any difference (the first few are printed).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEV_CSV = HERE.parent.parent / "shared" / "data" / "complaints" / "dev.csv"

_VARIANTS = (
    str.upper,
    str.lower,
    lambda t: t + " 😡😡",
    lambda t: "🎂 " + t + " ❤️",
    lambda t: t.replace(". ", " but ", 1),
    lambda t: "Not " + t[:1].lower() + t[1:],
    lambda t: t + "!!!",
    lambda t: t + " ???",
    lambda t: t.replace("'", "\u2019"),
    lambda t: t.replace(" ", "  ").replace(",", " ,"),
    lambda t: "@shop " + t + " #fail http://x.example/a",
    lambda t: t[: len(t) // 2],
)


def _sample(generated: int) -> list[tuple[Any, ...]]:
    """(text, followers, likes, reposts, replies, waiting_hours, age_hours) rows."""
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    from datetime import UTC, datetime

    import gen_mentions

    from crisisdesk.analysis.scoring import score_input
    from crisisdesk.demo.generate import generate

    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    rows: list[tuple[Any, ...]] = []
    demo = generate(20_000, seed=7, now=now)
    for mention in demo.mentions:
        rows.append(tuple(score_input(mention, now, demo.statuses.get(mention.external_id, "new"))))
    rng = random.Random(10)
    for n, row in enumerate(gen_mentions.rows(generated)):
        waited = rng.choice([None, 0.0, 0.4, 3.0, 30.0, 400.0, 5000.0])
        age = waited if waited is not None else rng.choice([0.1, 2.0, 90.0])
        text = str(row[5])
        rows.append((text, int(row[10]), int(row[7]), int(row[8]), int(row[9]), waited, age))
        if n % 7 == 0:
            variant = _VARIANTS[n // 7 % len(_VARIANTS)]
            rows.append((variant(text), n % 50_000, n % 300, n % 40, n % 30, waited, age))
    if DEV_CSV.exists():
        with DEV_CSV.open(encoding="utf-8", newline="") as f:
            for n, record in enumerate(csv.DictReader(f)):
                text = record["text"]
                rows.append((text, 100 * n, n % 20, n % 5, n % 25, float(n % 90), float(n % 90)))
                for variant in _VARIANTS:
                    rows.append((variant(text), n, 0, 0, 0, None, 5.0))
    return rows


def _score(sample_path: Path, out_path: Path) -> None:
    """Child: score the sample with this process's tree."""
    from crisisdesk.analysis.scoring import ScoreInput, TextCache, score_inputs

    with sample_path.open("rb") as f:
        rows = pickle.load(f)
    items = [ScoreInput(*row) for row in rows]
    cache = TextCache(50_000)
    cached: list[tuple[Any, ...]] = []
    for start in range(0, len(items), 2000):
        cached.extend(map(tuple, score_inputs(items[start : start + 2000], cache)))
    plain = [tuple(s) for s in score_inputs(items)]
    with out_path.open("wb") as f:
        pickle.dump({"cached": cached, "plain": plain}, f)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference", type=Path, nargs="?")
    parser.add_argument("candidate", type=Path, nargs="?")
    parser.add_argument("--generated", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child:
        _score(*ns.child)
        return 0
    if ns.reference is None or ns.candidate is None:
        parser.error("two trees are needed")
    work = Path(tempfile.mkdtemp(prefix="compare-scores-"))
    sample = _sample(ns.generated)
    sample_path = work / "sample.pickle"
    with sample_path.open("wb") as f:
        pickle.dump(sample, f)
    results = []
    for name, tree in (("reference", ns.reference), ("candidate", ns.candidate)):
        out_path = work / f"{name}.pickle"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run(
            [sys.executable, __file__, "--child", str(sample_path), str(out_path)],
            check=True, env=env, cwd=tree,
        )  # fmt: skip
        with out_path.open("rb") as f:
            results.append(pickle.load(f))
    reference, candidate = results
    differences = []
    for kind in ("cached", "plain"):
        for row, a, b in zip(sample, reference[kind], candidate[kind], strict=True):
            if a != b or any(type(x) is not type(y) for x, y in zip(a, b, strict=True)):
                differences.append({"how": kind, "text": row[0], "reference": a, "candidate": b})
    complaints = sum(1 for s in reference["plain"] if s[2])
    print(
        json.dumps(
            {
                "mentions": len(sample),
                "distinct_texts": len({r[0] for r in sample}),
                "complaints": complaints,
                "dev_csv": DEV_CSV.exists(),
                "differences": len(differences),
            }
        )
    )
    for found in differences[:10]:
        print(json.dumps(found, default=str, ensure_ascii=False))
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
