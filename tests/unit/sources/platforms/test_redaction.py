"""The redactor of a client and the one log filter on httpx's loggers."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest

from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.redaction import (
    HTTP_LOG_REDACTION,
    HTTP_LOGGERS,
    LogRedaction,
    Redactor,
)

LOGGER = "crisisdesk.tests.redaction"


@pytest.fixture
def redaction() -> Iterator[LogRedaction]:
    filt = LogRedaction([LOGGER])
    filt.install()
    yield filt
    filt.uninstall()


def test_redactor_masks_secrets_their_url_forms_and_credential_shapes() -> None:
    redact = Redactor(["s3cr3t/with+chars", "ab"])  # too short to be a secret: kept
    text = redact("s3cr3t/with+chars s3cr3t%2Fwith%2Bchars ab password=hunter2 Basic dXNlcg==")
    assert text == "*** *** ab password=*** Basic ***"


def test_install_is_idempotent() -> None:
    with http.make_client(), http.make_client():
        for name in HTTP_LOGGERS:
            filters = logging.getLogger(name).filters
            assert filters.count(HTTP_LOG_REDACTION) == 1


def test_log_records_lose_the_secrets_of_live_redactors(
    redaction: LogRedaction, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    redactor = Redactor(["tok-123456"])
    redaction.track(redactor)
    logging.getLogger(LOGGER).info("GET /feed?x=%s&access_token=zz", "tok-123456")
    assert caplog.messages == ["GET /feed?x=***&access_token=***"]


def test_a_dropped_redactor_is_not_kept_alive(redaction: LogRedaction) -> None:
    redaction.track(Redactor(["gone-secret"]))  # no other reference
    gc.collect()
    record = logging.LogRecord(LOGGER, logging.INFO, __file__, 1, "gone-secret", None, None)
    redaction.filter(record)
    assert record.msg == "gone-secret"  # nothing tracked any more; only shapes are masked
