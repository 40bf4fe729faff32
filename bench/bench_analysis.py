"""Speed of analysis: plain VADER ``polarity_scores`` vs ``analyze()`` (VADER + complaint cues).

    .venv/bin/python bench/bench_analysis.py [--count N] [--repeat R] [--seed S]

Prints one JSON object: texts per second over the same texts (one core) for the library's
``polarity_scores``, for the identical compound crisisdesk computes (``quick``), and for
``analyze()``; the cue layer's cost per text and as a share of VADER's time. The target is a
cue layer costing under 15% of VADER's per-text time.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisisdesk.analysis import cues as cue_rules
from crisisdesk.analysis.sentiment import _analyzer, _compound, analyze

_COMPLAINTS = [
    "Ordered a {item} for my {who}'s birthday and it never showed up. Nobody answers the phone.",
    "Great, another order lost. Thanks a lot",
    "Been waiting {n} hours for my {item}, this is ridiculous",
    "Third time I've called about my refund and still no reply @{shop}",
    "Charged twice for one {item}?? Sort it out",
    "Found a hair in my {item}. Disgusting. Reporting you to environmental health",
    "The {item} was stale and the staff were rude when I mentioned it",
    "Never again. You've lost a customer {shop}",
    "Wrong order AGAIN. I asked for {item}, got something else entirely",
    "Still waiting for my money back after {n} weeks. 1 star",
    "Thanks for nothing {shop}. {n} emails and not one answer",
    "my {item} arrived squashed and cold, not what I paid for",
    "I love waiting {n} hours for a {item} 🙄",
    "Where is my order?? It was due {n} hours ago",
    "Got food poisoning after eating your {item}, my {who} was sick all night",
]
_PRAISE = [
    "Best {item} in town, the staff are lovely! 🥐",
    "Delivery was fast, thanks {shop}!",
    "Never had a better {item}, honestly",
    "No complaints at all, will order again",
    "Can't wait to try the new {item} next week 😍",
    "Worth the wait! The {item} was perfect for my {who}'s party",
    "Shout out to {shop} for the gorgeous {item} 🎂🎉",
    "Amazing service as always, thank you so much",
]
_NEUTRAL = [
    "Do you deliver on Sundays?",
    "What time do you open tomorrow @{shop}?",
    "Is the {item} gluten free?",
    "Picked up a {item} from {shop} on the way home",
    "Anyone tried the new {item} at {shop}? Thinking of ordering for my {who}",
    "RT @{shop}: new opening hours from Monday, 8am to 6pm",
    "<p>Posted a photo of the <b>{item}</b> from {shop}</p>",
]
_ITEMS = ["cake", "sourdough", "croissant", "birthday cake", "box of pastries", "coffee", "pie"]
_WHO = ["daughter", "son", "mum", "wife", "husband", "friend", "boss"]
_FILLER = (
    "We went on Saturday morning with the kids and the place was busy as usual, so we queued "
    "for a while and chatted about the weekend plans before finally getting to the counter."
)


def make_texts(count: int, seed: int) -> list[str]:
    """Varied mention texts: about a third complaints, as in a backlash week, some long posts."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        roll = rng.random()
        pool = _COMPLAINTS if roll < 0.35 else _PRAISE if roll < 0.65 else _NEUTRAL
        text = rng.choice(pool).format(
            item=rng.choice(_ITEMS),
            who=rng.choice(_WHO),
            shop=rng.choice(["RoseBakery", "rose_bakery", "RoseBakeryLeeds"]),
            n=rng.randint(2, 12),
        )
        if rng.random() < 0.15:  # longer posts: forums, Facebook, reviews
            text = f"{_FILLER} {text} {_FILLER}"
        if rng.random() < 0.2:
            text = text.upper() if rng.random() < 0.3 else text.lower()
        texts.append(text)
    return texts


def _best_rates(
    loops: dict[str, Callable[[Sequence[str]], object]], texts: Sequence[str], repeat: int
) -> dict[str, float]:
    """Texts per second of each loop, best of *repeat*; the loops take turns so that other
    load on the machine hits them alike."""
    best = dict.fromkeys(loops, float("inf"))
    for _ in range(repeat):
        for name, fn in loops.items():
            start = time.perf_counter()
            fn(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def _read_texts(path: Path, limit: int) -> list[str]:
    """One text per line (blank lines skipped), for measuring on real mentions."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        texts = [line.rstrip("\r\n") for line in fh if line.strip()]
    return texts[:limit]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--texts", type=Path, metavar="FILE", help="use these texts (one per line) instead"
    )
    args = parser.parse_args(argv)

    texts = _read_texts(args.texts, args.count) if args.texts else make_texts(args.count, args.seed)
    vader = _analyzer()

    def vader_loop(batch: Sequence[str]) -> None:
        for t in batch:
            vader.polarity_scores(t)

    quick = _compound()

    def quick_loop(batch: Sequence[str]) -> None:
        for t in batch:
            quick(t)

    def analyze_loop(batch: Sequence[str]) -> None:
        for t in batch:
            analyze(t)

    def cues_loop(batch: Sequence[str]) -> None:
        for t in batch:
            cue_rules.detect(t)

    analyze_loop(texts[:200])  # warm up: VADER lexicon, caches
    loops = {"vader": vader_loop, "quick": quick_loop, "analyze": analyze_loop, "cues": cues_loop}
    rates = _best_rates(loops, texts, args.repeat)
    vader_rate, analyze_rate, cues_rate = rates["vader"], rates["analyze"], rates["cues"]
    mismatches = sum(quick(t) != vader.polarity_scores(t)["compound"] for t in texts)

    results = [analyze(t) for t in texts]
    fired = Counter(c for r in results for c in r.cues)
    vader_us = 1e6 / vader_rate
    cues_us = 1e6 / cues_rate
    print(
        json.dumps(
            {
                "benchmark": "analysis",
                "python": platform.python_version(),
                "texts": len(texts),
                "source": str(args.texts) if args.texts else f"generated (seed {args.seed})",
                "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
                "vader_texts_per_s": round(vader_rate),
                "analyze_texts_per_s": round(analyze_rate),
                "analyze_vs_vader": round(analyze_rate / vader_rate, 3),
                "vader_us_per_text": round(vader_us, 2),
                # the same compound without VADER's per-character emoji loop when no emoji
                "quick_compound_texts_per_s": round(rates["quick"]),
                "quick_compound_path": quick.__name__,
                "quick_compound_mismatches": mismatches,
                "cues_us_per_text": round(cues_us, 2),
                "cues_share_of_vader_pct": round(100 * cues_us / vader_us, 1),
                "complaint_share": round(sum(r.complaint for r in results) / len(results), 3),
                "cues_fired": dict(fired.most_common()),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
