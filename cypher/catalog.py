"""The Cypher catalogue: every statement Wutong runs, loaded by name from `<name>.cypher`.

Files are package data, so an installed wheel finds them, and they are exactly what an
analyst can paste into Neo4j Browser. This is the one place where file text becomes query
text; values always travel as parameters. (The functions are typed LiteralString, as the
driver asks; mypy treats LiteralString as str, so no cast is needed here.)
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import LiteralString


class UnknownStatement(LookupError):
    """No `cypher/<name>.cypher` file exists."""


@cache
def statement(name: str) -> LiteralString:
    """The statement in `cypher/<name>.cypher`, comments included (Cypher ignores them)."""
    resource = files("cypher").joinpath(f"{name}.cypher")
    if not resource.is_file():
        raise UnknownStatement(f"no Cypher statement named {name!r} (cypher/{name}.cypher)")
    text: LiteralString = resource.read_text(encoding="utf-8").strip()
    return text


@cache
def statements(name: str) -> tuple[LiteralString, ...]:
    """A file of several `;`-terminated statements (the schema), one entry each."""
    body = "\n".join(
        line for line in statement(name).splitlines() if not line.lstrip().startswith("//")
    )
    parts: tuple[LiteralString, ...] = tuple(p.strip() for p in body.split(";") if p.strip())
    return parts
