"""The two campaign plans of January 2024 (docs: ../shared/docs/domain.md), as data.

Deadlines are days after the plan's first day, so a preset can start any day; roles are the
system's role slugs, and the responsible body as the plan wrote it is kept beside them, since the
agencies have changed since 2025.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ansinh.access.roles import RoleSlug
from ansinh.campaigns.models import Measure


@dataclass(frozen=True)
class PresetStep:
    title: str
    owner_role: RoleSlug
    owner_label: str
    days: int | None  # deadline: days after the first day of the plan (None: continual)
    measure: Measure


@dataclass(frozen=True)
class Preset:
    slug: str
    name: str
    source: str
    days: int  # length of the period
    steps: tuple[PresetStep, ...]


HANOI_2024 = Preset(
    slug="hanoi-2024",
    name="Kế hoạch 5 bước (Hà Nội, 07/01/2024)",
    source="UBND Thành phố Hà Nội, 7 January 2024",
    days=9,
    steps=(
        PresetStep(
            "Rà soát, phân loại danh sách (BTXH, người có công, hộ nghèo, hộ cận nghèo, khác) và chuyển "
            "Công an xã đối chiếu, làm sạch trên Cơ sở dữ liệu quốc gia về dân cư",
            RoleSlug.PROVINCE_OFFICER,
            "Sở LĐTBXH và UBND các cấp",
            2,
            Measure.LISTS_HANDED_OVER,
        ),
        PresetStep(
            "Công an xã tham mưu UBND xã cử Tổ công tác Đề án 06 đến từng địa chỉ khảo sát, xác minh, "
            "tuyên truyền chi trả qua tài khoản",
            RoleSlug.COMMUNE_POLICE,
            "Công an xã",
            3,
            Measure.MATCHED_CLEANED,
        ),
        PresetStep(
            "Tổ công tác đến từng địa chỉ, khảo sát, phân loại người có nhu cầu nhận qua tài khoản, "
            "đăng ký, mở tài khoản",
            RoleSlug.COMMUNE_POLICE,
            "Tổ công tác Đề án 06 cấp xã",
            8,
            Measure.VISITED,
        ),
        PresetStep(
            "Tổ công tác phân loại, lập danh sách các trường hợp",
            RoleSlug.COMMUNE_CULTURE_OFFICER,
            "Tổ công tác Đề án 06 cấp xã",
            8,
            Measure.CLASSIFIED,
        ),
        PresetStep(
            "Công an xã cập nhật, đồng bộ số tài khoản, tên ngân hàng vào phần mềm và chuyển danh sách "
            "cho Phòng LĐTBXH chi trả",
            RoleSlug.COMMUNE_POLICE,
            "Công an xã; Phòng LĐTBXH",
            9,
            Measure.ACCOUNTS_UPDATED,
        ),
    ),
)

NATIONAL_2024 = Preset(
    slug="c06-2024",
    name="Hướng dẫn 7 bước (C06, 12/01/2024)",
    source="C06 / Ministry of Public Security guidance, relayed 12 January 2024",
    days=19,
    steps=(
        PresetStep(
            "Bộ LĐTBXH phân loại nguồn dữ liệu; C06 đối sánh, làm sạch với Cơ sở dữ liệu quốc gia về dân cư",
            RoleSlug.NATIONAL_SUPERVISOR,
            "Bộ LĐTBXH; C06",
            11,
            Measure.LISTS_HANDED_OVER,
        ),
        PresetStep(
            "C06 đẩy dữ liệu đã làm sạch về phân hệ an sinh; Công an xã sửa trường sai, bổ sung trường thiếu",
            RoleSlug.COMMUNE_POLICE,
            "C06; Công an xã",
            11,
            Measure.MATCHED_CLEANED,
        ),
        PresetStep(
            "Tổ công tác Đề án 06 (Công an xã, công chức văn hoá - xã hội) đến khảo sát, xác minh, tuyên truyền",
            RoleSlug.COMMUNE_POLICE,
            "Tổ công tác Đề án 06 cấp xã",
            14,
            Measure.VISITED,
        ),
        PresetStep(
            "Khảo sát phân loại 4 nhóm: (1) có tài khoản đã đăng ký; (2) có tài khoản chưa đăng ký; "
            "(3) chưa có tài khoản; (4) bất khả kháng, chi tiền mặt tại nhà",
            RoleSlug.COMMUNE_POLICE,
            "Tổ công tác Đề án 06 cấp xã",
            19,
            Measure.CLASSIFIED,
        ),
        PresetStep(
            "Tổ công tác phân loại, lập danh sách theo mẫu",
            RoleSlug.COMMUNE_CULTURE_OFFICER,
            "Tổ công tác Đề án 06 cấp xã",
            19,
            Measure.CLASSIFIED,
        ),
        PresetStep(
            "Công an xã cập nhật số tài khoản, tên ngân hàng và gửi danh sách cho Phòng LĐTBXH chi trả",
            RoleSlug.COMMUNE_POLICE,
            "Công an xã",
            19,
            Measure.ACCOUNTS_UPDATED,
        ),
        PresetStep(
            "C06 gửi danh sách có tài khoản về Bộ LĐTBXH (và VNeID) để chi trả, quản lý hằng tháng",
            RoleSlug.PROVINCE_OFFICER,
            "C06; Bộ LĐTBXH",
            None,
            Measure.PAID,
        ),
    ),
)

PRESETS: dict[str, Preset] = {p.slug: p for p in (HANOI_2024, NATIONAL_2024)}
PRESET_CHOICES = [(p.slug, p.name) for p in PRESETS.values()]
TARGETS_NOTE = _(
    "Targets of the plans: 100% of beneficiaries registered for an account; 100% of those with an account "
    "paid through it at Lunar New Year."
)
