"""One imported record -> one new mention and what scoring needs of it: column names, plain
text, counts, dates, stable ids.

Pure functions, no I/O: ``services/importing.py`` drives them for every row of a file. A row
that cannot be used raises :class:`RowError` with the reason, worded for the import report.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as _dateparser

from crisisdesk.analysis.scoring import ScoreInput, hours_since
from crisisdesk.domain import NewMention
from crisisdesk.sources.text import html_to_text, is_markup
from crisisdesk.timeutil import parse_timestamp, to_iso, zone_of

_zone = zone_of

# our field -> accepted column names, best first, compared without case, spaces or punctuation
# (nested JSON keys keep their dots: "user.screen_name" -> "user.screenname")
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "content", "body", "fulltext", "posttext", "messagetext",
             "tweettext", "tweet", "post", "caption", "reviewtext", "review", "commenttext"),
    "author_handle": ("authorhandle", "handle", "username", "screenname", "user.screenname",
                      "user.username", "user.handle", "account.acct", "account.username",
                      "author.handle", "author.username", "userhandle", "authorusername",
                      "author", "user"),
    "author_name": ("authorname", "displayname", "authordisplayname", "userdisplayname",
                    "user.name", "user.displayname", "account.displayname", "author.name",
                    "author.displayname", "fullname", "name"),
    "created_at": ("createdat", "date", "timestamp", "time", "datetime", "created",
                   "publishedat", "published", "postedat", "posted", "createdtime",
                   "dateposted", "postdate", "publishdate"),
    "url": ("url", "link", "permalink", "posturl", "tweeturl", "href", "uri"),
    "external_id": ("id", "postid", "tweetid", "messageid", "externalid", "statusid",
                    "mentionid", "commentid", "idstr"),
    "source": ("platform", "network", "socialnetwork", "source", "site"),
    "likes": ("likes", "likecount", "likescount", "favorites", "favourites", "favoritecount",
              "favouritecount", "favoritescount", "favouritescount", "reactions", "upvotes"),
    "reposts": ("reposts", "retweets", "shares", "repostcount", "repostscount", "retweetcount",
                "retweetscount", "sharecount", "sharescount", "boosts", "reblogs",
                "reblogscount"),
    "replies": ("replies", "comments", "replycount", "repliescount", "commentcount",
                "commentscount", "numcomments"),
    "author_followers": ("followers", "followercount", "followerscount", "authorfollowers",
                         "userfollowers", "userfollowerscount", "user.followerscount",
                         "account.followerscount", "author.followerscount"),
    "in_reply_to": ("inreplyto", "inreplytoid", "inreplytostatusid", "parentid", "replyto"),
    "thread_root": ("threadroot", "threadid", "conversationid"),
}  # fmt: skip
#: how fields are called in messages to people
FIELD_NAMES = {
    "text": "text", "author_handle": "author", "author_name": "author name",
    "created_at": "date", "url": "link", "external_id": "id", "source": "platform",
    "likes": "likes", "reposts": "reposts", "replies": "replies",
    "author_followers": "followers", "in_reply_to": "in reply to", "thread_root": "thread",
}  # fmt: skip

# --- columns ------------------------------------------------------------------------------


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9.]", "", key.lower())


def resolve_columns(keys: list[str]) -> dict[str, str]:
    """Map our fields to the file's column names (first matching alias wins, each column once),
    listed in the file's column order."""
    by_norm: dict[str, str] = {}
    for key in keys:
        by_norm.setdefault(_norm(key), key)
    used: set[str] = set()
    columns: dict[str, str] = {}
    for ours, aliases in ALIASES.items():
        for alias in aliases:
            found = by_norm.get(alias)
            if found is not None and found not in used:
                columns[ours] = found
                used.add(found)
                break
    order = {key: index for index, key in enumerate(keys)}
    return dict(sorted(columns.items(), key=lambda item: order[item[1]]))  # in the file's order


# --- one row ------------------------------------------------------------------------------


