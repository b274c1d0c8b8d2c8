"""Page scripts hold no bare string below their docstring: Streamlit's magic prints such a string on the page, so
a constant's docstring there shows up as a stray line of text (it did on Evaluate)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "Home.py", *sorted((ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_bare_string_below_the_docstring(script):
    # Setup
    body = ast.parse(script.read_text()).body

    # Run: top-level expression statements that are string constants, the docstring (the first statement) aside
    strays = [node.lineno for node in body[1:]
              if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
              and isinstance(node.value.value, str)]

    # Assert
    assert strays == [], f"{script.name}: bare strings at lines {strays} would be printed on the page; use comments"
