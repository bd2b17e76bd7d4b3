"""The roles and agencies a new installation starts with. Labels and agency names are data that an
administrator may change; this is only the starting point (the 2025 names)."""

from __future__ import annotations

from ansinh.access.roles import RoleSlug

ROLE_LABELS: dict[RoleSlug, tuple[str, str, str]] = {
    RoleSlug.NATIONAL_SUPERVISOR: ("Giám sát cấp quốc gia", "National supervisor", "Supervisor nacional"),
    RoleSlug.PROVINCE_OFFICER: (
        "Cán bộ xã hội cấp tỉnh",
        "Province social-affairs officer",
        "Funcionario provincial de asuntos sociales",
    ),
    RoleSlug.COMMUNE_CULTURE_OFFICER: (
        "Công chức văn hóa - xã hội cấp xã",
        "Commune culture-social officer",
        "Funcionario cultural y social de la comuna",
    ),
    RoleSlug.COMMUNE_POLICE: ("Công an xã", "Commune police officer", "Policía de la comuna"),
    RoleSlug.PAYMENT_AGENT: (
        "Nhân viên tổ chức dịch vụ chi trả",
        "Payment service agent",
        "Agente del servicio de pagos",
    ),
    RoleSlug.INSURANCE_OFFICER: ("Cán bộ bảo hiểm xã hội", "Social-insurance officer", "Funcionario del seguro social"),
    RoleSlug.COLLECTION_AGENT: (
        "Nhân viên tổ chức dịch vụ thu",
        "Collection-organisation agent",
        "Agente de la organización de recaudación",
    ),
    RoleSlug.AUDITOR: ("Kiểm toán viên (chỉ xem)", "Auditor (read-only)", "Auditor (solo lectura)"),
}

AGENCIES: dict[str, tuple[str, str, str]] = {
    "province_health_department": ("Sở Y tế", "Department of Health", "Departamento de Salud"),
    "province_home_affairs_department": ("Sở Nội vụ", "Department of Home Affairs", "Departamento del Interior"),
    "commune_culture_social_division": (
        "Phòng Văn hóa - Xã hội cấp xã",
        "Commune culture-social division",
        "División cultural y social de la comuna",
    ),
    "commune_police": ("Công an xã", "Commune police", "Policía de la comuna"),
    "social_security": ("Bảo hiểm xã hội", "Social Security", "Seguridad Social"),
}
