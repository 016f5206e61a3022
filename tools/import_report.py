"""Per published excerpt (tests/data/corpus) and the seed: how many printed table cells the
importer recovered, flagged or missed, against the cells typed by hand in
tests/published/corpus_cells.py. Run from the repository root: python tools/import_report.py"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.published.corpus_cells import (  # noqa: E402
    CORPUS,
    EXPECTED,
    SEED,
    SEED_TEXT,
    published_text,
)
from tests.published.tally import tally  # noqa: E402

from xxgk.published.document import TXT  # noqa: E402
from xxgk.published.tables import read_tables  # noqa: E402
from xxgk.published.text import text_document  # noqa: E402


def main() -> int:
    rows = [(name, CORPUS / name, expect) for name, expect in sorted(EXPECTED.items())]
    rows.append(("seed-2024-published.txt", SEED_TEXT, SEED))
    print(f"{'file':58} printed recovered flagged missing wrong invented silent findings")
    bad = 0
    for name, path, expect in rows:
        result = read_tables(text_document(published_text(path), TXT))
        t = tally(expect, result)
        bad += not t.clean
        print(
            f"{name:58} {t.printed:7} {t.recovered:9} {t.flagged:7} {t.missing:7} "
            f"{len(t.wrong):5} {len(t.invented):8} {len(t.silent):6} {len(result.findings):8}"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
