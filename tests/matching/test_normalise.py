"""The SQL normalisation agrees with the project's Python folding, and knows Vietnamese spelling variants."""

from __future__ import annotations

import duckdb
import pytest

from ansinh.lib.text import fold
from ansinh.matching.normalise import install_macros


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    install_macros(connection)
    return connection


@pytest.mark.parametrize("name", ["Nguyễn Thị Đào", "NGUYỄN  THỊ  HOÀ", "Thuý", "Ưng Ơn Ân", "tran van hoa"])
def test_the_sql_fold_equals_the_python_fold(con: duckdb.DuckDBPyConnection, name: str) -> None:
    assert con.execute("SELECT ansinh_fold(?)", [name]).fetchone() == (fold(name),)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Lê Thị Mỹ", "Lê Mĩ"), ("Lý Văn Quý", "Lí Quí"), ("Nguyễn Thúy Vy", "Nguyễn Thị Thúy Vi"), ("Hòa", "Hoà")],
)
def test_the_name_key_ignores_i_y_and_common_middle_names(con: duckdb.DuckDBPyConnection, one: str, other: str) -> None:
    keys = con.execute("SELECT ansinh_name_key(?), ansinh_name_key(?)", [one, other]).fetchone()
    assert keys is not None and keys[0] == keys[1]


def test_the_name_key_keeps_huy_and_thuy_apart_from_hui(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT ansinh_name_key('Trần Huy'), ansinh_name_key('Trần Hui')").fetchone() == (
        "tran huy",
        "tran hui",
    )
