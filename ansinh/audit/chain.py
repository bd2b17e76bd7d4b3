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
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

CANONICAL_VERSION = 1


def _finite_float(value: float) -> float:
    if not math.isfinite(value):
        raise TypeError(f"audit values cannot hold {value!r}")
    return value


def _finite_decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise TypeError(f"audit values cannot hold {value!r}")
    return str(value)


def _datetime(value: dt.datetime) -> str:
    return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).isoformat()


# Checked in order: datetime before date, since a datetime is a date.
_SCALARS: list[tuple[type | tuple[type, ...], Callable[[Any], Any]]] = [
    (float, _finite_float),
    (Decimal, _finite_decimal),
    (dt.datetime, _datetime),
    ((dt.date, dt.time), lambda value: value.isoformat()),
    (uuid.UUID, str),
    (enum.Enum, lambda value: jsonable(value.value)),
    (Promise, str),
    (Model, lambda value: jsonable(value.pk)),
]


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON data the same way every time (UTC times, Decimals as text).

    Raises TypeError for a value with no single obvious text form (bytes, arbitrary objects).
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    for kinds, convert in _SCALARS:
        if isinstance(value, kinds):
            return convert(value)
    raise TypeError(f"audit values cannot hold a {type(value).__name__}")


def canonical_text(data: Mapping[str, Any]) -> str:
    """Deterministic JSON: sorted keys, no spaces, non-ASCII kept as is (Vietnamese stays readable)."""
    return json.dumps(jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()
