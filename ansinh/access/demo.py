"""Demo users, one per role, bound to the demo province or its first communes."""

from __future__ import annotations

from ansinh.access.models import Organisation, Role, User
from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune
from ansinh.web.demo import DemoContext

ORDER = 10
DEMO_PASSWORD = "demo-ansinh-2026"  # noqa: S105 - printed to the developer; demo refuses production


def load(ctx: DemoContext) -> None:
    post, _ = Organisation.objects.get_or_create(name="Bưu điện (demo)", kind=Organisation.Kind.PAYMENT_SERVICE)
    collector, _ = Organisation.objects.get_or_create(
        name="Tổ chức dịch vụ thu (demo)", kind=Organisation.Kind.COLLECTION
    )
    first, second = ctx.communes[0], ctx.communes[1]
    plan: list[tuple[str, RoleSlug, str | list[Commune], Organisation | None]] = [
        ("national", RoleSlug.NATIONAL_SUPERVISOR, "nation", None),
        ("province", RoleSlug.PROVINCE_OFFICER, "province", None),
        ("culture", RoleSlug.COMMUNE_CULTURE_OFFICER, [first], None),
        ("police", RoleSlug.COMMUNE_POLICE, [first], None),
        ("police2", RoleSlug.COMMUNE_POLICE, [second], None),
        ("agent", RoleSlug.PAYMENT_AGENT, [first, second], post),
        ("insurance", RoleSlug.INSURANCE_OFFICER, "province", None),
        ("collector", RoleSlug.COLLECTION_AGENT, [first, second], collector),
        ("auditor", RoleSlug.AUDITOR, "nation", None),
    ]
    ctx.say(f"demo logins (password for all: {DEMO_PASSWORD}):")
    for username, slug, area, organisation in plan:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD)
        user.role = Role.objects.get(slug=slug.value)
        user.organisation = organisation
        if isinstance(area, list):
            user.area_level = User.AreaLevel.COMMUNES
        else:
            user.area_level = User.AreaLevel.NATION if area == "nation" else User.AreaLevel.PROVINCES
        user.save()
        user.provinces.set([ctx.province] if area == "province" else [])
        user.communes.set(area if isinstance(area, list) else [])
        ctx.users[username] = user
        ctx.say(f"  {username:<10} {user.role.label_en}")
