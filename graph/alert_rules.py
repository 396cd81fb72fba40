"""The early-warning rules (domain-china.md §6.4) over the dispute network.

Each rule reads resolved entities, never records: it counts distinct people and
enterprises, and finds what it is about (an employer group, a petitioner's matter, a
mediation that escalated) through the network's indexes. Each returns `Finding`s with the
figures that crossed its threshold and a reason a risk officer can read.

`evaluate` runs every rule in full; given the entities a change touched it runs each rule
only for the causes those entities can affect, which gives the same findings for them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from rapidfuzz import fuzz

from graph.alert_config import AlertConfig
from graph.alerts import AlertLevel, Finding
from graph.clocks import days_overdue
from graph.credit_flags import flag_problem
from graph.entities import EntityKind
from graph.network import CaseFact, CorporateLink, CreditFact, DisputeNetwork
from graph.vocabulary import (
    CaseState,
    Channel,
    CreditEventType,
    DisputeCategory,
    PartyRole,
    RelationType,
)

ClusterMembers = tuple[str, frozenset[str]]
"""A conflict cluster as the growth rule reads it: (cluster id, member entities)."""

RED, ORANGE, YELLOW = AlertLevel.RED, AlertLevel.ORANGE, AlertLevel.YELLOW


@dataclass(frozen=True)
class RuleContext:
    network: DisputeNetwork
    config: AlertConfig
    as_of: date
    _groups: dict[str, frozenset[str]] = field(default_factory=dict)

    def group(self, enterprise: str) -> frozenset[str]:
        """`employer_group`, walked once per evaluation (R1, R10 and the scope share it)."""
        found = self._groups.get(enterprise)
        if found is None:
            found = employer_group(self.network, enterprise, self.as_of)
            self._groups.update(dict.fromkeys(found, found))
        return found

    @property
    def horizon(self) -> date:
        """Patterns must reach this day or later to raise an alert."""
        return self.as_of - timedelta(days=self.config.lookback_days)

    def seen(self, case: CaseFact) -> bool:
        """The case had been filed by the as-of day."""
        return case.filed_on <= self.as_of


def evaluate(network: DisputeNetwork, config: AlertConfig, as_of: date,
             clusters: Sequence[ClusterMembers] = (), touched: set[str] | None = None
             ) -> list[Finding]:
    """Every rule's findings; only those `touched` entities can affect, when given."""
    ctx = RuleContext(network, config, as_of)
    enterprises = _touched_groups(ctx, touched)
    people = _touched_people(ctx, touched)
    findings: list[Finding] = []
    r1 = list(collective_labour(ctx, enterprises))
    findings += r1
    findings += group_petition(ctx, people | enterprises)
    findings += repeat_petition(ctx, people)
    findings += mediation_escalation(ctx, people | enterprises)
    findings += cross_channel(ctx, people)
    findings += repeat_respondent(ctx, enterprises, skip={f.cause for f in r1})
    findings += credit_flag(ctx, touched)
    findings += overdue_clocks(ctx, None if touched is None else people | enterprises)
    findings += cluster_growth(ctx, clusters, touched)
    return findings


# --- which causes a change can affect ---------------------------------------------------

def _all_of(ctx: RuleContext, kind: EntityKind) -> set[str]:
    return {e for e in ctx.network.entities() if ctx.network.kind_of(e) is kind}


def _touched_groups(ctx: RuleContext, touched: set[str] | None) -> set[str]:
    """The employer groups of the touched enterprises and of those the touched people
    represent. `touched` holds every party of every case a change added or moved a
    mention of (alert_engine.touched_entities), so a worker's new claim touches the
    employer itself."""
    if touched is None:
        return _all_of(ctx, EntityKind.ENTERPRISE)
    out: set[str] = set()
    for entity in touched:
        if ctx.network.kind_of(entity) is EntityKind.ENTERPRISE:
            out.add(entity)
        out |= {other for _, other in ctx.network.links_of(entity)
                if ctx.network.kind_of(other) is EntityKind.ENTERPRISE}
    return {member for e in out for member in ctx.group(e)}


