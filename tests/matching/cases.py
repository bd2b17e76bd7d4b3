"""Hand-made registry people and list rows, one per status to pin, over a small synthetic background."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ansinh.synth import POPULATION_COLUMNS, generate_population

HOME, ELSEWHERE = "90001", "90002"  # communes no synthetic background person lives in

# citizen_id, old_id, full_name, date_of_birth, sex, commune_code, date_of_death
PEOPLE = [
    ("001140001268", "", "Nguyễn Thị Lan", "1940-03-05", "F", HOME, ""),
    ("001138002222", "", "Trần Văn Hòa", "1938-07-12", "M", HOME, ""),
    ("001143003333", "012345678", "Phạm Văn Phong", "1943-01-14", "M", HOME, ""),
    ("001140001269", "", "Lò Văn Sáng", "1940-06-20", "M", HOME, ""),
    ("001145004444", "", "Vũ Thị Mai", "1945-02-10", "F", HOME, ""),
    ("001150005555", "", "Hoàng Văn Nam", "1950-11-30", "M", HOME, ""),
    ("001135006666", "", "Đỗ Văn Khải", "1935-08-08", "M", HOME, "2025-10-01"),
    ("001150007777", "", "Lê Thị Hoa", "1950-04-01", "F", HOME, ""),
    ("001150008888", "", "Lê Thị Hoa", "1950-09-09", "F", HOME, ""),
    ("001160009999", "", "Đặng Thị Thúy Vy", "1960-05-17", "F", HOME, ""),
    ("001170001010", "", "Trịnh Thị Ngọc Ánh", "1970-01-02", "F", HOME, ""),
    ("001155002020", "", "Mai Văn Tiến", "1955-03-03", "M", HOME, ""),
]

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Mã xã"]
LIST_A = [
    ["Nguyễn Thị Lan", "05/03/1940", "Nữ", "001140001268", HOME],
    ["TRAN VAN HOA", "12/07/1938", "Nam", "", HOME],
    ["Phạm Văn Phong", "14/01/1943", "Nam", "012345678", HOME],
    ["Lò Văn Sáng", "20/06/1940", "Nam", "1140001269", HOME],
    ["Vũ Thị Mai", "02/10/1945", "Nữ", "001145004444", HOME],
    ["Hoàng Văn Nam", "30/11/1950", "Nam", "001150005555", ELSEWHERE],
    ["Đỗ Văn Khải", "08/08/1935", "Nam", "001135006666", HOME],
    ["Lê Thị Hoa", "1950", "Nữ", "", HOME],
    ["Phùng Xuân Trường", "01/01/1933", "Nam", "", HOME],
    ["Ngô Văn Tư", "", "Nam", "", HOME],
    ["Đặng Thị Thúy Vi", "17/05/1960", "Nữ", "001160009999", HOME],
    ["Trịnh Ngọc Ánh", "02/01/1970", "Nữ", "", HOME],
    ["Mai Văn Tiến", "03/03/1955", "Nam", "001155002029", HOME],
]
LIST_B = [
    ["Nguyen Thi Lan", "1940", "Nữ", "", HOME],
    ["Phung Xuan Truong", "01/01/1933", "Nam", "", HOME],
    ["Lê Thị Hoa", "1950", "Nữ", "", HOME],
]

# Per row of LIST_A: status, citizen_id, differences.
EXPECTED_A = [
    ("verified", "001140001268", ""),
    ("verified", "001138002222", ""),
    ("verified", "001143003333", ""),
    ("verified", "001140001269", ""),
    ("corrected", "001145004444", "date_of_birth"),
    ("corrected", "001150005555", "commune_code"),
    ("deceased", "001135006666", ""),
    ("ambiguous", "", ""),
    ("not_found", "", ""),
    ("invalid", "", ""),
    ("corrected", "001160009999", "full_name"),
    ("corrected", "001170001010", "full_name"),
    ("corrected", "001155002020", "citizen_id"),
]


def write_population(path: Path, *, background: int = 2000) -> Path:
    tables = [batch for batch in generate_population(provinces=["01"], size=background, seed=3)]
    people = pa.table(
        {
            "citizen_id": [p[0] for p in PEOPLE],
            "old_id": [p[1] or None for p in PEOPLE],
            "full_name": [p[2] for p in PEOPLE],
            "date_of_birth": [p[3] for p in PEOPLE],
            "sex": [p[4] for p in PEOPLE],
            "province_code": ["90"] * len(PEOPLE),
            "commune_code": [p[5] for p in PEOPLE],
            "address": ["Thôn 1"] * len(PEOPLE),
            "date_of_death": [p[6] or None for p in PEOPLE],
        }
    )
    whole = pa.concat_tables([pa.Table.from_batches(tables).select(list(POPULATION_COLUMNS)), people])
    pacsv.write_csv(whole, path)
    return path


def write_list(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, row in enumerate(rows, start=1):
            writer.writerow([str(number), *row])
    return path
