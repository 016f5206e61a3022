"""The committed add-in file: xlwings' ribbon add-in with our ribbon, VBA untouched."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
ADDIN = ROOT / "addin" / "xxgk_addin.xlam"
UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_addin", ROOT / "tools" / "build_addin.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _xlwings_addin() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


@pytest.fixture(scope="module")
def vba_modules() -> dict[str, str]:
    """VBA module name -> source, as oletools extracts it from the committed add-in."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(ADDIN))
    try:
        return {
            Path(vba_filename).stem: code for _f, _s, vba_filename, code in parser.extract_macros()
        }
    finally:
        parser.close()


def test_addin_is_a_valid_zip_with_xlwings_members():
    with zipfile.ZipFile(ADDIN) as z, zipfile.ZipFile(_xlwings_addin()) as ref:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted(ref.namelist())


def test_vba_project_is_byte_identical_to_pinned_xlwings():
    import xlwings

    build = _build_module()
    assert xlwings.__version__ == build.XLWINGS_VERSION
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f"xlwings=={build.XLWINGS_VERSION}" in pyproject
    with zipfile.ZipFile(ADDIN) as z, zipfile.ZipFile(_xlwings_addin()) as ref:
        assert z.read("xl/vbaProject.bin") == ref.read("xl/vbaProject.bin")
        # and every member the build does not own is xlwings' own, unchanged
        for name in ref.namelist():
            if name not in build.EDITED:
                assert z.read(name) == ref.read(name), name


def test_committed_addin_is_what_the_build_script_makes_now(tmp_path):
    build = _build_module()
    out = tmp_path / "xxgk_addin.xlam"
    build.build(build.xlwings_source(), out)
    with zipfile.ZipFile(ADDIN) as z, zipfile.ZipFile(out) as fresh:
        assert z.namelist() == fresh.namelist()
        for name in z.namelist():
            assert z.read(name) == fresh.read(name), f"{name}: run python tools/build_addin.py"


def _custom_ui():
    with zipfile.ZipFile(ADDIN) as z:
        return ET.fromstring(z.read("customUI/customUI.xml"))


def test_ribbon_has_tab_and_large_check_button():
    ui = _custom_ui()
    assert ui.tag == f"{UI_NS}customUI"
    tabs = ui.findall(f".//{UI_NS}tab")
    assert [t.get("label") for t in tabs] == ["政务公开年报"]
    buttons = ui.findall(f".//{UI_NS}button")
    assert [b.get("label") for b in buttons] == ["校验"]
    button = buttons[0]
    assert button.get("size") == "large"
    assert button.get("imageMso")
    for tip in ("screentip", "supertip"):
        assert re.search(r"[\u4e00-\u9fff]", button.get(tip) or ""), tip


def test_every_on_action_is_a_vba_ribbon_callback(vba_modules):
    actions = [e.get("onAction") for e in _custom_ui().iter() if e.get("onAction")]
    assert actions == ["RibbonMyAddin.RunMain"]
    for action in actions:
        module, proc = action.split(".")
        assert module in vba_modules, sorted(vba_modules)
        # a ribbon onAction callback takes the IRibbonControl
        pattern = rf"^\s*(Public\s+)?Sub\s+{proc}\s*\(\s*\w+\s+As\s+IRibbonControl\s*\)"
        assert re.search(pattern, vba_modules[module], re.M | re.I), vba_modules[module]


def test_run_main_imports_the_module_named_after_the_file(vba_modules):
    code = vba_modules["RibbonMyAddin"]
    assert "ThisWorkbook.Name" in code and '".main()"' in code
    spec = importlib.util.find_spec(ADDIN.stem)
    assert spec is not None and spec.origin and spec.origin.endswith("xxgk_addin.py")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'py-modules = ["xxgk_addin"]' in pyproject  # installed by `pip install .`
    module = importlib.import_module(ADDIN.stem)
    assert callable(module.main)


def test_custom_ui_is_related_with_the_2006_type():
    with zipfile.ZipFile(ADDIN) as z:
        rels = ET.fromstring(z.read("_rels/.rels"))
    targets = {r.get("Target"): r.get("Type") for r in rels.findall(f"{REL_NS}Relationship")}
    assert targets["customUI/customUI.xml"] == UI_REL_2006


def test_config_sheet_is_active_and_preset(vba_modules):
    from python_calamine import CalamineWorkbook

    match = re.search(r'PROJECT_NAME As String = "(\w+)"', vba_modules["xlwings"])
    assert match
    wb = CalamineWorkbook.from_filelike(ADDIN.open("rb"))
    # GetConfig reads the sheet "<PROJECT_NAME>.conf"; xlwings ships it disabled as "_…"
    assert wb.sheet_names == [f"{match[1]}.conf"]
    rows = wb.get_sheet_by_index(0).to_python()
    settings = {str(key).upper(): value for key, value in rows}
    assert len(settings) == len(rows)  # a repeated key makes the VBA's dictionary fail (457)
    assert settings == {
        "ADD_WORKBOOK_TO_PYTHONPATH": "false",
        "USE UDF SERVER": False,
        "SHOW CONSOLE": False,
    }
    # the interpreter is left to the user config file / PATH
    assert "INTERPRETER_WIN" not in settings
