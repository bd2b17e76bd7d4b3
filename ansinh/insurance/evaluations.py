"""Each collection organisation's monthly evaluation: a PDF stored for its agents and an e-mail to them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ansinh.access.models import User
from ansinh.access.roles import RoleSlug
from ansinh.audit.services import AuditEvent, audit_record
from ansinh.insurance import exports
from ansinh.insurance.models import Evaluation
from ansinh.insurance.selectors import monthly_report
from ansinh.outbox.services import message_enqueue


def evaluations_send(*, user: User, year: int, month: int, agency: str) -> list[Evaluation]:
    """Write (or rewrite) the month's evaluation of every organisation in the officer's report; mail its agents once."""
    if user.role_slug != RoleSlug.INSURANCE_OFFICER:
        raise PermissionError("only an insurance officer sends evaluations")
    report = monthly_report(user, year, month)
    today = timezone.localdate()
    written: list[Evaluation] = []
    with transaction.atomic():
        for row in report.organisations:
            if row.key is None:
                continue
            pdf = exports.evaluation_pdf(report, row, agency=agency, today=today)
            summary = (
                f"Tháng {report.label}: {row.count:,} người tham gia, hạng {row.rank}/{len(report.organisations)}"
                + (f", đạt {row.plan_percent}% kế hoạch" if row.plan_percent is not None else "")
                + f", so với tháng trước {row.change_month:+,}."
            )
            evaluation, _created = Evaluation.objects.update_or_create(
                organisation_id=row.key, year=year, month=month, defaults={"summary": summary, "pdf": pdf}
            )
            written.append(evaluation)
            agents = User.objects.filter(
                organisation_id=row.key, role__slug=RoleSlug.COLLECTION_AGENT, is_active=True
            ).exclude(email="")
            for agent in agents:
                message_enqueue(
                    channel="email",
                    recipient=agent.email,
                    subject=f"Đánh giá kết quả thu BHXH tự nguyện tháng {report.label}",
                    body=summary + "\nXem và tải bản đánh giá trong ansinh, mục Bảo hiểm xã hội tự nguyện.",
                    related=evaluation,
                    dedupe_key=f"insurance:evaluation:{evaluation.pk}:{agent.pk}",
                )
        audit_record(
            actor=user,
            entries=[
                AuditEvent(
                    action="evaluate",
                    object_type="insurance.evaluation",
                    object_ids=[e.pk for e in written],
                    summary=f"{report.label}: {len(written)} organisations",
                )
            ],
        )
    return written
