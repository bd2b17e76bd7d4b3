"""Fieldwork: commune teams, their assignments, the officers' device tokens, home visits and their
classification, refusals, attachments, and the handover of the classified list to the paying office.

A visit is made on a phone, possibly offline; its id (a UUID) is made there too, so that a retry of the
same visit is stored once (a unique constraint, not a check in code).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Commune
from ansinh.registry.models import Person


class Team(models.Model):
    """A commune working group: the commune police as the core, with the culture-social officer."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="fieldwork_teams")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="fieldwork_teams")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commune", "name"]
        verbose_name = _("team")
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="fieldwork_team_name_once")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A hamlet (or street) of a commune's worklist given to a team; newcomers in the hamlet follow."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    hamlet = models.CharField(_("hamlet / street"), max_length=200)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "hamlet"], name="fieldwork_hamlet_one_team")]


class DeviceToken(models.Model):
    """A phone's credential for the offline survey: bound to one officer, valid for days, revocable.

    Only a hash is stored; the plain token is handed to the phone once, when it is issued.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(_("device"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("device token")

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "dev_" + secrets.token_urlsafe(32)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Outcome(models.TextChoices):
    CLASSIFIED = "classified", _("classified")
    NOT_FINISHED = "not_finished", _("not finished")


class Reason(models.TextChoices):
    """Why a visit could not finish."""

    NOBODY_HOME = "nobody_home", _("nobody at home")
    REFUSED_TO_TALK = "refused_to_talk", _("refused to talk")
    DIED = "died", _("died")
    MOVED_AWAY = "moved_away", _("moved away")
    NOT_AT_ADDRESS = "not_at_address", _("not living at this address")


class Classification(models.TextChoices):
    """The survey's outcome; the number is the type of the national guidance (1 to 4)."""

    REGISTERED = "registered", _("1. has an account, registered: reconfirmed")
    PERSUADED = "persuaded", _("2. has an account, not registered: persuaded")
    DECLINED = "declined", _("2. has an account, not registered: declined")
    NO_ACCOUNT = "no_account", _("3. no account: channel chosen")
    FORCE_MAJEURE = "force_majeure", _("4. force majeure: cash at home")


CLASSIFICATION_TYPE = {
    Classification.REGISTERED: 1,
    Classification.PERSUADED: 2,
    Classification.DECLINED: 2,
    Classification.NO_ACCOUNT: 3,
    Classification.FORCE_MAJEURE: 4,
}


class Visit(models.Model):
    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    # The person's commune at the visit: scoping stays right after the person moves.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    classification = models.CharField(_("classification"), max_length=14, choices=Classification.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    identity_confirmed = models.BooleanField(_("identity details confirmed"), default=False)
    # The survey's answers as the phone sent them (no account number: that lives in the change request).
    answers = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    account_request_id = models.BigIntegerField(null=True, blank=True)
    proxy_id = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("visit")
        indexes = [models.Index(fields=["commune", "person", "finished_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="classified") & ~Q(classification="") & Q(reason=""))
                | (Q(outcome="not_finished") & Q(classification="") & ~Q(reason="")),
                name="fieldwork_visit_outcome_consistent",
            ),
            models.CheckConstraint(condition=Q(finished_at__gte=models.F("started_at")), name="fieldwork_visit_order"),
        ]

    @property
    def classification_type(self) -> int | None:
        return CLASSIFICATION_TYPE.get(Classification(self.classification)) if self.classification else None


class Refusal(models.Model):
    """A decline (type 2) with its reason; the minutes are printed, signed by three people, photographed."""

    class Status(models.TextChoices):
        AWAITING = "awaiting_signature", _("minutes waiting for signatures")
        SIGNED = "signed", _("signed minutes attached")

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="refusal")
    reason = models.CharField(_("reason for declining"), max_length=500)
    police_officer = models.CharField(_("commune police officer"), max_length=200)
    culture_officer = models.CharField(_("culture-social officer"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING)


class Attachment(models.Model):
    """A photo or scan sent from the phone: signed minutes, an authorisation letter, an account's QR."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("signed refusal minutes")
        PROXY_LETTER = "proxy_letter", _("authorisation letter")
        ACCOUNT = "account", _("account (QR or card)")
        OTHER = "other", _("other")

    uuid = models.UUIDField(unique=True)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    file = models.FileField(upload_to="fieldwork/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class Office(models.TextChoices):
    """Who pays, since districts were abolished: configurable per submission."""

    COMMUNE_DIVISION = "commune_division", _("the commune's culture-social division")
    PROVINCE_DEPARTMENT = "province_department", _("the province's department")


class Submission(models.Model):
    """A commune's classified list sent to the paying office: signed off, versioned, acknowledged or returned."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RETURNED = "returned", _("returned with comments")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    office = models.CharField(_("paying office"), max_length=20, choices=Office.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    # One row per person: {"person": id, "name": ..., "classification": ..., "channel": ..., "visit": uuid}.
    rows = models.JSONField(default=list)
    digest = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    sign_off = models.CharField(_("signed off by (name and title)"), max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commune", "-version"]
        constraints = [models.UniqueConstraint(fields=["commune", "version"], name="fieldwork_submission_version")]


class SubmissionComment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("comment"), max_length=500)
