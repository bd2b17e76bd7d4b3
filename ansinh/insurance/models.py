"""Voluntary social insurance: participants, their payments, collection points and collectors, plans.

Periods are integer month indexes (`rules.month_index`): `from_month`/`to_month` of a payment are the
first and last month it pays for. `Coverage` holds, per participant, the runs of months in which the
participant counts (covered, or within a deadline); it is rebuilt from the payments by
`services.coverage_rebuild` in the transaction that changes them, and the report counts from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation
from ansinh.geo.models import Commune, Province
from ansinh.insurance.rules import PaymentMode, SupportGroup, month_label, month_of_date
from ansinh.lib.text import fold, nfc

COLLECTION = {"kind": Organisation.Kind.COLLECTION}

MODE_CHOICES = [
    (PaymentMode.MONTHLY.value, _("monthly")),
    (PaymentMode.QUARTERLY.value, _("every 3 months")),
    (PaymentMode.SEMIANNUAL.value, _("every 6 months")),
    (PaymentMode.YEARLY.value, _("every 12 months")),
    (PaymentMode.YEARS_AHEAD.value, _("several years ahead")),
    (PaymentMode.LUMP_SUM.value, _("lump sum for missing years")),
]
GROUP_CHOICES = [
    (SupportGroup.POOR.value, _("poor household")),
    (SupportGroup.NEAR_POOR.value, _("near-poor household")),
    (SupportGroup.ETHNIC_MINORITY.value, _("ethnic minority")),
    (SupportGroup.OTHER.value, _("other")),
]


class CollectionPoint(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="collection_points", limit_choices_to=COLLECTION
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="collection_points")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["commune", "name"]
        verbose_name = _("collection point")

    def __str__(self) -> str:
        return self.name


class Collector(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("staff of the organisation")
        RESIDENTIAL_GROUP_HEAD = "residential_group_head", _("head of a residential group")
        PARTY_CELL_SECRETARY = "party_cell_secretary", _("party cell secretary")
        ASSOCIATION_HEAD = "association_head", _("head of an association")
        POPULATION_OFFICER = "population_officer", _("population and health officer")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="collectors", limit_choices_to=COLLECTION
    )
    point = models.ForeignKey(CollectionPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="collectors")
    full_name = models.CharField(_("full name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.STAFF)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="collector"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["commune", "full_name"]
        verbose_name = _("collector")

    def __str__(self) -> str:
        return self.full_name


class CoordinationProgramme(models.Model):
    """The three-party programme of a commune: collection organisation, social-insurance office, People's Committee."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="coordination_programmes")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="coordination_programmes", limit_choices_to=COLLECTION
    )
    insurance_office = models.CharField(_("social-insurance office"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        ordering = ["commune", "organisation"]
        verbose_name = _("coordination programme")
        constraints = [
            models.UniqueConstraint(fields=["commune", "organisation"], name="insurance_programme_once"),
        ]


class Plan(models.Model):
    """A year's target for an area (a province or a commune), for an organisation, or for an organisation in an area."""

    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", limit_choices_to=COLLECTION
    )
    target_participants = models.PositiveIntegerField(_("participants at year end"))
    net_increase_target = models.IntegerField(_("net increase in the year"), null=True, blank=True)

    class Meta:
        ordering = ["year", "province", "commune", "organisation"]
        verbose_name = _("plan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(province__isnull=False, commune__isnull=False), name="insurance_plan_one_area"
            ),
            models.CheckConstraint(
                condition=Q(province__isnull=False) | Q(commune__isnull=False) | Q(organisation__isnull=False),
                name="insurance_plan_has_scope",
            ),
        ]


