"""Rewrite (or, with --check, verify) the files the repository commits that xxgk generates.

    python tools/regenerate.py          # rewrite them
    python tools/regenerate.py --check  # exit 1 and name each one that is stale

The committed files are: the blank template, the bundled filled example workbook, the JSON
Schema (the published copy in schema/ and the packaged copy, byte-identical), the catalogue
of finding codes in docs/ and the web page's frame (the Jinja2 template rendered once). They
are made by the installed `xxgk` package; the repository root is this file's parent's parent
(or --root), never the package's location, so that this works from a regular install as well
as from an editable one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from xxgk.check import findings as fc
from xxgk.format.schema import SCHEMA_FILE, render_schema
from xxgk.report.html import FRAME_FILE, frame_json
from xxgk.workbook.template import build_template, workbook_bytes

TEMPLATE = Path("templates") / "xxgk-年报模板-2021.xlsx"
EXAMPLE_JSON = Path("src") / "xxgk" / "examples" / "seed-2024.json"
EXAMPLE_XLSX = EXAMPLE_JSON.with_suffix(".xlsx")
SCHEMA_PUBLISHED = Path("schema") / SCHEMA_FILE
SCHEMA_PACKAGED = Path("src") / "xxgk" / "format" / "data" / SCHEMA_FILE
CODES_DOC = Path("docs") / "codes.md"
HTML_FRAME = Path("src") / "xxgk" / "report" / "assets" / FRAME_FILE

_SEVERITY = {fc.ERROR: "错误 error", fc.WARNING: "警告 warning"}


def codes_markdown() -> str:
    """docs/codes.md: every code of the catalogue, in catalogue order."""
    lines = [
        "# 校验结果代码表 / Finding codes",
        "",
        "Generated from the catalogue (`src/xxgk/check/findings.py` and the modules of codes it "
        "re-exports: `workbook_codes.py`, `batch_codes.py`, `import_codes.py`) by "
        "`python tools/regenerate.py`; a test keeps this file equal to it. "
        "`{…}` in a message stands for a figure or place filled in per finding "
        "(the same values are in the finding's `args`).",
        "",
        "| 代码 code | 级别 severity | 含义 title | 消息模板 message template |",
        "| --- | --- | --- | --- |",
    ]
    for code in fc.CATALOGUE.values():
        template = code.template.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{code.code}` | {_SEVERITY[code.severity]} | {code.title} | {template} |")
    return "\n".join(lines) + "\n"


def _example_workbook(root: Path) -> bytes:
    data = json.loads((root / EXAMPLE_JSON).read_text(encoding="utf-8"))
    return workbook_bytes(build_template(data=data))


def artefacts(root: Path) -> dict[Path, Callable[[], bytes]]:
    schema = render_schema().encode("utf-8")
    return {
        TEMPLATE: lambda: workbook_bytes(build_template()),
        EXAMPLE_XLSX: lambda: _example_workbook(root),
        SCHEMA_PUBLISHED: lambda: schema,
        SCHEMA_PACKAGED: lambda: schema,
        CODES_DOC: lambda: codes_markdown().encode("utf-8"),
        HTML_FRAME: lambda: frame_json().encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--check", action="store_true", help="only verify; exit 1 when stale")
    args = parser.parse_args(argv)
    stale = []
    for relative, make in artefacts(args.root).items():
        target = args.root / relative
        payload = make()
        current = target.read_bytes() if target.is_file() else None
        if current == payload:
            continue
        stale.append(relative)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
            print(f"wrote {relative}")
    if args.check and stale:
        for relative in stale:
            print(f"stale: {relative} (run python tools/regenerate.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
