"""Generating the demo dataset: people, texts, times, threads and the owner's answers."""

from __future__ import annotations

import hashlib
import html
import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from crisisdesk.demo.data import (
    DAY,
    DAYS,
    INCIDENT_DAYS_AGO,
    INCIDENT_KINDS,
    MAX_COUNT,
    DemoData,
    DemoReply,
    DemoStatusChange,
    fragments,
)
from crisisdesk.domain import NewMention, Status
from crisisdesk.errors import CrisisdeskError
from crisisdesk.timeutil import now_utc, parse_iso, to_iso

#: volume multipliers for the days after the incident, and for the recovery after that
_INCIDENT_SHAPE = (2.5, 10.0, 8.0, 4.5, 2.2)
_RECOVERY_SHAPE = (1.8, 1.6, 1.4, 1.3, 1.2, 1.1, 1.1)
_WEEKDAY = (1.0, 0.95, 1.0, 1.05, 1.15, 1.45, 0.8)  # Monday..Sunday; Saturday is bake day
_HOURS = (
    0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.9, 1.4, 1.5, 1.3, 1.3,
    1.6, 1.5, 1.2, 1.1, 1.2, 1.4, 1.6, 1.7, 1.5, 1.2, 0.8, 0.45,
)  # fmt: skip
_FLAT_HOURS = tuple(0.5 * h + 0.5 * sum(_HOURS) / 24 for h in _HOURS)  # outrage never sleeps


