"""Clean synthetic beneficiaries of one province, for loading a demo database quickly."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from ansinh.synth.lists import generate_lists
from ansinh.synth.mistakes import Rates
from ansinh.synth.population import generate_population

# Mobile prefixes in use (Viettel 03x, Vietnamobile 05x, MobiFone 07x and 09x, Vinaphone 08x and 09x).
_PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077",
                   "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093",
                   "094", "096", "097", "098")  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """A beneficiary as the registry should hold them: every value right, none of the list mistakes."""

    full_name: str
    date_of_birth: str  # YYYY-MM-DD
    sex: str  # M or F
    citizen_id: str
    old_id: str  # 9 digits or empty
    province_code: str
    commune_code: str
    commune_name: str
    hamlet: str
    address: str  # house number, hamlet, commune, province
    phone: str  # 10 digits
    category: str
    amount: int  # VND per month
    household_key: str  # shared by the people of one household (same address)


def demo_people(*, province_code: str, count: int, seed: int) -> list[SyntheticPerson]:
    """`count` beneficiaries of one province with their categories (20,000 in about 2 s on 2 cores).

    A person on two lists appears once per list (about 2% of entries), as in the real lists.
    """
    population = generate_population(provinces=[province_code], size=max(8 * count, 5_000), seed=seed)
    rates = replace(Rates.none(), two_lists=0.02)
    lists = generate_lists(population, beneficiaries=count, seed=seed, rates=rates)
    rng = random.Random(f"ansinh-synth:{seed}:phones")
    households: dict[str, str] = {}
    phones: dict[str, str] = {}
    people: list[SyntheticPerson] = []
    for category, rows in lists.rows.items():
        for row in rows:
            household = households.setdefault(row.true_address, f"H{len(households) + 1:06d}")
            phone = phones.setdefault(row.person_key, rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}")
            people.append(
                SyntheticPerson(
                    full_name=row.true_full_name,
                    date_of_birth=row.true_date_of_birth,
                    sex=row.true_sex,
                    citizen_id=row.citizen_id or "",
                    old_id=row.true_old_id or "",
                    province_code=row.province_code,
                    commune_code=row.commune_code,
                    commune_name=row.commune_name,
                    hamlet=row.hamlet,
                    address=row.true_address,
                    phone=phone,
                    category=category,
                    amount=row.amount if isinstance(row.amount, int) else int(row.amount.replace(".", "")),
                    household_key=household,
                )
            )
    return people
