"""The allowance rules a new installation starts with (../shared/docs/domain.md). Data, not code:
provinces may pay more and the rules change, so these rows are edited, never the code."""

from __future__ import annotations

from datetime import date

LEVELS = [
    # category, valid from, VND per month, legal basis
    ("social_protection", date(2021, 7, 1), 360_000, "Nghị định 20/2021/NĐ-CP"),
    ("social_protection", date(2024, 7, 1), 500_000, "Nghị định 76/2024/NĐ-CP"),
    ("social_pension", date(2025, 7, 1), 500_000, "Luật Bảo hiểm xã hội 2024; Nghị định 176/2025/NĐ-CP"),
]

# code, category, coefficient, confirmed, (vi, en, es)
SUBGROUPS = [
    (
        "elderly_60_80_poor",
        "social_protection",
        "1.5",
        True,
        ("Người cao tuổi 60-80 thuộc hộ nghèo", "Elderly 60-80 in a poor household", "Mayores de 60-80 en hogar pobre"),
    ),
    (
        "elderly_80_poor",
        "social_protection",
        "2.0",
        True,
        ("Người cao tuổi từ 80 thuộc hộ nghèo", "Elderly 80+ in a poor household", "Mayores de 80+ en hogar pobre"),
    ),
    (
        "elderly_80_no_pension",
        "social_protection",
        "1.0",
        True,
        ("Người từ 80 tuổi không có lương hưu", "Elderly 80+ without pension", "Mayores de 80+ sin pensión"),
    ),
    (
        "elderly_alone_social_house",
        "social_protection",
        "3.0",
        True,
        (
            "Người cao tuổi không người chăm sóc, ở nhà xã hội",
            "Elderly with nobody to care, in a social house",
            "Mayores sin cuidador, en vivienda social",
        ),
    ),
    (
        "single_parent_poor",
        "social_protection",
        "1.0",
        True,
        (
            "Người đơn thân nghèo nuôi con (mỗi con)",
            "Single parent in a poor household (per child)",
            "Progenitor solo en hogar pobre (por hijo)",
        ),
    ),
    (
        "child_hiv_under_4",
        "social_protection",
        "2.5",
        True,
        ("Trẻ em nhiễm HIV dưới 4 tuổi", "Child with HIV under 4", "Niño con VIH menor de 4"),
    ),
    (
        "child_hiv_4_16",
        "social_protection",
        "2.0",
        True,
        ("Trẻ em nhiễm HIV từ 4 đến 16 tuổi", "Child with HIV 4 to 16", "Niño con VIH de 4 a 16"),
    ),
    (
        "orphan_under_4",
        "social_protection",
        "2.5",
        False,
        ("Trẻ mồ côi dưới 4 tuổi", "Orphan under 4", "Huérfano menor de 4"),
    ),
    (
        "orphan_4_16",
        "social_protection",
        "1.5",
        False,
        ("Trẻ mồ côi từ 4 đến 16 tuổi", "Orphan 4 to 16", "Huérfano de 4 a 16"),
    ),
    (
        "severe_disability",
        "social_protection",
        "1.5",
        False,
        ("Người khuyết tật nặng", "Severe disability", "Discapacidad grave"),
    ),
    (
        "severe_disability_child_elderly",
        "social_protection",
        "2.0",
        False,
        (
            "Người khuyết tật nặng là trẻ em hoặc người cao tuổi",
            "Severe disability, child or elderly",
            "Discapacidad grave, niño o mayor",
        ),
    ),
    (
        "extreme_disability",
        "social_protection",
        "2.0",
        False,
        ("Người khuyết tật đặc biệt nặng", "Extremely severe disability", "Discapacidad muy grave"),
    ),
    (
        "extreme_disability_child_elderly",
        "social_protection",
        "2.5",
        False,
        (
            "Người khuyết tật đặc biệt nặng là trẻ em hoặc người cao tuổi",
            "Extremely severe disability, child or elderly",
            "Discapacidad muy grave, niño o mayor",
        ),
    ),
    (
        "social_pension_75",
        "social_pension",
        "1.0",
        True,
        ("Người từ 75 tuổi không có lương hưu", "75+ without pension", "Mayores de 75+ sin pensión"),
    ),
    (
        "social_pension_70_74_poor",
        "social_pension",
        "1.0",
        True,
        (
            "Người 70-74 tuổi thuộc hộ nghèo, cận nghèo",
            "70-74 in a poor or near-poor household",
            "70-74 en hogar pobre o casi pobre",
        ),
    ),
]
COEFFICIENTS_FROM = date(2021, 7, 1)
