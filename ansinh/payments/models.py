"""Payment cycles: what is due to whom for a month or an occasion, how it was sent, and what came back.

Months are integer keys `YYYYMM` (202611) so that the set-wise SQL that computes a cycle compares and
joins them the same way on SQLite and PostgreSQL. The rules that must never break are constraints:
a month of a scheme is paid at most once per person (regular or arrears), a one-off at most once per
person and occasion, and a retry or a re-route is a new attempt of the same payment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune, Province
from ansinh.payouts.models import Channel, PayoutMethod
from ansinh.registry.models import Benefit, Category, Person


def month_label(key: int | None) -> str:
    return "" if not key else f"{key % 100:02d}/{key // 100}"


class PayingAccount(models.Model):
    """The paying office's account that a province's transfers are debited from (data, per area)."""

    province = models.OneToOneField(Province, on_delete=models.PROTECT, related_name="paying_account")
    name = models.CharField(_("account holder"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=34)
    bank_bin = models.CharField(_("bank BIN"), max_length=6)

    def __str__(self) -> str:
        return self.name


class PaymentCycle(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("monthly")
        SPECIAL = "special", _("special (one-off)")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        EXPORTED = "exported", _("exported")
        RECONCILED = "reconciled", _("reconciled")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    # The area: a province's communes or a hand-picked set; always held as the commune set.
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    communes = models.ManyToManyField(Commune, related_name="payment_cycles")
    period = models.PositiveIntegerField(_("month (YYYYMM)"), null=True, blank=True)
    # A special cycle's occasion: "lunar_new_year:2027", "funeral".
    occasion = models.CharField(_("occasion"), max_length=40, blank=True)
    occasion_amount = models.PositiveIntegerField(_("amount per person (VND)"), null=True, blank=True)
    # Benefits decided on or after this date are "newly approved": their unpaid earlier months are arrears.
    arrears_since = models.DateField(_("arrears for approvals since"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    computed_at = models.DateTimeField(null=True, blank=True)
    totals = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment cycle")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="regular", period__isnull=False, occasion=""))
                | (Q(kind="special", period__isnull=True) & ~Q(occasion="")),
                name="payments_cycle_period_or_occasion",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("submitted_by")),
                name="payments_cycle_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_label(self) -> str:
        return month_label(self.period) if self.period else self.occasion


class Payment(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("monthly")
        ARREARS = "arrears", _("arrears")
        LUNAR_NEW_YEAR = "lunar_new_year", _("Lunar New Year allowance")
        FUNERAL = "funeral", _("funeral allowance")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        REROUTED = "rerouted", _("re-routed to cash")
        WRITTEN_OFF = "written_off", _("written off")
        # Withdrawn before it was sent (a death reported after the cycle was computed).
        CANCELLED = "cancelled", _("cancelled")

    # Single-column FK indexes are left out where a composite index below leads with the column: a cycle
    # inserts a million rows, and every index is written for each of them.
    cycle = models.ForeignKey(PaymentCycle, on_delete=models.PROTECT, related_name="payments", db_index=False)
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="payments", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payments", db_index=False)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("scheme"), max_length=30, choices=Category.choices)
    month = models.PositiveIntegerField(_("month"), null=True, blank=True)
    occasion = models.CharField(_("occasion"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    payout_method = models.ForeignKey(
        PayoutMethod, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["benefit", "month"]),
            models.Index(fields=["person", "month"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category", "month"],
                condition=Q(month__isnull=False) & ~Q(status="cancelled"),
                name="payments_month_once_per_person_scheme",
            ),
            models.UniqueConstraint(
                fields=["person", "occasion"],
                condition=~Q(occasion="") & ~Q(status="cancelled"),
                name="payments_occasion_once_per_person",
            ),
            models.CheckConstraint(
                condition=(Q(month__isnull=False, occasion="", kind__in=["regular", "arrears"]))
                | (Q(month__isnull=True, kind__in=["lunar_new_year", "funeral"]) & ~Q(occasion="")),
                name="payments_month_or_occasion",
            ),
        ]

    @property
    def month_label(self) -> str:
        return month_label(self.month) if self.month else self.occasion


class ExportRun(models.Model):
    """One numbered export of a cycle: the attempts it sent and the files that carry them."""

    cycle = models.ForeignKey(PaymentCycle, on_delete=models.PROTECT, related_name="export_runs")
    number = models.PositiveIntegerField()
    attempts_count = models.PositiveIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    files_done = models.BooleanField(default=False)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="payments_export_run_number")]


class ExportFile(models.Model):
    class Kind(models.TextChoices):
        PAIN001 = "pain001", _("ISO 20022 credit transfers (pain.001)")
        BANK = "bank", _("bank bulk file")
        PAYMENT_LIST = "payment_list", _("payment list")
        CASH_LIST = "cash_list", _("cash list")

    run = models.ForeignKey(ExportRun, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    # Which commune, bank or organisation the file is for (a label for the page).
    scope = models.CharField(max_length=200, blank=True)
    storage_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["run", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="payments_export_file_name")]


class PaymentAttempt(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="attempts", db_index=False)
    number = models.PositiveSmallIntegerField()
    export_run = models.ForeignKey(ExportRun, on_delete=models.PROTECT, related_name="attempts", db_index=False)
    # What was sent, as it was sent: a later account change does not rewrite history.
    channel = models.CharField(max_length=20, choices=Channel.choices)
    bank_bin = models.CharField(max_length=6, blank=True)
    account_number = models.CharField(max_length=19, blank=True)
    holder_name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    amount = models.PositiveIntegerField()
    end_to_end_id = models.CharField(max_length=35, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENT)
    reason_code = models.CharField(max_length=10, blank=True)
    reason_text = models.CharField(max_length=300, blank=True)
    result_import = models.ForeignKey(
        "ResultImport", null=True, blank=True, on_delete=models.PROTECT, related_name="attempts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["export_run", "channel"])]
        constraints = [
            models.UniqueConstraint(fields=["payment", "number"], name="payments_attempt_number"),
            # At most one attempt in flight or paid per payment: a retry waits for the failure.
            models.UniqueConstraint(
                fields=["payment"], condition=Q(status__in=["sent", "paid"]), name="payments_one_live_attempt"
            ),
        ]


class ResultImport(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        REFUSED = "refused", _("refused")

    cycle = models.ForeignKey(PaymentCycle, on_delete=models.PROTECT, related_name="result_imports")
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices)
    counts = models.JSONField(default=dict, blank=True)
    # Why a file was refused: every problem, each {"end_to_end_id", "problem"}.
    problems = models.JSONField(default=list, blank=True)
    # Entries that are not this system's payments (other movements on the account): listed, not applied.
    ignored = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "sha256"], condition=Q(status="applied"), name="payments_result_applied_once"
            )
        ]


class RecoveryEntry(models.Model):
    """Truy thu: a payment made for a month after the beneficiary's death, to be recovered."""

    class Status(models.TextChoices):
        OPEN = "open", _("to recover")
        RECOVERED = "recovered", _("recovered")
        WAIVED = "waived", _("waived")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="recovery")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField()
    date_of_death = models.DateField()
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)


class CashDelivery(models.Model):
    """Proof that cash was handed over: by whom, when, to whom, with a signature or a photo."""

    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="delivery")
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField()
    received_by_name = models.CharField(_("received by"), max_length=200)
    signature = models.FileField(_("signature or thumbprint"), upload_to="payments/deliveries/%Y/%m/", blank=True)
    photo = models.FileField(_("photo"), upload_to="payments/deliveries/%Y/%m/", blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(signature="") | ~Q(photo=""), name="payments_delivery_has_proof")
        ]
