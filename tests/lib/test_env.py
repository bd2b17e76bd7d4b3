from __future__ import annotations

import pytest

from ansinh.lib.env import EnvError, env_bool, env_choice, env_int, env_list, env_str


def test_bool_accepts_the_usual_words_and_refuses_others() -> None:
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(EnvError, match="X='maybe'"):
        env_bool("X", environ={"X": "maybe"})


def test_int_checks_bounds_and_names_the_variable() -> None:
    assert env_int("N", 5, environ={"N": "7"}) == 7
    with pytest.raises(EnvError, match="N='seven'"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(EnvError, match="at least 10"):
        env_int("N", 5, minimum=10, environ={"N": "3"})


def test_secret_can_come_from_a_file(tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_str("KEY", environ={"KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(EnvError, match="KEY_FILE"):
        env_str("KEY", environ={"KEY_FILE": str(tmp_path / "missing")})


def test_list_and_choice() -> None:
    assert env_list("H", environ={"H": "a.vn, b.vn,"}) == ["a.vn", "b.vn"]
    with pytest.raises(EnvError, match="expected one of"):
        env_choice("M", "development", ("development", "production"), environ={"M": "prod"})
