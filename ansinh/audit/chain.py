"""The hashed form of an entry: a canonical JSON text, made once at write time and stored.

The hash covers the stored text, never a re-serialisation, so a change in how Python or the database
renders JSON cannot break an old chain.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

CANONICAL_VERSION = 1


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON data the same way every time (UTC times, Decimals as text).

    Raises TypeError for a value with no single obvious text form (bytes, arbitrary objects).
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"audit values cannot hold {value!r}")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"audit values cannot hold {value!r}")
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Model):
        return jsonable(value.pk)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    raise TypeError(f"audit values cannot hold a {type(value).__name__}")


def canonical_text(data: Mapping[str, Any]) -> str:
    """Deterministic JSON: sorted keys, no spaces, non-ASCII kept as is (Vietnamese stays readable)."""
    return json.dumps(jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()