def _touched_people(ctx: RuleContext, touched: set[str] | None) -> set[str]:
    if touched is None:
        return _all_of(ctx, EntityKind.PERSON)
    return {e for e in touched if ctx.network.kind_of(e) is EntityKind.PERSON}


# --- shared helpers ---------------------------------------------------------------------

def employer_group(network: DisputeNetwork, enterprise: str, as_of: date | None = None
                   ) -> frozenset[str]:
    """An enterprise with its branches and parent (by name) and the other enterprises of
    its legal representatives (those in office on `as_of`, when given): R1's "employer
    cluster (USCC + branches + same legal rep)"."""
    group = {enterprise}
    frontier = [enterprise]
    while frontier:
        current = frontier.pop()
        reached = set(network.group_peers(current))
        for link, person in network.links_of(current):
            if not _in_office(link, as_of):
                continue
            reached |= {other for rep_link, other in network.links_of(person)
                        if _in_office(rep_link, as_of)}
        for entity in reached - group:
            if network.kind_of(entity) is EntityKind.ENTERPRISE:
                group.add(entity)
                frontier.append(entity)
    return frozenset(group)


def _in_office(link: CorporateLink, as_of: date | None) -> bool:
    return link.relation is RelationType.LEGAL_REPRESENTATIVE and (
        as_of is None or link.active_on(as_of))


_K = TypeVar("_K")
_V = TypeVar("_V")


def _spans(ordered: Sequence[tuple[date, _K, _V]], days: int, horizon: date
           ) -> Iterator[Sequence[tuple[date, _K, _V]]]:
    """Every `days`-long run of date-sorted items that ends on an item dated `horizon` or
    later (one run per such item, the longest ending there)."""
    start = 0
    for end, (day, _, _) in enumerate(ordered):
        while day - ordered[start][0] >= timedelta(days=days):
            start += 1
        if day >= horizon:
            yield ordered[start:end + 1]


def _best_window(items: Sequence[tuple[date, str, CaseFact]], days: int, horizon: date
                 ) -> tuple[set[str], list[CaseFact], date, date] | None:
    """The `days`-long window with the most distinct keys among dated items, ending on or
    after `horizon` (latest such window on ties): (keys, cases, first day, last day)."""
    ordered = sorted(items, key=lambda item: (item[0], item[1], item[2].key))
    best: tuple[set[str], list[CaseFact], date, date] | None = None
    for span in _spans(ordered, days, horizon):
        keys = {key for _, key, _ in span}
        if best is None or len(keys) >= len(best[0]):
            cases = list({c.key: c for _, _, c in span}.values())
            best = (keys, cases, span[0][0], span[-1][0])
    return best


def _departments(cases: Iterable[CaseFact]) -> list[str]:
    return sorted({c.source for c in cases})


def _channels(cases: Iterable[CaseFact]) -> list[str]:
    return sorted({c.channel.value for c in cases})


def _keys(cases: Iterable[CaseFact]) -> tuple[str, ...]:
    return tuple(sorted({c.key for c in cases}))


def _level(count: int, yellow: int, orange: int, red: int) -> AlertLevel | None:
    if count >= red:
        return RED
    if count >= orange:
        return ORANGE
    if count >= yellow:
        return YELLOW
    return None


def _respondents(network: DisputeNetwork, case: CaseFact) -> set[str]:
    return {e for e, role in network.case_entities(case) if role is PartyRole.RESPONDENT}


def _applicants(network: DisputeNetwork, case: CaseFact) -> set[str]:
    return {e for e, role in network.case_entities(case) if role is PartyRole.APPLICANT}


# --- R1 collective labour dispute -------------------------------------------------------

