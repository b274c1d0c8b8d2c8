"""A hand-edited settings.json never breaks a page: what a widget would not accept (another type, outside its
range, an unknown option or dataset), a page's entry that is not an object, and a file that is not a JSON object
are dropped, and the widgets show their defaults."""

import pytest

from lib.data import workspace
from models.synth.ctgan.config import SynthConfig
from tests.pages_helpers import page

HOME, SYNTHESIZE, AUGMENT = "Home.py", "pages/1_Synthesize.py", "pages/3_Augment_and_Train.py"

MEMBERS = {
    "a page's entry that is text": (HOME, '{"home": "x"}'),
    "a page's entry that is a list": (SYNTHESIZE, '{"synthesize": [1, 2]}'),
    "an active dataset outside the workspace": (SYNTHESIZE, '{"home": {"active_dataset": "../../etc/passwd"}}'),
    "an active dataset that is gone": (SYNTHESIZE, '{"home": {"active_dataset": "deleted-123456"}}'),
    "an active dataset that is a number": (SYNTHESIZE, '{"home": {"active_dataset": 7}}'),
    "a fraction above its slider": (SYNTHESIZE, '{"synthesize": {"synth_fraction": 7}}'),
    "numbers of the wrong type": (
        SYNTHESIZE,
        '{"synthesize": {"synth_epochs": "ten", "synth_seed": true, "synth_batch": 1e400, "synth_name": 5}}'),
    "an unknown option": (HOME, '{"home": {"home_source": "Upload a spreadsheet", "home_features": ["yorkr"]}}'),
    "ratios repeated and seeds out of range": (AUGMENT, '{"augment": {"wp_ratios": [0.5, 0.5], "wp_seeds": 99}}'),
    "layers the page would refuse": (AUGMENT, '{"augment": {"wp_layers": "", "wp_training": 3}}'),
    "a file that is not JSON": (HOME, '{"home": {"home_source": '),
    "a top-level list": (HOME, '[{"home": {}}]'),
    "a top-level text": (SYNTHESIZE, '"settings"'),
}


@pytest.mark.parametrize("member", list(MEMBERS))
def test_a_hand_edited_settings_file_never_breaks_a_page(member, with_sample, stored_league):
    # Setup: the sample Home starts on, a dataset the user imported, and a settings.json edited by hand
    name, content = MEMBERS[member]
    (workspace.root() / "settings.json").write_text(content)
    # Run
    at = page(name).run()
    # Assert: the page draws, its widgets at their defaults where the file said something they do not take
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    if name == SYNTHESIZE:
        assert at.slider(key="synth_fraction").value == SynthConfig().fraction
        assert at.slider(key="synth_epochs").value == SynthConfig().epochs
        assert at.selectbox(key="synth-real").value.id == stored_league.id
    elif name == AUGMENT:
        assert at.slider(key="wp_seeds").value == 3 and at.text_input(key="wp_layers").value == "64,32,16,8"
    else:
        assert at.radio(key="home_source").value == "Embedded sample (simulated league)"


def test_a_settings_file_that_is_a_folder_is_said_not_a_traceback(stored_league):
    # Setup: a folder where settings.json should be
    (workspace.root() / "settings.json").mkdir()
    # Run: a page that stores the user's choices
    at = page(SYNTHESIZE).run()
    # Assert
    assert not at.exception
    assert any("Your choices cannot be kept" in warning.value for warning in at.warning)
