"""The Evaluate page's sections: the evaluation kept in the workspace, the scores between floor and ceiling, the
cricket checks, utility, privacy, whole matches and the downloads."""

from __future__ import annotations

import json
import math

import streamlit as st

from lib.charts.matches import phase_chart, runs_by_over_chart, totals_chart, wickets_chart
from lib.charts.quality import references_chart
from lib.data.events import NoMatches
from lib.data.units import score_text
from lib.data.workspace import DatasetInfo
from lib.quality.fidelity import REGULARS
from lib.quality.html import report_html
from lib.quality.matches import SCORES, SET_LABELS, SYNTHETIC, UNSEEN, WholeMatchReport, has_whole_matches
from lib.quality.matches import whole_match_report as build_whole_match_report
from lib.quality.report import FLOOR_AHEAD, PLAIN_WORDS, SCORE_LABELS, ScoreReport
from lib.quality.stored import evaluate_stored, stored_evaluation
from pages.ui.common import frame_of, load_frame, plain

KEPT = 4
"""Whole-match reports kept in Streamlit's cache."""


def evaluate(real: DatasetInfo, synthetic: DatasetInfo) -> ScoreReport:
    """The evaluation of `synthetic` against `real` kept in the workspace; computed, with a progress bar naming
    each step, and kept when there is none (or either dataset was replaced since)."""
    report = stored_evaluation(real, synthetic)
    if report is None:
        bar = st.progress(0.0, text="Evaluating…")
        report = evaluate_stored(real, synthetic, frame_of(real), frame_of(synthetic),
                                 on_step=lambda name, done: bar.progress(done, text=f"{name}…"))
        bar.empty()
    return report


def position_colour(position: float) -> str:
    """Streamlit colour of a position: green from 3/4 of the way to the ceiling, orange from 1/4, red below."""
    return "gray" if math.isnan(position) else "green" if position >= 0.75 else "orange" if position >= 0.25 else "red"


DETAIL_COLUMNS = {
    "score": st.column_config.TextColumn("score", width="large"),
    "floor": st.column_config.NumberColumn("floor", format="%.3f", help="Independent columns: the training rows "
                                           "with each column shuffled on its own."),
    "synthetic": st.column_config.NumberColumn("synthetic", format="%.3f"),
    "ceiling": st.column_config.NumberColumn("ceiling", format="%.3f", help="Real matches the synthesizer never saw."),
    "position": st.column_config.NumberColumn("position", format="%.2f",
                                              help="0 = at the floor, 1 = at the ceiling; — when the ceiling does "
                                                   "not beat the floor."),
    "published": st.column_config.NumberColumn("published run", format="%.3f",
                                               help="A historical reference only: another data set and split."),
}


def scores_ui(report: ScoreReport) -> None:
    """The fidelity averages as cards, the overall position, and every score between its floor and ceiling."""
    st.subheader("Scores between the floor and the ceiling")
    details = report.get_details()
    for card, row in zip(st.columns(4), details.head(4).itertuples()):
        reach = "no position" if math.isnan(row.position) else f"position {score_text(row.position, 2)}"
        card.metric(row.score.split(" (")[0], score_text(row.synthetic), reach, delta_color="off", delta_arrow="off",
                    help=row.score)
        card.caption(f"floor {score_text(row.floor)} · ceiling {score_text(row.ceiling)}")
    overall = report.get_score()
    st.subheader(f"Overall position :{position_colour(overall)}[{score_text(overall, 2)}]")
    st.caption("0 = no better than the floor (independent columns), 1 = as close to the training matches as unseen "
               "real matches; below 0 or above 1 is possible. The colour comes from this position: green from "
               "0.75, orange from 0.25, red below. The published run is only a labelled historical reference.")
    # rounded here, so that a position a hair below 0 reads 0.00 rather than -0.00 (adding 0.0 drops the sign)
    st.dataframe(details.assign(position=details["position"].round(2) + 0.0), hide_index=True, placeholder="—",
                 column_config=DETAIL_COLUMNS)
    unplaced = report.without_position()
    if unplaced:
        st.caption(f"No position for: {'; '.join(SCORE_LABELS[key] for key in unplaced)}. {FLOOR_AHEAD}")
    st.altair_chart(references_chart(details), width="stretch")
    st.caption(report.basis)