def collective_labour(ctx: RuleContext, enterprises: set[str]) -> Iterator[Finding]:
    """≥ min_workers distinct workers with labour or wage claims against one employer group
    within the window; red at the arrears crime threshold or a reported stoppage."""
    cfg = ctx.config.R1
    done: set[frozenset[str]] = set()
    for enterprise in sorted(enterprises):
        group = ctx.group(enterprise)
        if group in done:
            continue
        done.add(group)
        items: list[tuple[date, str, CaseFact]] = []
        for member in group:
            for case, role in ctx.network.cases_of(member):
                if (role is PartyRole.RESPONDENT and case.category in cfg.categories
                        and ctx.seen(case)):
                    items += [(case.filed_on, worker, case)
                              for worker in _applicants(ctx.network, case)
                              if ctx.network.kind_of(worker) is EntityKind.PERSON]
        window = _best_window(items, cfg.window_days, ctx.horizon)
        if window is None or len(window[0]) < cfg.min_workers:
            continue
        workers, cases, first, last = window
        arrears = _arrears(ctx.network, cases, workers)
        stoppage = sorted({w for c in cases for w in cfg.red_words if w in (c.summary or "")})
        level = RED if arrears >= cfg.crime_threshold_yuan or stoppage else ORANGE
        head = min(group)
        named = sorted({e for c in cases for e in _respondents(ctx.network, c)} & group)
        reason = (f"{len(workers)} workers brought {len(cases)} labour or wage claims against "
                  f"{ctx.network.name_of(named[0] if named else head)}"
                  + (f" and {len(named) - 1} linked enterprise(s)" if len(named) > 1 else "")
                  + f" between {first} and {last} (threshold {cfg.min_workers} in "
                  f"{cfg.window_days} days) through {', '.join(_departments(cases))}; "
                  f"arrears claimed ¥{arrears:,.0f}"
                  + (f" (crime threshold ¥{cfg.crime_threshold_yuan:,.0f})"
                     if arrears >= cfg.crime_threshold_yuan else "")
                  + (f"; reported: {', '.join(stoppage)}" if stoppage else ""))
        yield Finding(
            rule="R1", cause=f"group:{head}", level=level,
            entities=(*named, *sorted(workers)), cases=_keys(cases),
            figures={"workers": len(workers), "cases": len(cases),
                     "arrears_yuan": round(arrears, 2), "departments": _departments(cases),
                     "channels": _channels(cases), "employer_group": sorted(group),
                     "threshold_workers": cfg.min_workers, "window_days": cfg.window_days,
                     "stoppage_reported": stoppage},
            reason=reason, window_from=first, window_to=last)


def _arrears(network: DisputeNetwork, cases: Sequence[CaseFact], workers: set[str]) -> float:
    """Arrears claimed, each worker counted once: their largest claim of their own, else
    their share of a joint claim (a worker who went to arbitration and the hotline about
    the same wages is owed them once)."""
    own: dict[str, float] = {}
    shared: dict[str, float] = {}
    for case in cases:
        if case.amount is None:
            continue
        claimants = _applicants(network, case) & workers
        for worker in claimants:
            if len(claimants) == 1:
                own[worker] = max(own.get(worker, 0.0), case.amount)
            else:
                shared[worker] = max(shared.get(worker, 0.0), case.amount / len(claimants))
    return sum(own.values()) + sum(v for w, v in shared.items() if w not in own)


# --- R3 group petition ------------------------------------------------------------------

