"""CTGAN, as published (ctgan.CTGAN), made to fit in memory and time: the first synthesizer engine."""
