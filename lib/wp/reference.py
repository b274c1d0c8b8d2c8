"""The no-embedding reference for win probability: scikit-learn's HistGradientBoostingClassifier on the seven
numeric columns. Free of TensorFlow, so the Evaluate page's utility scores and the comparison share one fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from lib.data.schema import NUMERIC_COLUMNS, WINNER


def reference_predictions(train: pd.DataFrame, test: pd.DataFrame, seed: int) -> np.ndarray:
    """Win probabilities (0..1, shape (len(test),)) from the reference fit on `train`'s seven numeric columns,
    no players; `seed` seeds the boosting."""
    model = HistGradientBoostingClassifier(random_state=seed)
    # One OpenMP thread: when another job holds a core, OpenMP's spinning threads wait on each other at every
    # boosting step (measured 10x slower on a busy 2-core machine); one thread costs under 2x when the cores are free.
    with threadpool_limits(limits=1, user_api="openmp"):
        model.fit(train[NUMERIC_COLUMNS].to_numpy(), train[WINNER].to_numpy())
        return model.predict_proba(test[NUMERIC_COLUMNS].to_numpy())[:, list(model.classes_).index(1)]
