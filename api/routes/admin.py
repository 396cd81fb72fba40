"""Admin: API keys (create, list, revoke) and the audit log (read only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field, model_validator

from api.auth import Admin
from api.keys import ApiKey, Role, new_key_id
from api.routes.common import PageDep, PageInfo, errors
from api.services import ServicesDep
from graph.vocabulary import Department

router = APIRouter(prefix="/v1", tags=["admin"])


class KeyIn(BaseModel):
    role: Literal["pusher", "analyst", "reviewer", "admin"]
    department: Department | None = Field(default=None, description="Required for a pusher")
    label: str = Field(default="", max_length=200, description="Whose key it is")

    model_config = {"json_schema_extra": {"examples": [
        {"role": "pusher", "department": "labour", "label": "labour arbitration case system"}]}}

    @model_validator(mode="after")
    def _department_for_pushers(self) -> KeyIn:
        if (self.role == "pusher") != (self.department is not None):
            raise ValueError("a pusher key needs a department, and only a pusher key has one")
        return self


class KeyOut(BaseModel):
    key_id: str
    role: str
    department: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself: shown this once, stored only hashed")


class KeysOut(BaseModel):
    page: PageInfo
    keys: list[KeyOut]


class AuditEntryOut(BaseModel):
    seq: int
    at: datetime
    key_id: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditOut(BaseModel):
    page: PageInfo
    entries: list[AuditEntryOut]


KeyId = Annotated[str, Path(max_length=40)]


@router.post("/keys", response_model=NewKeyOut, status_code=201,
             responses=errors(400, 401, 403, 422, 503))
def create_key(caller: Admin, services: ServicesDep, body: KeyIn) -> NewKeyOut:
    """A new API key; its plaintext is in this answer only. Rotation: create a new key,
    switch the caller to it, then revoke the old one."""
    department = body.department.value if body.department else None
    key_id = new_key_id()
    # Audited before the key exists: if the log cannot be written no key is made (and no
    # plaintext is lost); once made, the key is answered even if the outcome entry fails.
    with services.audit.decision(caller.key_id, caller.role.value, "create_key", key_id,
                                 {"role": body.role, "department": department,
                                  "label": body.label}):
        key, plaintext = services.keys.create(Role(body.role), department, body.label,
                                              key_id=key_id)
    return NewKeyOut(**_key_out(key).model_dump(), key=plaintext)


@router.get("/keys", response_model=KeysOut, responses=errors(401, 403, 422, 503))
def list_keys(caller: Admin, services: ServicesDep, page: PageDep,
              include_revoked: bool = False) -> KeysOut:
    """The keys (never their plaintext), oldest first."""
    keys = services.keys.listed(page.limit, page.offset, include_revoked)
    return KeysOut(page=PageInfo(limit=page.limit, offset=page.offset),
                   keys=[_key_out(k) for k in keys])


@router.delete("/keys/{key_id}", response_model=KeyOut, responses=errors(401, 403, 404, 422, 503))
def revoke_key(caller: Admin, services: ServicesDep, key_id: KeyId) -> KeyOut:
    """Revoke a key: the next request with it gets 401."""
    if services.keys.get(key_id) is None:
        raise HTTPException(404, f"no key {key_id!r}")
    with services.audit.decision(caller.key_id, caller.role.value, "revoke_key", key_id):
        key = services.keys.revoke(key_id)
        if key is None:
            raise HTTPException(404, f"no key {key_id!r}")
    return _key_out(key)


@router.get("/audit", response_model=AuditOut, responses=errors(401, 403, 422, 503))
def audit(caller: Admin, services: ServicesDep, page: PageDep,
          action: Annotated[str | None, Query(max_length=40)] = None) -> AuditOut:
    """The audit log, newest first, optionally of one action."""
    entries = services.audit.entries(page.limit, page.offset, action)
    return AuditOut(page=PageInfo(limit=page.limit, offset=page.offset),
                    entries=[AuditEntryOut(seq=e.seq, at=e.at, key_id=e.key_id, role=e.role,
                                           action=e.action, target=e.target, detail=e.detail)
                             for e in entries])


def _key_out(key: ApiKey) -> KeyOut:
    return KeyOut(key_id=key.key_id, role=key.role.value, department=key.department,
                  label=key.label, created_at=key.created_at, revoked_at=key.revoked_at)
