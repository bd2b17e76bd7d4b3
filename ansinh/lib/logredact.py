"""A logging filter that keeps personal numbers out of application logs.

ID numbers (9 or 12 digits), account numbers (8 to 19 digits) and phone numbers are replaced before a
record is written. The audit trail, not the log, is where such values are kept.
"""

from __future__ import annotations

import logging
import re

# Any run of 8 or more digits (single spaces or dots allowed inside, as phones are written; not dashes: dates),
# or a +84 phone number. Shorter numbers (counts, years, amounts with separators) stay readable.
_NUMBER = re.compile(r"(?<![\w])(?:\+84[\s.]?)?\d(?:[\s.]?\d){7,}(?![\w])")


def redact(text: str) -> str:
    return _NUMBER.sub("[redacted]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
