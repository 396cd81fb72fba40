"""Where a background case has got to, given how long ago it was filed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from graph.vocabulary import CaseState, Channel
from loaders.generator.clock import REFERENCE_DATE

S = CaseState

_OPEN: dict[Channel, tuple[CaseState, ...]] = {
    Channel.PETITION: (S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED,
                       S.REVIEW),
    Channel.PEOPLES_MEDIATION: (S.APPLIED, S.ACCEPTED, S.IN_MEDIATION, S.FOLLOW_UP),
    Channel.LABOUR_ARBITRATION: (S.MEDIATION, S.FILED, S.ACCEPTED, S.PANEL_FORMED, S.HEARING),
    Channel.CONSUMER_COMPLAINT: (S.REGISTERED, S.ACCEPTED, S.MEDIATION),
    Channel.TRAFFIC_ACCIDENT: (S.LIABILITY_FINDING, S.APPLIED, S.MEDIATION),
    Channel.MEDICAL_DISPUTE: (S.NEGOTIATION, S.INSURER_CLAIM, S.COMMITTEE, S.MEDIATION),
    Channel.HOTLINE: (S.REGISTERED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REPLIED),
    Channel.LITIGATION: (S.FILED, S.ACCEPTED, S.HEARING),
    Channel.ENFORCEMENT: (S.FILED, S.ENFORCING),
}
# Background mediations rarely fail: a failure followed by a lawsuit is scenario R7's pattern.
_CLOSED: dict[Channel, tuple[tuple[CaseState, float], ...]] = {
    Channel.PETITION: ((S.CLOSED, 6), (S.DECLINED, 1)),
    Channel.PEOPLES_MEDIATION: ((S.AGREEMENT, 5), (S.FAILED, 0.5),
                                (S.JUDICIAL_CONFIRMATION, 1), (S.PERFORMED, 2)),
    Channel.LABOUR_ARBITRATION: ((S.AWARD, 4), (S.CLOSED, 3), (S.LAWSUIT, 0.5)),
    Channel.CONSUMER_COMPLAINT: ((S.AGREEMENT, 5), (S.TERMINATED, 1), (S.NOTIFIED, 1),
                                 (S.DECLINED, 1)),
    Channel.TRAFFIC_ACCIDENT: ((S.AGREEMENT, 5), (S.TERMINATED, 1), (S.LAWSUIT, 0.5)),
    Channel.MEDICAL_DISPUTE: ((S.AGREEMENT, 5), (S.LAWSUIT, 1)),
    Channel.HOTLINE: ((S.CLOSED, 10), (S.RETURNED, 0.5), (S.ESCALATED, 0.3)),
    Channel.LITIGATION: ((S.JUDGMENT, 5), (S.CLOSED, 3), (S.WITHDRAWN, 1)),
    Channel.ENFORCEMENT: ((S.CONCLUDED, 4), (S.TERMINATED, 3)),
}
# How many days such a case usually takes to close.
_DURATION: dict[Channel, tuple[int, int]] = {
    Channel.PETITION: (20, 90), Channel.PEOPLES_MEDIATION: (3, 40),
    Channel.LABOUR_ARBITRATION: (25, 70), Channel.CONSUMER_COMPLAINT: (5, 60),
    Channel.TRAFFIC_ACCIDENT: (10, 40), Channel.MEDICAL_DISPUTE: (20, 90),
    Channel.HOTLINE: (1, 15), Channel.LITIGATION: (40, 200), Channel.ENFORCEMENT: (60, 360),
}


def pick_state(channel: Channel, filed_on: date,
               rng: random.Random) -> tuple[CaseState, date | None]:
    """A state fitting the case's age, and its closing date when the state is final."""
    low, high = _DURATION[channel]
    closes = filed_on + timedelta(days=rng.randint(low, high))
    if closes < REFERENCE_DATE and rng.random() < 0.95:
        states, weights = zip(*_CLOSED[channel], strict=True)
        state = rng.choices(states, weights=weights)[0]
        return state, closes
    return rng.choice(_OPEN[channel]), None

