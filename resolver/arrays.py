"""The numpy array types the resolver's stages pass between them."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.object_]
LevelMatrix = npt.NDArray[np.int8]  # pairs × comparisons; -1 where a field is missing
CountMatrix = npt.NDArray[np.int64]
