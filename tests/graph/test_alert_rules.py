"""Each alert rule at its thresholds and window edges, on small hand-built networks."""

from __future__ import annotations

from datetime import date

from graph.alert_engine import touched_entities
from graph.alert_rules import employer_group
from graph.alerts import AlertLevel
from graph.network import NetworkChange
from graph.vocabulary import CaseState, Channel, CreditEventType, Department, DisputeCategory
from tests.graph.alert_scene import AS_OF, Scene, ago

RED, ORANGE, YELLOW = AlertLevel.RED, AlertLevel.ORANGE, AlertLevel.YELLOW


def _workers(scene: Scene, count: int, employer: str, *, first: int = 20, spread: int = 1,
             amount: int = 5000, summary: str | None = None, offset: int = 100) -> None:
    for n in range(count):
        scene.case(ago(first - n * spread), [f"P{offset + n}"], [employer], amount=amount,
                   summary=summary)


# --- R1 ---------------------------------------------------------------------------------

def test_r1_fires_at_ten_distinct_workers_within_the_window() -> None:
    scene = Scene()
    _workers(scene, 10, "E1")
    [finding] = scene.findings("R1")
    assert finding.level is ORANGE  # ¥50,000 is under the ¥100,000 threshold, no stoppage
    assert finding.figures["workers"] == 10
    assert set(finding.entities) == {"E1", *(f"P{100 + n}" for n in range(10))}
    assert len(finding.cases) == 10


def test_r1_stays_silent_at_nine_workers() -> None:
    scene = Scene()
    _workers(scene, 9, "E1")
    assert scene.findings("R1") == []


def test_r1_counts_people_not_records() -> None:
    scene = Scene()
    _workers(scene, 9, "E1")
    # The ninth worker also calls the hotline: still nine people.
    scene.case(ago(5), ["P108"], ["E1"], channel=Channel.HOTLINE, state=CaseState.DISPATCHED,
               source=Department.HOTLINE_81890)
    assert scene.findings("R1") == []


