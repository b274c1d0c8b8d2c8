"""Crease Lab: the entry point that `streamlit run Home.py` starts; it shows the page asked for, with every page in
the navigation under its one name (pages.ui.flow). The Home page itself is pages/0_Data.py."""

from pages.ui.flow import navigation

navigation()
