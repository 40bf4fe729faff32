"""Speed of the reply tone check (issue 11: a keystroke pause must be checked in < 20 ms).

    .venv/bin/python bench/bench_tone.py [--chars 2000] [--repeat 50]

Prints one JSON object: per platform, the median and 95th percentile of ``analysis.tone.check``
on a draft of --chars characters mixing good and bad wording, personal data, links, emoji and
CJK (so every rule and the platform's length counting do real work; over X's limit, so the
point where it passes the limit is searched too). One warm-up run first (regexes compile once).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisisdesk.analysis.tone import check
from crisisdesk.domain import Platform

PARTS = (
    "Hi Sam, I'm so sorry about your order #4821 and the wait. ",
    "That's NOT ok!! We did nothing wrong, you should have read the policy. ",
    "Please DM us or e-mail hello@bakery.example and we'll make it right 🎂. ",
    "Details: https://bakery.example/allergens?item=42 (日本語 menu too). ",
    "Unfortunately the card ending 4242 was charged twice; call 07700 900123. ",
)


def draft(chars: int) -> str:
    text = ""
    while len(text) < chars:
        text += "".join(PARTS)
    return text[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    text = draft(args.chars)
    own = ("hello@bakery.example",)
    complaint = "My cake never arrived and nobody answers. Disgusting service."
    result: dict[str, object] = {
        "chars": len(text), "repeat": args.repeat, "python": platform.python_version(),
    }  # fmt: skip
    for target in (None, *Platform):
        check(text, platform=target, in_reply_to=complaint, own_contacts=own)  # warm-up
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = check(text, platform=target, in_reply_to=complaint, own_contacts=own)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        result[str(target or "none")] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "findings": len(report.findings),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
