"""The kinds of background job and where each kind's body is.

Bodies are named as "module:function" and imported by the worker when it runs one, as models.synth.engines names
its engines: the run store, recovery and history need the kinds without importing what the bodies import, and
the bodies may use the runner (lib.jobs.runner) that runs them.
"""

from __future__ import annotations

SYNTH = "synth"
"""Job kind: train a synthesizer and store a first synthetic set from it."""
SYNTH_SAMPLE = "synth_sample"
"""Job kind: sample a stored synthesizer into a new synthetic set."""
WP_COMPARE = "wp_compare"
"""Job kind: train and compare win-probability arms over seeds."""

BODIES = {
    SYNTH: "lib.jobs.bodies:synthesize",
    SYNTH_SAMPLE: "lib.jobs.bodies:sample_synthesizer",
    WP_COMPARE: "lib.jobs.bodies:compare_wp",
}
"""Job kind -> "module:function" of its body, called by the worker as body(params, JobContext) -> result dict."""
