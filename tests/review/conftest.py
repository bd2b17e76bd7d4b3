"""A committed batch of four Ba Đình people and a registry snapshot that corrects, moves and buries some of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.registry.models import Benefit, Category, Person
from ansinh.synth import POPULATION_COLUMNS, generate_population
from tests import factories as f
from tests.conftest import Personas, World

# citizen_id, full_name, date_of_birth, sex, commune_code, date_of_death
SNAPSHOT = [
    ("001140001268", "Nguyễn Thị Lan", "1940-03-05", "F", "00004", ""),
    ("001145004444", "Vũ Thị Mai", "1945-02-10", "F", "00004", ""),
    ("001150005555", "Hoàng Văn Nam", "1950-11-30", "M", "00103", ""),
    ("001135006666", "Đỗ Văn Khải", "1935-08-08", "M", "00004", "2025-10-01"),
]


@dataclass
class Batch:
    batch: ImportBatch
    lan: Person  # verified
    mai: Person  # corrected: the registry has day and month the other way round
    nam: Person  # corrected: the registry has him in Tây Hồ
    khai: Person  # deceased
    population: Path


def _population(path: Path) -> Path:
    # A synthetic background, so that the probabilistic stage has realistic name frequencies.
    background = pa.Table.from_batches(list(generate_population(provinces=["01"], size=500, seed=7)))
    people = pa.table(
        {
            "citizen_id": [p[0] for p in SNAPSHOT],
            "old_id": pa.array([None] * len(SNAPSHOT), pa.string()),
            "full_name": [p[1] for p in SNAPSHOT],
            "date_of_birth": [p[2] for p in SNAPSHOT],
            "sex": [p[3] for p in SNAPSHOT],
            "province_code": ["01"] * len(SNAPSHOT),
            "commune_code": [p[4] for p in SNAPSHOT],
            "address": ["Tổ 1"] * len(SNAPSHOT),
            "date_of_death": [p[5] or None for p in SNAPSHOT],
        }
    )
    whole = pa.concat_tables(
        [background.select(list(POPULATION_COLUMNS)), people.cast(background.select(list(POPULATION_COLUMNS)).schema)]
    )
    pacsv.write_csv(whole, path)
    return path


@pytest.fixture
def committed(world: World, personas: Personas, tmp_path: Path) -> Batch:
    def person(name: str, citizen_id: str, year: int, month: int, day: int, sex: str) -> Person:
        return f.person(
            name, world.ba_dinh, citizen_id=citizen_id, birth_year=year, birth_month=month, birth_day=day, sex=sex
        )

    lan = person("Nguyễn Thị Lan", "001140001268", 1940, 3, 5, "F")
    mai = person("Vũ Thị Mai", "001145004444", 1945, 10, 2, "F")
    nam = person("Hoàng Văn Nam", "001150005555", 1950, 11, 30, "M")
    khai = person("Đỗ Văn Khải", "001135006666", 1935, 8, 8, "M")
    batch = ImportBatch.objects.create(
        file_name="ba-dinh.xlsx",
        category=Category.SOCIAL_PROTECTION,
        default_commune=world.ba_dinh,
        status=ImportBatch.Status.COMMITTED,
        created_by=personas.police_ba_dinh,
    )
    batch.communes.add(world.ba_dinh)
    for number, someone in enumerate([lan, mai, nam, khai], start=1):
        ImportRow.objects.create(
            batch=batch, data_row=number, sheet_row=number + 1, person=someone, commune=world.ba_dinh,
            outcome=ImportRow.Outcome.NEW,
        )  # fmt: skip
        Benefit.objects.create(person=someone, category=Category.SOCIAL_PROTECTION, monthly_amount=500_000)
    return Batch(batch, lan, mai, nam, khai, _population(tmp_path / "population.csv"))


@pytest.fixture(autouse=True)
def _english(english_pages: None) -> None:
    """These tests read pages and messages in English."""
