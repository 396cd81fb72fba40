"""The alert rules' thresholds, read from graph/alert_rules.yaml or a district's copy."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.errors import AlertRulesError
from graph.vocabulary import Channel, CreditEventType, DisputeCategory


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class R1Config(_Rule):
    window_days: int = Field(30, ge=1)
    min_workers: int = Field(10, ge=2)
    categories: tuple[DisputeCategory, ...] = (DisputeCategory.LABOUR,
                                               DisputeCategory.WAGE_ARREARS)
    crime_threshold_yuan: float = Field(100_000, ge=0)
    red_words: tuple[str, ...] = ()


class R3Config(_Rule):
    window_days: int = Field(30, ge=1)
    yellow_from: int = Field(5, ge=2)
    orange_from: int = Field(10, ge=2)
    red_from: int = Field(50, ge=2)


class R4Config(_Rule):
    channels: tuple[Channel, ...] = (Channel.PETITION, Channel.HOTLINE,
                                     Channel.CONSUMER_COMPLAINT)
    merge_days: int = Field(30, ge=0)
    text_similarity: float = Field(70, ge=0, le=100)
    orange_from: int = Field(3, ge=2)


class R7Config(_Rule):
    window_days: int = Field(90, ge=1)
    confirmation_days: int = Field(30, ge=1)
    to_channels: tuple[Channel, ...] = (Channel.LABOUR_ARBITRATION, Channel.LITIGATION,
                                        Channel.PETITION)


class R8Config(_Rule):
    window_days: int = Field(30, ge=1)
    min_channels: int = Field(2, ge=2)
    orange_from: int = Field(3, ge=2)


class R10Config(_Rule):
    window_days: int = Field(30, ge=1)
    min_cases: int = Field(5, ge=1)
    penalty_weight: float = Field(2, ge=0)
    orange_credit_types: tuple[CreditEventType, ...] = (CreditEventType.DISHONEST_DEBTOR,
                                                        CreditEventType.WAGE_ARREARS_BLACKLIST)


class R13Config(_Rule):
    credit_types: tuple[CreditEventType, ...] = (CreditEventType.DISHONEST_DEBTOR,
                                                 CreditEventType.WAGE_ARREARS_BLACKLIST)
    new_case_days: int = Field(180, ge=1)
    orange_from: int = Field(2, ge=1)


class GrowthConfig(_Rule):
    days: int = Field(7, ge=1)
    min_new_parties: int = Field(5, ge=1)
    yellow_from: int = Field(5, ge=1)
    orange_from: int = Field(10, ge=1)
    red_from: int = Field(25, ge=1)
    growth_factor: float = Field(2.0, ge=0)


class AlertConfig(_Rule):
    lookback_days: int = Field(90, ge=1)
    R1: R1Config = R1Config()
    R3: R3Config = R3Config()
    R4: R4Config = R4Config()
    R7: R7Config = R7Config()
    R8: R8Config = R8Config()
    R10: R10Config = R10Config()
    R13: R13Config = R13Config()
    cluster_growth: GrowthConfig = GrowthConfig()


def shipped_rules_text() -> str:
    return files("graph").joinpath("alert_rules.yaml").read_text(encoding="utf-8")


def load_alert_config(path: Path | None = None) -> AlertConfig:
    """The shipped rules, or the file at `path` (keys it leaves out keep the defaults)."""
    where = str(path) if path else "the shipped graph/alert_rules.yaml"
    try:
        text = path.read_text(encoding="utf-8") if path else shipped_rules_text()
        data: Any = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AlertRulesError(f"cannot read alert rules {where}: {exc}") from exc
    if not isinstance(data, dict):
        raise AlertRulesError(f"alert rules {where}: expected a mapping of rule names")
    try:
        return AlertConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise AlertRulesError(f"alert rules {where}: {problems}") from exc
