"""Page-side helpers: Streamlit caching, session state and small shared widgets. Only pages import this."""
