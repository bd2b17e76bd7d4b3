"""Vietnamese family, middle and given names with frequencies, drawn in bulk.

Family-name shares follow published surname surveys (Nguyễn about 38%, Trần 11%, Lê 9.5%, Phạm 7% ...), with
the north/south split of Hoàng/Huỳnh and Vũ/Võ. Middle and given names are common ones with a skewed (Zipf-like)
frequency; "Văn" and "Thị" are far more common among older people, as on real lists.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# (name, percent in the north, percent in the south)
_FAMILY: tuple[tuple[str, float, float], ...] = (
    ("Nguyễn", 38.0, 38.5), ("Trần", 11.0, 11.0), ("Lê", 9.5, 9.5), ("Phạm", 7.5, 6.5), ("Hoàng", 4.5, 1.0),
    ("Huỳnh", 0.3, 4.0), ("Phan", 4.0, 4.8), ("Vũ", 3.8, 0.6), ("Võ", 0.4, 3.4), ("Đặng", 2.2, 2.0),
    ("Bùi", 2.4, 1.6), ("Đỗ", 1.8, 1.0), ("Hồ", 1.1, 1.5), ("Ngô", 1.4, 1.2), ("Dương", 1.1, 0.9),
    ("Lý", 0.4, 0.6), ("Đào", 0.6, 0.4), ("Đoàn", 0.5, 0.5), ("Vương", 0.2, 0.3), ("Trịnh", 0.6, 0.3),
    ("Trương", 0.4, 0.8), ("Lâm", 0.2, 0.6), ("Phùng", 0.3, 0.1), ("Mai", 0.4, 0.4), ("Tô", 0.3, 0.2),
    ("Hà", 0.6, 0.2), ("Tạ", 0.3, 0.1), ("Lương", 0.4, 0.3), ("Cao", 0.4, 0.4), ("Đinh", 0.7, 0.4),
    ("Lưu", 0.3, 0.3), ("Châu", 0.1, 0.5), ("Quách", 0.2, 0.2), ("Thái", 0.2, 0.3), ("Kiều", 0.2, 0.1),
    ("Chu", 0.3, 0.1), ("Triệu", 0.3, 0.1), ("Tăng", 0.1, 0.2), ("La", 0.1, 0.2), ("Nông", 0.4, 0.05),
    ("Lò", 0.2, 0.02), ("Lục", 0.1, 0.02), ("Giáp", 0.1, 0.02), ("Khúc", 0.05, 0.02), ("Mạc", 0.1, 0.05),
    ("Thân", 0.1, 0.05), ("Từ", 0.05, 0.1), ("Diệp", 0.02, 0.1), ("Doãn", 0.1, 0.02), ("Kim", 0.05, 0.1),
    ("Ninh", 0.1, 0.02), ("Quan", 0.05, 0.05), ("Tiêu", 0.02, 0.1), ("Bạch", 0.05, 0.05), ("Nghiêm", 0.1, 0.02),
    ("Lã", 0.05, 0.02), ("Phí", 0.05, 0.02), ("Hứa", 0.05, 0.1), ("Đàm", 0.1, 0.05), ("Lại", 0.1, 0.05),
    ("Khổng", 0.05, 0.02), ("Âu", 0.02, 0.1), ("Ông", 0.02, 0.1), ("Thạch", 0.02, 0.3), ("Danh", 0.01, 0.2),
)  # fmt: skip

# Male and female middle names; the first weight for people born before 1975, the second after.
_MIDDLE_M: tuple[tuple[str, float, float], ...] = (
    ("Văn", 55, 18), ("Đức", 6, 9), ("Minh", 4, 10), ("Quang", 4, 6), ("Hữu", 5, 5), ("Thanh", 4, 4),
    ("Công", 4, 4), ("Ngọc", 3, 4), ("Xuân", 3, 3), ("Hoàng", 1, 5), ("Quốc", 2, 5), ("Trọng", 2, 3),
    ("Thế", 2, 3), ("Tiến", 1, 3), ("Đình", 3, 3), ("Mạnh", 1, 3), ("Duy", 1, 4), ("Bá", 2, 1), ("Gia", 0.3, 4),
    ("Anh", 0.5, 3), ("Tuấn", 0.5, 2), ("Viết", 1, 1), ("Khắc", 1, 1), ("Trung", 1, 2), ("Nhật", 0.1, 3),
)  # fmt: skip
_MIDDLE_F: tuple[tuple[str, float, float], ...] = (
    ("Thị", 72, 28), ("Ngọc", 4, 8), ("Thanh", 4, 6), ("Thu", 3, 6), ("Minh", 1, 5), ("Phương", 1, 4),
    ("Thùy", 1, 4), ("Hồng", 3, 3), ("Kim", 3, 3), ("Mai", 1, 3), ("Bích", 2, 2), ("Hoài", 0.5, 2),
    ("Khánh", 0.2, 3), ("Bảo", 0.1, 4), ("Diệu", 0.5, 2), ("Như", 0.5, 3), ("Quỳnh", 0.3, 3), ("Xuân", 2, 2),
    ("Mỹ", 1, 3), ("Tuyết", 1, 1), ("Hải", 0.5, 2), ("Lan", 0.5, 2), ("Ánh", 0.2, 2), ("Cẩm", 1, 1),
)  # fmt: skip
# A second middle name (four-word names), mostly among younger women.
_SECOND_MIDDLE: tuple[str, ...] = ("Thu", "Ngọc", "Minh", "Thanh", "Bảo", "Phương", "Kim", "Hồng", "Hải", "Diệu")

_GIVEN_M: tuple[str, ...] = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Sơn", "Thắng", "Long", "Cường", "Hoàng", "Phong", "Quang", "Trung",
    "Hiếu", "Thành", "Huy", "Đức", "Tùng", "Bình", "Hòa", "Hưng", "Lâm", "Tâm", "Tài", "Thịnh", "Vinh", "Khánh",
    "Toàn", "Kiên", "Phúc", "An", "Bảo", "Khoa", "Duy", "Đạt", "Hậu", "Lộc", "Lợi", "Nghĩa", "Nhân", "Quân", "Sang",
    "Thanh", "Thuận", "Tú", "Việt", "Chiến", "Công", "Đông", "Giang", "Hiệp", "Khải", "Lực", "Mạnh", "Phát", "Quý",
    "Thái", "Thông", "Tiến", "Trí", "Trọng", "Tuyên", "Xuân", "Thủy", "Ba", "Tư", "Sáu", "Bảy", "Tám", "Út", "Lành",
    "Thiện", "Vượng", "Hạnh", "Kỳ", "Luân", "Mừng", "Nhật", "Phú", "Quyết", "Sinh", "Thọ", "Tín", "Triều", "Vũ",
)  # fmt: skip
_GIVEN_F: tuple[str, ...] = (
    "Hương", "Lan", "Hoa", "Hà", "Linh", "Trang", "Thảo", "Mai", "Hằng", "Ngọc", "Nga", "Phương", "Anh", "Thủy",
    "Huyền", "Hạnh", "Dung", "Yến", "Nhung", "Loan", "Hiền", "Hồng", "Liên", "Thúy", "Tuyết", "Vân", "Oanh", "Nhàn",
    "Xuân", "Hải", "My", "Vy", "Quỳnh", "Trinh", "Thu", "Nhi", "Giang", "Hòa", "Hậu", "Thơm", "Lụa", "Tâm", "Lý",
    "Chi", "Diệp", "Đào", "Gấm", "Huệ", "Khuyên", "Lài", "Lệ", "Ngân", "Nguyệt", "Phượng", "Sen", "Thắm", "Thanh",
    "Thêu", "Tình", "Tươi", "Uyên", "Vui", "Xoan", "Yên", "Bình", "Cúc", "Đông", "Hạnh", "Hường", "Lành", "Mận",
    "Nụ", "Quyên", "Son", "Thoa", "Tuyến", "Vinh", "Hiên", "Nhàn", "Mơ", "Bích", "Châu", "Duyên", "Ly", "Ánh",
)  # fmt: skip


def _probabilities(weights: list[float] | tuple[float, ...] | np.ndarray) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    return array / array.sum()


def _zipf(count: int, exponent: float = 0.9) -> np.ndarray:
    return _probabilities(1.0 / np.arange(1, count + 1) ** exponent)


_FAMILY_NAMES = pa.array([n for n, _, _ in _FAMILY])
_FAMILY_P = (_probabilities([w for _, w, _ in _FAMILY]), _probabilities([w for _, _, w in _FAMILY]))
_MIDDLE_NAMES = (pa.array([n for n, _, _ in _MIDDLE_M]), pa.array([n for n, _, _ in _MIDDLE_F]))
_MIDDLE_P = (
    (_probabilities([w for _, w, _ in _MIDDLE_M]), _probabilities([w for _, _, w in _MIDDLE_M])),
    (_probabilities([w for _, w, _ in _MIDDLE_F]), _probabilities([w for _, _, w in _MIDDLE_F])),
)
_SECOND_NAMES = pa.array(_SECOND_MIDDLE)
_GIVEN_NAMES = (pa.array(_GIVEN_M), pa.array(_GIVEN_F))
_GIVEN_P = (_zipf(len(_GIVEN_M)), _zipf(len(_GIVEN_F)))


def family_names(rng: np.random.Generator, southern: np.ndarray) -> np.ndarray:
    """Indices into the family-name table, one per person (use `family_strings` to get the text)."""
    north = rng.choice(len(_FAMILY), size=len(southern), p=_FAMILY_P[0])
    south = rng.choice(len(_FAMILY), size=len(southern), p=_FAMILY_P[1])
    return np.where(southern, south, north)


def family_strings(indices: np.ndarray) -> pa.Array:
    return _FAMILY_NAMES.take(pa.array(indices))


def full_names(rng: np.random.Generator, family: np.ndarray, female: np.ndarray, birth_year: np.ndarray) -> pa.Array:
    """Full names "Family Middle [Middle] Given" for people of the given sex and birth year."""
    size = len(family)
    young = birth_year >= 1975

    middle = [np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)]
    for sex in (0, 1):
        for cohort in (0, 1):
            middle[sex] = np.where(
                young == bool(cohort),
                rng.choice(len(_MIDDLE_P[sex][cohort]), size=size, p=_MIDDLE_P[sex][cohort]),
                middle[sex],
            )
    middle_text = _pick(female, _MIDDLE_NAMES[0].take(pa.array(middle[0])), _MIDDLE_NAMES[1].take(pa.array(middle[1])))

    # One name in eight (one in four young women) carries a second middle name; a few have none.
    second_p = np.where(female & young, 0.25, np.where(young, 0.10, 0.04))
    second = rng.random(size) < second_p
    second_text = _SECOND_NAMES.take(pa.array(rng.integers(0, len(_SECOND_MIDDLE), size=size)))
    given_m = _GIVEN_NAMES[0].take(pa.array(rng.choice(len(_GIVEN_M), size=size, p=_GIVEN_P[0])))
    given_f = _GIVEN_NAMES[1].take(pa.array(rng.choice(len(_GIVEN_F), size=size, p=_GIVEN_P[1])))
    given = _pick(female, given_m, given_f)
    # A second middle name equal to the first or to the given name reads wrong: drop it then.
    second &= np.asarray(pc.not_equal(second_text, middle_text)) & np.asarray(pc.not_equal(second_text, given))
    no_middle = rng.random(size) < 0.01
    with_second = pc.binary_join_element_wise(family_strings(family), middle_text, second_text, given, " ")
    with_one = pc.binary_join_element_wise(family_strings(family), middle_text, given, " ")
    without = pc.binary_join_element_wise(family_strings(family), given, " ")
    return _pick(pa.array(no_middle), _pick(pa.array(second), with_one, with_second), without)


def _pick(condition: np.ndarray | pa.Array, if_false: pa.Array, if_true: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(condition) if isinstance(condition, np.ndarray) else condition, if_true, if_false)
