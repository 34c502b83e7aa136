"""Property test: any page either fails with DocmodelsError or yields code of the
fixed shape, where page text lives only in string constants."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .generated_code import generate_or_reject
from .hostile_text import file_stem, hostile_page


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pages=st.dictionaries(file_stem(), hostile_page(), min_size=1, max_size=2))
def test_hostile_pages_give_safe_code_or_user_error(pages: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        error = generate_or_reject(
            Path(folder), {f"{stem}.md": text for stem, text in pages.items()}
        )
    if error is not None:
        assert str(error).strip(), "a user error must say what is wrong"
