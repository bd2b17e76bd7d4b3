from __future__ import annotations

import pytest

from tests.conftest import World


@pytest.fixture
def ba_dinh_code(world: World) -> str:
    return world.ba_dinh.code
