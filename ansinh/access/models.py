"""Users, their role, their area and their organisation.

A user's area is the nation, one or more provinces, or a set of communes (possibly in several
provinces), always held as links to internal ids so that a corrected official code moves nothing.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ansinh.access.roles import RoleSlug
from ansinh.geo.models import Commune, Province


class LabelledMixin(models.Model):
    """A name in the three interface languages, chosen by the active language."""

    label_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    label_en = models.CharField(_("name (English)"), max_length=200)
    label_es = models.CharField(_("name (Spanish)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "vi")[:2]
        return str(getattr(self, f"label_{language}", "") or self.label_vi)


class Role(LabelledMixin):
    slug = models.CharField(max_length=40, unique=True, choices=[(s.value, s.value) for s in RoleSlug])

    class Meta:
        ordering = ["id"]


class Agency(LabelledMixin):
    """A government body (names changed in 2025 and may again): data, never code."""

    slug = models.SlugField(max_length=60, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "agencies"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PAYMENT_SERVICE = "payment_service", _("payment service organisation")
        COLLECTION = "collection", _("collection service organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class AreaLevel(models.TextChoices):
        NONE = "", _("no area")
        NATION = "nation", _("the nation")
        PROVINCES = "provinces", _("provinces")
        COMMUNES = "communes", _("communes")

    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    area_level = models.CharField(_("area level"), max_length=12, choices=AreaLevel.choices, blank=True, default="")
    provinces = models.ManyToManyField(Province, blank=True, related_name="users")
    communes = models.ManyToManyField(Commune, blank=True, related_name="users")

    @property
    def role_slug(self) -> RoleSlug | None:
        return RoleSlug(self.role.slug) if self.role_id and self.role else None


class ApiToken(models.Model):
    """A bearer token for the API, bound to one user and so to that user's area and role.

    Only a hash is stored; the plain token is shown once when it is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
