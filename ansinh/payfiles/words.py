"""An amount of đồng read out in Vietnamese words, as written under “Bằng chữ” on payment lists."""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")  # then tỷ, which repeats: nghìn tỷ, triệu tỷ, tỷ tỷ


def _triple(number: int, leading: bool) -> list[str]:
    """Words of 0-999. A group after a higher one reads its zero hundreds (“không trăm”) and a zero ten
    as “linh”; the leading group does neither (5 is “năm”, not “không trăm linh năm”)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])  # mười một, mười bốn: no “mốt” or “tư” after mười
        return words
    words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt")
    elif units == 4:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(number: int, leading: bool) -> list[str]:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if group == 0:
            continue  # 1 000 500 is “một triệu năm trăm”: an empty group is not read
        words += _triple(group, leading and not words)
        if _SCALES[scale]:
            words.append(_SCALES[scale])
    return words


def _number(number: int, leading: bool = True) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [*_number(billions, leading), "tỷ"]
    if rest:
        words += _below_billion(rest, leading and not words)
    return words


def vnd_in_words(amount: int, *, zero_ten: str = "linh") -> str:
    """“Một triệu hai trăm nghìn đồng” for 1 200 000; “Không đồng” for 0. Negative amounts are refused.

    `zero_ten` is the word for a zero ten before a unit: “linh” (105: một trăm linh năm), or “lẻ” as
    the south writes it.
    """
    if type(amount) is not int or amount < 0:
        raise ValueError("an amount in words must be a whole, non-negative number of đồng")
    if zero_ten not in ("linh", "lẻ"):
        raise ValueError("zero_ten is “linh” or “lẻ”")
    words = _number(amount) if amount else ["không"]
    if zero_ten != "linh":
        words = [zero_ten if word == "linh" else word for word in words]
    sentence = " ".join([*words, "đồng"])
    return sentence[0].upper() + sentence[1:]