def group_petition(ctx: RuleContext, entities: set[str]) -> Iterator[Finding]:
    """≥ yellow_from distinct petitioners on one matter (one respondent) within the window."""
    cfg = ctx.config.R3
    by_matter: dict[str, list[tuple[date, str, CaseFact]]] = defaultdict(list)
    for case in _cases_of(ctx, entities):
        if case.channel is not Channel.PETITION or not ctx.seen(case):
            continue
        respondents = sorted(_respondents(ctx.network, case))
        matter = (f"respondent:{respondents[0]}:{case.category.value}" if respondents
                  else f"case:{case.key}")
        by_matter[matter] += [(case.filed_on, p, case) for p in _applicants(ctx.network, case)
                              if ctx.network.kind_of(p) is EntityKind.PERSON]
    for matter, items in sorted(by_matter.items()):
        window = _best_window(items, cfg.window_days, ctx.horizon)
        if window is None:
            continue
        petitioners, cases, first, last = window
        level = _level(len(petitioners), cfg.yellow_from, cfg.orange_from, cfg.red_from)
        if level is None:
            continue
        about = matter.split(":")[1]
        target = (f"{ctx.network.name_of(about)} ({matter.split(':')[2]})"
                  if matter.startswith("respondent") else about)
        yield Finding(
            rule="R3", cause=matter, level=level,
            entities=tuple(sorted(petitioners)), cases=_keys(cases),
            figures={"petitioners": len(petitioners), "petitions": len(cases),
                     "thresholds": [cfg.yellow_from, cfg.orange_from, cfg.red_from]},
            reason=(f"{len(petitioners)} people petitioned about {target} between {first} and "
                    f"{last} (collective from {cfg.yellow_from})"),
            window_from=first, window_to=last)


def _cases_of(ctx: RuleContext, entities: Iterable[str]) -> list[CaseFact]:
    cases = {case.key: case for e in entities for case, _ in ctx.network.cases_of(e)}
    return [cases[k] for k in sorted(cases)]


# --- matters: one person's submissions about one thing ----------------------------------

def _same_matter(ctx: RuleContext, a: CaseFact, b: CaseFact, threshold: float) -> bool:
    if a.category is not b.category:
        return False
    ra, rb = _respondents(ctx.network, a), _respondents(ctx.network, b)
    if ra and rb:
        return bool(ra & rb)
    if ra or rb:
        return False
    return fuzz.partial_ratio(a.summary or a.cause or "", b.summary or b.cause or "") >= threshold


def _matters(ctx: RuleContext, cases: Sequence[CaseFact], threshold: float
             ) -> list[list[CaseFact]]:
    """Cases grouped into matters (single link: a case joins the first matter it fits)."""
    matters: list[list[CaseFact]] = []
    for case in sorted(cases, key=lambda c: (c.filed_on, c.key)):
        home = next((m for m in matters
                     if any(_same_matter(ctx, case, other, threshold) for other in m)), None)
        if home is None:
            matters.append([case])
        else:
            home.append(case)
    return matters


def _submissions(matter: Sequence[CaseFact], merge_days: int) -> list[list[CaseFact]]:
    """A matter's cases as submissions: one lodged in several channels within `merge_days`
    of its first case is one submission (一事多投 merged into one matter code)."""
    out: list[list[CaseFact]] = []
    for case in matter:
        last = out[-1] if out else None
        if (last is not None and case.channel not in {c.channel for c in last}
                and (case.filed_on - last[0].filed_on).days <= merge_days):
            last.append(case)
        else:
            out.append([case])
    return out


def _matter_label(ctx: RuleContext, matter: Sequence[CaseFact]) -> str:
    respondents = sorted({e for c in matter for e in _respondents(ctx.network, c)})
    category = matter[0].category.value
    if respondents:
        return f"{category} against {ctx.network.name_of(respondents[0])}"
    return category


# --- R4 repeat petition -----------------------------------------------------------------

