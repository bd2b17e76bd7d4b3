"""Helpers for the synth tests: ID checks written independently of the generator, and the shared run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

# The pre-2025 birth-registration codes listed in docs/domain.md, typed again here on purpose.
DOMAIN_PROVINCE_CODES = set(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 "
    "042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 "
    "086 087 089 091 092 093 094 095 096".split()
)


def id_agrees(citizen_id: str, date_of_birth: str, sex: str) -> bool:
    """PPP G YY NNNNNN: valid province, century/sex digit and year digits as domain.md describes."""
    year = int(date_of_birth[:4])
    century = (year - 1900) // 100
    expected_g = century * 2 + (1 if sex == "F" else 0)
    return (
        len(citizen_id) == 12
        and citizen_id.isdigit()
        and citizen_id[:3] in DOMAIN_PROVINCE_CODES
        and int(citizen_id[3]) == expected_g
        and citizen_id[4:6] == date_of_birth[2:4]
    )


@dataclass
class Run:
    out: Path
    population: pa.Table
    truth: pa.Table