class RowError(ValueError):
    """A reason to skip this row, worded for the report."""


_HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def post_text(text: str) -> str:
    """A file's post text as plain text. Only a text that is HTML (:func:`~crisisdesk.sources.
    text.is_markup`: known tags, well formed, balanced) goes through the one converter,
    :func:`~crisisdesk.sources.text.html_to_text`; text with entities but no tags only has them
    decoded; anything else keeps every character, its spacing and line breaks."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "<" in text and is_markup(text):  # "in" first: most posts have no "<"
        text = html_to_text(text)
    elif "&" in text and _HTML_ENTITY.search(text):
        text = html.unescape(text)
    return text.strip()


_STORED_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[,. \u00a0'][0-9]{3})+")
_SUFFIXED = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*([km])")


def parse_count(value: Any, what: str) -> int:
    """A like/repost/reply/follower count: 1234, "1,234", "1.2K", 12.0; empty is 0."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise RowError(f"{what} is true/false, not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise RowError(f"{what} '{value}' is not a number")
        number = round(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return 0
        if text.isascii() and text.isdigit():
            number = int(text)
        elif _GROUPED.fullmatch(text):
            number = int(re.sub(r"[^0-9]", "", text))
        elif m := _SUFFIXED.fullmatch(text):
            number = round(
                float(m.group(1).replace(",", ".")) * (1000 if m.group(2) == "k" else 1e6)
            )
        else:
            try:
                as_float = float(text)
            except ValueError:
                raise RowError(f"{what} '{text[:30]}' is not a number") from None
            if not math.isfinite(as_float):
                raise RowError(f"{what} '{text[:30]}' is not a number")
            number = round(as_float)
    else:
        raise RowError(f"{what} is not a number")
    if number < 0:
        raise RowError(f"{what} cannot be negative ({number})")
    return min(number, 2**62)


#: epoch seconds or milliseconds: 9 digits or more (after 1973); a shorter number is no date
_EPOCH_TEXT = re.compile(r"[0-9]{9,}(\.[0-9]*)?")
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]*\.?[0-9]+")
#: 1/2/2026, 01.02.26, 1-2-2026: day and month in an order the date alone may not tell
_NUMERIC_DMY = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})\b")
_YEAR_FIRST = re.compile(r"[0-9]{4}[/.-]([0-9]{1,2})[/.-][0-9]{1,2}\b")
# two defaults that differ in year, month and day: a part the text lacks shows as a difference
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


@dataclass
class DayMonthOrder:
    """The order a file writes day and month in (1/2/2026), learnt from its first date that
    tells (13/2/2026 is day first, 2/13/2026 month first) and then kept for the whole file."""

    day_first: bool | None = None
    learnt_from: str = ""
    undecided: int = 0  # rows skipped because nothing before them told the order

    def read(self, first: int, second: int, text: str) -> bool:
        """Whether *text* is day first; RowError when it cannot be told (or contradicts)."""
        tells = True if first > 12 else False if second > 12 else None
        if tells is None:
            if first == second:
                return True
            if self.day_first is None:
                self.undecided += 1
                raise RowError(
                    f"the date '{text[:40]}' could be {_day(first, second)} or "
                    f"{_day(second, first)}, and no date before it in the file tells which"
                )
            return self.day_first
        if self.day_first is None:
            self.day_first, self.learnt_from = tells, text[:40]
        elif self.day_first != tells:
            order = "day/month" if self.day_first else "month/day"
            raise RowError(
                f"the date '{text[:40]}' is not in the {order} order of the file's other dates"
                f" ('{self.learnt_from}')"
            )
        return tells


def _day(day: int, month: int) -> str:
    return f"{day} {_MONTHS[month - 1]}" if 1 <= month <= 12 else f"day {day} of month {month}"


