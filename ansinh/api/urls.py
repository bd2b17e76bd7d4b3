"""The API at /api/v1/: Django Ninja, token authentication bound to a user, one error shape."""

from __future__ import annotations

from ansinh.api.base import build_api

api = build_api()
