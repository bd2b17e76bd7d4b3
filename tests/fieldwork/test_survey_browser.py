"""The offline survey in Chromium on a phone-sized screen: the four classifications and a proxy, walked with
the network cut, then sent when it returns; an account captured from a photo of its VietQR and approved by
the second officer; the refusal minutes' Vietnamese text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno
from vietnam_qr_pay import QRPay

from ansinh.fieldwork.models import Attachment, Refusal, Visit
from ansinh.payouts.models import AccountChangeRequest, PayoutMethod, Proxy
from ansinh.payouts.services import account_request_approve
from tests import factories as f
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Personas
from tests.fieldwork.conftest import VCB, Street

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ACCOUNT = "0011009988776"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 500
CACHED = """async () => {
  for (let i = 0; i < 100; i++) {
    if (await caches.match("/fieldwork/survey/")) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}"""


def person_button(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#people button.person", has_text=name)


def step(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f"section[data-step='{name}']")


def start(page, name: str) -> None:  # type: ignore[no-untyped-def]
    person_button(page, name).click()
    step(page, "identity").locator("button[data-go=account]").click()


def test_the_survey_works_offline_and_sends_when_back_online(
    page, personas: Personas, street: Street, tmp_path: Path
) -> None:
    log_in(page, personas.police_ba_dinh.username, f.PASSWORD)
    page.goto("/fieldwork/survey/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate(CACHED)
    page.click("#download")
    person_button(page, "Hoàng Văn Nam").wait_for()
    screenshot(page, "fieldwork-survey-worklist.png")

    # No network: the page itself comes from the service worker's cache, the worklist from IndexedDB.
    page.context.set_offline(True)
    page.reload()
    person_button(page, "Hoàng Văn Nam").wait_for()
    page.wait_for_selector("#net.offline")

    # 1. Has an account, registered: reconfirmed.
    start(page, "Nguyễn Thị Lan")
    step(page, "account").locator("button[data-go=registered]").click()
    step(page, "registered").locator("button[data-go=proxy]").click()
    step(page, "proxy").locator("[data-action=no-proxy]").click()
    step(page, "summary").locator("[data-action=save]").click()
    page.wait_for_selector("#flash:not([hidden])")

    # 2. Has an account, not registered, declines: the minutes' reason and a photo of the signed paper.
    start(page, "Hoàng Văn Nam")
    step(page, "account").locator("button[data-go=registered]").click()
    step(page, "registered").locator("button[data-go=persuade]").click()
    step(page, "persuade").locator("button[data-go=refusal]").click()
    page.fill("#refusal_reason", "Tuổi cao, quen nhận tiền mặt tại nhà")
    page.fill("#police_officer", "Trần Văn Công")
    page.fill("#culture_officer", "Phạm Thị Hương")
    step(page, "refusal").locator("[data-action=refusal]").click()
    step(page, "proxy").locator("[data-action=no-proxy]").click()
    page.set_input_files("#minutes-photo", files=[{"name": "bien-ban.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    screenshot(page, "fieldwork-survey-decline.png")
    step(page, "summary").locator("[data-action=save]").click()

    # 3. No account: opens one in a bank app, captured from a photo of the app's VietQR.
    start(page, "Lê Thị Mai")
    step(page, "account").locator("button[data-go=channel]").click()
    step(page, "channel").locator("button[data-set*='channel=bank']").click()
    photo = tmp_path / "qr.png"
    segno.make(QRPay.init_viet_qr(bank_bin=VCB, bank_number=ACCOUNT).build(), error="m").save(
        str(photo), kind="png", scale=10, border=4
    )
    page.set_input_files("#qr-photo", str(photo))
    page.wait_for_function("value => document.querySelector('#account_number').value === value", arg=ACCOUNT)
    assert page.input_value("#bank_bin") == VCB
    page.fill("#holder_name", "LE THI MAI")
    screenshot(page, "fieldwork-survey-capture.png")
    step(page, "capture").locator("[data-action=capture]").click()
    step(page, "proxy").locator("[data-action=no-proxy]").click()
    step(page, "summary").locator("[data-action=save]").click()

    # 4. Force majeure: cash at home, received by an authorised daughter (a proxy, with her letter).
    start(page, "Đỗ Văn Bình")
    step(page, "account").locator("button[data-go=organisation]").click()
    page.select_option("#organisation_id", str(street.post.pk))
    step(page, "organisation").locator("[data-action=organisation]").click()
    step(page, "proxy").locator("button[data-go=proxy-form]").click()
    page.fill("#proxy_full_name", "Đỗ Thị Hạnh")
    page.fill("#proxy_relationship", "con gái")
    page.fill("#proxy_letter_date", "2026-11-01")
    page.fill("#proxy_certifying_commune_code", "00004")
    page.set_input_files("#proxy-scan", files=[{"name": "giay.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    step(page, "proxy-form").locator("[data-action=proxy]").click()
    step(page, "summary").locator("[data-action=save]").click()

    # Everything waits on the phone: 4 visits and 3 photos.
    page.wait_for_function("() => document.querySelector('#queue-summary').textContent.includes('7')")
    screenshot(page, "fieldwork-survey-waiting.png")
    assert not Visit.objects.exists()

    # Back online: the queue empties by itself, and a second flush stores nothing twice.
    page.context.set_offline(False)
    page.click("#send-now")
    page.wait_for_function("() => document.querySelector('#queue-list').children.length === 0", timeout=30_000)
    page.evaluate("() => window.AnsinhSurvey.flush()")
    visits = {v.person.full_name: v for v in Visit.objects.select_related("person")}
    assert {name: v.classification for name, v in visits.items()} == {
        "Nguyễn Thị Lan": "registered",
        "Hoàng Văn Nam": "declined",
        "Lê Thị Mai": "no_account",
        "Đỗ Văn Bình": "force_majeure",
    }
    assert Attachment.objects.count() == 3
    assert Refusal.objects.get().status == Refusal.Status.SIGNED
    assert Proxy.objects.get().full_name == "Đỗ Thị Hạnh"

    # The culture-social officer, the second user, approves the captured account.
    request = AccountChangeRequest.objects.get(account_number=ACCOUNT)
    assert (request.source, request.maker) == ("survey", personas.police_ba_dinh)
    account_request_approve(user=personas.culture_ba_dinh, request=request)
    assert PayoutMethod.objects.filter(person=street.mai, status="active", account_number=ACCOUNT).exists()

    # The minutes, printed from the worklist page, in Vietnamese.
    from pypdf import PdfReader

    minutes = page.request.get(f"/fieldwork/visits/{visits['Hoàng Văn Nam'].pk}/minutes.pdf")
    assert minutes.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.body())).pages)
    for words in ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BIÊN BẢN",
                  "Tuổi cao, quen nhận tiền mặt tại nhà", "Trần Văn Công", "Hoàng Văn Nam"):  # fmt: skip
        assert words in text
    page.goto(f"/fieldwork/communes/{street.lan.commune_id}/")
    screenshot(page, "fieldwork-worklist-page.png")


def test_logging_out_clears_the_stored_worklist(page, personas: Personas, street: Street) -> None:
    log_in(page, personas.police_ba_dinh.username, f.PASSWORD)
    page.goto("/fieldwork/survey/")
    page.click("#download")
    person_button(page, "Hoàng Văn Nam").wait_for()
    page.click("form.logout button[type=submit]")
    page.wait_for_url("**/login/**")
    stored = page.evaluate(
        """() => new Promise((resolve) => {
             const open = indexedDB.open("ansinh-fieldwork");
             open.onupgradeneeded = () => { open.transaction.abort(); resolve("none"); };
             open.onsuccess = () => resolve(open.result.objectStoreNames.length ? "kept" : "none");
             open.onerror = () => resolve("none");
           })"""
    )
    assert stored == "none"