def parse_date(value: Any, order: DayMonthOrder | None = None) -> datetime:
    """A post date as an aware UTC datetime; ISO 8601 fast, other forms via dateutil.

    Nothing is ever made up: a number that is no timestamp (10, 2026, -1), a text without a
    day, month and year ("Tuesday", "March 3"), or a day/month order the file never tells
    raises :class:`RowError`. *order* keeps the file's day/month order across rows.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError("the date is not a date")
    if isinstance(value, int | float):
        if not (math.isfinite(value) and abs(value) >= 1e8):
            raise RowError(f"the date '{value}' is a number, not a date or timestamp")
        value = str(value)
    value = value.strip()
    if not value:
        raise RowError("the date is empty")
    try:
        dt: datetime | None = None
        if len(value) >= 10 and value[4] == "-" and value[:4].isdigit():
            try:
                dt = datetime.fromisoformat(value)
            except ValueError:
                dt = None
        if dt is None:
            dt = _parse_other(value, order)
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, RowError):
            raise
        raise RowError(f"the date '{value[:40]}' is not a date crisisdesk understands") from None
    if not 1970 <= dt.year <= 2100:
        raise RowError(f"the date '{value[:40]}' is not a plausible date")
    return dt


def _parse_other(text: str, order: DayMonthOrder | None) -> datetime:
    if _EPOCH_TEXT.fullmatch(text):
        return parse_timestamp(text)
    if _NUMBER_TEXT.fullmatch(text):
        raise RowError(f"the date '{text[:40]}' is a number, not a date or timestamp")
    day_first = False
    if year_first := _YEAR_FIRST.match(text):
        if not 1 <= int(year_first.group(1)) <= 12:
            raise RowError(f"the date '{text[:40]}' has no month {year_first.group(1)}")
    elif numeric := _NUMERIC_DMY.match(text):
        first, second = int(numeric.group(1)), int(numeric.group(3))
        if first > 12 and second > 12:
            raise RowError(f"the date '{text[:40]}' has no month in it")
        day_first = (order or DayMonthOrder()).read(first, second, text)
    try:
        one, other = (
            _dateparser.parse(text, default=d, dayfirst=day_first, tzinfos=_zone) for d in _DEFAULTS
        )
    except (ValueError, OverflowError) as exc:
        raise RowError(f"the date '{text[:40]}' is not a date crisisdesk understands") from exc
    if one.date() != other.date() or (one.tzinfo is None) != (other.tzinfo is None):
        raise RowError(f"the date '{text[:40]}' lacks a day, a month or a year")
    return one


def _stored_form(value: Any) -> datetime | None:
    """The datetime of a value already in the stored form ('2026-01-02T10:00:00Z'), else None."""
    if value.__class__ is not str or len(value) != 20 or not _STORED_FORM.fullmatch(value):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if 1970 <= dt.year <= 2100 else None


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return (value.replace("\x00", "") if "\x00" in value else value).strip()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RowError("a field holds a list or object where a single value belongs")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class RowContext:
    source_default: str
    fetched_at: str
    now: datetime
    dropped_links: int = 0
    dated_by_import: int = 0
    dates: DayMonthOrder = field(default_factory=DayMonthOrder)
    #: counts that were not numbers (likes "abc"): read as 0 and reported, the row is kept
    bad_counts: int = 0
    bad_count_example: str = ""
    #: the line of the row being read (for warnings about a row that is kept)
    line: int = 0


def _hash_id(source: str, author: str, created: str, text: str) -> str:
    key = "\x1f".join((source, author, created, text)).encode("utf-8", "surrogatepass")
    return "h-" + hashlib.blake2b(key, digest_size=12).hexdigest()


_PLAN_FIELDS = ("text", "likes", "reposts", "replies", "author_followers", "created_at",
                "source", "author_handle", "author_name", "url", "external_id", "in_reply_to",
                "thread_root")  # fmt: skip


def plan(columns: Mapping[str, str]) -> tuple[str | None, ...]:
    """The file's key for each of ``_PLAN_FIELDS`` (None when absent), for ``prepare_row``."""
    return tuple(columns.get(name) for name in _PLAN_FIELDS)


