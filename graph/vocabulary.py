"""Controlled vocabularies of the canonical records.

Departments, case channels with their workflow states, dispute categories, party roles,
credit-event and relation types. Channels, states and categories follow
shared/domain-china.md §6.2; the Chinese labels are what department exports use and what
mapping files translate from.
"""

from __future__ import annotations

from enum import StrEnum


class Department(StrEnum):
    """A source department; the value is the code that `--source` takes."""

    MARKET_REGULATION = "amr"
    COURT = "court"
    PEOPLES_MEDIATION = "mediation"
    LABOUR_ARBITRATION = "labour"
    PETITION_OFFICE = "petition"
    HOTLINE_81890 = "hotline81890"
    COMPLAINT_96178 = "complaint96178"
    TRAFFIC_POLICE = "traffic"
    HEALTH_COMMISSION = "health"
    CREDIT_CENTRE = "credit"


DEPARTMENT_NAMES: dict[Department, str] = {
    Department.MARKET_REGULATION: "市场监督管理局",
    Department.COURT: "人民法院",
    Department.PEOPLES_MEDIATION: "人民调解委员会",
    Department.LABOUR_ARBITRATION: "劳动人事争议仲裁院",
    Department.PETITION_OFFICE: "信访局",
    Department.HOTLINE_81890: "81890求助服务中心",
    Department.COMPLAINT_96178: "96178投诉服务中心",
    Department.TRAFFIC_POLICE: "公安交警",
    Department.HEALTH_COMMISSION: "卫生健康委员会",
    Department.CREDIT_CENTRE: "公共信用信息中心",
}


class Channel(StrEnum):
    """The procedure a case runs through (§6.2), which fixes its states and clocks."""

    PEOPLES_MEDIATION = "peoples_mediation"
    LABOUR_ARBITRATION = "labour_arbitration"
    PETITION = "petition"
    CONSUMER_COMPLAINT = "consumer_complaint"
    TRAFFIC_ACCIDENT = "traffic_accident"
    MEDICAL_DISPUTE = "medical_dispute"
    HOTLINE = "hotline"
    LITIGATION = "litigation"
    ENFORCEMENT = "enforcement"


class DisputeCategory(StrEnum):
    """The dispute_type enum of §6.2; departments map their own 案由 codes onto it."""

    MARRIAGE_FAMILY = "marriage_family"
    INHERITANCE = "inheritance"
    NEIGHBOURS = "neighbours"
    HOMESTEAD = "homestead"
    FOREST_LAND = "forest_land"
    PROPERTY_MANAGEMENT = "property_management"
    PRIVATE_LENDING = "private_lending"
    CONTRACT_SALES = "contract_sales"
    CONTRACT_SERVICES = "contract_services"
    DAMAGES = "damages"
    LABOUR = "labour"
    WAGE_ARREARS = "wage_arrears"
    MEDICAL = "medical"
    ROAD_TRAFFIC = "road_traffic"
    CONSUMER = "consumer"
    LAND_REQUISITION = "land_requisition"
    ENVIRONMENT = "environment"
    COMMERCIAL = "commercial"
    SCHOOL = "school"
    OTHER = "other"


CATEGORY_LABELS: dict[DisputeCategory, str] = {
    DisputeCategory.MARRIAGE_FAMILY: "婚姻家庭",
    DisputeCategory.INHERITANCE: "继承",
    DisputeCategory.NEIGHBOURS: "邻里",
    DisputeCategory.HOMESTEAD: "相邻/宅基地",
    DisputeCategory.FOREST_LAND: "山林土地",
    DisputeCategory.PROPERTY_MANAGEMENT: "物业",
    DisputeCategory.PRIVATE_LENDING: "民间借贷",
    DisputeCategory.CONTRACT_SALES: "买卖合同",
    DisputeCategory.CONTRACT_SERVICES: "劳务合同",
    DisputeCategory.DAMAGES: "损害赔偿",
    DisputeCategory.LABOUR: "劳动争议",
    DisputeCategory.WAGE_ARREARS: "欠薪",
    DisputeCategory.MEDICAL: "医疗",
    DisputeCategory.ROAD_TRAFFIC: "道路交通",
    DisputeCategory.CONSUMER: "消费",
    DisputeCategory.LAND_REQUISITION: "征地拆迁",
    DisputeCategory.ENVIRONMENT: "环境污染",
    DisputeCategory.COMMERCIAL: "涉企/商事",
    DisputeCategory.SCHOOL: "校园",
    DisputeCategory.OTHER: "其他",
}


