"""Header texts mapped to fields, in Vietnamese and English, whatever their case and diacritics."""

from __future__ import annotations

import pytest

from ansinh.reader.headers import detect_header, field_for, is_column_number_row, resolve_column

EXPECTED = {
    "full_name": ["Họ và tên", "Họ tên", "HỌ VÀ TÊN", "ho va ten", "Tên đối tượng", "Full name", "Name"],
    "date_of_birth": ["Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Năm sinh", "Date of birth", "DOB"],
    "sex": ["Giới tính", "Sex", "Gender"],
    "citizen_id": [
        "Số CCCD/CMND", "Số CCCD", "CCCD", "CMND", "Số định danh", "Số định danh cá nhân", "Citizen ID", "ID number",
        "Số CCCD (12 số)",
    ],
    "commune_code": ["Mã xã", "Mã xã/phường", "Commune code"],
    "commune_name": ["Xã/phường", "Xã", "Phường", "Tên xã", "Commune", "Xã/phường/đặc khu"],
    "address": ["Địa chỉ", "Thôn/tổ dân phố", "Thôn", "Tổ", "Số nhà", "Address", "Hamlet", "Địa chỉ thường trú"],
    "phone": ["Số điện thoại", "SĐT", "Điện thoại", "Phone"],
    "category": ["Loại đối tượng", "Đối tượng", "Category"],
    "subgroup": ["Nhóm đối tượng", "Diện"],
    "coefficient": ["Hệ số"],
    "amount": ["Mức trợ cấp", "Số tiền", "Mức hưởng", "Amount", "Mức trợ cấp (đồng)", "Mức trợ cấp hàng tháng"],
    "start_date": ["Ngày hưởng", "Thời điểm hưởng", "Start date"],
    "decision_number": ["Số quyết định", "Quyết định"],
    "decision_date": ["Ngày quyết định"],
    "account_number": ["Số tài khoản", "STK", "Account number", "Số tài khoản ngân hàng"],
    "bank": ["Ngân hàng", "Bank", "Tên ngân hàng"],
    "household": ["Chủ hộ", "Mã hộ", "Họ tên chủ hộ"],
    "note": ["Ghi chú"],
    "row_number": ["TT", "STT", "No."],
}  # fmt: skip


@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_header_variants_map_to_their_field(field: str) -> None:
    assert {text: field_for(text) for text in EXPECTED[field]} == dict.fromkeys(EXPECTED[field], field)


@pytest.mark.parametrize(
    "text", ["Ngày cấp CCCD", "Nơi cấp", "Họ và tên người nhận thay", "Dân tộc", "Huyện", "Quan hệ với chủ hộ"]
)
def test_look_alike_headers_are_not_taken_for_ours(text: str) -> None:
    assert not field_for(text)


def test_titles_are_not_headers() -> None:
    assert field_for("DANH SÁCH ĐỐI TƯỢNG HƯỞNG TRỢ CẤP XÃ HỘI HÀNG THÁNG") is None
    assert field_for("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is None


@pytest.mark.parametrize(
    ("top", "bottom", "field"),
    [
        ("Ngày sinh", "Nam", "date_of_birth_male"),
        ("Ngày sinh", "Nữ", "date_of_birth_female"),
        ("Giới tính", "Nữ", "sex_female_mark"),
        ("Tài khoản", "Số tài khoản", "account_number"),
        ("Tài khoản", "Ngân hàng", "bank"),
        ("Quyết định", "Số", "decision_number"),
        ("Quyết định", "Ngày", "decision_date"),
        ("Họ và tên", "", "full_name"),
        ("Thông tin đối tượng", "Họ tên", "full_name"),
    ],
)
def test_two_row_headers_combine_top_and_bottom(top: str, bottom: str, field: str) -> None:
    assert resolve_column(top, bottom) == field


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["(1)", "(2)", "(3)"], True),
        ([1.0, 2.0, 3.0, ""], True),
        (["A", "B", "C"], True),
        (["1", "2", "(5)=(3)x(4)"], True),
        (["1", "Nguyễn Văn An", "1950"], False),
        (["(1)", ""], False),
    ],
)
def test_column_number_rows(cells: list[object], expected: bool) -> None:
    assert is_column_number_row(cells) is expected  # type: ignore[arg-type]


def test_the_header_row_is_the_one_that_maps_best() -> None:
    sample: list[list[object]] = [
        ["DANH SÁCH NGƯỜI CAO TUỔI", "", ""],
        ["", "", ""],
        ["STT", "Họ và tên", "Năm sinh"],
        ["1", "Nguyễn Văn An", "1940"],
    ]
    layout = detect_header(sample, {})  # type: ignore[arg-type]
    assert layout is not None
    assert (layout.position, layout.rows) == (2, 1)
    assert layout.fields == ["row_number", "full_name", "date_of_birth"]


def test_a_row_of_people_under_a_header_is_not_a_second_header_row() -> None:
    sample: list[list[object]] = [["Họ và tên", "Giới tính", "Số CCCD"], ["Nguyễn Thị Lan", "Nữ", "001190001268"]]
    layout = detect_header(sample, {})  # type: ignore[arg-type]
    assert layout is not None and layout.rows == 1


def test_without_merge_information_a_group_header_is_filled_across() -> None:
    sample: list[list[object]] = [
        ["Họ và tên", "Ngày sinh", "", "CCCD"],
        ["", "Nam", "Nữ", ""],
        ["Nguyễn Thị Lan", "", "1950", "001190001268"],
    ]
    layout = detect_header(sample, {})  # type: ignore[arg-type]
    assert layout is not None and layout.rows == 2
    assert layout.fields == ["full_name", "date_of_birth_male", "date_of_birth_female", "citizen_id"]
