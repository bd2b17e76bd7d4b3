from __future__ import annotations

import logging

from ansinh.lib.logredact import RedactPersonalData, redact


def test_ids_accounts_and_phones_are_redacted_but_dates_and_counts_stay() -> None:
    text = "id 001190001268 old 012345678 phone 0912 345 678 acct 1903556677001 on 2026-11-23 rows=1200"
    assert redact(text) == "id [redacted] old [redacted] phone [redacted] acct [redacted] on 2026-11-23 rows=1200"


def test_filter_rewrites_the_record(caplog) -> None:
    logger = logging.getLogger("ansinh.test")
    logger.addFilter(RedactPersonalData())
    with caplog.at_level(logging.INFO, logger="ansinh.test"):
        logger.info("matched %s", "001190001268")
    assert "001190001268" not in caplog.text and "[redacted]" in caplog.text
