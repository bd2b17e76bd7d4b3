"""Small builders for test data: two provinces, three communes, and a user per role."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from ansinh.access.defaults import ROLE_LABELS
from ansinh.access.models import ApiToken, Organisation, Role, User
from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune, Province
from ansinh.lib.text import fold
from ansinh.registry.models import Person

_serial = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def province(code: str, name: str) -> Province:
    obj, _ = Province.objects.get_or_create(
        code=code, defaults={"name": name, "short_name": name, "name_folded": fold(name)}
    )
    return obj


def commune(code: str, name: str, prov: Province) -> Commune:
    obj, _ = Commune.objects.get_or_create(
        code=code,
        defaults={"name": name, "short_name": name, "name_folded": fold(name), "kind": "commune", "province": prov},
    )
    return obj


def role(slug: RoleSlug) -> Role:
    vi, en, es = ROLE_LABELS[slug]
    obj, _ = Role.objects.get_or_create(slug=slug.value, defaults={"label_vi": vi, "label_en": en, "label_es": es})
    return obj


def organisation(name: str, kind: str = Organisation.Kind.PAYMENT_SERVICE) -> Organisation:
    obj, _ = Organisation.objects.get_or_create(name=name, kind=kind)
    return obj


def user(
    slug: RoleSlug | None,
    *,
    nation: bool = False,
    provinces: Iterable[Province] = (),
    communes: Iterable[Commune] = (),
    org: Organisation | None = None,
    username: str | None = None,
) -> User:
    provinces, communes = list(provinces), list(communes)
    level = "nation" if nation else "provinces" if provinces else "communes" if communes else ""
    obj = User.objects.create_user(
        username=username or f"user{next(_serial)}",
        password=PASSWORD,
        role=role(slug) if slug else None,
        area_level=level,
        organisation=org,
    )
    obj.provinces.set(provinces)
    obj.communes.set(communes)
    return obj


def person(name: str, where: Commune, **fields: object) -> Person:
    obj = Person(full_name=name, commune=where, **fields)
    obj.save()
    return obj


def api_token(owner: User) -> str:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=owner, name="test", prefix=secret[:8], digest=ApiToken.digest_of(secret))
    return secret
