"""Role slugs that the code checks, and what each role may do.

Labels in the three languages live in the `Role` table (data); the slugs and capabilities live here
because code branches on them.
"""

from __future__ import annotations

from enum import StrEnum


class RoleSlug(StrEnum):
    NATIONAL_SUPERVISOR = "national_supervisor"
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_CULTURE_OFFICER = "commune_culture_officer"
    COMMUNE_POLICE = "commune_police"
    PAYMENT_AGENT = "payment_agent"
    INSURANCE_OFFICER = "insurance_officer"
    COLLECTION_AGENT = "collection_agent"
    AUDITOR = "auditor"


# Officers who must read and correct ID, account and phone numbers in their area.
UNMASKED_ROLES = frozenset({RoleSlug.PROVINCE_OFFICER, RoleSlug.COMMUNE_CULTURE_OFFICER, RoleSlug.COMMUNE_POLICE})
# Roles that belong to an organisation and see only that organisation's work in their area.
ORGANISATION_ROLES = frozenset({RoleSlug.PAYMENT_AGENT, RoleSlug.COLLECTION_AGENT})
# Roles that may read the audit trail of a record they can see.
AUDIT_READER_ROLES = frozenset(
    {
        RoleSlug.AUDITOR,
        RoleSlug.NATIONAL_SUPERVISOR,
        RoleSlug.PROVINCE_OFFICER,
        RoleSlug.COMMUNE_CULTURE_OFFICER,
        RoleSlug.COMMUNE_POLICE,
    }
)
# Roles that may edit the registry of their area.
REGISTRY_EDITOR_ROLES = frozenset(
    {RoleSlug.PROVINCE_OFFICER, RoleSlug.COMMUNE_CULTURE_OFFICER, RoleSlug.COMMUNE_POLICE}
)
# Roles that see the social-assistance registry at all (insurance and collection work apart).
REGISTRY_READER_ROLES = REGISTRY_EDITOR_ROLES | {
    RoleSlug.NATIONAL_SUPERVISOR,
    RoleSlug.AUDITOR,
    RoleSlug.PAYMENT_AGENT,
}