def checks_ui(report: ScoreReport) -> None:
    """Cricket coherence, validity and detection, each with what it checks."""
    left, middle, right = st.columns(3)
    synthetic = report.synthetic
    left.metric(f"Cricket coherence ({report.variant})", f"{synthetic.coherence.share:.1%}",
                help="Share of rows whose columns describe a possible delivery.")
    left.markdown("A delivery obeys:\n" + "\n".join(f"- {text}" for text in report.identities))
    before = report.validity_before_redraw
    middle.metric("Cricket validity (bounds), delivered", f"{synthetic.validity:.1%}",
                  help="Share of rows within bounds: wickets 0..10, balls >= 0, known players, outcome 0/1.")
    middle.caption("Of the raw generator output, before rows breaking a bound were redrawn: "
                   + ("unknown (not recorded with this set)" if before is None else f"{before:.1%}")
                   + ". Coherence of the raw output is not recorded; the coherence shown is of the delivered rows.")
    right.metric("Detection ROC AUC", score_text(synthetic.detection.auc),
                 help=f"{PLAIN_WORDS['detection']} {synthetic.detection.model}.")
    right.caption(f"Floor {score_text(report.floor.detection.auc)}, ceiling "
                  f"{score_text(report.ceiling.detection.auc)}; 0.5 = real and synthetic rows cannot be told apart. "
                  f"The classifier: {synthetic.detection.model}.")


def utility_ui(report: ScoreReport) -> None:
    """Train on synthetic, test on real; then the scores against training and against unseen matches."""
    utility = report.utility
    st.subheader("Utility: train on synthetic, test on real")
    st.dataframe(utility.table(), hide_index=True, placeholder="—", column_config={
        column: st.column_config.NumberColumn(column, format="%.3f") for column in ("ROC AUC", "Brier loss")})
    st.caption(f"{utility.model}: {utility.train_rows:,} training rows each, tested on the {utility.test_rows:,} "
               "rows of the held-out test matches. Higher AUC and lower Brier are better.")
    st.subheader("Training matches against unseen matches")
    st.dataframe(report.memorisation(), hide_index=True, placeholder="—", column_config={
        **{column: st.column_config.NumberColumn(column, format="%.3f")
           for column in ("vs training matches", "vs unseen matches")},
        "gap": st.column_config.NumberColumn("gap", format="%+.3f")})
    st.caption("The synthetic set scored against the matches its synthesizer learned from and against matches it "
               "never saw: a large gap means it copied its training matches rather than learning the game.")


def privacy_ui(report: ScoreReport, vocabulary) -> None:
    """Exact copies, distance to closest record, and the regular players the set lacks."""
    if report.privacy is not None:
        a, b = st.columns(2)
        a.metric("Exact copies of real rows", f"{report.privacy.copy_share:.2%}",
                 help="Share of sampled synthetic rows equal to a real delivery in all ten columns.")
        b.metric("DCR baseline protection", score_text(report.privacy.dcr_baseline_score), help=PLAIN_WORDS["DCR"])
        st.caption(f"DCR: {PLAIN_WORDS['DCR']}")
    missing = {column: players for column, players in report.synthetic.fidelity.missing_regulars.items() if players}
    if missing:
        st.warning(f"Regulars missing from the synthetic set (top {REGULARS} by real deliveries): " + "; ".join(
            f"{column}: {', '.join((vocabulary and vocabulary.player_name(column, p)) or str(p) for p in players)}"
            for column, players in missing.items()))


def downloads_ui(report: ScoreReport, real_rows, synthetic_rows, whole: WholeMatchReport | None) -> None:
    """The offline HTML report (built when asked for), the score report's JSON and every score as CSV."""
    st.download_button("Download the report (HTML, opens offline)",
                       lambda: report_html(report, real_rows, synthetic_rows, whole), "evaluation.html", "text/html")
    st.download_button("Download the score report (JSON)", json.dumps(report.to_json(whole), indent=1),
                       "scores.json", "application/json")
    st.download_button("Download every score (CSV)", report.scores_csv(), "scores.csv", "text/csv")


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
