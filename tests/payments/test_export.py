"""Export runs: numbered, stored, the same bytes again, nothing new for an unchanged cycle, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
import sepaxml
from django.core.files.storage import default_storage
from lxml import etree

from ansinh.audit.models import AuditEntry
from ansinh.payments import files
from ansinh.payments.exporting import export_file_content, export_run_create
from ansinh.payments.models import ExportFile, ExportRun, Payment, PaymentAttempt, PaymentCycle
from ansinh.payments.services import PaymentError
from ansinh.payouts.models import Channel
from tests.payments.conftest import Pay

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SCHEMA = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def _approved(pay: Pay) -> PaymentCycle:
    pay.beneficiary(pay.world.ba_dinh, name="Trần Thị Bình")
    pay.beneficiary(pay.world.ba_dinh, name="Lê Văn Cường", subgroup="elderly_80_no_pension", bank=pay.bidv)
    pay.beneficiary(pay.world.ba_dinh, name="Phạm Thị Dung", channel=Channel.CASH_HOME)
    return pay.approved(pay.cycle())


def test_a_cycle_cannot_be_exported_before_approval(pay: Pay) -> None:
    cycle = pay.cycle()
    with pytest.raises(PaymentError):
        export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)


def test_the_pain001_file_is_valid_and_its_control_sums_match_the_attempts(pay: Pay) -> None:
    cycle = _approved(pay)
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None and run.number == 1
    pain = ExportFile.objects.get(run=run, kind=ExportFile.Kind.PAIN001)
    document = etree.fromstring(export_file_content(pain))
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(document)
    sent = PaymentAttempt.objects.filter(export_run=run).exclude(channel=Channel.CASH_HOME)
    amounts = [int(a) for a in document.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS)]
    assert int(document.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=NS)) == sum(amounts) == 1_500_000
    assert int(document.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=NS)) == sent.count() == 2
    assert int(document.xpath("string(//p:PmtInf/p:CtrlSum)", namespaces=NS)) == sum(a.amount for a in sent)
    assert set(document.xpath("//p:EndToEndId/text()", namespaces=NS)) == {a.end_to_end_id for a in sent}
    assert set(document.xpath("//p:CdtrAgt//p:MmbId/text()", namespaces=NS)) == {"970436", "970418"}
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.EXPORTED
    assert AuditEntry.objects.filter(object_type="payments.paymentcycle", action="export").exists()


def test_exporting_an_unchanged_cycle_again_creates_nothing_and_files_download_identically(pay: Pay) -> None:
    cycle = _approved(pay)
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None
    before = {f.name: export_file_content(f) for f in run.files.all()}
    counts = (Payment.objects.count(), PaymentAttempt.objects.count(), ExportRun.objects.count())
    assert export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk) is None
    assert (Payment.objects.count(), PaymentAttempt.objects.count(), ExportRun.objects.count()) == counts
    assert {f.name: export_file_content(f) for f in run.files.all()} == before
    assert PaymentAttempt.objects.filter(export_run=run).count() == 3


def test_an_interrupted_export_leaves_no_attempt_run_or_file(pay: Pay, monkeypatch: pytest.MonkeyPatch) -> None:
    cycle = _approved(pay)
    real = files.run_files

    def failing(run: ExportRun) -> list[files.OutputFile]:
        outputs = real(run)
        return [*outputs, files.OutputFile("pain001", outputs[0].name, b"clash")]  # same name: the insert fails

    monkeypatch.setattr(files, "run_files", failing)
    with pytest.raises(Exception):  # noqa: B017 - any failure must roll everything back
        export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert not PaymentAttempt.objects.exists() and not ExportRun.objects.exists()
    assert PaymentCycle.objects.get(pk=cycle.pk).state == PaymentCycle.State.APPROVED
    folder = f"payments/cycle-{cycle.pk}/run-1"
    assert not default_storage.exists(folder) or not default_storage.listdir(folder)[1]
    monkeypatch.setattr(files, "run_files", real)
    assert export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk) is not None


def test_a_run_writes_the_commune_payment_list_the_cash_list_and_the_bank_bulk_file(pay: Pay) -> None:
    import csv
    import io

    import openpyxl

    from ansinh.payfiles.words import vnd_in_words

    cycle = _approved(pay)
    run = export_run_create(user=pay.personas.province_hanoi, cycle_id=cycle.pk)
    assert run is not None
    kinds = {f.kind: f for f in run.files.all()}
    assert set(kinds) == {"pain001", "bank", "payment_list", "cash_list"}
    listing = openpyxl.load_workbook(io.BytesIO(export_file_content(kinds["payment_list"])))
    cells = [str(c.value) for row in listing.active.iter_rows() for c in row if c.value is not None]
    assert "Trần Thị Bình" in cells and any(vnd_in_words(2_500_000) in text for text in cells)
    assert kinds["payment_list"].rows == 3 and kinds["payment_list"].total_amount == 2_500_000
    assert kinds["cash_list"].rows == 1 and "Bưu điện" in kinds["cash_list"].scope
    bulk = list(csv.reader(io.StringIO(export_file_content(kinds["bank"]).decode("utf-8-sig"))))
    sent = PaymentAttempt.objects.filter(export_run=run).exclude(channel=Channel.CASH_HOME)
    assert {row[1] for row in bulk[1:]} == {a.end_to_end_id for a in sent}
