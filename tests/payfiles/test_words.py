from __future__ import annotations

from itertools import pairwise

import pytest

from ansinh.payfiles.lists import vnd_in_words

# The reading rules: “mười” for a ten of one and “mươi” above; “mốt” for one and “tư” for four after
# “mươi” (not after “mười”); “lăm” for five after any ten; “linh” for a zero ten; “không trăm” for zero
# hundreds after a higher group; empty groups are not read.
CASES = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (99, "Chín mươi chín đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_050, "Một nghìn không trăm năm mươi đồng"),
    (10_000, "Mười nghìn đồng"),
    (101_000, "Một trăm linh một nghìn đồng"),
    (360_000, "Ba trăm sáu mươi nghìn đồng"),
    (500_000, "Năm trăm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_000_050, "Một triệu không trăm năm mươi đồng"),
    (1_001_000, "Một triệu không trăm linh một nghìn đồng"),
    (1_200_000, "Một triệu hai trăm nghìn đồng"),
    (2_789_000, "Hai triệu bảy trăm tám mươi chín nghìn đồng"),
    (21_500_000, "Hai mươi mốt triệu năm trăm nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (2_005_000_000, "Hai tỷ không trăm linh năm triệu đồng"),
    (10_000_000_021, "Mười tỷ không trăm hai mươi mốt đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_675_000_000_000, "Một nghìn sáu trăm bảy mươi lăm tỷ đồng"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_amount_is_read_in_vietnamese_words(amount: int, words: str) -> None:
    assert vnd_in_words(amount) == words


def test_the_south_may_write_le_for_a_zero_ten() -> None:
    assert vnd_in_words(1_005_000, zero_ten="lẻ") == "Một triệu không trăm lẻ năm nghìn đồng"


@pytest.mark.parametrize("amount", [-1, 1.5])
def test_negative_or_fractional_amounts_are_refused(amount: object) -> None:
    with pytest.raises(ValueError):
        vnd_in_words(amount)  # type: ignore[arg-type]


def test_every_amount_up_to_a_million_reads_without_repeats_or_gaps() -> None:
    # Cheap structural checks over a wide range: no doubled words, no stray “không” at the start.
    for amount in range(1, 1_000_000, 997):
        words = vnd_in_words(amount).lower().split()
        assert words[0] != "không"
        assert all(a != b for a, b in pairwise(words))
