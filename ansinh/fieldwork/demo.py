"""Demo fieldwork: a team in the first demo commune and a morning of visits, one of each kind."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from ansinh.access.models import Organisation
from ansinh.fieldwork import services
from ansinh.fieldwork.models import Team
from ansinh.fieldwork.validation import ProxyInput, RefusalInput, VisitInput
from ansinh.registry.models import Benefit, Person
from ansinh.web.demo import DemoContext

ORDER = 50
VCB = "970436"


def load(ctx: DemoContext) -> None:
    police, culture = ctx.users.get("police"), ctx.users.get("culture")
    if police is None or culture is None or not ctx.communes:
        return
    commune = ctx.communes[0]
    if Team.objects.filter(commune=commune).exists():
        return  # already loaded
    people = list(
        Person.objects.filter(commune=commune, benefits__status=Benefit.Status.ACTIVE)
        .distinct()
        .order_by("hamlet", "pk")[:12]
    )
    if not people:
        return
    team = services.team_create(user=culture, commune_id=commune.pk, name="Tổ công tác số 1",
                                member_ids=[police.pk, culture.pk])  # fmt: skip
    services.team_assign(user=culture, team_id=team.pk, hamlets=sorted({p.hamlet for p in people if p.hamlet})[:3])
    post = Organisation.objects.filter(kind=Organisation.Kind.PAYMENT_SERVICE).first()
    now = timezone.now()
    refusal = RefusalInput(reason="Tuổi cao, quen nhận tiền mặt", police_officer="Trần Văn Công",
                           culture_officer="Phạm Thị Hương")  # fmt: skip
    plans: list[dict[str, object]] = [
        {"has_account": True, "registered": True, "classification": "registered"},
        {"has_account": True, "registered": False, "classification": "persuaded", "channel": "bank",
         "bank_bin": VCB, "account_number": "0011000123456", "holder_name": people[1].full_name.upper()},
        {"has_account": True, "registered": False, "classification": "declined", "refusal": refusal},
        {"has_account": False, "classification": "no_account", "channel": "mobile_money"},
        {"outcome": "not_finished", "reason": "nobody_home", "identity_confirmed": False,
         "follow_up_date": (now + dt.timedelta(days=2)).date()},
    ]  # fmt: skip
    if post is not None:
        plans.append({"classification": "force_majeure", "organisation_id": post.pk,
                      "proxy": ProxyInput(full_name="Nguyễn Thị Hạnh", relationship="con gái")})  # fmt: skip
    for index, (person, plan) in enumerate(zip(people, plans, strict=False)):
        finished = now - dt.timedelta(hours=len(plans) - index)
        fields = {"outcome": "classified", "identity_confirmed": True, **plan}
        data = VisitInput(
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"ansinh-demo-visit-{person.pk}"),
            person_id=person.pk,
            started_at=finished - dt.timedelta(minutes=12),
            finished_at=finished,
            **fields,  # type: ignore[arg-type]
        )
        try:
            services.visit_submit(user=police, data=data)
        except services.FieldworkError as error:
            ctx.say(f"  fieldwork demo: {person.pk} skipped ({error})")
    ctx.say(f"  fieldwork: a team and {len(plans)} visits in {commune.name}")
