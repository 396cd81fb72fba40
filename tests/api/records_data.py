"""Records the API tests push."""

from __future__ import annotations

from typing import Any

ID_NUMBER = "330203198503151234"
PHONE = "13812345678"
OTHER_PHONE = "13900001111"


def person(source_id: str, *, id_number: str | None = ID_NUMBER, phone: str | None = PHONE,
           address: str = "宁波市海曙区中山西路88号", name: str = "黄芳",
           source: str = "hotline81890") -> dict[str, Any]:
    return {"kind": "person", "source": source, "source_id": source_id,
            "observed_at": "2026-11-01T09:00:00+08:00", "name": name, "id_number": id_number,
            "phone": phone, "address": address}


def three_huang_fang() -> list[dict[str, Any]]:
    """H-0 and H-1 agree on everything (one entity); H-2, at the same address with no ID
    number, another phone and another given name (a relative, or a mis-heard caller), is
    queued for review against H-0."""
    return [person("H-0"), person("H-1"),
            person("H-2", id_number=None, name="黄丽", phone=OTHER_PHONE)]
