"""The phone's API (device tokens, worklist download, attachments) and the fieldwork pages and documents."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ansinh.audit.models import AuditEntry
from ansinh.fieldwork.models import Attachment, DeviceToken, Refusal, Submission, Visit
from ansinh.fieldwork.selectors import house_key
from ansinh.fieldwork.services import device_token_revoke
from tests.conftest import Personas, World
from tests.fieldwork.conftest import Street, device_client, visit_payload

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 200
DECLINE = {"has_account": True, "registered": False, "classification": "declined",
           "refusal": {"reason": "Không quen dùng thẻ", "police_officer": "Trần Văn Công",
                       "culture_officer": "Phạm Thị Hương"}}  # fmt: skip


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_house_numbers_sort_naturally() -> None:
    assert sorted(["12A", "2", "10", "", "12", "5/3", "5"], key=house_key) == ["2", "5", "5/3", "10", "12", "12A", ""]


def test_the_worklist_download_is_grouped_ordered_and_audited(personas: Personas, street: Street) -> None:
    client, _token = device_client(personas.police_ba_dinh)
    answer = client.get("/api/v1/fieldwork/worklist")
    assert answer.status_code == 200
    rows = answer.json()["rows"]
    assert [r["name"] for r in rows] == ["Hoàng Văn Nam", "Nguyễn Thị Lan", "Lê Thị Mai", "Đỗ Văn Bình"]
    assert "Trần Thị Hoa" not in {r["name"] for r in rows}
    assert "payout" in rows[0]["missing"]
    entry = AuditEntry.objects.get(action="download")
    assert entry.summary == "worklist 00004"


def test_a_revoked_or_expired_device_token_is_refused(personas: Personas, street: Street) -> None:
    client, token = device_client(personas.police_ba_dinh)
    assert client.get("/api/v1/fieldwork/worklist").status_code == 200
    DeviceToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get("/api/v1/fieldwork/worklist").status_code == 401
    other, token = device_client(personas.police_ba_dinh)
    device_token_revoke(user=personas.police_ba_dinh, token_id=token.pk)
    assert other.get("/api/v1/fieldwork/worklist").status_code == 401


def test_the_session_cookie_does_not_open_the_phone_api(personas: Personas, street: Street) -> None:
    assert logged_in(personas.police_ba_dinh).get("/api/v1/fieldwork/worklist").status_code == 401


def test_an_officer_of_another_commune_cannot_download_this_worklist(personas: Personas, street: Street) -> None:
    client, _token = device_client(personas.police_tay_ho)
    assert client.get(f"/api/v1/fieldwork/worklist?commune={street.lan.commune_id}").status_code == 404


def test_a_signed_minutes_photo_is_attached_once_and_checked(personas: Personas, street: Street) -> None:
    client, _token = device_client(personas.police_ba_dinh)
    payload = visit_payload(street.nam, **DECLINE)
    assert client.post("/api/v1/fieldwork/visits", payload, content_type="application/json").status_code == 201
    url = f"/api/v1/fieldwork/visits/{payload['uuid']}/attachments"
    ident = str(uuid.uuid4())
    first = client.post(url, {"uuid": ident, "kind": "minutes", "file": io.BytesIO(JPEG)})
    again = client.post(url, {"uuid": ident, "kind": "minutes", "file": io.BytesIO(JPEG)})
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert Attachment.objects.filter(uuid=ident).count() == 1
    assert Refusal.objects.get(visit__uuid=payload["uuid"]).status == Refusal.Status.SIGNED
    fake = client.post(url, {"uuid": str(uuid.uuid4()), "kind": "minutes", "file": io.BytesIO(b"MZ\x90 not a photo")})
    assert fake.status_code == 400 and "JPEG" in fake.json()["error"]["message"]


def test_an_oversized_upload_is_refused(personas: Personas, street: Street, settings) -> None:  # type: ignore[no-untyped-def]
    client, _token = device_client(personas.police_ba_dinh)
    payload = visit_payload(street.nam, **DECLINE)
    client.post("/api/v1/fieldwork/visits", payload, content_type="application/json")
    big = io.BytesIO(JPEG + b"0" * (5 * 1024 * 1024))
    answer = client.post(f"/api/v1/fieldwork/visits/{payload['uuid']}/attachments",
                         {"uuid": str(uuid.uuid4()), "kind": "minutes", "file": big})  # fmt: skip
    assert answer.status_code == 400 and "5 MB" in answer.json()["error"]["message"]


def _decline(personas: Personas, street: Street) -> Visit:
    client, _token = device_client(personas.police_ba_dinh)
    payload = visit_payload(street.nam, **DECLINE)
    client.post("/api/v1/fieldwork/visits", payload, content_type="application/json")
    return Visit.objects.get(uuid=payload["uuid"])


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_refusal_minutes_pdf_is_in_vietnamese_with_the_reason(personas: Personas, street: Street) -> None:
    pytest.importorskip("pypdf")
    visit = _decline(personas, street)
    answer = logged_in(personas.culture_ba_dinh).get(f"/fieldwork/visits/{visit.pk}/minutes.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    for words in ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN", "Không quen dùng thẻ", "Hoàng Văn Nam",
                  "Phạm Thị Hương"):  # fmt: skip
        assert words in text
    assert logged_in(personas.police_tay_ho).get(f"/fieldwork/visits/{visit.pk}/minutes.pdf").status_code == 404


def test_the_worklist_page_pdf_and_excel_show_the_commune(personas: Personas, street: Street) -> None:
    _decline(personas, street)
    client = logged_in(personas.police_ba_dinh)
    page = client.get(f"/fieldwork/communes/{street.lan.commune_id}/")
    assert page.status_code == 200 and "Ngõ 5 Đội Cấn" in page.content.decode()
    pdf = client.get(f"/fieldwork/communes/{street.lan.commune_id}/worklist.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if importlib.util.find_spec("pypdf") is not None:
        text = pdf_text(pdf.content)
        assert "DANH SÁCH ĐỐI TƯỢNG CẦN ĐẾN KHẢO SÁT" in text and "Ngõ 5 Đội Cấn (3 người)" in text
        assert text.index("Hoàng Văn Nam") < text.index("Nguyễn Thị Lan") < text.index("Lê Thị Mai")
    xlsx = client.get(f"/fieldwork/communes/{street.lan.commune_id}/classified.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Loai 2"]
    assert sheet.cell(row=4, column=2).value == "Hoàng Văn Nam"
    assert client.get(f"/fieldwork/communes/{street.hoa.commune_id}/").status_code == 404


def test_province_sees_progress_of_its_communes(personas: Personas, street: Street, world: World) -> None:
    _decline(personas, street)
    page = logged_in(personas.province_hanoi).get("/fieldwork/").content.decode()
    assert "Phường Ba Đình" in page and "Phường Tây Hồ" in page and "Phường Lê Chân" not in page


def test_handover_is_versioned_and_returned_with_comments_by_the_office(personas: Personas, street: Street) -> None:
    _decline(personas, street)
    police = logged_in(personas.police_ba_dinh)
    url = f"/fieldwork/communes/{street.lan.commune_id}/handover/"
    police.post(url, {"office": "commune_division", "sign_off": "Trưởng Công an phường"})
    first = Submission.objects.get()
    assert (first.version, len(first.rows)) == (1, 1)
    police.post(url, {"decide": first.pk, "action": "acknowledge"})  # the sender cannot decide
    first.refresh_from_db()
    assert first.status == Submission.Status.SUBMITTED
    logged_in(personas.culture_ba_dinh).post(
        url, {"decide": first.pk, "action": "return", f"comment-{street.nam.pk}": "Thiếu ảnh biên bản"}
    )
    first.refresh_from_db()
    assert first.status == Submission.Status.RETURNED and first.comments.get().text == "Thiếu ảnh biên bản"
    client, _token = device_client(personas.police_ba_dinh)
    client.post("/api/v1/fieldwork/visits", visit_payload(street.lan, has_account=True, registered=True,
                classification="registered"), content_type="application/json")  # fmt: skip
    police.post(url, {"office": "commune_division", "sign_off": "Trưởng Công an phường"})
    assert Submission.objects.get(version=2).rows[0]["person"] in {street.lan.pk, street.nam.pk}
    page = police.get(url).content.decode()
    assert "1 added, 0 removed, 0 changed" in page


def test_the_service_worker_is_served_with_a_scope_covering_the_survey(client: Client, personas: Personas) -> None:
    answer = client.get("/fieldwork/sw.js")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/fieldwork/"
    assert "/static/" in answer.content.decode()


def test_the_survey_page_asks_for_a_device_token_with_the_session(personas: Personas) -> None:
    client = logged_in(personas.police_ba_dinh)
    assert client.get("/fieldwork/survey/").status_code == 200
    answer = client.post("/fieldwork/devices/survey/")
    assert answer.status_code == 200 and answer.json()["token"].startswith("dev_")
    assert DeviceToken.objects.get(user=personas.police_ba_dinh).is_valid
    assert logged_in(personas.auditor).post("/fieldwork/devices/survey/").status_code == 403


def test_the_authorisation_record_names_the_proxy_and_the_letter(personas: Personas, street: Street) -> None:
    pytest.importorskip("pypdf")
    client, _token = device_client(personas.police_ba_dinh)
    payload = visit_payload(street.binh, classification="force_majeure", organisation_id=street.post.pk,
                            proxy={"full_name": "Đỗ Thị Hạnh", "relationship": "con gái", "letter_date": "2026-11-01",
                                   "certifying_commune_code": "00004"})  # fmt: skip
    assert client.post("/api/v1/fieldwork/visits", payload, content_type="application/json").status_code == 201
    visit = Visit.objects.get(uuid=payload["uuid"])
    answer = logged_in(personas.culture_ba_dinh).get(f"/fieldwork/visits/{visit.pk}/authorisation.pdf")
    text = pdf_text(answer.content)
    for words in ("BIÊN BẢN GHI NHẬN ỦY QUYỀN", "Đỗ Thị Hạnh", "con gái", "01/11/2026", "Phường Ba Đình",
                  "Tiền mặt tại nhà"):  # fmt: skip
        assert words in text
    page = logged_in(personas.culture_ba_dinh).get(f"/fieldwork/communes/{street.binh.commune_id}/").content.decode()
    assert f"/accounts/people/{street.binh.pk}/methods/" in page