@dataclass
class _Author:
    handle: str
    name: str
    first: str
    followers: int


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _digits(key: str, n: int = 18) -> str:
    """A stable, random-looking number for ids and URLs."""
    return str(int(hashlib.sha256(key.encode()).hexdigest(), 16))[:n]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Generator:
    def __init__(self, count: int, seed: int, now: datetime) -> None:
        self.f = fragments()
        self.count, self.seed, self.now = count, seed, now
        self.rng = random.Random(seed)
        self.t0 = now - INCIDENT_DAYS_AGO * DAY  # the incident window starts here
        self.rows: list[dict[str, Any]] = []
        self.kinds: dict[str, str] = {}
        self.replies: list[DemoReply] = []
        self.changes: list[DemoStatusChange] = []
        self.authors: dict[tuple[str, int], _Author] = {}
        self.threads: dict[str, list[dict[str, Any]]] = {"x": [], "reddit": []}
        self.story: dict[str, dict[str, Any]] = {}
        self.answer: str | None = None  # the answer template of the question just written
        self.answers: dict[str, str] = {}  # external id -> answer template
        #: first words that keep their capital after an opener
        self.proper = {"I", "I've", "I'm", "Maple", "Eastbrook", "Mara", *self.f["staff"]}

    # --- time --------------------------------------------------------------------------

    def _phase(self, days_ago: int) -> tuple[str, float]:
        k = INCIDENT_DAYS_AGO - 1 - days_ago  # window days_ago=20 starts at the incident
        if 0 <= k < len(_INCIDENT_SHAPE):
            return "incident", _INCIDENT_SHAPE[k]
        k -= len(_INCIDENT_SHAPE)
        if 0 <= k < len(_RECOVERY_SHAPE):
            return "recovery", _RECOVERY_SHAPE[k]
        return ("recent", 1.25) if days_ago <= 2 else ("normal", 1.0)

    def _day_counts(self, total: int) -> list[int]:
        """Mentions per 24-hour window (index = days ago), summing to *total* exactly."""
        weights = []
        for days_ago in range(DAYS):
            start = self.now - (days_ago + 1) * DAY
            weights.append(self._phase(days_ago)[1] * _WEEKDAY[(start + DAY / 2).weekday()])
        exact = [total * w / sum(weights) for w in weights]
        counts = [int(e) for e in exact]
        by_remainder = sorted(range(DAYS), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_remainder[: total - sum(counts)]:
            counts[i] += 1
        return counts

    def _times(self, days_ago: int, n: int, phase: str) -> list[datetime]:
        start = self.now - (days_ago + 1) * DAY
        floor = start.replace(minute=0, second=0)
        hours = _FLAT_HOURS if phase == "incident" else _HOURS
        lower = self.t0 + timedelta(minutes=40) if start <= self.t0 < start + DAY else start
        out = []
        for h in self.rng.choices(range(24), weights=hours, k=n):
            t = floor + timedelta(hours=(h - floor.hour) % 24, seconds=self.rng.randrange(3600))
            if t < start:
                t += DAY
            if t < lower:  # nobody talks about the cake before the post: squeeze after it
                t = lower + (t - start) * ((start + DAY - lower) / DAY)
            out.append(min(t, self.now - timedelta(seconds=1)).replace(microsecond=0))
        out.sort()
        if days_ago == 0:
            self._end_now(out)
        return out

    def _end_now(self, times: list[datetime]) -> None:
        """The demo ends at the moment it is loaded: its newest posts come in during the last
        45 minutes (after local midnight, so "Today" is never empty), the last one a minute ago."""
        midnight = datetime.combine(self.now.astimezone().date(), time()).astimezone()
        start = max(self.now - timedelta(minutes=45), midnight)
        span = self.now - timedelta(minutes=1) - start
        k = min(len(times), max(3, len(times) // 25))
        if span.total_seconds() <= 0 or not k:
            return
        for i in range(k):
            at = start + span * (i + 1) / k
            times[len(times) - k + i] = max(at.replace(microsecond=0), times[len(times) - k + i])
        times.sort()

    # --- people and text ---------------------------------------------------------------

    def _author(self, source: str) -> _Author:
        pool = max(40, self.count // 6)
        index = int(pool * self.rng.random() ** 2)  # a few regulars post a lot
        key = (source, index)
        if key not in self.authors:
            self.authors[key] = self._make_author(source, index)
        return self.authors[key]

    def _make_author(self, source: str, index: int) -> _Author:
        f, r = self.f, random.Random(f"{self.seed}:{source}:{index}")
        first, last = r.choice(f["first_names"]), r.choice(f["last_names"])
        base = _ascii(first).lower() + r.choice(["", "_", ""])
        base += r.choice([_ascii(last).lower(), r.choice(f["handle_words"]), str(r.randrange(99))])
        followers = int(r.lognormvariate(5.2, 1.4))
        if r.random() < 0.02:
            followers = r.randrange(5_000, 60_000)
        name = f"{first} {last}"
        if source == "mastodon":
            handle = f"{base}@{r.choice(f['mastodon_instances'])}"
        elif source == "bluesky":
            handle = f"{base.replace('_', '')}.bsky.social"
        elif source == "reddit":
            handle = name = f"{first}_{r.choice(f['handle_words'])}{r.randrange(10, 999)}"
        elif source == "facebook":
            handle = f"{_ascii(first).lower()}.{_ascii(last).lower()}.{r.randrange(1, 99)}"
        elif source == "rss":
            name = r.choice(f["review_sites"] + ["Google Alerts"])
            handle, first, followers = name, name, 0
        else:
            handle = base
        return _Author(handle, name, first, followers)

    def _fill(self, template: str, rng: random.Random) -> str:
        f = self.f
        product = rng.choice(f["products"])
        values = {
            "product": product,
            "product2": rng.choice([p for p in f["products"] if p != product]),
            "place": rng.choice(f["places"]), "staff": rng.choice(f["staff"]),
            "day": rng.choice(f["days"]), "time": rng.choice(f["times"]),
            "occasion": rng.choice(f["occasions"]), "money": rng.choice(f["money"]),
            "minutes": str(rng.choice([15, 20, 25, 30, 40, 45])),
            "site": rng.choice(f["news_sites"]),
        }  # fmt: skip
        return template.format_map(values)

    def _template(self, kind: str) -> str:
        """A template for *kind*; a question's matching answer is kept for the owner's reply."""
        template = self.rng.choice(self.f["templates"][kind])
        if isinstance(template, list):  # [question, answer]
            template, self.answer = template
        return str(template)

    def _text(self, kind: str, source: str) -> str:
        rng, f = self.rng, self.f
        self.answer = None
        text = self._fill(self._template(kind), rng)
        mood = self.f["mood"].get(kind)
        if source == "rss" or mood is None:
            return text
        if source == "reddit" and rng.random() < 0.3 and kind != "question":
            text += (" " if text[-1] in ".!?" else ". ") + "Also, "
            more = self._fill(self._template(kind), rng)
            text += more.lower() if more not in text else "same here"
        opener, closer = rng.choice(f["openers"][mood]), rng.choice(f["closers"][mood])
        first_word = text.split(" ", 1)[0]
        if opener and opener[-2] not in ".:?!" and first_word not in self.proper:
            text = text[0].lower() + text[1:]  # "Honestly, my cake..." not "Honestly, My cake"
        if closer and text[-1] not in ".!?)":
            text += "."
        text = opener + text + closer
        if rng.random() < {"happy": 0.5, "angry": 0.35}.get(mood, 0.15):
            emoji = "".join(
                rng.choices(
                    f["emoji"].get(
                        "sad" if mood == "angry" and rng.random() < 0.2 else mood,
                        f["emoji"]["neutral"],
                    ),
                    k=rng.choice([1, 1, 2, 3]),
                )
            )
            text += rng.choice([" ", " ", ""]) + emoji
        tags = f["hashtags"][
            "incident" if kind in INCIDENT_KINDS else mood if mood == "happy" else "neutral"
        ]
        if rng.random() < (0.4 if kind in INCIDENT_KINDS else 0.2):
            text += " " + " ".join(rng.sample(tags, rng.choice([1, 1, 2])))
        if rng.random() < 0.12:
            text = text.lower()
        if rng.random() < 0.08:
            text = self._typo(text, rng)
        if mood == "angry" and rng.random() < 0.1:
            text = text.replace(".", "!!!", 1) if "." in text else text + "!!"
        return " ".join(text.split())

    def _typo(self, text: str, rng: random.Random) -> str:
        for right, wrong in self.f["typos"].items():
            if right in text:
                return text.replace(right, wrong, 1)
        words = text.split(" ")
        long = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            w, j = words[i], rng.randrange(1, len(words[i]) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(words)

    def _reply_body(self, kind: str, author: _Author, answer: str | None) -> str:
        rng, r = self.rng, self.f["replies"]
        if kind in ("public", "private"):  # the backlash: a real apology, then what we did
            action = r["action_public" if kind == "public" else "action_private"]
            body = (
                rng.choice(r["apology_open"]) + rng.choice(r["apology"]) + " " + rng.choice(action)
            )
        elif kind == "answer":
            body = answer or rng.choice(r["thanks"])
        else:
            body = rng.choice(r[kind])
        return self._fill(body.replace("{first}", author.first), rng) + str(rng.choice(r["sign"]))

    def _url(self, source: str, handle: str, num: str) -> str:
        """A link in the platform's shape on a reserved .example host (nothing real opens)."""
        business = self.f["business"]
        if source == "mastodon":
            user, _, instance = handle.partition("@")
            return f"https://{instance}/@{user}/{num}"
        if source == "bluesky":
            return f"https://bsky.example/profile/{handle}/post/3k{num[:11]}"
        if source == "reddit":
            return f"https://reddit.example/r/{business['subreddit']}/comments/{num[:7]}/"
        if source == "facebook":
            return f"https://facebook.example/{business['handle']}/posts/{num}"
        if source == "rss":
            site = _ascii(handle).lower().replace(" ", "")
            return f"https://{site}.example/maple-and-rye-{num[:6]}"
        return f"https://x.example/{handle}/status/{num}"

    # --- rows --------------------------------------------------------------------------

    def _row(
        self, key: str, source: str, author: _Author, created: datetime, text: str,
        engagement: tuple[int, int, int], parent: dict[str, Any] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        ext = f"demo-{self.seed}-{key}"
        num = _digits(ext)
        url = self._url(source, author.handle, num)
        if source in ("mastodon", "rss"):  # these arrive as HTML; the text is already plain
            raw: dict[str, Any] = {"id": num, "content": f"<p>{html.escape(text)}</p>"}
        else:
            raw = {"id": num, "text": text}
        raw.update(demo=True, author={"handle": author.handle, "followers": author.followers})
        row = {
            "source": source, "external_id": ext, "url": url,
            "author_handle": author.handle, "author_name": author.name,
            "author_followers": author.followers, "text": text, "created_at": to_iso(created),
            "fetched_at": to_iso(min(self.now, created + timedelta(minutes=2 + len(text) % 29))),
            "in_reply_to": parent["external_id"] if parent else None,
            "thread_root": (parent["thread_root"] or parent["external_id"]) if parent else None,
            "likes": engagement[0], "reposts": engagement[1], "replies": engagement[2],
            "status": Status.NEW, "raw": raw,
        }  # fmt: skip
        self.rows.append(row)
        return row

    def _engagement(self, kind: str, source: str, followers: int) -> tuple[int, int, int]:
        if source == "rss":
            return 0, 0, 0
        rng = self.rng
        likes = rng.lognormvariate(0.8, 1.1) * (1 + followers / 2000)
        likes *= 3.0 if kind in INCIDENT_KINDS else 1.0
        reposts = 0 if source == "reddit" else int(likes * rng.uniform(0.02, 0.3))
        return int(likes), reposts, int(likes * rng.uniform(0.05, 0.25))

    def _apply_plan(self, row: dict[str, Any], author: _Author, steps: Sequence[Any]) -> None:
        """Turn (time, status, reply kind) steps into replies and status changes before now."""
        status, created = Status.NEW, parse_iso(row["created_at"])
        for step, (at, new, reply) in enumerate(steps):
            at = at.replace(microsecond=0)
            if at <= created or at >= self.now:
                break
            if reply is not None:
                channel = "private" if reply.endswith("private") else "public"
                ext = f"{row['external_id']}-reply-{step}"
                body = self._reply_body(reply, author, self.answers.get(row["external_id"]))
                url = f"{row['url'].rstrip('/')}#reply-{_digits(ext, 8)}"
                queued = to_iso(at - timedelta(seconds=20))
                reply_row = DemoReply(
                    row["external_id"], channel, body, queued, to_iso(at), ext, url, ext
                )
                self.replies.append(reply_row)
            if new != status:
                self.changes.append(DemoStatusChange(row["external_id"], status, new, to_iso(at)))
                status = new
        row["status"] = status

    def _plan(self, kind: str, days_ago: int, created: datetime, reach: int) -> list[Any]:
        rng = self.rng

        def later(lo: float, hi: float, base: datetime = created) -> datetime:
            return base + timedelta(hours=rng.uniform(lo, hi))

        if days_ago == 0 or (days_ago <= 2 and rng.random() < 0.7):
            return [(later(0.5, 6), Status.OPEN, None)] if rng.random() < 0.15 else []
        roll = rng.random()
        if kind == "question":
            if roll < 0.75:
                t = later(0.5, 8)
                steps = [(t, Status.REPLIED, "answer"), (later(2, 48, t), Status.RESOLVED, None)]
                return steps[: 1 + (roll < 0.6)]
            return []
        if kind in ("complaint", "incident_complaint"):
            if kind == "incident_complaint":
                created = max(created, self.t0 + timedelta(hours=24))  # first answers came next day
            public, private = (
                ("public", "private") if kind != "complaint" else ("sorry_public", "sorry_private")
            )
            if roll < (0.5 if reach >= 1500 or kind == "complaint" else 0.15):
                t = later(1, 12, created)
                steps = [(t, Status.REPLIED, public)]
                if rng.random() < 0.4:
                    t = later(0.2, 3, t)
                    steps.append((t, Status.OFFLINE, private))
                if rng.random() < 0.5:
                    steps.append((later(4, 96, t), Status.RESOLVED, None))
                return steps
            if roll < (0.75 if kind == "complaint" else 0.25):
                t = later(1, 12, created)
                return [(t, Status.OFFLINE, private), (later(4, 72, t), Status.RESOLVED, None)]
            return [] if roll > 0.92 else [(later(24, 96), Status.ARCHIVED, None)]
        if kind in ("praise", "recovery", "defender") and roll < 0.1:
            return [(later(1, 30), Status.REPLIED, "thanks")]
        if roll < (0.75 if kind in INCIDENT_KINDS else 0.92):
            return [(later(2, 96), Status.ARCHIVED, None)]
        return []

    def _story(self) -> None:
        """The fixed mentions that tell the backlash: the viral post, the rude reply, ..."""
        for m in self.f["story"]["mentions"]:
            if len(self.rows) >= self.count:
                return
            first = m["name"].split()[0] if m["source"] != "rss" else m["name"]
            author = _Author(m["handle"], m["name"], first, m["followers"])
            created = self.t0 + timedelta(hours=m["hours"])
            engagement = (m["likes"], m["reposts"], m["replies"])
            parent = self.story.get(m["parent"] or "")
            row = self._row(m["key"], m["source"], author, created, m["text"], engagement, parent)
            self.kinds[row["external_id"]] = "story"
            self.story[m["key"]] = row
            plan = [(self.t0 + timedelta(hours=h), status, reply) for h, status, reply in m["plan"]]
            self._apply_plan(row, author, plan)

    def generate(self) -> DemoData:
        self._story()
        story_rows = list(self.rows)
        for t in self.threads:
            self.threads[t] = [r for r in story_rows if r["source"] == t and r["source"] != "rss"]
        counts = self._day_counts(self.count - len(story_rows))
        index = 0
        for days_ago in range(DAYS - 1, -1, -1):
            phase, _ = self._phase(days_ago)
            for created in self._times(days_ago, counts[days_ago], phase):
                kind = _pick(self.rng, self.f["mix"][phase])
                platforms = self.f["platforms"]
                source = _pick(self.rng, platforms.get(kind, platforms["_incident"]))
                author = self._author(source)
                parent = None
                thread = self.threads.get(source)
                if thread and kind in INCIDENT_KINDS and self.rng.random() < 0.5:
                    parent = thread[0] if self.rng.random() < 0.6 else self.rng.choice(thread[-30:])
                    if parent["created_at"] >= to_iso(created):
                        parent = None
                text = self._text(kind, source)
                if self.answer:
                    self.answers[f"demo-{self.seed}-{index:06d}"] = self.answer
                engagement = self._engagement(kind, source, author.followers)
                row = self._row(f"{index:06d}", source, author, created, text, engagement, parent)
                if parent is not None and thread is not None:
                    thread.append(row)
                index += 1
                self.kinds[row["external_id"]] = kind
                reach = author.followers + 10 * row["likes"]
                self._apply_plan(row, author, self._plan(kind, days_ago, created, reach))
        self.rows.sort(key=lambda r: (r["created_at"], r["external_id"]))
        self.replies.sort(key=lambda r: (r.sent_at, r.external_id))
        self.changes.sort(key=lambda c: (c.at, c.mention_external_id))
        b = self.f["business"]
        return DemoData(
            b["name"], b["handle"], to_iso(self.now), to_iso(self.t0),
            [_new_mention(r) for r in self.rows],
            {r["external_id"]: r["status"] for r in self.rows},
            self.kinds, self.replies, self.changes,
        )  # fmt: skip


def _new_mention(row: dict[str, Any]) -> NewMention:
    """A generated row as the new mention it stands for (its status is kept aside)."""
    fields = {k: v for k, v in row.items() if k not in ("status", "raw")}
    return NewMention(**fields, raw=json.dumps(row["raw"], ensure_ascii=False, default=str))


def generate(count: int = 3000, *, seed: int = 7, now: datetime | None = None) -> DemoData:
    """Generate the demo dataset (not scored, not stored). Same seed/count/now, same data."""
    if not 1 <= count <= MAX_COUNT:
        raise CrisisdeskError(
            f"The demo data can have 1 to {MAX_COUNT:,} mentions, not {count:,}.",
            hint="For example: crisisdesk demo --count 3000",
        )
    moment = parse_iso(to_iso(now or now_utc()))  # aware UTC, whole seconds
    return _Generator(count, seed, moment).generate()