def repeat_petition(ctx: RuleContext, people: set[str]) -> Iterator[Finding]:
    """The same person raising the same matter again through complaint channels, from the
    second submission; red when it recurs after the petition was closed (终结)."""
    cfg = ctx.config.R4
    for person in sorted(people):
        lodged = [case for case, role in ctx.network.cases_of(person)
                  if role is PartyRole.APPLICANT and case.channel in cfg.channels
                  and ctx.seen(case)]
        if len(lodged) < 2:
            continue
        for matter in _matters(ctx, lodged, cfg.text_similarity):
            submissions = _submissions(matter, cfg.merge_days)
            if len(submissions) < 2 or matter[-1].filed_on < ctx.horizon:
                continue
            after_closing = [s[0] for s in submissions[1:]
                             if _after_closed_petition(s[0], matter)]
            level = (RED if after_closing
                     else ORANGE if len(submissions) >= cfg.orange_from else YELLOW)
            label = _matter_label(ctx, matter)
            respondents = sorted({e for c in matter for e in _respondents(ctx.network, c)})
            yield Finding(
                rule="R4", cause=f"{person}:{matter[0].key}", level=level,
                entities=(person, *respondents), cases=_keys(matter),
                figures={"submissions": len(submissions), "cases": len(matter),
                         "channels": _channels(matter),
                         "after_closing": [c.key for c in after_closing]},
                reason=(f"{ctx.network.name_of(person)} raised the same matter ({label}) "
                        f"{len(submissions)} times between {matter[0].filed_on} and "
                        f"{matter[-1].filed_on} through {', '.join(_channels(matter))}"
                        + (f", {len(after_closing)} of them after the petition was closed (终结)"
                           if after_closing else "")),
                window_from=matter[0].filed_on, window_to=matter[-1].filed_on)


def _after_closed_petition(case: CaseFact, matter: Sequence[CaseFact]) -> bool:
    return any(c.channel is Channel.PETITION and c.state is CaseState.CLOSED
               and c.closed_on is not None and c.closed_on < case.filed_on for c in matter)


# --- R6 overdue statutory clocks -------------------------------------------------------

def overdue_clocks(ctx: RuleContext, entities: set[str] | None) -> Iterator[Finding]:
    """An open case past its statutory clock (graph.clocks); orange once past the allowed
    extension, or late by as long again as the clock itself. Only cases that fell due within
    the lookback raise alerts: older ones are stale records for the department to close."""
    cases = (ctx.network.cases.values() if entities is None
             else _cases_of(ctx, entities))
    for case in sorted(cases, key=lambda c: c.key):
        overdue = days_overdue(case, ctx.as_of)
        if overdue is None:
            continue
        clock, due, late = overdue
        if due < ctx.horizon:
            continue
        serious = late > clock.extension_days if clock.extension_days else late >= clock.days
        unit = "working days" if clock.working_days else "days"
        yield Finding(
            rule="R6", cause=case.key, level=ORANGE if serious else YELLOW,
            entities=tuple(e for e, _ in ctx.network.case_entities(case)), cases=(case.key,),
            figures={"channel": case.channel.value, "state": case.state.value,
                     "department": case.source, "limit": clock.days, "unit": unit,
                     "due": due.isoformat(), "days_late": late, "basis": clock.basis},
            reason=(f"{case.source} case {case.source_id} ({case.channel.value}, "
                    f"{case.state.value}) had to {clock.what} within {clock.days} {unit} of "
                    f"{case.filed_on}; it is {late} days past {due} ({clock.basis})"),
            window_from=case.filed_on, window_to=due)


# --- R7 escalation from mediation -------------------------------------------------------

_MEDIATION_ENDED = frozenset({CaseState.FAILED, CaseState.TERMINATED})


def mediation_escalation(ctx: RuleContext, entities: set[str]) -> Iterator[Finding]:
    """A failed people's mediation followed, between the same parties, by arbitration,
    litigation or a petition within the window; or an agreement never judicially confirmed
    followed by a new dispute between them."""
    cfg = ctx.config.R7
    cases = [c for c in _cases_of(ctx, entities) if ctx.seen(c)]
    for later in cases:
        if later.channel not in cfg.to_channels or later.filed_on < ctx.horizon:
            continue
        for earlier in _mediations_before(ctx, later):
            finding = _escalation(ctx, earlier, later)
            if finding is not None:
                yield finding


def _mediations_before(ctx: RuleContext, later: CaseFact) -> list[CaseFact]:
    source = ctx.network.escalation_source(later)
    found = {source.key: source} if source is not None else {}
    applicants, respondents = _applicants(ctx.network, later), _respondents(ctx.network, later)
    for entity in applicants:
        for case, _ in ctx.network.cases_of(entity):
            if (case.channel is Channel.PEOPLES_MEDIATION and case.filed_on <= later.filed_on
                    and {e for e, _ in ctx.network.case_entities(case)} >= (
                        {entity} | respondents) and respondents):
                found.setdefault(case.key, case)
    return [c for c in found.values() if c.channel is Channel.PEOPLES_MEDIATION]