def test_r1_window_is_thirty_days() -> None:
    spread_out = Scene()
    # Ten claims 3.2 days apart: the first and the tenth are 30 days apart, so no 30-day
    # window holds all ten.
    for n in range(10):
        spread_out.case(ago(40 - (n * 30) // 9), [f"P{n}"], ["E1"])
    assert spread_out.findings("R1") == []
    inside = Scene()
    for n in range(10):
        inside.case(ago(40 - (n * 29) // 9), [f"P{n}"], ["E1"])
    assert len(inside.findings("R1")) == 1


def test_r1_is_red_at_the_crime_threshold_or_a_reported_stoppage() -> None:
    rich = Scene()
    _workers(rich, 10, "E1", amount=10_000)
    assert rich.findings("R1")[0].level is RED
    assert rich.findings("R1")[0].figures["arrears_yuan"] == 100_000
    stopped = Scene()
    _workers(stopped, 10, "E1", summary="公司拖欠工资，工地已停工。")
    assert stopped.findings("R1")[0].level is RED
    assert stopped.findings("R1")[0].figures["stoppage_reported"] == ["停工"]


def test_r1_joins_branches_and_companies_of_the_same_legal_representative() -> None:
    scene = Scene()
    scene.branch("E1", "E2")
    scene.legal_rep("P900", "E1")
    scene.legal_rep("P900", "E3")
    assert employer_group(scene.network, "E2") == {"E1", "E2", "E3"}
    _workers(scene, 4, "E1", offset=100)
    _workers(scene, 3, "E2", offset=200)
    _workers(scene, 3, "E3", offset=300)
    [finding] = scene.findings("R1")
    assert finding.figures["workers"] == 10
    assert {"E1", "E2", "E3"} <= set(finding.entities)


def test_r1_a_former_legal_representative_does_not_join_two_employers() -> None:
    scene = Scene()
    scene.legal_rep("P900", "E1", ended=date(2020, 1, 1))
    scene.legal_rep("P900", "E3")
    _workers(scene, 5, "E1", offset=100)
    _workers(scene, 5, "E3", offset=300)
    assert scene.findings("R1") == []


def test_r1_arrears_count_each_worker_once_whatever_the_order() -> None:
    joint_first, own_first = Scene(), Scene()
    workers = [f"P{100 + n}" for n in range(10)]
    joint_first.case(ago(20), workers[:2], ["E1"], amount=30_000)
    for n, worker in enumerate(workers):
        joint_first.case(ago(19 - n), [worker], ["E1"], amount=9_000)
    for n, worker in enumerate(workers):
        own_first.case(ago(29 - n), [worker], ["E1"], amount=9_000)
    own_first.case(ago(5), workers[:2], ["E1"], amount=30_000)
    assert [f.figures["arrears_yuan"] for f in joint_first.findings("R1")] == [90_000]
    assert [f.figures["arrears_yuan"] for f in own_first.findings("R1")] == [90_000]


def test_r1_ignores_bursts_older_than_the_lookback() -> None:
    scene = Scene()
    _workers(scene, 12, "E1", first=200)
    assert scene.findings("R1") == []


# --- R3 ---------------------------------------------------------------------------------

def _petition(scene: Scene, petitioners: list[str], respondent: str, filed: date) -> str:
    return scene.case(filed, petitioners, [respondent], channel=Channel.PETITION,
                      category=DisputeCategory.PROPERTY_MANAGEMENT,
                      state=CaseState.REGISTERED, source=Department.PETITION_OFFICE)


def test_r3_petitions_about_different_matters_do_not_add_up() -> None:
    scene = Scene()
    _petition(scene, ["P1", "P2", "P3"], "E1", ago(10))
    scene.case(ago(5), ["P4", "P5"], ["E1"], channel=Channel.PETITION,
               category=DisputeCategory.ENVIRONMENT, state=CaseState.REGISTERED,
               source=Department.PETITION_OFFICE)
    assert scene.findings("R3") == []


def test_r3_collective_from_five_petitioners_orange_from_ten() -> None:
    four = Scene()
    _petition(four, ["P1", "P2", "P3", "P4"], "E1", ago(3))
    assert four.findings("R3") == []
    five = Scene()
    _petition(five, ["P1", "P2", "P3"], "E1", ago(10))
    _petition(five, ["P4", "P5"], "E1", ago(3))
    [finding] = five.findings("R3")
    assert (finding.level, finding.figures["petitioners"]) == (YELLOW, 5)
    ten = Scene()
    _petition(ten, [f"P{n}" for n in range(10)], "E1", ago(3))
    assert ten.findings("R3")[0].level is ORANGE


# --- R4 ---------------------------------------------------------------------------------

def _complaint(scene: Scene, person: str, respondent: str, filed: date, *,
               channel: Channel = Channel.PETITION, state: CaseState = CaseState.REGISTERED,
               closed: date | None = None,
               category: DisputeCategory = DisputeCategory.LAND_REQUISITION) -> str:
    source = (Department.PETITION_OFFICE if channel is Channel.PETITION
              else Department.HOTLINE_81890)
    return scene.case(filed, [person], [respondent], channel=channel, category=category,
                      state=state, closed=closed, source=source,
                      summary="反映征地拆迁补偿标准过低")


def test_r4_counts_from_the_second_submission_of_the_same_matter() -> None:
    scene = Scene()
    _complaint(scene, "P1", "E1", ago(80))
    assert scene.findings("R4") == []
    _complaint(scene, "P1", "E1", ago(20))
    [finding] = scene.findings("R4")
    assert (finding.level, finding.figures["submissions"]) == (YELLOW, 2)
    _complaint(scene, "P1", "E1", ago(2))
    assert scene.findings("R4")[0].level is ORANGE


def test_r4_is_red_when_the_matter_recurs_after_the_petition_was_closed() -> None:
    scene = Scene()
    _complaint(scene, "P1", "E1", ago(200), state=CaseState.CLOSED, closed=ago(150))
    _complaint(scene, "P1", "E1", ago(30), channel=Channel.HOTLINE, state=CaseState.REPLIED)
    assert scene.findings("R4")[0].level is RED


def test_r4_one_matter_lodged_in_two_channels_at_once_is_not_a_repeat() -> None:
    scene = Scene()
    _complaint(scene, "P1", "E1", ago(30))
    _complaint(scene, "P1", "E1", ago(25), channel=Channel.HOTLINE, state=CaseState.REPLIED)
    assert scene.findings("R4") == []
    assert [f.rule for f in scene.findings("R8")] == ["R8"]


def test_r4_different_matters_are_not_repeats() -> None:
    scene = Scene()
    _complaint(scene, "P1", "E1", ago(80))
    _complaint(scene, "P1", "E2", ago(20), category=DisputeCategory.ENVIRONMENT)
    _complaint(scene, "P1", "E1", ago(10), category=DisputeCategory.MEDICAL)
    assert scene.findings("R4") == []


# --- R7 ---------------------------------------------------------------------------------

def _mediation(scene: Scene, state: CaseState, filed: date, closed: date) -> str:
    return scene.case(filed, ["P1"], ["P2"], channel=Channel.PEOPLES_MEDIATION,
                      category=DisputeCategory.PRIVATE_LENDING, state=state, closed=closed,
                      source=Department.PEOPLES_MEDIATION)


def _lawsuit(scene: Scene, filed: date, escalated_from: str | None = None) -> str:
    return scene.case(filed, ["P1"], ["P2"], channel=Channel.LITIGATION,
                      category=DisputeCategory.PRIVATE_LENDING, state=CaseState.FILED,
                      source=Department.COURT, escalated_from=escalated_from)


def test_r7_failed_mediation_then_lawsuit_within_ninety_days() -> None:
    scene = Scene()
    number = _mediation(scene, CaseState.FAILED, ago(120), ago(100))
    _lawsuit(scene, ago(10))  # 90 days after
    [finding] = scene.findings("R7")
    assert finding.level is YELLOW
    assert finding.figures["days_after"] == 90
    assert set(finding.entities) == {"P1", "P2"}
    late = Scene()
    _mediation(late, CaseState.FAILED, ago(120), ago(100))
    _lawsuit(late, ago(9))  # 91 days after
    assert late.findings("R7") == []
    linked = Scene()
    number = _mediation(linked, CaseState.FAILED, ago(60), ago(40))
    _lawsuit(linked, ago(19), escalated_from=number)
    assert linked.findings("R7")[0].figures["linked_by_case_number"] is True


def test_r7_agreement_without_confirmation_then_a_new_dispute() -> None:
    scene = Scene()
    _mediation(scene, CaseState.AGREEMENT, ago(90), ago(70))
    _lawsuit(scene, ago(20))
    assert [f.level for f in scene.findings("R7")] == [YELLOW]
    settled = Scene()
    _mediation(settled, CaseState.AGREEMENT, ago(90), ago(70))
    assert settled.findings("R7") == []
    years_later = Scene()
    _mediation(years_later, CaseState.AGREEMENT, ago(900), ago(880))
    _lawsuit(years_later, ago(20))
    assert years_later.findings("R7") == []


def test_r7_another_matter_between_the_same_parties_is_not_an_escalation() -> None:
    scene = Scene()
    _mediation(scene, CaseState.FAILED, ago(60), ago(40))
    scene.case(ago(20), ["P1"], ["P2"], channel=Channel.LITIGATION,
               category=DisputeCategory.ROAD_TRAFFIC, state=CaseState.FILED,
               source=Department.COURT)
    assert scene.findings("R7") == []


def test_r7_escalation_to_a_petition_is_orange() -> None:
    scene = Scene()
    _mediation(scene, CaseState.FAILED, ago(60), ago(40))
    scene.case(ago(20), ["P1"], ["P2"], channel=Channel.PETITION,
               category=DisputeCategory.PRIVATE_LENDING, state=CaseState.REGISTERED,
               source=Department.PETITION_OFFICE)
    assert [f.level for f in scene.findings("R7")] == [ORANGE]


# --- R8 ---------------------------------------------------------------------------------

def test_r8_same_matter_in_two_channels_within_the_window() -> None:
    scene = Scene()
    scene.case(ago(40), ["P1"], ["E1"])
    scene.case(ago(10), ["P1"], ["E1"], channel=Channel.PETITION,
               state=CaseState.REGISTERED, source=Department.PETITION_OFFICE)
    [finding] = scene.findings("R8")
    assert finding.figures["channels"] == ["labour_arbitration", "petition"]
    apart = Scene()
    apart.case(ago(41), ["P1"], ["E1"])
    apart.case(ago(10), ["P1"], ["E1"], channel=Channel.PETITION,
               state=CaseState.REGISTERED, source=Department.PETITION_OFFICE)
    assert apart.findings("R8") == []


# --- R10 --------------------------------------------------------------------------------

def _consumer(scene: Scene, count: int, enterprise: str) -> None:
    for n in range(count):
        scene.case(ago(25 - n), [f"P{n}"], [enterprise], channel=Channel.CONSUMER_COMPLAINT,
                   category=DisputeCategory.CONSUMER, state=CaseState.ACCEPTED,
                   source=Department.COMPLAINT_96178)


def test_r10_repeat_respondent_from_five_complaints_orange_with_a_credit_flag() -> None:
    four = Scene()
    _consumer(four, 4, "E1")
    assert four.findings("R10") == []
    five = Scene()
    _consumer(five, 5, "E1")
    assert [f.level for f in five.findings("R10")] == [YELLOW]
    flagged = Scene()
    _consumer(flagged, 5, "E1")
    flagged.credit("E1", ago(300))
    assert [f.level for f in flagged.findings("R10")] == [ORANGE]
    by_name = Scene()
    _consumer(by_name, 5, "E1")
    by_name.credit("E1", ago(300), identified=False)
    assert [f.level for f in by_name.findings("R10")] == [YELLOW]


def test_r10_leaves_a_collective_labour_dispute_to_r1() -> None:
    scene = Scene()
    _workers(scene, 10, "E1")
    assert [f.rule for f in scene.findings() if f.cause == "group:E1"] == ["R1"]


# --- R13 --------------------------------------------------------------------------------

def test_r13_listed_representative_then_new_cases_of_the_company() -> None:
    scene = Scene()
    scene.legal_rep("P1", "E1")
    scene.credit("P1", ago(100), expires=date(2028, 1, 1))
    scene.case(ago(50), ["P5"], ["E1"])
    [finding] = scene.findings("R13")
    assert (finding.cause, finding.level) == ("E1", YELLOW)
    assert finding.entities == ("E1", "P1")
    scene.case(ago(20), ["P6"], ["E1"])
    assert scene.findings("R13")[0].level is ORANGE


def test_r13_the_listed_entity_itself_in_a_new_case_is_orange() -> None:
    scene = Scene()
    scene.credit("E1", ago(100))
    scene.case(ago(10), ["P5"], ["E1"])
    assert [(f.cause, f.level) for f in scene.findings("R13")] == [("E1", ORANGE)]


def test_r13_needs_an_identifier_match_a_listing_in_force_an_adult_and_a_new_case() -> None:
    by_name = Scene()
    by_name.credit("P1", ago(100), identified=False)
    by_name.case(ago(10), ["P5"], ["P1"])
    assert by_name.findings("R13") == []
    expired = Scene()
    expired.credit("P1", ago(800), expires=ago(70))
    expired.case(ago(10), ["P5"], ["P1"])
    assert expired.findings("R13") == []
    minor = Scene()
    minor.credit("P1", ago(100), born=date(2010, 3, 1))
    minor.case(ago(10), ["P5"], ["P1"])
    assert minor.findings("R13") == []
    namesake = Scene()  # linked by name only: its own records carry no such ID
    namesake.credit("P1", ago(100), known=False)
    namesake.case(ago(10), ["P5"], ["P1"])
    assert namesake.findings("R13") == []
    listed_as_minor = Scene()  # born 2008: 17 when listed in 2026, an adult by now
    listed_as_minor.credit("P1", ago(100), born=date(2008, 9, 1))
    listed_as_minor.case(ago(10), ["P5"], ["P1"])
    assert listed_as_minor.findings("R13") == []
    old_cases = Scene()
    old_cases.credit("P1", ago(100))
    old_cases.case(ago(150), ["P5"], ["P1"])
    assert old_cases.findings("R13") == []


def test_r13_wage_arrears_blacklist_counts_too() -> None:
    scene = Scene()
    scene.credit("E1", ago(100), event_type=CreditEventType.WAGE_ARREARS_BLACKLIST)
    scene.case(ago(10), ["P5"], ["E1"])
    assert scene.findings("R13")[0].figures["credit_types"] == ["wage_arrears_blacklist"]


# --- cluster growth ---------------------------------------------------------------------

def _complaints_against(scene: Scene, enterprise: str, days: list[int], offset: int) -> None:
    for n, day in enumerate(days):
        scene.case(ago(day), [f"P{offset + n}"], [enterprise],
                   channel=Channel.HOTLINE, category=DisputeCategory.PROPERTY_MANAGEMENT,
                   state=CaseState.DISPATCHED, source=Department.HOTLINE_81890)


def _cluster(scene: Scene) -> list[tuple[str, frozenset[str]]]:
    return [("C-1", frozenset(scene.network.entities()))]


def test_cluster_growth_levels_by_new_cases_in_the_last_seven_days() -> None:
    scene = Scene()
    _complaints_against(scene, "E1", [1, 2, 3, 4, 5, 6, 6, 5, 4, 3], 0)
    [finding] = scene.findings("cluster_growth", _cluster(scene))
    assert (finding.level, finding.figures["new_cases"]) == (ORANGE, 10)
    small = Scene()
    _complaints_against(small, "E1", [1, 2, 3, 4], 0)
    assert small.findings("cluster_growth", _cluster(small)) == []


def test_cluster_growth_needs_growth_over_the_usual_pace() -> None:
    steady = Scene()
    # Six a week for the four weeks before, six this week: busy, but not growing.
    _complaints_against(steady, "E1", [d for d in range(8, 36) if d % 5 != 0][:24], 0)
    _complaints_against(steady, "E1", [1, 2, 3, 4, 5, 6], 100)
    assert steady.findings("cluster_growth", _cluster(steady)) == []


# --- incremental evaluation -------------------------------------------------------------

def test_evaluating_what_a_change_touched_finds_what_a_full_run_finds_for_it() -> None:
    scene = Scene()
    _workers(scene, 9, "E1")
    _consumer(scene, 5, "E2")
    scene.change = NetworkChange()
    scene.case(ago(3), ["P200"], ["E1"], amount=5000)  # the tenth worker's claim
    touched = touched_entities(scene.network, scene.change)
    assert touched == {"P200", "E1"}
    full = scene.findings()
    incremental = scene.findings(touched=touched)
    assert [f for f in full if f.rule == "R1"] == [f for f in incremental if f.rule == "R1"]
    assert [f.rule for f in full if f.rule == "R10"] == ["R10"]
    assert not [f for f in incremental if f.rule == "R10"]  # E2 was not touched


# --- R6 ---------------------------------------------------------------------------------

def _petition_in(scene: Scene, state: CaseState, filed: date, closed: date | None = None
                 ) -> None:
    scene.case(filed, ["P1"], ["E1"], channel=Channel.PETITION,
               category=DisputeCategory.NEIGHBOURS, state=state, closed=closed,
               source=Department.PETITION_OFFICE)


def test_r6_a_petition_not_accepted_within_fifteen_days() -> None:
    on_time = Scene()
    _petition_in(on_time, CaseState.REGISTERED, ago(15))
    assert on_time.findings("R6") == []
    late = Scene()
    _petition_in(late, CaseState.REGISTERED, ago(16))
    [finding] = late.findings("R6")
    assert (finding.level, finding.figures["days_late"]) == (YELLOW, 1)
    closed = Scene()
    _petition_in(closed, CaseState.CLOSED, ago(100), closed=ago(10))
    assert closed.findings("R6") == []


def test_r6_orange_past_the_extension_and_silent_for_long_stale_cases() -> None:
    extended = Scene()
    _petition_in(extended, CaseState.IN_PROGRESS, ago(105))  # 75 + 30 days: still allowed
    assert [f.level for f in extended.findings("R6")] == [YELLOW]
    beyond = Scene()
    _petition_in(beyond, CaseState.IN_PROGRESS, ago(106))
    assert [f.level for f in beyond.findings("R6")] == [ORANGE]
    stale = Scene()
    _petition_in(stale, CaseState.REGISTERED, ago(200))
    assert stale.findings("R6") == []


def test_r6_consumer_complaints_count_working_days() -> None:
    friday = Scene()  # due Tuesday 3 November: 7 working days after Friday 23 October
    friday.case(date(2026, 10, 23), ["P1"], ["E1"], channel=Channel.CONSUMER_COMPLAINT,
                category=DisputeCategory.CONSUMER, state=CaseState.REGISTERED,
                source=Department.COMPLAINT_96178)
    assert friday.findings("R6") == []
    tuesday = Scene()  # due Thursday 29 October
    tuesday.case(date(2026, 10, 20), ["P1"], ["E1"], channel=Channel.CONSUMER_COMPLAINT,
                 category=DisputeCategory.CONSUMER, state=CaseState.REGISTERED,
                 source=Department.COMPLAINT_96178)
    [finding] = tuesday.findings("R6")
    assert (finding.figures["due"], finding.figures["days_late"]) == ("2026-10-29", 3)


def test_a_case_in_a_closed_state_without_a_closing_day_closed_when_last_reported() -> None:
    scene = Scene()
    number = scene.case(ago(100), ["P1"], ["E1"], channel=Channel.PETITION,
                        category=DisputeCategory.NEIGHBOURS, state=CaseState.CLOSED,
                        source=Department.PETITION_OFFICE)
    case = scene.network.cases[f"petition:{number}"]
    assert case.closed_day == AS_OF  # the record was observed on the as-of day
    assert case.open_on(ago(1)) and not case.open_on(AS_OF)
    assert scene.findings("R6") == []
