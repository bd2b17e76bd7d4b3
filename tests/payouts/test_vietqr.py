"""Reading VietQR strings: valid ones built with vietnam-qr-pay, and the same strings damaged."""

from __future__ import annotations

import pytest
from vietnam_qr_pay import QRPay, VietQRService

from ansinh.payouts.vietqr import VietQRError, crc16, vietqr_parse


def build(bin_: str = "970436", number: str = "0011001234567", **kwargs: object) -> str:
    return QRPay.init_viet_qr(bank_bin=bin_, bank_number=number, **kwargs).build()  # type: ignore[arg-type]


def with_crc(body: str) -> str:
    return body + crc16(body)


def test_an_account_vietqr_gives_its_bank_and_account() -> None:
    account = vietqr_parse(build(), bank_known=lambda b: b == "970436")
    assert (account.bank_bin, account.account_number, account.service) == ("970436", "0011001234567", "QRIBFTTA")


def test_a_vietqr_with_amount_and_purpose_keeps_them() -> None:
    account = vietqr_parse(build(amount="50000", purpose="tro cap"))
    assert (account.amount, account.purpose) == ("50000", "tro cap")


def test_our_crc_agrees_with_the_package() -> None:
    text = build(number="ABC123")
    assert crc16(text[:-4]) == text[-4:]


def test_a_letter_account_number_is_accepted() -> None:
    assert vietqr_parse(build(number="VQRQ0001abc")).account_number == "VQRQ0001ABC"


@pytest.mark.parametrize("position", [10, 30, 45])
def test_a_changed_character_fails_the_crc(position: int) -> None:
    text = build()
    swapped = "1" if text[position] != "1" else "2"
    damaged = text[:position] + swapped + text[position + 1 :]
    with pytest.raises(VietQRError) as error:
        vietqr_parse(damaged)
    assert error.value.code == "crc"
    assert "CRC" in str(error.value)


def test_a_lower_case_crc_is_still_read() -> None:
    text = build()
    assert vietqr_parse(text[:-4] + text[-4:].lower()).bank_bin == "970436"


@pytest.mark.parametrize("text", ["https://example.com/pay", "hello", "0002010102116304ZZZZ", "   "])
def test_text_that_is_not_a_vietqr_says_so(text: str) -> None:
    with pytest.raises(VietQRError) as error:
        vietqr_parse(text)
    assert error.value.code in {"not_vietqr", "empty"}


def test_a_card_qr_is_refused_as_not_an_account() -> None:
    with pytest.raises(VietQRError) as error:
        vietqr_parse(build(number="9704361234567890", service=VietQRService.BY_CARD_NUMBER))
    assert error.value.code == "card"


def test_an_unknown_bank_is_refused_with_its_bin() -> None:
    with pytest.raises(VietQRError) as error:
        vietqr_parse(build(bin_="123456"), bank_known=lambda b: False)
    assert error.value.code == "unknown_bank"
    assert "123456" in str(error.value)


def test_a_twenty_character_account_is_refused() -> None:
    with pytest.raises(VietQRError) as error:
        vietqr_parse(build(number="1" * 20))
    assert error.value.code == "account"


def test_an_account_with_punctuation_is_refused() -> None:
    with pytest.raises(VietQRError) as error:
        vietqr_parse(build(number="0011-0012"))
    assert error.value.code == "account"


def test_a_vnpay_merchant_qr_is_not_an_account_transfer() -> None:
    text = QRPay.init_vnpay_qr(merchant_id="0102154778", merchant_name="SHOP", store="S1", terminal="T1").build()
    with pytest.raises(VietQRError) as error:
        vietqr_parse(text)
    assert error.value.code in {"not_transfer", "not_vietqr"}


def test_a_payload_whose_lengths_do_not_add_up_is_not_a_vietqr() -> None:
    body = "000201010211" + "3899" + "0010A000000727" + "6304"
    with pytest.raises(VietQRError) as error:
        vietqr_parse(with_crc(body))
    assert error.value.code == "not_vietqr"


def test_a_malformed_bin_is_refused() -> None:
    inner = "0010A000000727" + "0115" + "0004ABCD" + "0103123" + "0208QRIBFTTA"
    body = "000201010211" + f"38{len(inner):02d}{inner}" + "5303704" + "5802VN" + "6304"
    with pytest.raises(VietQRError) as error:
        vietqr_parse(with_crc(body))
    assert error.value.code == "bin"
