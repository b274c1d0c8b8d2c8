"""Cached loaders, the active-dataset selection and error display shared by every page.

State lives on disk (lib.data.workspace); the selected dataset is kept in the workspace's settings too
(pages.ui.settings), so a reload or a visit to another page does not lose it.
"""

from __future__ import annotations

import re
import sqlite3

import pandas as pd
import streamlit as st

from lib.data import sources, workspace
from lib.data.workspace import DatasetInfo
from lib.jobs import runner, store
from pages.ui import settings

ACTIVE = "active_dataset"


@st.cache_data(max_entries=4, show_spinner="Loading dataset…")
def load_frame(dataset_id: str, created: str) -> pd.DataFrame:
    """A stored dataset's rows; `created` is part of the key so a replaced dataset is read again."""
    return workspace.load_dataset(dataset_id)


def frame_of(info: DatasetInfo) -> pd.DataFrame:
    return load_frame(info.id, info.created)


def active_dataset() -> DatasetInfo | None:
    """The real dataset the user picked on Home (in this session, else as stored in the workspace), if it still
    exists."""
    dataset_id = st.session_state.get(ACTIVE) or settings.stored("home", ACTIVE, settings.DATASET)
    if not dataset_id:
        return None
    try:
        info = workspace.dataset_info(dataset_id)
    except (workspace.NotFound, ValueError):  # deleted meanwhile
        st.session_state.pop(ACTIVE, None)
        return None
    st.session_state[ACTIVE] = info.id
    return info


def set_active(info: DatasetInfo) -> None:
    """Make `info` the dataset every page works on, now and after a reload."""
    st.session_state[ACTIVE] = info.id
    settings.store_value("home", ACTIVE, info.id)


def dataset_picker(label: str, kind: str = "real", key: str | None = None, default: str | None = None):
    """A selectbox of stored datasets of one kind; returns the chosen DatasetInfo or None when there are none."""
    infos = workspace.list_datasets(kind)
    if not infos:
        return None
    ids = [info.id for info in infos]
    index = ids.index(default) if default in ids else 0
    chosen = st.selectbox(label, infos, index=index, format_func=lambda info: info.label, key=key)
    return chosen


def real_dataset_or_stop(key: str) -> DatasetInfo:
    """The real dataset a page works on: a picker that starts at the one chosen on Home; with none stored, a line
    saying where to load one, and the page stops there."""
    real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key=key)
    if real is None:
        st.info("Load a dataset on the Home page first.")
        st.stop()
    return real


STORED_SYNTHETIC, UPLOAD_SYNTHETIC = "Workspace synthetic set", "Upload synthetic CSV"


def synthetic_picker(real: DatasetInfo, label: str, key: str, extra: tuple[str, ...] = ()):
    """A stored synthetic set, or an upload checked against `real` and stored once per file.

    Returns the chosen DatasetInfo, or None; `extra` adds further choices that pick no set.
    Raises ValueError with the validation message for a bad upload.
    """
    choice = st.radio(label, [STORED_SYNTHETIC, UPLOAD_SYNTHETIC, *extra], horizontal=True)
    if choice == STORED_SYNTHETIC:
        info = dataset_picker("Synthetic set", kind="synthetic", key=key)
        if info is None:
            st.info("No synthetic sets yet: make one on the Synthesize page, or upload one.")
        return info
    if choice != UPLOAD_SYNTHETIC:
        return None
    upload = st.file_uploader("Synthetic t20.csv (the ten columns)", type=["csv", "parquet"])
    if upload is None:
        return None
    seen = st.session_state.setdefault("synthetic_uploads", {})
    upload_key = f"{upload.file_id}:{real.id}"
    if upload_key not in seen:
        seen[upload_key] = sources.import_synthetic(upload, upload.name, real.id).id
    return workspace.dataset_info(seen[upload_key])


def unique_set_name(name: str) -> str:
    """A synthetic set name no stored set has yet, nor a queued or running job will give its set."""
    from lib.jobs import runner
    from lib.jobs.history import unique_name

    pending = [run.params.get("name") for run in runner.list_runs() if run.active]
    return unique_name(name, [info.name for info in workspace.list_datasets()] + pending)


def unique_title(title: str) -> str:
    """A run title no earlier run has, so that runs are told apart by name, never by id."""
    from lib.jobs import runner
    from lib.jobs.history import unique_name

    return unique_name(title, [run.title for run in runner.list_runs()])


def show_error(error: Exception) -> None:
    """A user-facing error: the message, never a traceback; file names in it stay plain text."""
    st.error(plain(str(error)))


_LINK_MARKUP = re.compile(r"([\\\[\]<>]|(?<=[a-zA-Z]):(?=//)|(?<=www)\.)")
"""What makes Markdown a link, an image or HTML: brackets, angle brackets, and the ":" of "://" and "." of
"www." that make a bare address a link. Only these are escaped, so messages otherwise read as written."""


def plain(text: str) -> str:
    """`text` with the Markdown that makes links, images and HTML escaped, so that a file name such as
    "[Click here](https://...).csv" shows as written instead of as a link (Streamlit renders Markdown in titles,
    captions, spinners and alerts)."""
    return _LINK_MARKUP.sub(r"\\\1", str(text))


def workspace_notices() -> None:
    """First thing on every page: a workspace that cannot be written or a $CREASE_MAX_JOBS that is not a number
    stops the page with what to do, and a run store found damaged (moved aside and rebuilt) is said until the user
    dismisses it."""
    problem = workspace.problem()
    if not problem:
        try:
            runner.max_jobs()
        except ValueError as error:  # every job would fail; said here rather than when Train is clicked
            problem = str(error)
    if problem:
        st.error(plain(problem))
        st.stop()
    try:
        store.ensure_ready()
    except (OSError, ValueError, sqlite3.Error) as error:
        st.error(plain(f"The run store {store.path()} cannot be opened: {error}"))
        st.stop()
    notice = store.damage_notice()
    if notice:
        st.warning(plain(notice))
