"""Pages and API: the area decides what is seen, state actions go through the services, files download identically."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.jobs.models import Job
from ansinh.payments.exporting import export_run_create
from ansinh.payments.models import ExportFile, PaymentAttempt, PaymentCycle
from ansinh.payouts.models import Channel
from tests import factories as f
from tests.payments.conftest import Pay
from tests.payments.test_export import media  # noqa: F401
from tests.payments.test_reconcile import _csv

pytestmark = pytest.mark.django_db


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.api_token(user)}")


def test_a_commune_officer_sees_their_cycles_only(pay: Pay) -> None:
    own = pay.cycle()
    other = pay.cycle(communes=[pay.world.tay_ho])
    page = _login(pay.personas.culture_ba_dinh).get(reverse("payments:cycle_list"))
    assert own.name in page.content.decode() and page.status_code == 200
    assert (
        _login(pay.personas.culture_ba_dinh).get(reverse("payments:cycle_detail", args=[other.pk])).status_code == 404
    )
    assert _login(pay.personas.insurance).get(reverse("payments:cycle_list")).status_code == 403


def test_the_preview_the_actions_and_the_report_pages_work_through_a_cycle(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh, name="Trần Thị Bình")
    pay.beneficiary(pay.world.ba_dinh, name="Lê Văn Cường", channel=Channel.CASH_POINT)
    preparer, officer = _login(pay.personas.culture_ba_dinh), _login(pay.personas.province_hanoi)
    created = preparer.post(
        reverse("payments:cycle_list"), {"name": "Tháng 11", "period": "2026-11", "communes": [pay.world.ba_dinh.pk]}
    )
    cycle = PaymentCycle.objects.get(name="Tháng 11")
    assert created.status_code == 302
    computing = preparer.post(reverse("payments:cycle_action", args=[cycle.pk, "compute"]))
    assert computing.status_code == 302 and Job.objects.filter(kind="payments.compute").exists()
    from ansinh.payments.services import cycle_compute

    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle.pk)  # what the job does
    detail = preparer.get(reverse("payments:cycle_detail", args=[cycle.pk])).content.decode()
    assert "2000000" in detail.replace(".", "").replace(",", "").replace("\xa0", "")
    preparer.post(reverse("payments:cycle_action", args=[cycle.pk, "submit"]))
    preparer.post(reverse("payments:cycle_action", args=[cycle.pk, "approve"]))  # refused: not an approver
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.SUBMITTED
    officer.post(reverse("payments:cycle_action", args=[cycle.pk, "approve"]))
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.APPROVED
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None
    bank = PaymentAttempt.objects.get(export_run=run, channel=Channel.BANK)
    upload = _csv([(bank.end_to_end_id, "failed", "AC04", "")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer.post(reverse("payments:result_upload", args=[cycle.pk]), {"file": SimpleUploadedFile("kq.csv", upload)})
    queue = preparer.get(reverse("payments:failed_queue", args=[cycle.pk])).content.decode()
    assert "Trần Thị Bình" in queue and "AC04" in queue
    report = preparer.get(reverse("payments:cycle_report", args=[cycle.pk]))
    assert report.status_code == 200 and "<svg" in report.content.decode()
    stored = ExportFile.objects.filter(run=run).first()
    assert stored is not None
    first = b"".join(preparer.get(reverse("payments:export_download", args=[stored.pk])).streaming_content)  # type: ignore[attr-defined]
    second = b"".join(preparer.get(reverse("payments:export_download", args=[stored.pk])).streaming_content)  # type: ignore[attr-defined]
    assert first == second and len(first) == stored.size
    assert (
        _login(pay.personas.police_tay_ho).get(reverse("payments:export_download", args=[stored.pk])).status_code == 404
    )


def test_the_api_creates_lists_and_reconciles_a_cycle(pay: Pay) -> None:
    pay.beneficiary(pay.world.ba_dinh)
    preparer, officer = _api(pay.personas.culture_ba_dinh), _api(pay.personas.province_hanoi)
    created = preparer.post("/api/v1/payments/cycles", {"name": "API", "commune_codes": ["00004"], "period": 202611},
                            content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    cycle_id = created.json()["id"]
    refused = _api(pay.personas.police_tay_ho).post(
        "/api/v1/payments/cycles", {"name": "x", "commune_codes": ["00004"], "period": 202611},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 403
    assert preparer.post(f"/api/v1/payments/cycles/{cycle_id}/compute").status_code == 202
    from ansinh.payments.services import cycle_compute

    cycle_compute(user=pay.personas.culture_ba_dinh, cycle_id=cycle_id)
    assert preparer.post(f"/api/v1/payments/cycles/{cycle_id}/transitions/submit").json()["state"] == "submitted"
    assert preparer.post(f"/api/v1/payments/cycles/{cycle_id}/transitions/approve").status_code == 409
    assert officer.post(f"/api/v1/payments/cycles/{cycle_id}/transitions/approve").json()["state"] == "approved"
    export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle_id)
    runs = preparer.get(f"/api/v1/payments/cycles/{cycle_id}/exports").json()
    assert runs[0]["number"] == 1 and runs[0]["files"]
    attempt = PaymentAttempt.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = officer.post(
        f"/api/v1/payments/cycles/{cycle_id}/results",
        {
            "file": SimpleUploadedFile(
                "kq.csv", _csv([("ASP1N9", "paid", "", ""), (attempt.end_to_end_id, "paid", "", "")])
            )
        },
    )
    body = result.json()
    assert result.status_code == 200 and body["status"] == "refused"
    assert body["problems"][0]["end_to_end_id"] == "ASP1N9"
    assert _api(pay.personas.police_tay_ho).get(f"/api/v1/payments/cycles/{cycle_id}").status_code == 404


def test_the_demo_step_leaves_a_reconciled_cycle_with_a_failed_transfer_and_runs_once(pay: Pay) -> None:
    from ansinh.payments import demo
    from ansinh.payments.models import Payment
    from ansinh.web.demo import DemoContext

    for index in range(10):
        pay.beneficiary(pay.world.ba_dinh, name=f"Người mẫu {index}")
    users = {"culture": pay.personas.culture_ba_dinh, "province": pay.personas.province_hanoi}
    ctx = DemoContext(province=pay.world.hanoi, communes=[pay.world.ba_dinh], seed=1, say=lambda _: None, users=users)
    demo.load(ctx)
    demo.load(ctx)
    cycle = PaymentCycle.objects.get(name=demo.NAME)
    assert cycle.state == PaymentCycle.State.RECONCILED
    assert Payment.objects.filter(cycle=cycle, status=Payment.Status.FAILED).count() == 1
    assert Payment.objects.filter(cycle=cycle, status=Payment.Status.PAID).count() == 9
