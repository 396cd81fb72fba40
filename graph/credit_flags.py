"""When a credit listing counts against an entity (domain-china.md §6.3): one policy for
risk scores and the alert rules alike.

A listing counts only when
- its record names the subject by a full ID number or credit code, and the entity is known
  by that same identifier from another record (a flag is attached on an identifier match,
  never because the resolver linked a namesake by name, phone or address);
- it is in force on the day: started, and not expired — a listing published without an
  end date runs for its statutory period (dishonest judgment debtor 2 years, wage-arrears
  blacklist 3 years, administrative penalty publication 3 years);
- its subject was not a minor when listed (minors are never listed: 最高法规定 Art 4).
"""

from __future__ import annotations

from datetime import date

from graph.entities import EntityKind
from graph.network import CreditFact, DisputeNetwork
from graph.vocabulary import CreditEventType

ADULT_AGE = 18

STATUTORY_YEARS: dict[CreditEventType, int] = {
    CreditEventType.DISHONEST_DEBTOR: 2,
    CreditEventType.WAGE_ARREARS_BLACKLIST: 3,
    CreditEventType.ADMINISTRATIVE_PENALTY: 3,
}
"""How long a listing without an end date stays in force; types not listed run until a
record says otherwise (an abnormal-operation listing lasts until it is lifted)."""


def ends_on(credit: CreditFact) -> date | None:
    """The day a listing stops being in force (its own end date, else the statutory one)."""
    if credit.expires_on is not None:
        return credit.expires_on
    years = STATUTORY_YEARS.get(credit.event_type)
    return None if years is None else _add_years(credit.starts_on, years)


def flag_problem(network: DisputeNetwork, entity_id: str, credit: CreditFact, day: date
                 ) -> str | None:
    """Why `credit` does not count against `entity_id` on `day`; None when it does."""
    facts = network.mentions.get(credit.mention_id)
    if facts is None or facts.identifier is None:
        return "names its subject without a full ID number or credit code"
    born = facts.birth_date or network.birth_date_of(entity_id)
    if facts.kind is EntityKind.PERSON and born is not None and _age(
            born, credit.starts_on) < ADULT_AGE:
        return "its subject was a minor when listed"
    if credit.starts_on > day:
        return f"starts {credit.starts_on}, after the day"
    end = ends_on(credit)
    if end is not None and day >= end:
        return f"expired {end}" + ("" if credit.expires_on else " (statutory period)")
    known = any(f.identifier == facts.identifier for f in network.facts_of(entity_id)
                if f.mention_id != credit.mention_id)
    if not known:
        return "no other record of the entity carries the identifier it names"
    return None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
