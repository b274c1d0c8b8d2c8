"""Augment & train page pieces: the comparison's time estimate, how often each synthetic row (or whole match) would
be used per arm, the offer to generate more from the stored synthesizer, and the augmented training set for
download.

A synthetic set with a matchId column (the matches engine's) is drawn match by match (lib.data.augment): its ratio
is synthetic matches per real training match, and everything here counts matches.
"""

from __future__ import annotations

import streamlit as st

from lib.data import files, workspace
from lib.data.augment import MAX_REPEATS, repeats
from lib.data.schema import MATCH_ID
from lib.data.units import duration
from lib.data.validation import summarize
from lib.jobs import runner
from lib.jobs.bodies import augmented_training_set, comparison_estimate, training_matches
from lib.jobs.kinds import SYNTH_SAMPLE
from lib.wp.arms import RATIO_CHOICES
from pages.ui.common import unique_set_name, unique_title


@st.cache_data(max_entries=8, ttl=300, show_spinner="Timing two epochs of the win-probability model…")
def cached_estimate(params: dict, real_created: str, synthetic_created: str | None):
    """The comparison's estimate (lib.wp.estimate.CompareEstimate) for the job params Train would submit; kept five
    minutes, as the probe's timings are (they follow the machine's load). The creation times key a replaced
    dataset."""
    return comparison_estimate(params)


def estimate_ui(estimate) -> None:
    """The trainings a comparison runs and the most time they take, before Train."""
    cells = [("Trainings", f"{estimate.trainings}"),
             ("One real-arm training", duration(estimate.real_training_seconds)),
             ("All trainings, at most", duration(estimate.total_seconds))]
    for column, (label, value) in zip(st.columns(len(cells)), cells):
        column.metric(label, value)
    facts = estimate.facts()
    st.caption(f"{facts[:1].upper()}{facts[1:]}. Timed by training the model for two epochs in a process like the "
               "job's, on this machine as loaded now. The job also starts, prepares the rows, fits the reference "
               "model and scores every arm on the test matches, which this leaves out.")


def whole_matches(synthetic) -> bool:
    """Whether a stored synthetic set holds whole matches (a matchId column), read without loading its rows."""
    return MATCH_ID in workspace.dataset_columns(synthetic.id)


def ratio_label(by_match: bool) -> str:
    """What a ratio counts: synthetic matches per real training match for a set of whole matches, else rows."""
    return "Synthetic matches per real training match" if by_match else "Synthetic rows per real training row"


@st.cache_data(max_entries=4, show_spinner=False)
def _training_size(real_id: str, created: str):
    """Rows and matches of the real training matches of the standard split: what a ratio multiplies."""
    return summarize(training_matches(real_id))


def repeats_ui(real, synthetic, ratios: list[float]) -> None:
    """How often each synthetic row (or match) would be used per arm; a warning and an offer to generate enough
    from the stored synthesizer when one would be used more than a few times."""
    by_match = whole_matches(synthetic)
    unit, one = ("matches", "match") if by_match else ("rows", "row")
    train = _training_size(real.id, real.created)
    real_count, available = (train.matches, synthetic.matches) if by_match else (train.rows, synthetic.rows)
    per_match = synthetic.rows_per_match if by_match else None
    # the synthetic-only arm draws as many synthetic rows (matches) as there are real training rows (matches): ratio 1
    plans = {f"augmented@{r:g}": repeats(real_count, available, r, unit, per_match) for r in sorted(ratios)}
    plans["synthetic"] = repeats(real_count, available, 1.0, unit, per_match)
    st.caption(f"Synthetic {unit} per arm:\n" + "\n".join(f"- {arm}: {plan.sentence()}" for arm, plan in plans.items()))
    worst = max(plans.values(), key=lambda plan: plan.per_row)
    if not worst.too_many:
        return
    st.warning(f"Each synthetic {one} would be used about {worst.per_row:.0f} times (more than {MAX_REPEATS:g}): a "
               f"model trained on them learns those {available:,} {unit}, not the game. Generate "
               f"{worst.wanted:,} {unit} instead ({worst.missing:,} more than the set holds).")
    synthesizer_id = synthetic.extra.get("synthesizer_id")
    if synthesizer_id and st.button(f"Generate {worst.wanted:,} {unit} from the stored synthesizer"):
        params = {"synthesizer_id": synthesizer_id, "real_id": real.id, unit: worst.wanted,
                  # its size is in every label of a set already ("... (170,865 rows, synthetic)"): not in its name
                  "name": unique_set_name(synthetic.name), "sample_seed": None,
                  "engine": synthetic.extra.get("engine")}
        runner.submit(SYNTH_SAMPLE, params, unique_title(f"Sample {worst.wanted:,} {unit} for {synthetic.name}"))
        st.info("Generating: the new set appears under Workspace synthetic set when the job ends (see the "
                "Synthesize page for its progress).")


def download_ui(real, synthetic) -> None:
    """The augmented training set of one ratio, built only when the user asks for the file."""
    with st.expander("Download an augmented training set"):
        ratio = st.selectbox(ratio_label(whole_matches(synthetic)), RATIO_CHOICES, index=RATIO_CHOICES.index(1.0),
                             key="download-ratio")
        st.caption("Real training matches of the standard split plus synthetic rows; the validation and test matches "
                   "are left out, as every arm leaves them out.")
        st.download_button(
            "Download augmented t20.csv", file_name=f"augmented-{ratio:g}.csv", mime="text/csv",
            data=lambda: files.csv_bytes(augmented_training_set(real.id, synthetic.id, ratio).frame),
        )
