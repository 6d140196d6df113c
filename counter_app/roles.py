"""Staff roles and the identity every recorded deed names.

Apart from ``counter_app.auth`` (which hashes passwords and reads accounts) so a
command's parser can offer ``--role`` and check who may run it without loading
the password hasher or the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    POSTAL_AGENT = "postal_agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.CLERK: "Cán bộ một cửa",
    Role.POSTAL_AGENT: "Nhân viên bưu điện",
    Role.SUPERVISOR: "Lãnh đạo trung tâm",
    Role.ADMIN: "Quản trị",
}


@dataclass(frozen=True)
class StaffIdentity:
    """Who is at the keyboard, as every service that records a deed needs it."""

    username: str
    full_name: str
    role: Role
    unit_code: str
