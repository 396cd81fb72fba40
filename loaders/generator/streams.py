"""Named random streams.

Every part of the generator draws from its own stream, seeded from the run's seed and the
part's name, so adding a draw in one department does not shift every other department's
output, and a run is reproducible whatever order Python would iterate sets in.
"""

from __future__ import annotations

import random


def stream(seed: int, name: str) -> random.Random:
    # A str seed is hashed with SHA-512 by `random`, independent of PYTHONHASHSEED.
    return random.Random(f"wutong/{seed}/{name}")
