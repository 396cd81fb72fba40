from __future__ import annotations

from datetime import date
from functools import partial

from graph.clocks import add_working_days, deadline
from graph.performance import department_performance
from graph.vocabulary import CaseState, Channel, Department, DisputeCategory
from tests.graph.network_builders import add, case, company, network, person

DAY = date(2026, 11, 1)


def test_working_day_clocks_skip_weekends_and_calendar_clocks_do_not() -> None:
    friday = date(2026, 10, 30)
    assert add_working_days(friday, 1) == date(2026, 11, 2)
    # accept within 7 working days, then mediate within 45
    assert deadline(Channel.CONSUMER_COMPLAINT, friday) == add_working_days(friday, 52)
    # accept within 5 days, award within 45 after that
    assert deadline(Channel.LABOUR_ARBITRATION, friday) == date(2026, 12, 19)
    assert deadline(Channel.HOTLINE, friday) is None


def test_received_closed_overdue_median_and_share_before_litigation() -> None:
    net = network()
    parties = [person("张三"), company("甲公司")]
    labour_case = partial(case, channel=Channel.LABOUR_ARBITRATION,
                          category=DisputeCategory.WAGE_ARREARS,
                          source=Department.LABOUR_ARBITRATION)
    # open, filed 57 days ago: past the 5 + 45-day award clock
    add(net, labour_case("a", parties, filed=date(2026, 9, 5)), {})
    # open, within the clock
    add(net, labour_case("b", parties, filed=date(2026, 10, 20)), {})
    # closed in 10 days, settled
    add(net, labour_case("c", parties, filed=date(2026, 8, 1), closed=date(2026, 8, 11),
                  state=CaseState.CLOSED), {})
    # closed late (60 days), then taken to court
    add(net, labour_case("d", parties, filed=date(2026, 6, 1), closed=date(2026, 7, 31),
                  state=CaseState.AWARD), {})
    add(net, case("court1", parties, filed=date(2026, 8, 5), channel=Channel.LITIGATION,
                  category=DisputeCategory.WAGE_ARREARS, source=Department.COURT,
                  escalated_from="d"), {})
    # filed after the day: not received yet
    add(net, labour_case("e", parties, filed=date(2026, 11, 5)), {})
    rows = {(r.department, r.category): r for r in department_performance(net, DAY)}
    row = rows[("labour", "wage_arrears")]
    assert (row.received, row.closed, row.overdue_open, row.closed_late) == (4, 2, 1, 1)
    assert row.overdue == 2
    assert row.median_handling_days == 35.0
    assert row.resolved_before_litigation == 0.5
    assert "50 days" in row.clock
    court = rows[("court", "wage_arrears")]
    assert court.resolved_before_litigation is None and court.overdue == 0