class Participant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LAPSED = "lapsed", _("lapsed")
        STOPPED = "stopped", _("stopped")

    full_name = models.CharField(_("full name"), max_length=200)
    full_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    citizen_id = models.CharField(_("ID number"), max_length=12, db_index=True)
    insurance_number = models.CharField(_("social-insurance number"), max_length=10, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("male")), ("F", _("female"))], blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="insurance_participants")
    hamlet = models.CharField(_("hamlet / street"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="insurance_participants",
        limit_choices_to=COLLECTION,
    )
    collector = models.ForeignKey(Collector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    monthly_income = models.PositiveIntegerField(_("chosen monthly income (VND)"))
    payment_mode = models.CharField(_("payment mode"), max_length=12, choices=MODE_CHOICES)
    support_group = models.CharField(_("support group"), max_length=16, choices=GROUP_CHOICES)
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    # The month index of stopped_on, for the set-wise coverage SQL; bulk writers set it with `stop_month_of`.
    stop_month = models.PositiveIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("participant")
        indexes = [models.Index(fields=["commune", "full_name_folded"])]
        constraints = [
            models.UniqueConstraint(fields=["citizen_id"], name="insurance_participant_once"),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(status="stopped"), name="insurance_stop_has_status"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = nfc(self.full_name)
        self.full_name_folded = fold(self.full_name)
        self.stop_month = month_of_date(self.stopped_on) if self.stopped_on else None
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def birth_date_display(self) -> str:
        if self.birth_month is None:
            return f"{self.birth_year:04d}"
        if self.birth_day is None:
            return f"{self.birth_month:02d}/{self.birth_year:04d}"
        return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year:04d}"


class Payment(models.Model):
    """Money received for the months `from_month`..`to_month` of one participant."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="payments")
    from_month = models.PositiveIntegerField(_("first month paid"))
    to_month = models.PositiveIntegerField(_("last month paid"))
    # The mode the payment was made under; its deadline decides how long the payer counts after to_month.
    mode = models.CharField(_("payment mode"), max_length=12, choices=MODE_CHOICES)
    grace_months = models.PositiveSmallIntegerField()
    amount = models.PositiveBigIntegerField(_("amount paid (VND)"))
    support = models.PositiveBigIntegerField(_("state support (VND)"), default=0)
    supported_months = models.PositiveSmallIntegerField(default=0)
    paid_on = models.DateField(_("paid on"))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", limit_choices_to=COLLECTION
    )
    point = models.ForeignKey(CollectionPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    collector = models.ForeignKey(Collector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receipt = models.CharField(_("receipt number"), max_length=60, blank=True)
    source_batch_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("payment")
        indexes = [models.Index(fields=["participant", "to_month"])]
        constraints = [
            models.CheckConstraint(condition=Q(to_month__gte=models.F("from_month")), name="insurance_period_order"),
            # A retried import or form post finds its receipt instead of paying twice.
            models.UniqueConstraint(
                fields=["organisation", "receipt"], condition=~Q(receipt=""), name="insurance_receipt_once"
            ),
        ]

    @property
    def period_label(self) -> str:
        return f"{month_label(self.from_month)}-{month_label(self.to_month)}"


class Coverage(models.Model):
    """A run of months in which a participant counts at month end (derived from payments, never edited)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="coverage")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.CASCADE, related_name="+")
    from_month = models.PositiveIntegerField()
    until_month = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["until_month", "from_month"])]


class Reminder(models.Model):
    """One reminder per participant, period and kind: the unique constraint makes the job safe to rerun."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("before the deadline")
        MISSED = "missed", _("after a missed deadline")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reminders")
    from_month = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    message_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "from_month", "kind"], name="insurance_reminder_once"),
        ]


class Evaluation(models.Model):
    """The month's evaluation sent to one collection organisation: a PDF its agents download."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    summary = models.TextField()
    pdf = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-month", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "month"], name="insurance_evaluation_once"),
        ]


class ImportBatch(models.Model):
    """One uploaded list of participants or payments, staged row by row; invalid rows stay here."""

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", _("participants")
        PAYMENTS = "payments", _("payments")

    class Status(models.TextChoices):
        STAGED = "staged", _("staged")
        COMMITTED = "committed", _("committed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STAGED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()  # the row in the sheet, 1-based, as Excel shows it
    values = models.JSONField()  # every cell as read, keyed by field: nothing of the file is lost
    problems = models.JSONField(default=list)  # [{"column": "C", "field": ..., "message": ...}]
    record_id = models.BigIntegerField(null=True, blank=True)  # the participant or payment it became

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="insurance_import_row_once")]
