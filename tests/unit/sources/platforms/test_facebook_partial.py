"""Facebook: one post's comments failing to load keep the rest of the fetch (issue 9, item 4).
Graph's transient error is HTTP 500 ``{"error": {"code": 2, "is_transient": true, ...}}``."""

from __future__ import annotations

from typing import Any

from crisisdesk.sources.platforms.base import AccountConfig
from crisisdesk.sources.platforms.facebook import FacebookConnector
from crisisdesk.sources.platforms.http import make_client
from tests.helpers import payloads_facebook as fb
from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply, Waits


def test_comments_that_fail_on_one_post_keep_the_rest_and_are_asked_again(
    platform_server: PlatformServer, waits: Waits
) -> None:
    site = fb.FacebookSite(platform_server)
    menu = site.post("New seasonal menu is out!")
    hours = site.post("Closed on Monday")
    site.comment(menu["id"], "Prices went up again?!", author=fb.person("Sam Lee"))
    site.comment(hours["id"], "Where is my refund", author=fb.person("Pat Kim"))
    graph = platform_server._routes[("GET", "/*")].handler
    assert graph is not None

    def flaky(request: RecordedRequest) -> Reply:
        if request.path.endswith(f"/{hours['id']}/comments"):
            body = fb.error(2, "An unexpected error has occurred. Please retry your request"
                               " later.")  # fmt: skip
            body["error"]["is_transient"] = True
            return Reply.json(body, status=500)
        return graph(request)

    platform_server.handle("GET", "/*", flaky)
    with make_client(secrets=[site.token], timeout=5.0, sleep=waits) as client:
        account = AccountConfig(5, "facebook", "bakery-fb", base_url=site.url,
                                options={"page_id": site.page["id"]})  # fmt: skip
        result = FacebookConnector(account, site.token, client).fetch({})

    assert [m.text for m in result.mentions] == ["Prices went up again?!"]
    posts: dict[str, Any] = result.state["posts"]
    assert posts[menu["id"]]["count"] == 1
    assert posts[hours["id"]] == {}  # unknown count: its comments are asked again next sync
    [failure] = result.failed
    assert failure.part == f"the comments on post {hours['id']}"
