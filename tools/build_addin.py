"""Build addin/xxgk_addin.xlam from xlwings' own ribbon add-in (`xlwings quickstart NAME
--addin --ribbon`).

Run: python tools/build_addin.py  (needs the pinned xlwings installed; see pyproject.toml)

The add-in is xlwings' `quickstart_addin_ribbon.xlam` with zip-level edits only:
- `customUI/customUI.xml` is replaced by addin/customUI.xml (our tab and 校验 button);
- `_rels/.rels` relates it with the 2006 ui/extensibility type, which is the type that goes
  with the 2006/01 customUI namespace (xlwings' file uses the 2007 type, meant for customUI14);
- the config sheet `_myaddin.conf` is renamed `myaddin.conf` (the leading underscore disables
  it) and holds only the settings we preset (CONFIG below). Settings it does not hold fall
  through to `%USERPROFILE%\\.myaddin\\myaddin.conf`, which is where IT sets the interpreter.
Every other member, `xl/vbaProject.bin` above all, is copied unchanged: the VBA is xlwings'
signed-off code for this version, and its ribbon callback `RibbonMyAddin.RunMain` runs
`import xxgk_addin; xxgk_addin.main()` because the file is named xxgk_addin.xlam.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parents[1] / "addin"
OUTPUT = HERE / "xxgk_addin.xlam"
CUSTOM_UI_SOURCE = HERE / "customUI.xml"
XLWINGS_VERSION = "0.37.8"  # the vbaProject.bin we ship is this version's; pinned in pyproject

CUSTOM_UI = "customUI/customUI.xml"
ROOT_RELS = "_rels/.rels"
WORKBOOK = "xl/workbook.xml"
CONFIG_SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
VBA_PROJECT = "xl/vbaProject.bin"
EDITED = {CUSTOM_UI, ROOT_RELS, WORKBOOK, CONFIG_SHEET, SHARED_STRINGS}

UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
UI_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
# The VBA constant PROJECT_NAME is "myaddin"; GetConfig reads the sheet "<PROJECT_NAME>.conf".
DISABLED_SHEET = "_myaddin.conf"
CONFIG_SHEET_NAME = "myaddin.conf"

# Key (column A) and value (column B) of the config sheet. Only what must not vary per PC:
# - ADD_WORKBOOK_TO_PYTHONPATH false: xxgk and xxgk_addin come from the installed package,
#   so the folders of the staff member's workbook (often Downloads) and of the add-in are not
#   put in front of sys.path, where a stray xxgk.py or openpyxl.py would be imported instead
#   (`python -c` still searches its working directory: with a full Interpreter_Win path the VBA
#   starts Python in the interpreter's folder, which the README recommends);
# - Use UDF Server / Show Console FALSE as booleans: the VBA compares them with True, and an
#   empty cell there would be a type mismatch.
# Interpreter_Win, PYTHONPATH, Conda Path/Env are deliberately absent: absent keys fall back
# to the user config file and then to `python` on PATH.
CONFIG: tuple[tuple[str, str | bool], ...] = (
    ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
    ("Use UDF Server", False),
    ("Show Console", False),
)


def xlwings_source() -> Path:
    """The quickstart ribbon add-in shipped inside the installed xlwings package."""
    import xlwings

    if xlwings.__version__ != XLWINGS_VERSION:
        raise SystemExit(
            f"xlwings {XLWINGS_VERSION} is required to build the add-in "
            f"(installed: {xlwings.__version__})"
        )
    return Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


def config_parts(entries: tuple[tuple[str, str | bool], ...] = CONFIG) -> tuple[str, str]:
    """sheetData rows and the sharedStrings part for the config sheet."""
    strings: list[str] = []

    def sst(text: str) -> int:
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    rows = []
    for r, (key, value) in enumerate(entries, start=1):
        cells = f'<c r="A{r}" s="1" t="s"><v>{sst(key)}</v></c>'
        if isinstance(value, bool):
            cells += f'<c r="B{r}" s="1" t="b"><v>{int(value)}</v></c>'
        else:
            cells += f'<c r="B{r}" s="1" t="s"><v>{sst(value)}</v></c>'
        rows.append(f'<row r="{r}" spans="1:2">{cells}</row>')
    sheet_data = "<sheetData>" + "".join(rows) + "</sheetData>"
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    return sheet_data, shared


def _replace_once(text: str, pattern: str, new: str, what: str) -> str:
    out, n = re.subn(pattern, lambda _m: new, text, count=1, flags=re.S)
    if n != 1:
        raise SystemExit(f"unexpected xlwings add-in: {what} not found")
    return out


def edited_member(name: str, original: bytes) -> bytes:
    text = original.decode("utf-8")
    if name == CUSTOM_UI:
        return CUSTOM_UI_SOURCE.read_bytes()
    if name == ROOT_RELS:
        return _replace_once(text, re.escape(UI_REL_2007), UI_REL_2006, "ui relationship").encode()
    if name == WORKBOOK:
        return _replace_once(
            text, f'name="{re.escape(DISABLED_SHEET)}"', f'name="{CONFIG_SHEET_NAME}"', "sheet"
        ).encode()
    sheet_data, shared = config_parts()
    if name == CONFIG_SHEET:
        text = _replace_once(
            text, r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{len(CONFIG)}" />', "dim"
        )
        return _replace_once(text, r"<sheetData>.*?</sheetData>", sheet_data, "sheetData").encode()
    return shared.encode()  # SHARED_STRINGS


def build(source: Path, output: Path) -> None:
    """Copy `source` to `output` member by member, editing only the EDITED members."""
    tmp = output.with_name(output.name + ".tmp")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp, "w") as zout:
        names = zin.namelist()
        missing = EDITED - set(names)
        if missing:
            raise SystemExit(f"unexpected xlwings add-in: missing {sorted(missing)}")
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in EDITED:
                data = edited_member(info.filename, data)
            # same name, timestamp and compression as xlwings' member: a deterministic build
            zout.writestr(info, data, compress_type=info.compress_type)
    tmp.replace(output)


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    build(xlwings_source(), output)
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
