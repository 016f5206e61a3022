"""Every code of reading a published report is provoked and asserted by a test in this folder
(they are file codes: tests/cases cannot give them from an edited report)."""

from __future__ import annotations

import re
from pathlib import Path

from xxgk.check import findings as fc


def test_every_import_code_is_asserted_in_a_test_here() -> None:
    here = Path(__file__).parent
    texts = "\n".join(
        p.read_text(encoding="utf-8")
        for p in here.glob("test_*.py")
        if p.name != Path(__file__).name
    )
    codes = [c for c in fc.CATALOGUE if c.startswith("IMPORT_")]
    assert codes
    missing = [c for c in codes if not re.search(rf"\b{c}\b", texts)]
    assert not missing, missing
