"""store.mentions on a real SQLite file: inserts, refreshes, filters, sorting, paging, triage."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crisisdesk.errors import CrisisdeskError
from crisisdesk.services.priorities import priority_for, rescore
from crisisdesk.store import events, mentions
from crisisdesk.store.mentions import MentionFilter
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def _ids(found: list[mentions.Mention]) -> list[int]:
    return [m.id for m in found]


# --- insert / upsert ----------------------------------------------------------------------


def test_insert_many_counts_duplicates_and_keeps_the_first(db: Any) -> None:
    first = mention_row(external_id="a", text="first text")
    again = mention_row(external_id="a", text="second text")  # same (source, external_id)
    other_source = mention_row(external_id="a", source="bluesky", text="other platform")

    with db.atomic():
        counts = mentions.insert_many(db, [first, again, other_source])

    assert (counts.inserted, counts.duplicates) == (2, 1)
    texts = [r[0] for r in db.execute("SELECT text FROM mentions ORDER BY id")]
    assert texts == ["first text", "other platform"]

    with db.atomic():
        counts = mentions.insert_many(db, [first, other_source])
    assert (counts.inserted, counts.duplicates) == (0, 2)
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 2


def test_insert_many_stores_cues_raw_and_complaint_faithfully(db: Any) -> None:
    row = mention_row(
        cues=("non_delivery", "no_response"),
        complaint=True,
        raw={"html": "<p>Where is my <b>cake</b>?</p>", "n": 1},
    )
    (mention_id,) = insert_mentions(db, [row])

    got = mentions.get(db, mention_id)
    assert got is not None
    assert got.complaint is True
    assert got.cues == ("non_delivery", "no_response")
    assert json.loads(mentions.get_raw(db, mention_id) or "") == row["raw"]
    assert mentions.get(db, 999_999) is None
    assert mentions.get_raw(db, 999_999) is None


def test_insert_many_rolls_back_with_the_callers_transaction(db: Any) -> None:
    good = mention_row()
    bad = mention_row(label="furious")  # violates the CHECK constraint
    with pytest.raises(Exception, match="CHECK"), db.atomic():
        mentions.insert_many(db, [good, bad])
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0


def test_upsert_many_refreshes_counts_but_keeps_text_and_triage_state(db: Any) -> None:
    row = mention_row(external_id="x1", text="original words", likes=1, reposts=0)
    (mention_id,) = insert_mentions(db, [row])
    mentions.set_status(db, [mention_id], "open")
    mentions.set_assignee(db, [mention_id], "sam")

    refreshed = dict(
        row,
        text="edited on the platform",
        likes=40,
        reposts=7,
        replies=3,
        author_followers=900,
        status="new",
        fetched_at="2026-11-21T08:00:00Z",
    )
    counts = mentions.upsert_many(db, [refreshed, mention_row(external_id="x2")])

    assert (counts.inserted, counts.updated, counts.duplicates) == (1, 1, 0)
    got = mentions.get(db, mention_id)
    assert got is not None
    assert (got.likes, got.reposts, got.replies, got.author_followers) == (40, 7, 3, 900)
    assert got.fetched_at == "2026-11-21T08:00:00Z"
    assert got.text == "original words"
    assert (got.status, got.assignee) == ("open", "sam")

    counts = mentions.upsert_many(db, [refreshed])
    assert (counts.inserted, counts.updated, counts.duplicates) == (0, 0, 1)


def test_upsert_without_a_link_keeps_the_stored_link_and_rescores_reach(db: Any) -> None:
    row = mention_row(external_id="y1", url="https://social.example/@a/1", author_followers=10)
    (mention_id,) = insert_mentions(db, [row])
    before = mentions.get(db, mention_id)
    assert before is not None

    with db.atomic():  # as sync does: the store says whose reach changed, services rescore
        counts = mentions.upsert_many(db, [dict(row, url=None, author_followers=250_000)])
        rescore(db, counts.refreshed)

    assert counts.updated == 1
    assert counts.refreshed == [mention_id]
    after = mentions.get(db, mention_id)
    assert after is not None
    assert after.url == "https://social.example/@a/1"
    assert after.author_followers == 250_000
    assert after.priority == priority_for(after).score
    assert after.priority > priority_for(before).score  # a far bigger audience ranks higher


# --- filters ------------------------------------------------------------------------------


@pytest.fixture
def filled(db: Any) -> dict[str, int]:
    """A small, varied inbox; returns ids by name."""
    rows = {
        "late": mention_row(
            source="mastodon", text="My cake never arrived", label="negative",
            complaint=True, sentiment=-0.6, priority=90, status="new",
            created_at="2026-11-01T09:00:00Z",
        ),
        "praise": mention_row(
            source="bluesky", text="Best sourdough in town", label="positive",
            sentiment=0.8, priority=10, status="resolved", created_at="2026-11-02T09:00:00Z",
        ),
        "question": mention_row(
            source="reddit", text="Are you open on Sunday?", label="neutral",
            sentiment=0.0, priority=30, status="open", created_at="2026-11-03T09:00:00Z",
        ),
        "rude": mention_row(
            source="x", text="Staff were rude to me", label="negative", complaint=True,
            sentiment=-0.5, priority=70, status="replied", created_at="2026-11-04T09:00:00Z",
        ),
        "old": mention_row(
            source="rss", text="Review: a lovely bakery", label="positive",
            sentiment=0.6, priority=5, status="archived", created_at="2026-10-01T00:00:00Z",
        ),
    }  # fmt: skip
    ids = dict(zip(rows, insert_mentions(db, rows.values()), strict=True))
    mentions.set_assignee(db, [ids["late"], ids["rude"]], "sam")
    mentions.set_assignee(db, [ids["question"]], "alex")
    label_id = db.execute("INSERT INTO labels (name) VALUES ('Wedding')").lastrowid
    db.execute(
        "INSERT INTO mention_labels (mention_id, label_id) VALUES (?, ?)", [ids["late"], label_id]
    )
    return ids


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (MentionFilter(), {"late", "praise", "question", "rude", "old"}),
        (MentionFilter(search="cake"), {"late"}),
        (MentionFilter(label="negative"), {"late", "rude"}),
        (MentionFilter(label="positive"), {"praise", "old"}),
        (MentionFilter(complaints_only=True), {"late", "rude"}),
        (MentionFilter(statuses=("new", "open")), {"late", "question"}),
        (MentionFilter(statuses=("archived",)), {"old"}),
        (MentionFilter(sources=("bluesky", "rss")), {"praise", "old"}),
        (MentionFilter(since="2026-11-02T09:00:00Z"), {"praise", "question", "rude"}),
        (MentionFilter(until="2026-11-02T09:00:00Z"), {"late", "old"}),
        (
            MentionFilter(since="2026-11-01T00:00:00Z", until="2026-11-03T09:00:01Z"),
            {"late", "praise", "question"},
        ),
        (MentionFilter(assignee="sam"), {"late", "rude"}),
        (MentionFilter(tag="wedding"), {"late"}),  # user labels ignore case
        (MentionFilter(complaints_only=True, statuses=("new",), sources=("mastodon",)), {"late"}),
        (MentionFilter(label="neutral", complaints_only=True), set()),
        (MentionFilter(search="   "), {"late", "praise", "question", "rude", "old"}),
    ],
)
def test_filter_fields(
    db: Any, filled: dict[str, int], flt: MentionFilter, expected: set[str]
) -> None:
    by_id = {v: k for k, v in filled.items()}
    found = {by_id[m.id] for m in mentions.query(db, flt, limit=100)}
    assert found == expected
    assert mentions.count(db, flt) == len(expected)


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (MentionFilter(label="angry"), "not a sentiment label"),
        (MentionFilter(statuses=("open", "deleted")), "'deleted' is not a status"),
    ],
)
def test_bad_filter_values_are_user_errors(db: Any, flt: MentionFilter, message: str) -> None:
    with pytest.raises(CrisisdeskError, match=message):
        mentions.query(db, flt)
    with pytest.raises(CrisisdeskError, match=message):
        mentions.count(db, flt)


def test_unknown_sort_is_a_user_error(db: Any) -> None:
    with pytest.raises(CrisisdeskError, match="not a sort order"):
        mentions.query(db, sort="random")


def test_every_sort_order(db: Any, filled: dict[str, int]) -> None:
    name = {v: k for k, v in filled.items()}

    def order(sort: str) -> list[str]:
        return [name[m.id] for m in mentions.query(db, sort=sort)]

    assert order("priority") == ["late", "rude", "question", "praise", "old"]
    assert order("newest") == ["rude", "question", "praise", "late", "old"]
    assert order("oldest") == ["old", "late", "praise", "question", "rude"]
    assert order("most_negative") == ["late", "rude", "question", "old", "praise"]
    assert order("most_positive") == ["praise", "old", "question", "rude", "late"]
    assert set(mentions.SORTS) == {
        "priority", "newest", "oldest", "most_negative", "most_positive",
        "author", "text", "platform", "status", "waiting",
    }  # fmt: skip


@pytest.mark.parametrize("sort", list(mentions.SORTS))
def test_paging_is_stable_with_ties(db: Any, sort: str) -> None:
    # many equal keys: only the id tiebreak keeps pages disjoint and complete
    rows = [
        mention_row(priority=50, sentiment=0.0, created_at="2026-11-20T10:00:00Z")
        for _ in range(23)
    ]
    ids = insert_mentions(db, rows)
    pages = [mentions.query(db, sort=sort, limit=5, offset=o) for o in range(0, 30, 5)]

    seen = [m.id for page in pages for m in page]
    assert sorted(seen) == sorted(ids)  # every row once, none twice
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3, 0]
    assert seen == _ids(mentions.query(db, sort=sort, limit=100))


def test_sources_lists_platforms_present(db: Any, filled: dict[str, int]) -> None:
    from crisisdesk.store import overview

    assert overview.sources(db) == ["bluesky", "mastodon", "reddit", "rss", "x"]


# --- thread -------------------------------------------------------------------------------


def test_thread_gathers_the_conversation_on_the_same_platform(db: Any) -> None:
    root = mention_row(external_id="r", text="root post", created_at="2026-11-20T10:00:00Z")
    child = mention_row(
        external_id="c1", in_reply_to="r", thread_root="r", created_at="2026-11-20T10:05:00Z"
    )
    grandchild = mention_row(
        external_id="c2", in_reply_to="c1", thread_root="r", created_at="2026-11-20T10:09:00Z"
    )
    elsewhere = mention_row(source="bluesky", external_id="c3", in_reply_to="r", thread_root="r")
    unrelated = mention_row(external_id="u")
    ids = insert_mentions(db, [root, child, grandchild, elsewhere, unrelated])
    r_id, c1_id, c2_id, _, u_id = ids

    def thread_of(mention_id: int) -> list[int]:
        mention = mentions.get(db, mention_id)
        assert mention is not None
        return _ids(mentions.thread(db, mention))

    assert thread_of(r_id) == [c1_id, c2_id]
    assert thread_of(c1_id) == [r_id, c2_id]
    assert thread_of(c2_id) == [r_id, c1_id]
    assert thread_of(u_id) == []


# --- triage -------------------------------------------------------------------------------


def _events(db: Any, mention_id: int) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.old, e.new) for e in events.for_entity(db, "mention", mention_id)]


def test_set_status_logs_one_event_per_real_change(db: Any) -> None:
    a, b, c = insert_mentions(db, [mention_row(), mention_row(), mention_row(status="open")])

    previous = mentions.set_status(db, [a, b, c, 987_654], "open", actor="sam")

    assert previous == {a: "new", b: "new"}  # c was already open, the unknown id is ignored
    assert _events(db, a) == [("status", "new", "open")]
    assert _events(db, c) == []
    assert events.for_entity(db, "mention", a)[0].actor == "sam"
    assert mentions.set_status(db, [a], "open") == {}
    assert len(_events(db, a)) == 1


def test_bad_status_changes_nothing(db: Any) -> None:
    ids = insert_mentions(db, [mention_row(), mention_row()])
    before = table_snapshot(db), table_snapshot(db, "events")

    with pytest.raises(CrisisdeskError, match="not a status"):
        mentions.set_status(db, ids, "deleted")
    with pytest.raises(CrisisdeskError, match="not a status"):
        mentions.restore_statuses(db, {ids[0]: "open", ids[1]: "gone"})

    assert (table_snapshot(db), table_snapshot(db, "events")) == before


def test_restore_statuses_undoes_per_mention_and_is_logged(db: Any) -> None:
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="open")])
    previous = mentions.set_status(db, [a, b], "resolved")

    undone = mentions.restore_statuses(db, previous)

    assert undone == {a: "resolved", b: "resolved"}
    assert [mentions.get(db, i).status for i in (a, b)] == ["new", "open"]  # type: ignore[union-attr]
    assert _events(db, a) == [("status", "new", "resolved"), ("status", "resolved", "new")]
    assert _events(db, b) == [("status", "open", "resolved"), ("status", "resolved", "open")]


def test_set_assignee_logs_changes_and_mapping_undoes(db: Any) -> None:
    a, b = insert_mentions(db, [mention_row(), mention_row()])

    previous = mentions.set_assignee(db, [a, b], "sam")
    assert previous == {a: None, b: None}
    assert mentions.set_assignee(db, [a], "sam") == {}  # no change, no event
    mentions.set_assignee(db, previous)  # undo

    assert [mentions.get(db, i).assignee for i in (a, b)] == [None, None]  # type: ignore[union-attr]
    assert _events(db, a) == [("assign", None, "sam"), ("assign", "sam", None)]
    assert mentions.count(db, MentionFilter(assignee="sam")) == 0


def test_to_json_is_serialisable_and_complete(db: Any) -> None:
    (mention_id,) = insert_mentions(db, [mention_row(cues=["refund"], text="<b>worst</b> &amp;")])
    mention = mentions.get(db, mention_id)
    assert mention is not None
    data = json.loads(json.dumps(mention.to_json()))
    assert data["cues"] == ["refund"]
    assert data["text"] == "<b>worst</b> &amp;"
    assert {"id", "source", "external_id", "url", "author_handle", "created_at", "text",
            "sentiment", "label", "complaint", "priority", "status"} <= set(data)  # fmt: skip


def test_insert_new_stores_typed_mentions_like_their_rows(db: Any) -> None:
    from crisisdesk.domain import NewMention, Scores, Sentiment
    from crisisdesk.store import bulk

    new = [
        NewMention("bluesky", f"n{n}", f"text {n}", "2026-11-20T10:00:00Z",
                   "2026-11-20T10:05:00Z", author_handle="ann", likes=n, raw='{"a": 1}')
        for n in range(3)
    ]  # fmt: skip
    scores = [Scores(-0.5, Sentiment.NEGATIVE, True, ("refund", "late"), 61)] * 3
    with db.atomic():
        counts = bulk.insert_new(db, new, scores, ["new", "open", "resolved"])
        again = bulk.insert_new(db, new[:1], scores[:1])
    assert (counts.inserted, again.inserted, again.duplicates) == (3, 0, 1)
    stored = [mentions.get(db, i) for i in (1, 2, 3)]
    assert [m.status for m in stored if m] == ["new", "open", "resolved"]
    first = stored[0]
    assert first is not None
    assert (first.label, first.complaint, first.cues, first.priority) == (
        "negative", True, ("refund", "late"), 61)  # fmt: skip
    assert (first.author_handle, first.likes, mentions.get_raw(db, 1)) == ("ann", 0, '{"a": 1}')


def test_the_store_does_not_reprioritise_on_its_own(db: Any) -> None:
    (mention_id,) = insert_mentions(db, [mention_row(priority=42, complaint=True)])
    mentions.set_status(db, [mention_id], "replied")
    got = mentions.get(db, mention_id)
    assert got is not None and (got.status, got.priority) == ("replied", 42)


def test_sentiment_sort_breaks_ties_by_priority(db) -> None:
    """Issue 9.17: many mentions share a sentiment (0.0); the urgent ones come first."""
    ids = insert_mentions(db, [mention_row(sentiment=0.0, priority=p) for p in (10, 80, 40)])
    got = [m.id for m in mentions.query(db, sort="most_negative")]
    assert got == [ids[1], ids[2], ids[0]]
