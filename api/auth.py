"""Who is calling and what they may do: `Authorization: Bearer KEY`, roles and rights.

Every `/v1` endpoint names the right it needs; the table below is the whole policy.
A missing, unknown or revoked key gets 401; a key whose role lacks the right, 403.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.keys import ApiKey, KeyStore, Role


class Right(StrEnum):
    PUSH = "push records"
    READ_STATS = "read store statistics"
    READ_ENTITIES = "read entities"
    READ_REVIEWS = "read the review queue"
    DECIDE = "decide matches"
    READ_ANALYTICS = "read risk, clusters, alerts and department statistics"
    ACT_ON_ALERTS = "acknowledge or close alerts"
    MANAGE_KEYS = "manage keys and read the audit log"


RIGHTS: dict[Right, frozenset[Role]] = {
    Right.PUSH: frozenset({Role.PUSHER, Role.ADMIN}),
    Right.READ_STATS: frozenset(Role),
    Right.READ_ENTITIES: frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    Right.READ_REVIEWS: frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    Right.DECIDE: frozenset({Role.REVIEWER, Role.ADMIN}),
    Right.READ_ANALYTICS: frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    # Analysts are the risk staff alerts are raised for: taking an alert in hand or closing
    # it with a note neither shows personal data nor changes what was resolved.
    Right.ACT_ON_ALERTS: frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    Right.MANAGE_KEYS: frozenset({Role.ADMIN}),
}
FULL_VIEW_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})
"""Roles that see ID numbers and phones in full (every such read is audited)."""

_bearer = HTTPBearer(auto_error=False, description="An API key made by `wutong keys create`")


def sees_personal_data(caller: ApiKey) -> bool:
    return caller.role in FULL_VIEW_ROLES


def _caller(request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
            ) -> ApiKey:
    keys: KeyStore = request.app.state.keys
    key = keys.authenticate(credentials.credentials) if credentials else None
    if key is None:
        raise HTTPException(401, "a valid API key is needed: Authorization: Bearer KEY",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.caller = key
    return key


def needs(right: Right) -> Callable[[ApiKey], ApiKey]:
    """A dependency that lets through only callers whose role has `right`."""
    def check(caller: Annotated[ApiKey, Depends(_caller)]) -> ApiKey:
        if caller.role not in RIGHTS[right]:
            raise HTTPException(403, f"a {caller.role.value} key may not {right.value}")
        return caller
    return check


Pusher = Annotated[ApiKey, Depends(needs(Right.PUSH))]
AnyCaller = Annotated[ApiKey, Depends(needs(Right.READ_STATS))]
Reader = Annotated[ApiKey, Depends(needs(Right.READ_ENTITIES))]
ReviewReader = Annotated[ApiKey, Depends(needs(Right.READ_REVIEWS))]
AnalyticsReader = Annotated[ApiKey, Depends(needs(Right.READ_ANALYTICS))]
AlertActor = Annotated[ApiKey, Depends(needs(Right.ACT_ON_ALERTS))]
Decider = Annotated[ApiKey, Depends(needs(Right.DECIDE))]
Admin = Annotated[ApiKey, Depends(needs(Right.MANAGE_KEYS))]
