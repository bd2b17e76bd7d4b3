"""Demo voluntary social insurance: collection organisations, points, programmes, a plan and 3,000 participants."""

from __future__ import annotations

import random

from django.db import connection, transaction
from django.utils import timezone

from ansinh.access.models import Organisation
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.geo.models import Commune
from ansinh.insurance import rules
from ansinh.insurance.coverage import coverage_rebuild
from ansinh.insurance.models import CollectionPoint, Collector, CoordinationProgramme, Participant, Plan
from ansinh.lib.text import fold
from ansinh.web.demo import DemoContext

ORDER = 60
PARTICIPANTS = 3_000
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc")
GIVEN = ("Lan", "Hùng", "Mai", "Tuấn", "Hoa", "Dũng", "Hạnh", "Nam", "Linh", "Sơn", "Yến", "Phúc")
MODES = (("monthly", 30), ("quarterly", 22), ("semiannual", 16), ("yearly", 27), ("years_ahead", 5))
LENGTH = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12, "years_ahead": 36}


def load(ctx: DemoContext) -> None:
    if Participant.objects.filter(commune__province=ctx.province).exists():
        return
    rng = random.Random(ctx.seed)
    organisations = [
        Organisation.objects.get_or_create(name=name, kind=Organisation.Kind.COLLECTION)[0]
        for name in ("Tổ chức dịch vụ thu (demo)", "Bưu điện tỉnh (thu BHXH)", "Hội Nông dân (đại lý thu)")
    ]
    communes = ctx.communes[:12]
    current = rules.month_of_date(timezone.localdate()) - 1
    year = rules.year_month(current)[0]
    with transaction.atomic():
        for n, commune in enumerate(communes):
            organisation = organisations[n % len(organisations)]
            point = CollectionPoint.objects.create(
                organisation=organisation, commune=commune, name=f"Điểm thu {commune.name}"
            )
            Collector.objects.create(
                organisation=organisation,
                point=point,
                commune=commune,
                full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                kind=Collector.Kind.RESIDENTIAL_GROUP_HEAD if n % 2 else Collector.Kind.STAFF,
            )
            if n % 4 != 3:  # a quarter of the communes have not signed yet: the page shows the gap
                CoordinationProgramme.objects.create(
                    commune=commune,
                    organisation=organisation,
                    insurance_office="BHXH tỉnh",
                    signed_on=timezone.localdate().replace(day=1),
                )
        Plan.objects.create(
            year=year, province=ctx.province, target_participants=PARTICIPANTS, net_increase_target=PARTICIPANTS // 8
        )
        for organisation in organisations:
            Plan.objects.create(year=year, organisation=organisation, target_participants=PARTICIPANTS // 3)
        _participants(ctx, rng, organisations, communes, current)
        coverage_rebuild()
        audit_record(
            actor=None,
            entries=[AuditEvent(action="demo", object_type="insurance.participant", summary=f"{PARTICIPANTS} demo")],
        )
    ctx.say(f"  {PARTICIPANTS} voluntary social-insurance participants in {len(communes)} communes")


def _participants(
    ctx: DemoContext, rng: random.Random, organisations: list[Organisation], communes: list[Commune], current: int
) -> None:
    now = timezone.now()
    people = []
    for serial in range(1, PARTICIPANTS + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        birth_year = rng.randint(1965, 2000)
        sex = "F" if "Thị" in name else "M"
        citizen_id = f"{ctx.province.code.zfill(3)[-3:]}{0 + (sex == 'F')}{birth_year % 100:02d}{900000 + serial:06d}"
        commune_index = serial % len(communes)
        mode = rng.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
        first = current - rng.randint(0, 23)
        people.append(
            Participant(
                full_name=name,
                full_name_folded=fold(name),
                citizen_id=citizen_id,
                sex=sex,
                birth_year=birth_year,
                commune=communes[commune_index],
                organisation=organisations[commune_index % len(organisations)],
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                monthly_income=rng.choice((1_500_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000)),
                payment_mode=mode,
                support_group=rng.choices(["poor", "near_poor", "ethnic_minority", "other"], [5, 8, 4, 83])[0],
                registered_on=rules.month_first_day(first),
                created_at=now,
            )
        )
    Participant.objects.bulk_create(people, batch_size=1000)
    rows = []
    for person in people:
        length = LENGTH[person.payment_mode]
        first = rules.month_of_date(person.registered_on)
        last = current if rng.random() > 0.12 else first + rng.randint(0, 12)  # some lapse
        grace = rules.GRACE_MONTHS[rules.PaymentMode(person.payment_mode)]
        for month in range(first, min(last, current) + 1, length):
            amount = rules.monthly_contribution(person.monthly_income) * length
            paid_on = rules.month_first_day(month).replace(day=rng.randint(1, 25))
            rows.append((person.pk, month, month + length - 1, person.payment_mode, grace, amount, 0, 0, paid_on,
                         person.organisation_id, "", now))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO insurance_payment (participant_id, from_month, to_month, mode, grace_months, amount, support, "
            "supported_months, paid_on, organisation_id, receipt, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