def _escalation(ctx: RuleContext, mediation: CaseFact, later: CaseFact) -> Finding | None:
    cfg = ctx.config.R7
    ended = mediation.closed_on or mediation.filed_on
    gap = (later.filed_on - ended).days
    linked = later.escalated_from == mediation.source_id
    if not linked and later.category is not mediation.category:
        return None
    if mediation.state in _MEDIATION_ENDED and -1 <= gap <= cfg.window_days:
        what = f"people's mediation ended {mediation.state.value} on {ended}"
    elif (mediation.state is CaseState.AGREEMENT and mediation.closed_on is not None
          and cfg.confirmation_days < gap <= cfg.confirmation_days + cfg.window_days):
        what = (f"a mediation agreement of {ended} was not judicially confirmed within "
                f"{cfg.confirmation_days} days")
    else:
        return None
    level = ORANGE if later.channel is Channel.PETITION else YELLOW
    parties = sorted({e for e, _ in ctx.network.case_entities(mediation)}
                     & {e for e, _ in ctx.network.case_entities(later)})
    return Finding(
        rule="R7", cause=f"{mediation.key}>{later.key}", level=level,
        entities=tuple(parties), cases=(mediation.key, later.key),
        figures={"from_channel": mediation.channel.value, "to_channel": later.channel.value,
                 "days_after": gap, "linked_by_case_number": linked},
        reason=(f"{what}; {gap} days later the same parties "
                f"({', '.join(ctx.network.name_of(p) for p in parties)}) are in "
                f"{later.channel.value} ({later.source_id})"),
        window_from=mediation.filed_on, window_to=later.filed_on)


# --- R8 one matter in several channels --------------------------------------------------

def cross_channel(ctx: RuleContext, people: set[str]) -> Iterator[Finding]:
    """The same person and matter in ≥ min_channels channels within the window: one matter
    (事项码) lodged several ways."""
    cfg = ctx.config.R8
    for person in sorted(people):
        lodged = [case for case, role in ctx.network.cases_of(person)
                  if role is PartyRole.APPLICANT and ctx.seen(case)]
        if len(lodged) < 2:
            continue
        for matter in _matters(ctx, lodged, ctx.config.R4.text_similarity):
            for episode in _episodes(matter, cfg.window_days):
                channels = _channels(episode)
                if len(channels) < cfg.min_channels or episode[-1].filed_on < ctx.horizon:
                    continue
                yield Finding(
                    rule="R8", cause=f"{person}:{episode[0].key}",
                    level=ORANGE if len(channels) >= cfg.orange_from else YELLOW,
                    entities=(person, *sorted({e for c in episode
                                               for e in _respondents(ctx.network, c)})),
                    cases=_keys(episode),
                    figures={"channels": channels, "departments": _departments(episode),
                             "cases": len(episode), "matter_code": episode[0].key},
                    reason=(f"{ctx.network.name_of(person)} lodged one matter "
                            f"({_matter_label(ctx, episode)}) in {len(channels)} channels "
                            f"({', '.join(channels)}) between {episode[0].filed_on} and "
                            f"{episode[-1].filed_on}; handle it as one matter"),
                    window_from=episode[0].filed_on, window_to=episode[-1].filed_on)


def _episodes(matter: Sequence[CaseFact], days: int) -> list[list[CaseFact]]:
    out: list[list[CaseFact]] = []
    for case in matter:
        if out and (case.filed_on - out[-1][0].filed_on).days <= days:
            out[-1].append(case)
        else:
            out.append([case])
    return out


# --- R10 repeat-respondent enterprise ---------------------------------------------------

_R10_CATEGORIES = frozenset({DisputeCategory.CONSUMER, DisputeCategory.LABOUR,
                             DisputeCategory.WAGE_ARREARS})


