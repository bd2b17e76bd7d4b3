from __future__ import annotations

import pytest

from ansinh.lib.masking import is_personal_number_key, mask_number, mask_personal_numbers


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("001234567868", "001*******68"),  # 12-digit citizen ID
        ("012345678", "012****78"),  # 9-digit old ID card
        ("0912345678", "091*****78"),  # phone
        ("12345678", "123***78"),  # shortest account number
        ("9704361234567890123", "970**************23"),  # 19-character account
    ],
)
def test_a_number_keeps_its_first_three_and_last_two_characters(value: str, masked: str) -> None:
    assert mask_number(value) == masked
    assert len(mask_number(value)) == len(value)


@pytest.mark.parametrize("value", ["1", "1234", "1234567"])
def test_a_number_too_short_to_hide_its_middle_is_hidden_whole(value: str) -> None:
    assert mask_number(value) == "*" * len(value)


def test_an_empty_number_stays_empty() -> None:
    assert mask_number("") == ""
    assert mask_number("   ") == ""


@pytest.mark.parametrize(
    "key", ["citizen_id", "old_id", "id_number", "account_number", "phone", "proxy_citizen_id", "contact_phone"]
)
def test_personal_number_fields_are_recognised(key: str) -> None:
    assert is_personal_number_key(key)


@pytest.mark.parametrize("key", ["full_name", "commune", "amount", "status", "person_id", "phone_verified"])
def test_other_fields_are_not_masked(key: str) -> None:
    assert not is_personal_number_key(key)


def test_nested_values_are_masked_by_field_name_and_others_left_alone() -> None:
    data = {
        "full_name": "Nguyễn Thị Lan",
        "citizen_id": "001234567868",
        "amount": 500000,
        "proxy": {"full_name": "Trần Văn Hùng", "phone": "0912345678"},
        "methods": [{"account_number": "12345678901", "bank_bin": "970436"}],
        "old_id": None,
        "phone": "",
    }
    assert mask_personal_numbers(data) == {
        "full_name": "Nguyễn Thị Lan",
        "citizen_id": "001*******68",
        "amount": 500000,
        "proxy": {"full_name": "Trần Văn Hùng", "phone": "091*****78"},
        "methods": [{"account_number": "123******01", "bank_bin": "970436"}],
        "old_id": None,
        "phone": "",
    }
    assert data["citizen_id"] == "001234567868"  # the input is not changed


def test_a_number_stored_as_an_integer_is_masked_too() -> None:
    assert mask_personal_numbers({"phone": 912345678}) == {"phone": "912****78"}
