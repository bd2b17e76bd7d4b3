from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
