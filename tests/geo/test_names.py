from __future__ import annotations

from ansinh.geo.names import kind_from_name, name_key, split_prefix


def test_name_key_drops_case_diacritics_and_type_prefix() -> None:
    assert name_key("Phường Ba Đình") == name_key("ba dinh") == name_key("  PHƯỜNG  BA ĐÌNH ") == "ba dinh"
    assert name_key("Thị trấn Tam Sơn") == name_key("Xã Tam Sơn") == "tam son"
    assert name_key("Đặc khu Côn Đảo") == "con dao"


def test_name_key_reads_leading_zeros_as_the_same_number() -> None:
    assert name_key("Phường 01") == name_key("Phường 1") == "1"


def test_name_key_keeps_a_prefix_word_inside_the_name() -> None:
    assert name_key("Xã Xuân Phường") == "xuan phuong"


def test_split_prefix_and_kind() -> None:
    assert split_prefix("Phường Ba Đình") == ("Phường", "Ba Đình")
    assert split_prefix("Ba Đình") == ("", "Ba Đình")
    assert kind_from_name("Đặc khu Côn Đảo") == "special_zone"
    assert kind_from_name("Thị trấn Tam Sơn") is None