def repeat_respondent(ctx: RuleContext, enterprises: set[str], skip: set[str]
                      ) -> Iterator[Finding]:
    """An enterprise group respondent in ≥ min_cases consumer complaints, labour cases and
    administrative penalties (weighted) within the window; orange with an active credit
    flag. Groups already under a collective-labour alert (R1) are left to it."""
    cfg = ctx.config.R10
    done: set[frozenset[str]] = set()
    for enterprise in sorted(enterprises):
        group = ctx.group(enterprise)
        if group in done or f"group:{min(group)}" in skip:
            continue
        done.add(group)
        events: list[tuple[date, float, str]] = []
        cases: dict[str, CaseFact] = {}
        flags: list[CreditFact] = []
        for member in group:
            for case, role in ctx.network.cases_of(member):
                if (role is PartyRole.RESPONDENT and ctx.seen(case)
                        and (case.channel is Channel.CONSUMER_COMPLAINT
                             or case.category in _R10_CATEGORIES)):
                    cases[case.key] = case
            for credit in ctx.network.credits_of(member):
                if (credit.event_type is CreditEventType.ADMINISTRATIVE_PENALTY
                        and credit.starts_on <= ctx.as_of):
                    events.append((credit.starts_on, cfg.penalty_weight, credit.key))
                if (credit.event_type in cfg.orange_credit_types
                        and flag_problem(ctx.network, member, credit, ctx.as_of) is None):
                    flags.append(credit)
        events += [(c.filed_on, 1.0, c.key) for c in cases.values()]
        best = _heaviest_window(events, cfg.window_days, ctx.horizon)
        if best is None or best[0] < cfg.min_cases:
            continue
        weight, keys, first, last = best
        in_window = [cases[k] for k in keys if k in cases]
        penalties = [k for k in keys if k not in cases]
        yield Finding(
            rule="R10", cause=f"group:{min(group)}", level=ORANGE if flags else YELLOW,
            entities=tuple(sorted(group)), cases=_keys(in_window),
            figures={"cases": len(in_window), "penalties": len(penalties),
                     "weighted": weight, "threshold": cfg.min_cases,
                     "credit_flags": sorted(f.event_type.value for f in flags)},
            reason=(f"{ctx.network.name_of(min(group))} was respondent in {len(in_window)} "
                    f"complaints or labour cases"
                    + (f" and received {len(penalties)} administrative penalties"
                       if penalties else "")
                    + f" between {first} and {last} (threshold {cfg.min_cases} in "
                    f"{cfg.window_days} days)"
                    + (f"; credit flags: {', '.join(sorted({f.event_type.value for f in flags}))}"
                       if flags else "")),
            window_from=first, window_to=last)


def _heaviest_window(events: list[tuple[date, float, str]], days: int, horizon: date
                     ) -> tuple[float, list[str], date, date] | None:
    """The `days`-long window of weighted events with the most weight, ending on or after
    `horizon` (latest on ties): (weight, keys, first day, last day)."""
    best: tuple[float, list[str], date, date] | None = None
    for span in _spans(sorted(events), days, horizon):
        weight = sum(w for _, w, _ in span)
        if best is None or weight >= best[0]:
            best = (weight, [k for _, _, k in span], span[0][0], span[-1][0])
    return best


# --- R13 credit-flag hygiene ------------------------------------------------------------

