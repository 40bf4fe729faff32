"""The demo dataset: realistic shape, a visible backlash, replies, determinism, idempotence."""

from __future__ import annotations

import html
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.demo import DAYS, INCIDENT_KINDS, SOURCES, generate, load_demo
from crisisdesk.errors import CrisisdeskError, ImportCancelled
from crisisdesk.store import events, mentions, open_database, overview
from crisisdesk.timeutil import parse_iso, to_iso
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

NOW = datetime(2026, 11, 23, 15, 4, 5, tzinfo=UTC)
STORED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
TABLES = ("mentions", "replies", "events")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """The default demo (3000 mentions) loaded once into a real database for this module."""
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    report = load_demo(db, now=NOW)
    yield db, report
    db.close()


def _daily(db: Any, sql_filter: str = "1") -> dict[int, int]:
    """Mentions per 24-hour window before NOW (0 = the last 24 hours)."""
    counts: Counter[int] = Counter()
    for (created,) in db.execute(f"SELECT created_at FROM mentions WHERE {sql_filter}"):
        counts[int((NOW - parse_iso(created)).total_seconds() // 86400)] += 1
    return {day: counts.get(day, 0) for day in range(DAYS)}


def test_count_and_report(loaded: tuple[Any, Any]) -> None:
    db, report = loaded
    assert report.added == 3000
    assert report.duplicates == 0
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 3000
    assert report.replies == db.execute("SELECT count(*) FROM replies").fetchone()[0] > 100
    assert report.events == db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert report.complaints == db.execute("SELECT sum(complaint) FROM mentions").fetchone()[0]
    assert sum(report.by_source.values()) == 3000
    text = report.summary_text()
    assert "3,000 demo mentions" in text and "Maple & Rye Bakery" in text
    assert report.incident_start[:10] in text


def test_every_platform_appears(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    assert set(overview.sources(db)) == set(SOURCES)


def test_timestamps_are_stored_utc_and_within_sixty_days(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    start, end = to_iso(NOW - timedelta(days=DAYS)), to_iso(NOW)
    for created, fetched in db.execute("SELECT created_at, fetched_at FROM mentions"):
        assert STORED.fullmatch(created) and STORED.fullmatch(fetched)
        assert start <= created <= fetched <= end
    for created, sent in db.execute("SELECT created_at, sent_at FROM replies"):
        assert STORED.fullmatch(created) and STORED.fullmatch(sent)
        assert start <= created <= sent <= end
    for (at,) in db.execute("SELECT at FROM events"):
        assert STORED.fullmatch(at) and start <= at <= end


def test_backlash_spike_in_complaints(loaded: tuple[Any, Any]) -> None:
    db, report = loaded
    complaints = _daily(db, "complaint = 1")
    incident_day = (NOW - parse_iso(report.incident_start)).days  # 21 days ago
    window = [complaints[d] for d in range(incident_day - 5, incident_day)]
    baseline = [complaints[d] for d in range(30, DAYS)]
    assert max(window) >= 10 * max(1.0, statistics.median(baseline))
    assert sum(window) >= 5 * sum(baseline) / len(baseline) * len(window)
    # and the spike is in volume and reach too, not only in labels
    volume = _daily(db)
    assert max(volume[d] for d in range(incident_day - 5, incident_day)) >= 4 * statistics.median(
        volume[d] for d in range(30, DAYS)
    )
    loud = db.execute(
        "SELECT count(*) FROM mentions WHERE author_followers >= 10000 AND created_at >= ?",
        [report.incident_start],
    ).fetchone()[0]
    assert loud >= 2


def test_daily_rhythm_and_weekends(loaded: tuple[Any, Any]) -> None:
    db, report = loaded
    by_hour = Counter(
        int(c[11:13])
        for (c,) in db.execute(
            "SELECT created_at FROM mentions WHERE created_at < ?",
            [to_iso(parse_iso(report.incident_start) - timedelta(days=1))],
        )
    )
    day = sum(by_hour[h] for h in range(8, 20))
    night = sum(by_hour[h] for h in range(0, 6))
    assert day > 6 * night
    by_weekday = Counter(
        parse_iso(c).weekday()
        for (c,) in db.execute(
            "SELECT created_at FROM mentions WHERE created_at < ?", [report.incident_start]
        )
    )
    assert by_weekday[5] > by_weekday[6]  # Saturday busy, Sunday quiet


def test_recent_days_leave_work_in_the_inbox(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    since = to_iso(NOW - timedelta(days=2))
    waiting = mentions.count(db, mentions.MentionFilter(statuses=("new", "open"), since=since))
    complaints = mentions.count(
        db, mentions.MentionFilter(statuses=("new",), complaints_only=True, since=since)
    )
    assert waiting >= 30
    assert complaints >= 3
    summary = overview.summary(db)
    assert summary.new > 0 and summary.complaints_waiting > 0


def test_replies_link_to_answered_mentions_with_events(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    rows = db.execute(
        "SELECT r.id, r.state, r.channel, r.body, r.sent_at, m.id, m.status, m.created_at"
        " FROM replies r JOIN mentions m ON m.id = r.mention_id"
    ).fetchall()
    assert len(rows) == db.execute("SELECT count(*) FROM replies").fetchone()[0]
    assert {r[1] for r in rows} == {"sent"}
    assert {r[2] for r in rows} == {"public", "private"}
    for reply_id, _, channel, body, sent_at, _, status, created in rows:
        assert body.strip()
        assert sent_at > created
        assert status in ("replied", "offline", "resolved")
        if channel == "private":
            assert status in ("offline", "resolved")
        assert [e.action for e in events.for_entity(db, "reply", reply_id)] == ["queue", "sent"]
    keys = [r[0] for r in db.execute("SELECT idempotency_key FROM replies")]
    assert len(set(keys)) == len(keys)


def test_status_history_in_the_audit_log_matches_statuses(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    history: dict[int, list[tuple[str, str]]] = {}
    for mention_id, old, new in db.execute(
        "SELECT entity_id, old, new FROM events WHERE entity = 'mention' ORDER BY id"
    ):
        history.setdefault(mention_id, []).append((old, new))
    for mention_id, status in db.execute("SELECT id, status FROM mentions"):
        chain = history.get(mention_id, [])
        if status == "new":
            assert chain == []
            continue
        assert chain[0][0] == "new"
        assert chain[-1][1] == status
        assert all(a[1] == b[0] for a, b in itertools.pairwise(chain))
    times = [r[0] for r in db.execute("SELECT at FROM events ORDER BY id")]
    assert times == sorted(times)  # the log reads in time order


def test_threads_point_at_earlier_mentions_on_the_same_platform(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    rows = db.execute(
        "SELECT c.source, c.created_at, p.source, p.created_at, c.thread_root FROM mentions c"
        " LEFT JOIN mentions p ON p.external_id = c.in_reply_to WHERE c.in_reply_to IS NOT NULL"
    ).fetchall()
    assert len(rows) >= 100
    for source, created, parent_source, parent_created, root in rows:
        assert parent_source == source
        assert parent_created < created
        assert db.execute(
            "SELECT 1 FROM mentions WHERE source = ? AND external_id = ?", [source, root]
        ).fetchone()
    viral = db.execute(
        "SELECT id FROM mentions WHERE author_handle = 'hannah_weds' ORDER BY created_at LIMIT 1"
    ).fetchone()[0]
    mention = mentions.get(db, viral)
    assert mention is not None and mention.complaint
    assert len(mentions.thread(db, mention)) >= 50


def test_texts_are_varied_plain_text(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    texts = [r[0] for r in db.execute("SELECT text FROM mentions")]
    assert len(set(texts)) >= 0.85 * len(texts)
    for text in texts:
        assert text == text.strip() and "  " not in text
        assert html.unescape(text) == text, text  # no entity left for HTML stripping to resolve
    assert any("<b>worst</b>" in t for t in texts)  # typed by a person: kept as text
    assert any("&" in t for t in texts)
    assert sum(any(ord(c) > 0x1F000 for c in t) for t in texts) >= 100  # emoji
    assert sum("#" in t for t in texts) >= 100
    # the platforms that send HTML keep the escaped original in raw
    raws = [
        r[0] for r in db.execute("SELECT raw FROM mentions WHERE source IN ('mastodon', 'rss')")
    ]
    assert any("&amp;" in r for r in raws)


def test_search_finds_the_backlash(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    assert mentions.count(db, mentions.MentionFilter(search="wedding cake")) >= 100
    assert mentions.count(db, mentions.MentionFilter(search="#weddingcakegate")) >= 10


def test_generate_is_deterministic_for_seed_and_now() -> None:
    a = generate(400, seed=3, now=NOW)
    b = generate(400, seed=3, now=NOW)
    assert a == b
    c = generate(400, seed=4, now=NOW)
    assert [r.text for r in a.mentions] != [r.text for r in c.mentions]
    later = generate(400, seed=3, now=NOW + timedelta(hours=5))
    assert later.now != a.now
    times = [r.created_at for r in later.mentions]
    assert times != [r.created_at for r in a.mentions]
    assert min(times) >= to_iso(NOW + timedelta(hours=5) - timedelta(days=DAYS))


def test_kinds_cover_the_story() -> None:
    data = generate(1500, now=NOW)
    kinds = Counter(data.kinds.values())
    assert {"praise", "question", "neutral", "complaint", "review"} <= set(kinds)
    assert set(kinds) >= INCIDENT_KINDS
    assert kinds["story"] == 7
    assert len(data.mentions) == len(data.kinds) == 1500


@pytest.mark.parametrize("count", [1, 7, 8, 50])
def test_small_counts_are_exact(db: Any, count: int) -> None:
    report = load_demo(db, count=count, now=NOW)
    assert report.added == count
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == count


@pytest.mark.parametrize("count", [0, -5, 100_001])
def test_impossible_counts_are_user_errors(db: Any, count: int) -> None:
    with pytest.raises(CrisisdeskError, match="demo data can have"):
        load_demo(db, count=count, now=NOW)
    assert table_snapshot(db) == []


def test_loading_twice_adds_nothing(db_path: Path) -> None:
    db = open_database(db_path)
    first = load_demo(db, count=300, now=NOW)
    before = {t: table_snapshot(db, t) for t in TABLES}

    again = load_demo(db, count=300, now=NOW)
    later = load_demo(db, count=300, now=NOW + timedelta(days=3))  # a later day: same ids

    assert first.added == 300
    assert (again.added, again.duplicates, again.replies, again.events) == (0, 300, 0, 0)
    assert later.added == 0
    assert "already loaded" in again.summary_text()
    assert {t: table_snapshot(db, t) for t in TABLES} == before
    db.close()


def test_existing_mentions_are_left_alone(db: Any) -> None:
    insert_mentions(db, [mention_row(text="a real mention, not demo")])
    before = table_snapshot(db)

    load_demo(db, count=100, now=NOW)

    assert table_snapshot(db)[:1] == before
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 101


def test_another_seed_adds_a_second_dataset(db: Any) -> None:
    load_demo(db, count=60, seed=1, now=NOW)
    report = load_demo(db, count=60, seed=2, now=NOW)
    assert report.added == 60
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 120


def test_progress_reports_and_cancel_writes_nothing(db: Any) -> None:
    seen: list[tuple[int, int]] = []

    def watch(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    load_demo(db, count=1200, seed=11, now=NOW, progress=watch)
    assert seen[0] == (0, 1200) and seen[-1] == (1200, 1200)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    before = {t: table_snapshot(db, t) for t in TABLES}

    def cancel_midway(done: int, total: int) -> bool:
        return done < 500

    with pytest.raises(ImportCancelled, match="cancelled"):
        load_demo(db, count=1200, seed=12, now=NOW, progress=cancel_midway)
    assert {t: table_snapshot(db, t) for t in TABLES} == before


def test_priorities_reflect_waiting_and_answers(loaded: tuple[Any, Any]) -> None:
    db, _ = loaded
    answered = db.execute(
        "SELECT avg(priority) FROM mentions WHERE complaint = 1 AND status = 'resolved'"
    ).fetchone()[0]
    waiting = db.execute(
        "SELECT avg(priority) FROM mentions WHERE complaint = 1 AND status = 'new'"
    ).fetchone()[0]
    assert waiting > answered
    assert db.execute("SELECT min(priority), max(priority) FROM mentions").fetchone() >= (0, 50)


@pytest.mark.parametrize("hour", [0, 6, 15, 23])
def test_the_demo_ends_at_the_moment_it_is_loaded(hour: int) -> None:
    """Issue 9.14: "Today" has posts right after loading, whatever the hour."""
    local_now = datetime(2026, 11, 28, hour, 40, 0).astimezone()
    now = local_now.astimezone(UTC)
    data = generate(600, seed=3, now=now)
    times = sorted(parse_iso(m.created_at) for m in data.mentions)
    assert now - timedelta(minutes=3) <= times[-1] < now
    midnight = local_now.replace(hour=0, minute=0)
    assert sum(1 for t in times if t >= midnight) >= 3
