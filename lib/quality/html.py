"""One self-contained HTML report of an evaluation: scores with both references, the charts, settings and
provenance, readable offline.

Charts are embedded as Vega-Lite JSON; vega, vega-lite and vega-embed are inlined from the bundle that the
vl-convert-python package ships (the same one altair's `to_html(inline=True)` uses), so the file loads nothing
from the network.
"""

from __future__ import annotations

import functools
import html
import json

import altair as alt
import pandas as pd
from altair.utils.html import import_vl_convert, vl_version_for_vl_convert

from lib.charts.matches import phase_chart, runs_by_over_chart, totals_chart, wickets_chart
from lib.charts.quality import correlation_heatmaps, difference_heatmap, references_chart, score_bars
from lib.data.schema import NUMERIC_COLUMNS
from lib.data.units import score_text
from lib.quality.matches import SCORES, WholeMatchReport
from lib.quality.report import FLOOR_AHEAD, SCORE_LABELS, ScoreReport

STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#1a202c}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #cbd5e0;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.note{color:#4a5568}"""


@functools.cache
def vega_bundle() -> str:
    """vega-embed with vega and vega-lite, as one script; building it takes seconds, so it is built once."""
    return import_vl_convert().javascript_bundle(vl_version=vl_version_for_vl_convert())


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    return frame.to_html(index=False, float_format=lambda v: score_text(v, digits), na_rep="—", border=0)


def _figures(frame: pd.DataFrame) -> str:
    """A table of whole-match figures, four significant digits (207 matches, 160.3 runs, 0.5119 of chases)."""
    return frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="—", border=0)


def _chart(name: str, chart: alt.TopLevelMixin) -> str:
    spec = json.dumps(chart.to_dict()).replace("</", "<\\/")  # a "</script>" inside data must not end the script
    return f'<div id="{name}"></div><script>vegaEmbed("#{name}", {spec}, {{"actions": false}});</script>'


def report_html(report: ScoreReport, real: pd.DataFrame, synthetic: pd.DataFrame,
                whole: WholeMatchReport | None = None) -> str:
    """The report as one HTML page.

    Args:
        report: lib.quality.report.score_report's result, its provenance (datasets, synthesizer run, seed, rows)
            filled in by the caller.
        real, synthetic: the rows scored, for the correlation charts.
        whole: the whole-match figures of a set of whole matches (lib.quality.matches.whole_match_report); None
            leaves their section out.

    Returns:
        The HTML text, every script inlined.
    """
    bundle = vega_bundle()
    details = report.get_details()
    sections = [
        "<h1>Crease Lab · synthetic data evaluation</h1>",
        f"<p class=note>{html.escape(report.basis)}</p>",
        "<h2>Provenance and settings</h2>",
        _table(pd.DataFrame([{"item": k, "value": v} for k, v in report.provenance.items()])),
        f"<h2>Overall position: {score_text(report.get_score())}</h2>",
        ("<p class=note>0 = no better than the floor (the training rows with each column shuffled on its own), "
         "1 = as close to the training matches as unseen real matches are; it may leave [0, 1]. The published "
         "run is a historical reference only.</p>"),
        _table(details), _without_position(report), _chart("references", references_chart(details)),
        "<h2>Training matches against unseen matches</h2><p class=note>A large gap is memorisation.</p>",
        _table(report.memorisation()),
        "<h2>Utility: train on synthetic, test on real</h2>", _table(report.utility.table()),
        (f"<p class=note>{html.escape(report.utility.model)}; {report.utility.train_rows:,} training rows each, "
         f"{report.utility.test_rows:,} rows of the test matches.</p>"),
        f"<h2>Cricket coherence ({report.variant}): {report.synthetic.coherence.share:.3f}</h2><ul>"
        + "".join(f"<li>{html.escape(text)}</li>" for text in report.identities) + "</ul>",
        (f"<p>Validity (bounds): {_share(report.synthetic.validity)} delivered, "
         f"{_share(report.validity_before_redraw)} of the raw generator output.</p>"),
        "<h2>Column pair trends</h2>", _chart("difference", difference_heatmap(real, synthetic, NUMERIC_COLUMNS)),
        _chart("heatmaps", correlation_heatmaps(real, synthetic, NUMERIC_COLUMNS)),
        "<h2>Per column</h2>", _chart("columns", score_bars(report.per_column())),
        f"<p class=note>{html.escape(report.sampling)}</p>",
        *(_whole_matches(whole) if whole is not None else []),
    ]
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Synthetic data evaluation</title>"
            f"<style>{STYLE}</style><script>{bundle}</script></head><body>{''.join(sections)}</body></html>")


def _without_position(report: ScoreReport) -> str:
    keys = report.without_position()
    if not keys:
        return ""
    return (f"<p class=note>No position for {html.escape(', '.join(SCORE_LABELS[key] for key in keys))}: "
            f"{html.escape(FLOOR_AHEAD)}</p>")


def _whole_matches(whole: WholeMatchReport) -> list[str]:
    """The whole-match section: the figures of the three sets, their scores, what each score measures, the
    charts."""
    return [
        f"<h2>Whole matches: similarity {whole.get_score():.3f}</h2>",
        ("<p class=note>Each figure for the real matches the synthesizer learned from, for the synthetic matches, "
         "and for real matches it never saw (the ceiling). Scores compare a set with the training matches, 0..1, "
         "higher is better.</p>"),
        _figures(whole.table()), _table(whole.get_details()),
        "<ul>" + "".join(f"<li><b>{html.escape(what)}</b> ({metric}): {html.escape(words)}</li>"
                         for what, metric, words in SCORES.values()) + "</ul>",
        _chart("totals", totals_chart(whole.totals())), _chart("overs", runs_by_over_chart(whole.runs_by_over())),
        _chart("wickets", wickets_chart(whole.wickets())), _chart("phases", phase_chart(whole.phase_shares())),
        _figures(whole.phase_table()), *(f"<p class=note>{html.escape(note)}</p>" for note in whole.notes),
    ]


def _share(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1%}"

