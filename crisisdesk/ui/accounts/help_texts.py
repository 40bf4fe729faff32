"""Words for the add-account dialog: where each platform's credential comes from, and what to
do without a keyring. Plain text, shown as numbered steps in the dialog and in Help."""

from __future__ import annotations

import re

from crisisdesk import secrets
from crisisdesk.domain import Platform

#: "How do I get this?", per platform: short, plain text, pointing to the README section
HOW_TO: dict[str, str] = {
    Platform.MASTODON: (
        "On your Mastodon server's website open Preferences → Development → New application. "
        "Name it crisisdesk, tick the scopes read and write:statuses, click Submit, open the "
        'application and copy "Your access token".'
    ),
    Platform.BLUESKY: (
        "In the Bluesky app open Settings → Privacy and security → App passwords → Add App "
        "Password. Name it crisisdesk and copy the password it shows (like abcd-efgh-ijkl-mnop). "
        "Never use your main password here."
    ),
    Platform.FEEDS: (
        "No password needed. For Google Alerts: at google.com/alerts create an alert with "
        '"Deliver to: RSS feed", then copy the address behind its RSS icon. Any RSS or Atom '
        "address works."
    ),
    Platform.REDDIT: (
        'At reddit.com/prefs/apps create an app of type "script" named crisisdesk (redirect '
        "uri http://localhost:8080). You need its client id (under the app's name), its "
        "secret, and the password of the Reddit account; two-factor login must be off for it."
    ),
    Platform.X: (
        "Reading X needs a paid API plan (Basic or higher). At developer.x.com create a Project "
        "and an App, then under Keys and tokens generate the Bearer Token and copy it."
    ),
    Platform.FACEBOOK: (
        "You must be an admin of the Page. At developers.facebook.com create an app, get a Page "
        "access token in the Graph API Explorer and extend it to a long-lived one. The Page ID "
        "is under About → Page transparency on your Page."
    ),
}
README_SECTION: dict[str, str] = {
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.FEEDS: "Feeds (Google Alerts, review sites)",
    Platform.REDDIT: "Reddit",
    Platform.X: "X (Twitter)",
    Platform.FACEBOOK: "Facebook Page",
}


def how_to_steps(platform: str) -> list[str]:
    """The platform's "how do I get this" as steps, one sentence each."""
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", HOW_TO.get(platform, "")) if s]


def how_to_text(platform: str) -> str:
    """Numbered steps, in the app (an owner has no README at hand)."""
    return "\n".join(f"{n}. {step}" for n, step in enumerate(how_to_steps(platform), start=1))


def keyring_problem_text() -> str:
    return (
        "Passwords cannot be saved on this computer.\n"
        "crisisdesk cannot find a secure place (a system keyring) to keep passwords and tokens "
        "on this computer, so it will not save an account that needs one.\n" + secrets.how_to_fix()
    )