class CaseState(StrEnum):
    """Workflow states across all channels; `CHANNEL_STATES` says which apply where."""

    # petition (信访)
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REPLIED = "replied"
    REVIEW = "review"
    RE_REVIEW = "re_review"
    CLOSED = "closed"
    # people's mediation (人民调解)
    APPLIED = "applied"
    IN_MEDIATION = "in_mediation"
    AGREEMENT = "agreement"
    FAILED = "failed"
    JUDICIAL_CONFIRMATION = "judicial_confirmation"
    PERFORMED = "performed"
    # labour arbitration (劳动争议)
    MEDIATION = "mediation"
    FILED = "filed"
    PANEL_FORMED = "panel_formed"
    HEARING = "hearing"
    AWARD = "award"
    LAWSUIT = "lawsuit"
    # consumer complaint (消费投诉)
    TERMINATED = "terminated"
    NOTIFIED = "notified"
    # traffic accident (交通事故)
    LIABILITY_FINDING = "liability_finding"
    # medical dispute (医疗纠纷)
    NEGOTIATION = "negotiation"
    INSURER_CLAIM = "insurer_claim"
    COMMITTEE = "committee"
    # hotline (12345 / 81890)
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    FOLLOW_UP = "follow_up"
    RETURNED = "returned"
    ESCALATED = "escalated"
    # litigation and enforcement (court)
    JUDGMENT = "judgment"
    WITHDRAWN = "withdrawn"
    ENFORCING = "enforcing"
    CONCLUDED = "concluded"


S = CaseState

CHANNEL_STATES: dict[Channel, tuple[CaseState, ...]] = {
    Channel.PETITION: (
        S.REGISTERED, S.ACCEPTED, S.DECLINED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED,
        S.REVIEW, S.RE_REVIEW, S.CLOSED,
    ),
    Channel.PEOPLES_MEDIATION: (
        S.APPLIED, S.ACCEPTED, S.IN_MEDIATION, S.AGREEMENT, S.FAILED,
        S.JUDICIAL_CONFIRMATION, S.PERFORMED, S.FOLLOW_UP,
    ),
    Channel.LABOUR_ARBITRATION: (
        S.MEDIATION, S.FILED, S.ACCEPTED, S.PANEL_FORMED, S.HEARING, S.AWARD, S.LAWSUIT,
        S.CLOSED,
    ),
    Channel.CONSUMER_COMPLAINT: (
        S.REGISTERED, S.ACCEPTED, S.DECLINED, S.MEDIATION, S.AGREEMENT, S.TERMINATED,
        S.NOTIFIED,
    ),
    Channel.TRAFFIC_ACCIDENT: (
        S.LIABILITY_FINDING, S.APPLIED, S.MEDIATION, S.AGREEMENT, S.TERMINATED, S.LAWSUIT,
    ),
    Channel.MEDICAL_DISPUTE: (
        S.NEGOTIATION, S.INSURER_CLAIM, S.COMMITTEE, S.MEDIATION, S.AGREEMENT, S.LAWSUIT,
    ),
    Channel.HOTLINE: (
        S.REGISTERED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REPLIED, S.FOLLOW_UP,
        S.CLOSED, S.RETURNED, S.ESCALATED,
    ),
    Channel.LITIGATION: (S.FILED, S.ACCEPTED, S.HEARING, S.JUDGMENT, S.WITHDRAWN, S.CLOSED),
    Channel.ENFORCEMENT: (S.FILED, S.ENFORCING, S.CONCLUDED, S.TERMINATED),
}

# States after which nothing more happens in that channel (a later stage, if any, is a new
# case in another channel, linked by `escalated_from`).
CLOSED_STATES: frozenset[CaseState] = frozenset({
    S.DECLINED, S.CLOSED, S.FAILED, S.PERFORMED, S.AWARD, S.LAWSUIT, S.TERMINATED,
    S.NOTIFIED, S.AGREEMENT, S.JUDGMENT, S.WITHDRAWN, S.CONCLUDED, S.RETURNED, S.ESCALATED,
    S.JUDICIAL_CONFIRMATION,
})


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD_PARTY = "third_party"


class PartyKind(StrEnum):
    PERSON = "person"
    ENTERPRISE = "enterprise"


class CreditEventType(StrEnum):
    DISHONEST_DEBTOR = "dishonest_debtor"
    WAGE_ARREARS_BLACKLIST = "wage_arrears_blacklist"
    ADMINISTRATIVE_PENALTY = "administrative_penalty"
    ABNORMAL_OPERATION = "abnormal_operation"
    COMMENDATION = "commendation"


class RelationType(StrEnum):
    LEGAL_REPRESENTATIVE = "legal_representative"
    SHAREHOLDER = "shareholder"
    EMPLOYMENT = "employment"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
