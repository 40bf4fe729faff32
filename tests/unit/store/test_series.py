"""Hourly tallies are counted in SQL over a real database file."""

from __future__ import annotations

from crisisdesk.store import replies, series
from tests.helpers.builders import insert_mentions, mention_row


def _seed(db) -> list[int]:  # type: ignore[no-untyped-def]
    return insert_mentions(db, [
        mention_row(created_at="2026-11-20T10:05:00Z", label="negative", complaint=True,
                    sentiment=-0.6, likes=8, reposts=3, source="x"),
        mention_row(created_at="2026-11-20T10:50:00Z", label="positive", sentiment=0.8,
                    likes=40, source="mastodon"),
        mention_row(created_at="2026-11-20T11:10:00Z", label="negative", complaint=True,
                    sentiment=-0.4, source="x"),
        mention_row(created_at="2026-11-20T11:20:00Z", label="neutral", source="x"),
        mention_row(created_at="2026-11-22T09:00:00Z", label="negative", sentiment=-0.2),
    ])  # fmt: skip


def test_hourly_counts_each_hour_once(db) -> None:  # type: ignore[no-untyped-def]
    _seed(db)
    rows = series.hourly(db, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
    assert [r.hour for r in rows] == ["2026-11-20T10", "2026-11-20T11"]
    first = rows[0]
    assert (first.total, first.negative, first.positive, first.complaints) == (2, 1, 1, 1)
    assert first.sentiment_sum == 0.8 - 0.6
    assert first.negative_engagement == 11  # the positive one's likes do not count
    assert first.engaged_negative == 1  # 8 + 3 >= 10
    assert rows[1].engaged_negative == 0


def test_by_source_and_whole_hours(db) -> None:  # type: ignore[no-untyped-def]
    _seed(db)
    rows = series.by_source(db, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z")
    assert [(r.source, r.total, r.negative, r.complaints) for r in rows] == [
        ("mastodon", 1, 0, 0),
        ("x", 1, 1, 1),
    ]


def test_response_times_come_from_the_first_sent_reply(db) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(db)
    # the 10:05 complaint: a failed reply, then one sent 30 min after; the 11:10 one: none
    failed = replies.queue(db, ids[0], "Sorry!")
    replies.mark_failed(db, failed.id, "timeout")
    sent = replies.queue(db, ids[0], "So sorry, we are on it")
    with db.atomic():
        replies.mark_sent(db, sent.id, external_id="r1", url=None)
    db.execute("UPDATE replies SET sent_at = '2026-11-20T10:35:00Z' WHERE id = ?", [sent.id])
    later = replies.queue(db, ids[0], "Refund done")
    with db.atomic():
        replies.mark_sent(db, later.id, external_id="r2", url=None)
    db.execute("UPDATE replies SET sent_at = '2026-11-20T18:00:00Z' WHERE id = ?", [later.id])

    rows = series.responses(db, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")

    assert [(r.hour, r.complaints, r.answered, r.within_1h, r.within_4h) for r in rows] == [
        ("2026-11-20T10", 1, 1, 1, 1),
        ("2026-11-20T11", 1, 0, 0, 0),
    ]
    assert rows[0].delay_sum_s == 30 * 60
    assert series.replies_sent(db, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z") == [
        ("2026-11-20T10", 1),
        ("2026-11-20T18", 1),
    ]
    sent_rows = series.sent_replies(db, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
    assert [r.body for r in sent_rows] == ["So sorry, we are on it", "Refund done"]


def test_driving_mentions_per_metric(db) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(db)
    lo, hi = "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"
    assert series.driving_mentions(db, "complaints", lo, hi) == [ids[0], ids[2]]
    assert series.driving_mentions(db, "negative_share", lo, hi) == [ids[0], ids[2]]
    assert series.driving_mentions(db, "engagement", lo, hi) == [ids[0]]


def test_data_range(db) -> None:  # type: ignore[no-untyped-def]
    assert series.data_range(db) is None
    _seed(db)
    assert series.data_range(db) == ("2026-11-20T10:05:00Z", "2026-11-22T09:00:00Z")

    # a bound inside an hour takes that hour whole (a chart up to "now" shows this hour)
    assert len(series.hourly(db, "2026-11-20T10:30:00Z", "2026-11-20T11:05:00Z")) == 2


def test_the_tallies_follow_changes_and_deletions(db) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(db)
    lo, hi = "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"
    # the owner corrects a complaint; a sync refreshes likes; a mention moves hour; one goes
    db.execute("UPDATE mentions SET complaint = 0, label = 'neutral' WHERE id = ?", [ids[2]])
    db.execute("UPDATE mentions SET likes = 0, reposts = 0 WHERE id = ?", [ids[0]])
    db.execute("UPDATE mentions SET created_at = '2026-11-20T12:00:00Z' WHERE id = ?", [ids[3]])
    db.execute("DELETE FROM mentions WHERE id = ?", [ids[1]])

    rows = {r.hour: r for r in series.hourly(db, lo, hi)}

    assert sorted(rows) == ["2026-11-20T10", "2026-11-20T11", "2026-11-20T12"]
    assert (rows["2026-11-20T10"].total, rows["2026-11-20T10"].positive) == (1, 0)
    assert rows["2026-11-20T10"].negative_engagement == 0
    assert rows["2026-11-20T10"].engaged_negative == 0
    assert (rows["2026-11-20T11"].complaints, rows["2026-11-20T11"].neutral) == (0, 1)
    assert rows["2026-11-20T12"].total == 1
    # the same numbers as counting the mentions themselves
    counted = db.execute(
        "SELECT substr(created_at, 1, 13), count(*), sum(complaint) FROM mentions"
        " WHERE created_at < ? GROUP BY 1 ORDER BY 1",
        [hi],
    ).fetchall()
    assert [(r.hour, r.total, r.complaints) for r in rows.values()] == [tuple(c) for c in counted]


def test_a_bulk_import_tallies_its_hours_in_batches(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crisisdesk.services.importing import import_file
    from crisisdesk.store.bulk import BulkInserter
    from tests.helpers.builders import write_csv

    _seed(db)  # mentions already there are counted once, not again
    rows = [
        [f"b{i}", "reddit", f"user{i % 7}", f"2026-11-2{i % 3}T0{i % 9}:1{i % 6}:00Z",
         "Awful, my order never came" if i % 4 == 0 else "Lovely bread, thanks", str(i % 15)]
        for i in range(120)
    ]  # fmt: skip
    path = write_csv(tmp_path / "many.csv", ["id", "platform", "author", "created_at", "text",
                                            "likes"], rows)  # fmt: skip
    old = BulkInserter.FTS_ROWS
    BulkInserter.FTS_ROWS = 50  # several batches
    try:
        report = import_file(db, path, workers=1)
    finally:
        BulkInserter.FTS_ROWS = old
    assert report.imported == 120
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert "mention_hours_insert" in triggers  # back after the import

    tallied = {
        (r.hour, r.total, r.negative, r.complaints, r.negative_engagement)
        for r in series.hourly(db, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")
    }
    counted = {tuple(r) for r in db.execute(
        "SELECT substr(created_at, 1, 13), count(*), sum(label = 'negative'), sum(complaint),"
        " sum(CASE WHEN label = 'negative' THEN likes + reposts + replies ELSE 0 END)"
        " FROM mentions GROUP BY 1").fetchall()}  # fmt: skip
    assert tallied == counted
