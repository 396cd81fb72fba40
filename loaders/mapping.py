"""Department mapping files (docs/mapping-files.md): their model, loading and lookup."""

from __future__ import annotations

from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.errors import MappingError
from graph.records import RecordKind
from graph.vocabulary import Department


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Spec):
    """Where a canonical field's value comes from in a row."""

    column: str | None = None
    join: tuple[str, ...] | None = None
    values: dict[str, str] | None = None
    default: Any = None
    date_format: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ColumnSpec:
        if self.column is None and self.join is None and self.default is None:
            raise ValueError("a column spec needs `column`, `join` or `default`")
        if self.column is not None and self.join is not None:
            raise ValueError("give `column` or `join`, not both")
        return self

    @property
    def columns(self) -> tuple[str, ...]:
        if self.join is not None:
            return self.join
        return (self.column,) if self.column is not None else ()


def _column_spec(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


class _WithFields(_Spec):
    fields: dict[str, ColumnSpec] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _expand_short_specs(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            data = {**data, "fields": {k: _column_spec(v) for k, v in data["fields"].items()}}
        for key in ("role", "kind"):
            if isinstance(data, dict) and isinstance(data.get(key), dict):
                data = {**data, key: ColumnSpec.model_validate(data[key])}
        return data


class PartyGroup(_WithFields):
    """A party held in fixed columns of the row."""

    role: str | ColumnSpec | None = None
    kind: str | ColumnSpec = "person"
    optional: bool = False


class PartyListSpec(_WithFields):
    """Parties held as a JSON list of objects in one column."""

    column: str
    role: str | ColumnSpec | None = None
    kind: str | ColumnSpec = "person"


class TableMapping(_WithFields):
    """One kind of file a department exports."""

    name: str
    files: tuple[str, ...] = Field(min_length=1)
    kind: RecordKind
    encoding: str = "auto"
    sheet: str | None = None
    constants: dict[str, Any] = Field(default_factory=dict)
    parties: tuple[PartyGroup, ...] = ()
    party_list: PartyListSpec | None = None
    subject: PartyGroup | None = None
    person: PartyGroup | None = None
    enterprise: PartyGroup | None = None

    @model_validator(mode="after")
    def _groups_fit_kind(self) -> TableMapping:
        reserved = {"source", "kind", "schema_version"} & (set(self.fields) | set(self.constants))
        if reserved:
            raise ValueError(
                f"{', '.join(sorted(reserved))} cannot be mapped: the source is --source and "
                "the kind is the table's `kind`"
            )
        if self.kind == "case" and not self.parties and self.party_list is None:
            raise ValueError("a case table needs `parties` or `party_list`")
        roles = [g.role for g in self.parties]
        if self.party_list is not None:
            roles.append(self.party_list.role)
        if any(role is None for role in roles):
            raise ValueError("every case party group needs a `role` (a constant or a column)")
        if self.kind == "credit_event" and self.subject is None:
            raise ValueError("a credit_event table needs `subject`")
        if self.kind == "relation" and (self.person is None or self.enterprise is None):
            raise ValueError("a relation table needs `person` and `enterprise`")
        if "source_id" not in self.fields:
            raise ValueError("`fields` must map `source_id`")
        return self

    def matches(self, path: Path) -> bool:
        return any(fnmatch(path.name, pattern) for pattern in self.files)


class DepartmentMapping(_Spec):
    department: Department
    description: str = ""
    tables: tuple[TableMapping, ...] = Field(min_length=1)

    def table_for(self, path: Path) -> TableMapping | None:
        return next((t for t in self.tables if t.matches(path)), None)


def load_mapping(path: Path) -> DepartmentMapping:
    """Read and check a mapping file; errors say which file and which key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"cannot read mapping file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"mapping file {path} is not valid YAML: {exc}") from exc
    return _validate(data, str(path))


def shipped_mapping(department: Department) -> DepartmentMapping:
    """The mapping Wutong ships for one of the departments it knows."""
    resource = files("loaders.mappings").joinpath(f"{department.value}.yaml")
    if not resource.is_file():
        raise MappingError(
            f"no shipped mapping for department {department.value!r}; pass --mapping FILE"
        )
    return _validate(yaml.safe_load(resource.read_text(encoding="utf-8")), resource.name)


def _validate(data: Any, origin: str) -> DepartmentMapping:
    try:
        return DepartmentMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise MappingError(f"mapping file {origin} is invalid: {problems}") from exc
