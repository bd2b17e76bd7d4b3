"""Capturing a VietQR in Chromium: through the fake camera (a .y4m video of the QR code) and through a photo,
then approving both accounts as the second officer."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno
from PIL import Image
from vietnam_qr_pay import QRPay, VietQRService

from ansinh.payouts.models import AccountChangeRequest, PayoutMethod
from tests import factories as f
from tests.browser.conftest import CHROMIUM_ARGS, PHONE, axe_violations, log_in, screenshot, warm_up
from tests.conftest import Personas
from tests.payouts.conftest import VBSP, VCB, People

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480
CAMERA_ACCOUNT = "0011001234567"
PHOTO_ACCOUNT = "7000123456"


def qr_image(text: str, path: Path, *, scale: int) -> Image.Image:
    segno.make(text, error="m").save(str(path), kind="png", scale=scale, border=4)
    return Image.open(path).convert("L")


def write_y4m(picture: Image.Image, path: Path, frames: int = 15) -> Path:
    """A YUV4MPEG2 (C420) video showing `picture` centred on grey; Chromium plays it in a loop as the camera."""
    canvas = Image.new("L", (WIDTH, HEIGHT), 200)
    side = min(picture.width, HEIGHT - 40)
    canvas.paste(picture.resize((side, side), Image.Resampling.NEAREST), ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = canvas.tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as handle:
        handle.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F15:1 Ip A1:1 C420\n".encode("ascii"))
        for _ in range(frames):
            handle.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture
def camera_video(tmp_path: Path) -> Path:
    text = QRPay.init_viet_qr(bank_bin=VCB, bank_number=CAMERA_ACCOUNT).build()
    return write_y4m(qr_image(text, tmp_path / "camera-qr.png", scale=6), tmp_path / "camera.y4m")


@pytest.fixture
def camera_browser(playwright_session, camera_video: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_video}",
    ]
    browser = playwright_session.chromium.launch(executable_path=shutil.which("chromium"), args=args)
    yield browser
    browser.close()


def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url)
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    warm_up(page, live_server.url)
    page.set_default_timeout(30_000)
    return context, page


def test_capture_by_camera_and_by_photo_then_approval_by_the_second_officer(
    camera_browser, live_server, personas: Personas, people: People, tmp_path: Path
) -> None:
    context, page = new_page(camera_browser, live_server)
    log_in(page, personas.police_ba_dinh.username, f.PASSWORD)

    # The camera: the fake device plays the video of the QR code.
    page.goto(f"/accounts/people/{people.lan.pk}/")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    page.click("#scan-camera")
    page.wait_for_function("value => document.querySelector('#id_account_number').value === value", arg=CAMERA_ACCOUNT)
    assert page.input_value("#id_bank_bin") == VCB
    assert page.input_value("#id_source") == "scanned"
    assert "Vietcombank" in page.inner_text("#scan-status")
    page.fill("#id_holder_name", "NGUYEN THI LAN")
    screenshot(page, "payouts-capture-camera.png")
    page.click("#capture-form button[type=submit]")
    page.wait_for_selector(".messages")

    # A photo of the QR code, chosen from the phone's gallery.
    photo = tmp_path / "photo-qr.png"
    qr_image(QRPay.init_viet_qr(bank_bin=VBSP, bank_number=PHOTO_ACCOUNT).build(), photo, scale=10)
    page.goto(f"/accounts/people/{people.nam.pk}/")
    page.set_input_files("#scan-file", str(photo))
    page.wait_for_function("value => document.querySelector('#id_account_number').value === value", arg=PHOTO_ACCOUNT)
    assert page.input_value("#id_bank_bin") == VBSP
    page.fill("#id_holder_name", "HOANG VAN NAM")
    page.click("#capture-form button[type=submit]")
    page.wait_for_selector(".messages")

    # A photo that is a card QR is refused with the server's message.
    card = tmp_path / "card-qr.png"
    qr_image(
        QRPay.init_viet_qr(bank_bin=VCB, bank_number="9704361234567890", service=VietQRService.BY_CARD_NUMBER).build(),
        card,
        scale=10,
    )
    page.set_input_files("#scan-file", str(card))
    page.wait_for_selector("#scan-status.error")
    assert "card" in page.inner_text("#scan-status")
    context.close()

    requests = AccountChangeRequest.objects.order_by("pk")
    assert [(r.source, r.bank_bin, r.account_number) for r in requests] == [
        ("scanned", VCB, CAMERA_ACCOUNT),
        ("scanned", VBSP, PHOTO_ACCOUNT),
    ]

    # The second officer, the commune's culture-social officer, approves both in the queue.
    context, page = new_page(camera_browser, live_server)
    log_in(page, personas.culture_ba_dinh.username, f.PASSWORD)
    page.goto("/accounts/")
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    for request in requests:
        page.click(f"#change-{request.pk} button[value=approve]")
        page.wait_for_selector(f"#change-{request.pk} .status")
    screenshot(page, "payouts-approval-queue.png")
    context.close()
    assert set(AccountChangeRequest.objects.values_list("status", flat=True)) == {"approved"}
    assert PayoutMethod.objects.filter(status="active").count() == len(people.lan_benefits) + 1
