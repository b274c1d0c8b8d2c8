"""Choices kept across page switches and reloads: the active dataset and the pages' settings (a fresh AppTest is a
reload: a new session with nothing in session state)."""

import io
import json
import zipfile

from lib.data import workspace as ws
from lib.jobs import runner, store
from lib.jobs.kinds import SYNTH
from tests.cricsheet_fixtures import paper_match
from tests.pages_helpers import page, tiny_settings, wait_for


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_an_imported_dataset_stays_active_after_visiting_pages_and_reloading():
    # Setup: Home on the sample, then a two-match Cricsheet zip (IPL-like) imported as the user's choice.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for match_id in (1001, 1002):
            archive.writestr(f"{match_id}.json", json.dumps(paper_match()))
    home = page("Home.py").run()
    home.radio(key="home_source").set_value("Upload Cricsheet JSON").run()
    home.file_uploader[0].set_value(("ipl_like.zip", buffer.getvalue(), "application/zip")).run()
    imported = next(info for info in ws.list_datasets("real") if info.name.startswith("ipl_like"))

    # Run: other pages in a new session, then Home again in another.
    synthesize = page("pages/1_Synthesize.py").run()
    match = page("pages/5_Match.py").run()
    again = page("Home.py").run()

    # Assert: the imported dataset is the one every page works on; Home neither reverts to the sample nor
    # forgets the source chosen.
    assert not home.exception and not synthesize.exception and not match.exception and not again.exception
    assert synthesize.selectbox(key="synth-real").value.id == imported.id
    assert again.radio(key="home_source").value == "Upload Cricsheet JSON"
    assert _metric(again, "Matches") == "2" and again.subheader[0].value == imported.name


def test_synthesize_settings_survive_a_reload(stored_league):
    # Setup
    at = page("pages/1_Synthesize.py").run()
    at.slider(key="synth_epochs").set_value(7)
    at.text_input(key="synth_name").set_value("kept name")
    at.run()

    # Run: a reload
    reloaded = page("pages/1_Synthesize.py").run()

    # Assert
    assert not at.exception and not reloaded.exception
    assert reloaded.slider(key="synth_epochs").value == 7
    assert reloaded.text_input(key="synth_name").value == "kept name"


def test_a_reload_during_a_run_shows_the_runs_settings_and_what_train_would_do(stored_league):
    # Setup: a tiny run started from the page
    at = page("pages/1_Synthesize.py").run()
    at = tiny_settings(at, epochs=2)
    next(b for b in at.button if b.label == "Train").click().run()
    run = runner.list_runs(SYNTH)[0]

    # Run: reload while it is queued or running
    reloaded = page("pages/1_Synthesize.py").run()

    # Assert: if the run is still active, the page says with what and what Train would do; the settings are the
    # ones the run was started with either way.
    assert not reloaded.exception
    assert reloaded.slider(key="synth_epochs").value == 2 and reloaded.number_input(key="synth_rows").value == 300
    if runner.get(run.id).active:
        shown = " ".join(caption.value for caption in reloaded.caption)
        assert "epochs 2" in shown and "Train would queue it" in shown
    wait_for(run.id, lambda r: not r.active, timeout=300)
    assert runner.get(run.id).state == store.DONE


def test_augment_settings_survive_a_reload(stored_league):
    # Setup
    at = page("pages/3_Augment_and_Train.py").run()
    at.slider(key="wp_seeds").set_value(4)
    at.multiselect(key="wp_ratios").set_value([0.5])
    at.run()

    # Run
    reloaded = page("pages/3_Augment_and_Train.py").run()

    # Assert
    assert not at.exception and not reloaded.exception
    assert reloaded.slider(key="wp_seeds").value == 4 and reloaded.multiselect(key="wp_ratios").value == [0.5]


def test_the_engine_and_its_own_settings_survive_a_reload(stored_league):
    # Setup: the matches engine with settings of its own; CTGAN's epochs changed before switching
    at = page("pages/1_Synthesize.py").run()
    at.slider(key="synth_epochs").set_value(7).run()
    at.radio(key="synth_engine").set_value("matches").run()
    at.number_input(key="matches_epochs").set_value(4)
    at.number_input(key="matches_count").set_value(250)
    at.run()

    # Run: a reload, then back to CTGAN
    reloaded = page("pages/1_Synthesize.py").run()
    kept = (reloaded.radio(key="synth_engine").value, reloaded.number_input(key="matches_epochs").value,
            reloaded.number_input(key="matches_count").value)
    assert not reloaded.exception
    ctgan = reloaded.radio(key="synth_engine").set_value("ctgan").run()

    # Assert: each engine keeps its own settings
    assert not at.exception and not ctgan.exception
    assert kept == ("matches", 4, 250)
    assert ctgan.slider(key="synth_epochs").value == 7


def test_stale_stored_settings_are_dropped_not_shown_as_errors(stored_league):
    # Setup: settings.json from another version: an engine that no longer exists, numbers out of range or of
    # the wrong type
    stale = {"synthesize": {"synth_engine": "tvae", "synth_epochs": 5000, "synth_fraction": "half",
                            "synth_encoding": "onehot", "matches_epochs": 0, "matches_count": 10.5,
                            "matches_learning_rate": 5}}
    (ws.root() / "settings.json").write_text(json.dumps(stale))

    # Run
    at = page("pages/1_Synthesize.py").run()
    ctgan = (at.radio(key="synth_engine").value, at.slider(key="synth_epochs").value,
             at.slider(key="synth_fraction").value, at.radio(key="synth_encoding").value)
    assert not at.exception
    matches = at.radio(key="synth_engine").set_value("matches").run()

    # Assert: the defaults, no traceback
    assert ctgan == ("ctgan", 10, 0.5, "top_k")
    assert not matches.exception
    assert matches.number_input(key="matches_epochs").value == 30
    assert matches.number_input(key="matches_count").value == 1000
    assert matches.number_input(key="matches_learning_rate").value == 2e-3
