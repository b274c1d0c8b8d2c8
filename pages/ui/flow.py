"""The app's pages in the order of the flow, each under the one name it goes by everywhere: in the navigation,
on Home's row of steps, in the README and in the tests. A page file's own name would otherwise be its label
("Augment and Train" beside the page's title "Augment & train")."""

from __future__ import annotations

import streamlit as st

PAGES = [
    ("pages/0_Data.py", "Home"),
    ("pages/1_Synthesize.py", "Synthesize"),
    ("pages/2_Evaluate.py", "Evaluate"),
    ("pages/3_Augment_and_Train.py", "Augment & train"),
    ("pages/4_Compare.py", "Compare"),
    ("pages/5_Match.py", "Match"),
    ("pages/6_History.py", "History"),
]
"""(page script, its name), in the order of the flow; History, last, lists the runs of every step."""


def navigation() -> None:
    """Run the page the user asked for, with every page in the sidebar under its name; Home first."""
    pages = [st.Page(path, title=title, default=index == 0) for index, (path, title) in enumerate(PAGES)]
    st.navigation(pages).run()


def flow_ui() -> None:
    """The flow as one row of numbered links, each column as wide as its label needs so that none is cut."""
    steps = [(path, f"{number} · {title}") for number, (path, title) in enumerate(PAGES[:-1], start=1)]
    steps.append(PAGES[-1])
    for column, (path, label) in zip(st.columns([len(label) + 4 for _, label in steps]), steps):
        column.page_link(path, label=label)
