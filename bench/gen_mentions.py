#!/usr/bin/env python3
"""Write N synthetic but varied mentions of a small bakery as CSV (for benchmarks and tests).

    python bench/gen_mentions.py 100000 -o /tmp/mentions.csv [--seed 1]

Texts mix praise, questions, complaints and sarcasm, one to four sentences, with names,
products, order numbers, times, hashtags and emoji, so almost no two texts are equal and
sentiment scoring does realistic work. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

PRODUCTS = [
    "sourdough", "croissants", "birthday cake", "cinnamon rolls", "baguette", "lemon tart",
    "wedding cake", "gluten-free loaf", "almond croissant", "brownies", "focaccia", "eclairs",
    "rye bread", "carrot cake", "macarons", "pain au chocolat", "cheesecake", "bagels",
]  # fmt: skip
PEOPLE = ["Anna", "the girl at the till", "the baker", "your driver", "Tom", "the manager",
          "Sophie", "the new guy", "whoever answers the phone", "Marco"]  # fmt: skip
PLACES = ["Main Street", "the market stall", "the station shop", "Elm Road", "the new branch"]
EMOJI = ["😍", "🥐", "🎂", "😡", "🙄", "👍", "😢", "🔥", "❤️", "😂", "🤢", "👏", ""]
TAGS = ["#bakery", "#sourdough", "#fail", "#customerservice", "#yum", "#localbusiness",
        "#neveragain", "#shoplocal", "#foodie", ""]  # fmt: skip

PRAISE = [
    "The {p} from {place} is honestly the best I have had in years.",
    "Huge thanks to {who} for saving my {p} order today!",
    "Just picked up {n} {p} and they are still warm. Perfect start to the weekend.",
    "Love this place. The {p} never disappoints.",
    "Ordered the {p} for my mum's {n}th birthday and everyone loved it.",
    "Five stars for the {p}, and {who} was so friendly.",
    "Best {p} in town, no contest.",
    "Came for the {p}, stayed for the coffee. Will be back on {day}.",
]
QUESTIONS = [
    "Do you still have {p} left at {place} this afternoon?",
    "Is the {p} vegan or does it have butter in it?",
    "What time do you open on {day}?",
    "Can I order a {p} for {n} people for next {day}?",
    "Are you delivering to the north side today?",
    "Does anyone know if {place} takes card payments now?",
    "Hi, is order #{order} ready for pickup?",
]
COMPLAINTS = [
    "Ordered a {p} for {day} and it never showed up. Nobody answers the phone.",
    "Still waiting for my refund for order #{order}, it has been {n} days.",
    "Found a hair in my {p}. Disgusting.",
    "I was charged twice for the {p}. Please fix this.",
    "Third time I have emailed about order #{order}. No reply. Never again.",
    "The {p} was stale and {who} was rude about it.",
    "Waited {n} minutes at {place} and then they said the {p} was sold out.",
    "My son got sick after eating your {p}. Has anyone else had this?",
    "Wrong order again. I asked for {p}, got something else entirely.",
    "Delivery was {n} hours late and the {p} was crushed.",
]
SARCASM = [
    "Great, another order lost. Thanks a lot.",
    "Wow, {n} hours for a {p}. Amazing service as always.",
    "Love paying extra for a {p} that arrives cold. Brilliant.",
    "Oh good, the {p} is 'out of stock' again. What a surprise.",
    "Thanks for nothing, {who}. Really appreciate it.",
    "Nice to see order #{order} is still 'on its way'. Since {day}.",
]
FILLERS = [
    "Just saying.", "Not happy.", "Anyway.", "Seriously?", "Can't wait!", "So good.",
    "Please sort this out.", "Highly recommend.", "Would not recommend.", "Meh.",
    "@bakery are you reading this?", "Posting this so others know.", "",
]  # fmt: skip
PREFIXES = ["Hey @bakery,", "Honestly,", "Update:", "Re order #{order}:", "So", "PSA:",
            "Day {n}:", "{day} morning and", "Quick one:", "@{who_tag}"]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PLATFORMS = ["mastodon", "bluesky", "reddit", "x", "facebook", "feeds"]
KINDS = [(PRAISE, 0.35), (QUESTIONS, 0.2), (COMPLAINTS, 0.3), (SARCASM, 0.15)]

HEADER = ["id", "platform", "author", "author_name", "created_at", "text", "url", "likes",
          "reposts", "replies", "followers"]  # fmt: skip


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        p=rng.choice(PRODUCTS),
        who=rng.choice(PEOPLE),
        place=rng.choice(PLACES),
        n=rng.randint(2, 90),
        order=rng.randint(1000, 99999),
        day=rng.choice(DAYS),
        who_tag=f"user{rng.randint(1, 5000)}",
    )


def mention_text(rng: random.Random) -> str:
    """One to four sentences, mostly of one kind, sometimes mixed, with tags and emoji."""
    pools, weights = zip(*KINDS, strict=True)
    main = rng.choices(pools, weights)[0]
    parts = [_fill(rng, rng.choice(main))]
    if rng.random() < 0.4:
        parts.insert(0, _fill(rng, rng.choice(PREFIXES)))
    for _ in range(rng.choices([0, 1, 2, 3], [0.35, 0.35, 0.2, 0.1])[0]):
        pool = main if rng.random() < 0.7 else rng.choice(pools)
        parts.append(_fill(rng, rng.choice(pool)) if rng.random() < 0.7 else rng.choice(FILLERS))
    if rng.random() < 0.4:
        parts.append(rng.choice(TAGS))
    if rng.random() < 0.4:
        parts.append(rng.choice(EMOJI))
    return " ".join(p for p in parts if p)


def rows(count: int, seed: int = 1) -> Iterator[list[object]]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    span = 60 * 24 * 3600
    for n in range(1, count + 1):
        platform = rng.choice(PLATFORMS)
        handle = f"user{rng.randint(1, max(10, count // 5))}"
        when = start + timedelta(seconds=rng.randrange(span))
        followers = int(rng.paretovariate(1.2) * 50)
        yield [
            f"{platform}-{n}",
            platform,
            handle,
            handle.capitalize(),
            when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            mention_text(rng),
            f"https://{platform}.example/{handle}/{n}",
            int(rng.paretovariate(1.5)) - 1,
            int(rng.paretovariate(2.0)) - 1,
            int(rng.paretovariate(2.0)) - 1,
            min(followers, 5_000_000),
        ]


def write(path: Path, count: int, seed: int = 1) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write(args.output, args.count, args.seed)
    print(f"wrote {args.count} mentions to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