def credit_flag(ctx: RuleContext, touched: set[str] | None) -> Iterator[Finding]:
    """A dishonest-list (or wage-arrears blacklist) entity, or an enterprise its listed
    legal representative runs, in cases filed after the listing. A listing counts only when
    the record names its subject by full ID number or credit code (never by name), is in
    force on the as-of day, and its subject is not a minor."""
    cfg = ctx.config.R13
    listed = _listed(ctx)
    targets: dict[str, list[tuple[str, CreditFact]]] = defaultdict(list)
    for entity, credits in listed.items():
        for credit in credits:
            targets[entity].append((entity, credit))
            if ctx.network.kind_of(entity) is EntityKind.PERSON:
                for link, enterprise in ctx.network.links_of(entity):
                    if (link.relation is RelationType.LEGAL_REPRESENTATIVE
                            and link.active_on(ctx.as_of)):
                        targets[enterprise].append((entity, credit))
    for target, via in sorted(targets.items()):
        if touched is not None and target not in touched and not (
                {e for e, _ in via} & touched):
            continue
        since = min(c.starts_on for _, c in via)
        new = [case for case, _ in ctx.network.cases_of(target)
               if since <= case.filed_on <= ctx.as_of
               and case.filed_on >= ctx.as_of - timedelta(days=cfg.new_case_days)]
        if not new:
            continue
        direct = any(e == target for e, _ in via)
        level = ORANGE if direct or len(new) >= cfg.orange_from else YELLOW
        listed_entities = sorted({e for e, _ in via})
        kinds = sorted({c.event_type.value for _, c in via})
        how = ("is listed" if direct else
               "is run by a listed legal representative ("
               + ", ".join(ctx.network.name_of(e) for e in listed_entities) + ")")
        yield Finding(
            rule="R13", cause=target, level=level,
            entities=tuple(dict.fromkeys((target, *listed_entities))),
            cases=_keys(new),
            figures={"listings": sorted({c.key for _, c in via}), "credit_types": kinds,
                     "listed_since": since.isoformat(), "new_cases": len(new),
                     "direct": direct},
            reason=(f"{ctx.network.name_of(target)} {how} as {', '.join(kinds)} since {since}, "
                    f"and appears in {len(new)} case(s) filed since"),
            window_from=since, window_to=max(c.filed_on for c in new))


def _listed(ctx: RuleContext) -> dict[str, list[CreditFact]]:
    out: dict[str, list[CreditFact]] = defaultdict(list)
    for credit in ctx.network.credits.values():
        if credit.event_type not in ctx.config.R13.credit_types:
            continue
        entity = ctx.network.entity_of(credit.mention_id)
        if entity is not None and flag_problem(ctx.network, entity, credit, ctx.as_of) is None:
            out[entity].append(credit)
    return out


# --- conflict clusters growing fast -----------------------------------------------------

def cluster_growth(ctx: RuleContext, clusters: Sequence[ClusterMembers], touched: set[str] | None
                   ) -> Iterator[Finding]:
    """A cluster with many new cases and new parties in the last days, well above its
    usual weekly pace."""
    cfg = ctx.config.cluster_growth
    recent_from = ctx.as_of - timedelta(days=cfg.days)
    before_from = recent_from - timedelta(days=28)
    for cluster_id, members in clusters:
        if touched is not None and not members & touched:
            continue
        cases = _cases_of(ctx, members)
        new = [c for c in cases if recent_from < c.filed_on <= ctx.as_of]
        level = _level(len(new), cfg.yellow_from, cfg.orange_from, cfg.red_from)
        if level is None:
            continue
        parties = {e for c in new for e, _ in ctx.network.case_entities(c)}
        earlier = sum(1 for c in cases if before_from < c.filed_on <= recent_from)
        weekly = earlier * cfg.days / 28
        if len(parties) < cfg.min_new_parties or len(new) < cfg.growth_factor * weekly:
            continue
        yield Finding(
            rule="cluster_growth", cause=cluster_id, level=level,
            entities=tuple(sorted(parties)), cases=_keys(new),
            figures={"new_cases": len(new), "new_parties": len(parties),
                     "usual_weekly_cases": round(weekly, 2), "cluster_size": len(members),
                     "departments": _departments(new)},
            reason=(f"conflict cluster {cluster_id} ({len(members)} entities) gained "
                    f"{len(new)} cases with {len(parties)} parties in the last {cfg.days} days "
                    f"through {', '.join(_departments(new))}, against {weekly:.1f} a week "
                    "before"),
            window_from=min(c.filed_on for c in new), window_to=max(c.filed_on for c in new))

