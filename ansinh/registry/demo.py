"""Demo beneficiaries: realistic synthetic people of the demo province, with households and benefits."""

from __future__ import annotations

from django.db import transaction

from ansinh.audit.services import AuditEvent, audit_record
from ansinh.geo.models import Commune
from ansinh.registry.models import Benefit, Household, Person
from ansinh.synth import demo_people
from ansinh.web.demo import DemoContext

ORDER = 20
SOURCE = "demo"


def _house_number(address: str) -> str:
    first = address.split(",", maxsplit=1)[0].strip()
    return first.removeprefix("Số ").strip() if any(ch.isdigit() for ch in first) else ""


def load(ctx: DemoContext) -> None:
    if Benefit.objects.filter(source=SOURCE, person__commune__province=ctx.province).exists():
        return  # already loaded; a second `make run` stays fast
    people = demo_people(province_code=ctx.province.code, count=ctx.beneficiaries, seed=ctx.seed)
    communes = dict(Commune.objects.filter(province=ctx.province).values_list("code", "pk"))
    with transaction.atomic():
        households: dict[str, Household] = {}
        for p in people:
            if p.household_key not in households and p.commune_code in communes:
                households[p.household_key] = Household(
                    commune_id=communes[p.commune_code], hamlet=p.hamlet, house_number=_house_number(p.address)
                )
        Household.objects.bulk_create(households.values())
        persons: dict[str, Person] = {}
        for p in people:
            if p.citizen_id in persons or p.commune_code not in communes:
                continue  # someone on two lists is one person with two benefits
            year, month, day = (int(part) for part in p.date_of_birth.split("-"))
            persons[p.citizen_id] = Person(
                **Person.name_fields(p.full_name),
                birth_year=year,
                birth_month=month,
                birth_day=day,
                sex=p.sex,
                citizen_id=p.citizen_id,
                old_id=p.old_id,
                commune_id=communes[p.commune_code],
                hamlet=p.hamlet,
                house_number=_house_number(p.address),
                phone=p.phone,
                household=households.get(p.household_key),
            )
        Person.objects.bulk_create(persons.values(), batch_size=2000)
        benefits = [
            Benefit(person=persons[p.citizen_id], category=p.category, monthly_amount=p.amount, source=SOURCE)
            for p in people
            if p.citizen_id in persons
        ]
        Benefit.objects.bulk_create(benefits, batch_size=2000)
        audit_record(
            actor=None,
            entries=[
                AuditEvent(
                    action="demo",
                    object_type="registry.person",
                    summary=f"{len(persons)} demo people, {len(benefits)} benefits",
                )
            ],
        )
    ctx.say(f"  {len(persons)} demo beneficiaries with {len(benefits)} benefits in {ctx.province.name}")
