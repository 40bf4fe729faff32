"""Bluesky on the shapes the AppView answers with (issue 9, items 4 and 9): post views carry
no follower counts, so profiles are asked in batches of 25; one failing search is kept apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig
from crisisdesk.sources.platforms.bluesky import BlueskyConnector
from tests.helpers import payloads_bluesky as pb
from tests.helpers.platform_server import PlatformServer, Reply, Waits

PASSWORD = "abcd-efgh-ijkl-mnop"
PROFILES = "app.bsky.actor.getProfiles"


@pytest.fixture
def pds(platform_server: PlatformServer) -> pb.FakePDS:
    return pb.FakePDS(platform_server, password=PASSWORD)


@pytest.fixture
def connector(pds: pb.FakePDS, waits: Waits) -> Iterator[BlueskyConnector]:
    client = http.make_client(secrets=[PASSWORD], timeout=5.0, sleep=waits)
    account = AccountConfig(
        7,
        "bluesky",
        "Bakery",
        base_url=pds.server.url,
        handle=pds.handle,
        options={"queries": ["main st bakery", "bakery refund"]},
    )
    yield BlueskyConnector(account, PASSWORD, client)
    client.close()


def test_follower_counts_come_from_profiles_in_batches_of_25(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    authors = [pb.profile(f"person{i}.bsky.social") for i in range(30)]
    posts = [pb.post_view(f"@bakery.bsky.social cold bread {i}", author=a,
                          indexed_at=f"2026-11-20T10:{i:02d}:00.000Z")
             for i, a in enumerate(authors)]  # fmt: skip
    assert all("followersCount" not in p["author"] for p in posts)  # as the AppView sends them
    pds.add(*posts)
    pds.add(pb.post_view("@bakery.bsky.social again", author=authors[0],
                         indexed_at="2026-11-20T11:00:00.000Z"))  # fmt: skip
    pds.followers = {a["did"]: 1000 + i for i, a in enumerate(authors)}

    result = connector.fetch({})
    by_author = {m.author_handle: m.author_followers for m in result.mentions}
    assert by_author == {a["handle"]: 1000 + i for i, a in enumerate(authors)}
    calls = pds.calls(PROFILES)
    assert [len(c.query["actors"]) for c in calls] == [25, 5]  # each author asked once

    connector.fetch({})  # the same connector (one sync) does not ask again
    assert len(pds.calls(PROFILES)) == 2


def test_without_profiles_the_mentions_are_kept_and_the_sync_says_so(
    pds: pb.FakePDS, connector: BlueskyConnector, platform_server: PlatformServer
) -> None:
    pds.add(pb.post_view("@bakery.bsky.social hi", author=pb.profile("carol.bsky.social")))
    platform_server.route("GET", f"/xrpc/{PROFILES}", Reply(status=502))
    result = connector.fetch({})
    assert [m.author_followers for m in result.mentions] == [0]
    assert result.failed == []
    [note] = result.notes
    assert "follower counts" in note


def test_one_failing_search_keeps_the_rest_and_its_cursor(
    pds: pb.FakePDS, connector: BlueskyConnector, platform_server: PlatformServer
) -> None:
    pds.add(pb.post_view("@bakery.bsky.social thanks!", author=pb.profile("happy.bsky.social")))
    search = platform_server._routes[("GET", "/xrpc/app.bsky.feed.searchPosts")].handler
    assert search is not None

    def flaky(request: object) -> Reply:
        if request.arg("q") == "bakery refund":  # type: ignore[attr-defined]
            return Reply.json({"error": "InternalServerError", "message": "boom"}, status=500)
        return search(request)  # type: ignore[arg-type]

    platform_server.handle("GET", "/xrpc/app.bsky.feed.searchPosts", flaky)
    state = {"search": {"bakery refund": "2026-11-01T00:00:00Z"}}
    result = connector.fetch(state)
    assert [m.text for m in result.mentions] == ["@bakery.bsky.social thanks!"]
    assert result.state["search"]["bakery refund"] == "2026-11-01T00:00:00Z"
    assert result.state["notifications"]
    [failure] = result.failed
    assert failure.part == "the search for bakery refund"