def _count(value: Any, what: str, ctx: RowContext) -> int:
    if value.__class__ is str and len(value) < 19 and value.isdigit() and value.isascii():
        return int(value)  # the usual case, fast (longer numbers are capped by parse_count)
    try:
        return parse_count(value, what)
    except RowError as exc:  # a count is not worth losing the post for
        ctx.bad_counts += 1
        if not ctx.bad_count_example:
            ctx.bad_count_example = f"line {ctx.line}: {exc}"
        return 0


def prepare_row(
    fields: Mapping[str, Any], raw: Any, keys: tuple[str | None, ...], ctx: RowContext
) -> tuple[NewMention, ScoreInput]:
    """One record -> the new mention it holds and its scoring input (a new mention waits from
    its date to the import). *keys* comes from :func:`plan`. Raises ``RowError`` with the
    reason to skip."""
    (text_key, likes_key, reposts_key, replies_key, followers_key, date_key, source_key,
     handle_key, name_key, url_key, id_key, reply_key, root_key) = keys  # fmt: skip
    get = fields.get
    original = get(text_key) if text_key is not None else None
    if original is None or original == "":
        raise RowError("the text is empty")
    if not isinstance(original, str):
        original = _scalar_text(original)
    text = post_text(original)
    if not text:
        raise RowError("the text is empty once HTML is removed")
    likes = _count(get(likes_key), "likes", ctx) if likes_key else 0
    reposts = _count(get(reposts_key), "reposts", ctx) if reposts_key else 0
    replies = _count(get(replies_key), "replies", ctx) if replies_key else 0
    followers = _count(get(followers_key), "followers", ctx) if followers_key else 0
    if date_key is not None:
        date_value = get(date_key)
        if date_value is None or date_value == "":
            raise RowError("the date is empty")
        dt = _stored_form(date_value)
        if dt is not None:  # already as we store it: no reformatting
            created_at = hashed_date = date_value
        else:
            dt = parse_date(date_value, ctx.dates)
            created_at = hashed_date = to_iso(dt)
    else:
        dt, created_at, hashed_date = ctx.now, ctx.fetched_at, ""
        ctx.dated_by_import += 1
    source = (_scalar_text(get(source_key)).lower() if source_key else "") or ctx.source_default
    handle = _scalar_text(get(handle_key)).lstrip("@") if handle_key else ""
    url = (_scalar_text(get(url_key)) or None) if url_key else None
    if url is not None and not url.lower().startswith(("https://", "http://")):
        url = None  # only web links are ever made clickable
        ctx.dropped_links += 1
    external_id = (_scalar_text(get(id_key)) if id_key else "") or _hash_id(
        source, handle, hashed_date, text
    )
    # positional, in NewMention's field order: keywords cost ~1.7 µs a row in the process that
    # paces an import (tests/unit/sources/test_rows.py checks every field lands where it should)
    mention = NewMention(
        source,
        external_id,
        text,
        created_at,
        ctx.fetched_at,
        handle,
        _scalar_text(get(name_key)) if name_key else "",
        followers,
        url,
        (_scalar_text(get(reply_key)) or None) if reply_key else None,
        (_scalar_text(get(root_key)) or None) if root_key else None,
        likes,
        reposts,
        replies,
        _RAW_JSON(raw),
    )
    waiting = hours_since(dt, ctx.now)
    return mention, _score_input((text, followers, likes, reposts, replies, waiting, waiting))


#: ``ScoreInput(...)`` built by the C tuple constructor, as ``ScoreInput._make`` does, without
#: the Python-level ``__new__`` (a third of a microsecond a row in the process pacing imports)
_score_input = functools.partial(tuple.__new__, ScoreInput)


#: the record as the file had it, as JSON text. Parsed file data cannot refer to itself, so
#: the circular-reference check is off. (The json module's public API builds its C encoder
#: anew for every call, about 1 µs a row more than reusing one through its internals did.)
_RAW_JSON = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False).encode
