"""Payout accounts. For now: account changes waiting for a second user's approval.

An account number arriving on a list never makes an account active by itself; it becomes a pending
change request that another user approves (the approval queue belongs to the payout-accounts work).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.registry.models import Benefit, Person


class AccountChangeRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        IMPORT = "import", _("imported list")
        TYPED = "typed", _("typed")
        SCANNED = "scanned", _("scanned VietQR")
        EXTERNAL = "external", _("received from outside")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="account_requests")
    benefit = models.ForeignKey(
        Benefit, null=True, blank=True, on_delete=models.PROTECT, related_name="account_requests"
    )
    bank_text = models.CharField(_("bank as written"), max_length=200, blank=True)
    bank_bin = models.CharField(_("bank BIN"), max_length=6, blank=True)
    account_number = models.CharField(_("account number"), max_length=19)
    source = models.CharField(max_length=12, choices=Source.choices)
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "person"])]
