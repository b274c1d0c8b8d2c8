"""The Evaluate page's two computations, each done once per pair of datasets, and its whole-match section."""

from __future__ import annotations

import streamlit as st

from lib.charts.matches import phase_chart, runs_by_over_chart, totals_chart, wickets_chart
from lib.data.events import NoMatches
from lib.data.workspace import DatasetInfo
from lib.quality.matches import SCORES, SET_LABELS, SYNTHETIC, UNSEEN, WholeMatchReport, has_whole_matches
from lib.quality.matches import whole_match_report as build_whole_match_report
from lib.quality.report import score_report, workspace_provenance
from pages.ui.common import frame_of, load_frame, plain

EVALUATIONS = "evaluations"
# Evaluations kept in the session, newest last.
KEPT = 4


def evaluate(real: DatasetInfo, synthetic: DatasetInfo) -> dict:
    """The score report of `synthetic` against `real`, computed once per pair with a progress bar naming each step."""
    cache = st.session_state.setdefault(EVALUATIONS, {})
    key = (real.id, real.created, synthetic.id, synthetic.created)
    if key not in cache:
        bar = st.progress(0.0, text="Evaluating…")
        report = score_report(frame_of(real), frame_of(synthetic), variant=real.features,
                              known_training=bool(synthetic.extra.get("synthesizer")),
                              redrawn_share=synthetic.extra.get("redrawn_share"),
                              on_step=lambda name, done: bar.progress(done, text=f"{name}…"))
        bar.empty()
        report["provenance"] = workspace_provenance(real, synthetic, report)
        cache[key] = report
        for old in list(cache)[:-KEPT]:
            cache.pop(old)
    return cache[key]


@st.cache_data(max_entries=KEPT, show_spinner="Rebuilding whole matches from the rows…")
def whole_match_report(real_id: str, real_created: str, synthetic_id: str, synthetic_created: str,
                       features: str | None) -> WholeMatchReport:
    """lib.quality.matches.whole_match_report of two stored datasets; the `created` stamps key a replaced one."""
    return build_whole_match_report(load_frame(real_id, real_created), load_frame(synthetic_id, synthetic_created),
                                    features)


FIGURE_FORMAT = "%.4g"
"""Four significant digits: 207 matches, 160.3 runs, 5.976 wickets, 0.5119 of chases won."""


def whole_matches_ui(real: DatasetInfo, synthetic: DatasetInfo) -> WholeMatchReport | None:
    """The whole-match section: figures of the three sets, their scores against the training matches and the
    charts; a note instead when the set has no whole matches. Returns the report shown, if any."""
    st.subheader("Whole matches")
    if not has_whole_matches(frame_of(synthetic)):
        st.info("This section needs whole matches: this set's rows say nothing of which match and innings they "
                "belong to (no matchId and innings columns), as a row synthesizer such as CTGAN writes them. Sets "
                "made by the matches engine have them.")
        return None
    try:
        whole = whole_match_report(real.id, real.created, synthetic.id, synthetic.created, real.features)
    except NoMatches as error:
        st.warning(plain(str(error)))
        return None
    st.caption("Each figure for the real matches the synthesizer learned from, for the synthetic matches, and for "
               "real matches it never saw (the ceiling): realistic synthetic matches sit as close to the training "
               "matches as the unseen ones do.")
    st.metric("Whole-match similarity (mean of the scores below)", f"{whole.get_score():.3f}",
              f"ceiling {whole.ceiling_score():.3f}", delta_color="off", delta_arrow="off", width="content",
              help="Each score is 1 when the synthetic matches' distribution is the training matches'; the ceiling "
                   "is the unseen real matches' mean.")
    st.dataframe(whole.table(), hide_index=True, width="content", column_config={
        label: st.column_config.NumberColumn(label, format=FIGURE_FORMAT) for label in SET_LABELS.values()})
    st.dataframe(whole.get_details(), hide_index=True, width="content", column_config={
        SET_LABELS[s]: st.column_config.NumberColumn(SET_LABELS[s], format="%.3f") for s in (SYNTHETIC, UNSEEN)})
    st.caption("Each score compares a set with the training matches, 0..1, higher is better, all from sdmetrics:\n"
               + "\n".join(f"- **{what}** ({metric}): {words}" for what, metric, words in SCORES.values()))
    for chart in (totals_chart(whole.totals()), runs_by_over_chart(whole.runs_by_over()),
                  wickets_chart(whole.wickets()), phase_chart(whole.phase_shares())):
        st.altair_chart(chart, width="content")
    for note in whole.notes:
        st.caption(note)
    return whole
