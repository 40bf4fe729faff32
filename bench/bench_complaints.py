#!/usr/bin/env python3
"""Complaint recognition on real tweets (issue 10); prints JSON lines.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python bench/bench_complaints.py [--data DIR]

Per business domain of the complaints data set's dev.csv (Preoţiuc-Pietro, Găman and Aletras,
ACL 2019), left out of training: macro-F1, complaint recall and precision, then "overall"
(pooled). Then the learning curve: on each left-out domain, the owner corrects 20 and then 50
flags from the top of their inbox that they disagree with, and macro-F1 is measured on the
mentions still to come, before (shipped model) and after learning.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training import complaints  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="folder with dev.csv")
    ns = parser.parse_args()
    examples = complaints.load((ns.data / "dev.csv") if ns.data else None)
    for name, fig in complaints.leave_one_domain_out(examples).items():
        print(json.dumps({"left_out": name, "n": fig.n, "complaints": fig.complaints,
                          "macro_f1": round(fig.macro_f1, 3), "recall": round(fig.recall, 3),
                          "precision": round(fig.precision, 3)}))  # fmt: skip
    for domain in complaints.BUSINESS_DOMAINS:
        for n, before, after in complaints.learning_curve(examples, domain, (20, 50)):
            print(json.dumps({"curve": domain, "corrections": n,
                              "macro_f1_before": round(before.macro_f1, 3),
                              "macro_f1_after": round(after.macro_f1, 3),
                              "recall_after": round(after.recall, 3),
                              "precision_after": round(after.precision, 3)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
