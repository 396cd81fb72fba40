"""What every router shares: pagination, error bodies and their OpenAPI description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

ABSOLUTE_MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


class ErrorOut(BaseModel):
    detail: str = Field(examples=["a valid API key is needed: Authorization: Bearer KEY"])


class FieldErrorOut(BaseModel):
    loc: list[str | int] = Field(examples=[["body", "records", 3, "id_number"]])
    msg: str
    type: str
    index: int | None = Field(default=None, description="Position of the record in the batch")
    field: str | None = Field(default=None, description="The record's field, e.g. "
                              "parties[0].id_number")


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses an endpoint can answer with."""
    described: dict[int, tuple[type[BaseModel], str]] = {
        400: (ErrorOut, "Malformed JSON"),
        401: (ErrorOut, "No valid API key"),
        403: (ErrorOut, "The key's role lacks the right"),
        404: (ErrorOut, "Not found"),
        409: (ErrorOut, "Conflicts with the current state"),
        413: (ErrorOut, "Body or batch too large"),
        422: (ValidationErrorOut, "Invalid parameters or body, by location"),
        503: (ErrorOut, "The store is unavailable; retry after Retry-After seconds"),
    }
    return {code: {"model": described[code][0], "description": described[code][1]}
            for code in codes}


AUTH_ERRORS = (401, 403, 422, 503)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def _page(request: Request,
          limit: Annotated[int, Query(ge=1, le=ABSOLUTE_MAX_PAGE,
                                      description="Items per page (at most WUTONG_API_MAX_PAGE)"
                                      )] = 50,
          offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
          ) -> Page:
    most = request.app.state.services.settings.api_max_page
    if limit > most:
        raise RequestValidationError([{"loc": ("query", "limit"), "type": "less_than_equal",
                                       "msg": f"limit may be at most {most}"}])
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(_page)]


class PageInfo(BaseModel):
    limit: int
    offset: int
    total: int | None = Field(default=None, description="All items, where cheap to count")
