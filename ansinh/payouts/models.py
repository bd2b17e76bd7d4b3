"""Payout accounts: the bank directory, the method each benefit is paid through, proxies, and the
account changes that wait for a second user's approval.

Nothing becomes a payout method without an approved change request (four-eyes), whatever its source:
typed, scanned, imported from a list or received from the registry side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune
from ansinh.registry.models import Benefit, Person


class Channel(models.TextChoices):
    BANK = "bank", _("bank account")
    MOBILE_MONEY = "mobile_money", _("mobile-money account")
    # A bank or mobile-money account linked through VNeID: paid in the same files as the other two.
    VNEID = "vneid", _("VNeID-linked account")
    CASH_POINT = "cash_point", _("cash at a payment point")
    CASH_HOME = "cash_home", _("cash delivered at home")


ACCOUNT_CHANNELS = frozenset({Channel.BANK, Channel.MOBILE_MONEY, Channel.VNEID})
CASH_CHANNELS = frozenset({Channel.CASH_POINT, Channel.CASH_HOME})


class Bank(models.Model):
    """A bank or mobile-money provider known by its NAPAS BIN; data an administrator can extend."""

    class Kind(models.TextChoices):
        BANK = "bank", _("bank")
        MOBILE_MONEY = "mobile_money", _("mobile money")

    bin = models.CharField(_("BIN"), max_length=6, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    short_name = models.CharField(_("short name"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BANK)
    swift = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("bank")

    def __str__(self) -> str:
        return f"{self.short_name} ({self.bin})"


class Proxy(models.Model):
    """Someone authorised, by a certified letter, to receive a beneficiary's payments."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REVOKED = "revoked", _("revoked")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proxies")
    full_name = models.CharField(_("full name"), max_length=200)
    citizen_id = models.CharField(_("ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    relationship = models.CharField(_("relationship"), max_length=100)
    letter_date = models.DateField(_("date of the authorisation letter"), null=True, blank=True)
    certifying_commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("certified by")
    )
    scan = models.FileField(_("scan of the letter"), upload_to="proxies/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")


class AccountChangeRequest(models.Model):
    """A new or changed payout method, waiting for a second user (four-eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        IMPORT = "import", _("imported list")
        TYPED = "typed", _("typed")
        SCANNED = "scanned", _("scanned VietQR")
        EXTERNAL = "external", _("received from outside")
        SURVEY = "survey", _("household survey")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="account_requests")
    # Empty: the change applies to every active benefit of the person.
    benefit = models.ForeignKey(
        Benefit, null=True, blank=True, on_delete=models.PROTECT, related_name="account_requests"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.BANK)
    bank_text = models.CharField(_("bank as written"), max_length=200, blank=True)
    bank_bin = models.CharField(_("bank BIN"), max_length=6, blank=True)
    # Bank: up to 19 letters and digits. Mobile money: the wallet's phone number. Cash: empty.
    account_number = models.CharField(_("account number"), max_length=19, blank=True)
    holder_name = models.CharField(_("account holder as the bank shows it"), max_length=200, blank=True)
    proxy = models.ForeignKey(Proxy, null=True, blank=True, on_delete=models.PROTECT, related_name="account_requests")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("payment service organisation"),
    )  # fmt: skip
    source = models.CharField(max_length=12, choices=Source.choices)
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    # The record that produced it elsewhere (a visit's id, an external reference), for idempotent retries.
    source_ref = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # Fraud signals computed when the request is made, shown in the approval queue.
    signals = models.JSONField(default=list, blank=True)
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("maker")), name="payouts_request_four_eyes"
            ),
            # A retried survey upload or external call finds its first request instead of making a second.
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="payouts_request_source_ref"
            ),
        ]


class PayoutMethod(models.Model):
    """How one benefit is paid. One active method per benefit; earlier ones are kept as history."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUPERSEDED = "superseded", _("replaced")
        CLOSED = "closed", _("closed")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payout_methods")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="payout_methods")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    bank = models.ForeignKey(Bank, null=True, blank=True, on_delete=models.PROTECT, related_name="payout_methods")
    account_number = models.CharField(_("account number"), max_length=19, blank=True)
    holder_name = models.CharField(_("account holder"), max_length=200, blank=True)
    proxy = models.ForeignKey(Proxy, null=True, blank=True, on_delete=models.PROTECT, related_name="payout_methods")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="payout_methods",
        verbose_name=_("payment service organisation"),
    )  # fmt: skip
    request = models.ForeignKey(
        AccountChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="methods"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_to = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payout method")
        indexes = [models.Index(fields=["bank", "account_number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit"], condition=Q(status="active"), name="payouts_one_active_method_per_benefit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.benefit_id}"
