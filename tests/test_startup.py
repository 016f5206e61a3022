"""`xxgk validate` and `xxgk convert` of a valid workbook load only what they use (issue 16):
start-up was 150 ms, half of it importing openpyxl (through the template module) and jsonschema,
which neither needs; then click, the published reader and compiled regular expressions, which
`xxgk validate` of plain files does not need either (`cli/validate.py` runs it without click).
A command added to `cli/group.py` must keep it so: register it in LAZY_COMMANDS, and import
heavy libraries where they are used."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "xxgk" / "examples" / "seed-2024.xlsx"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
# what neither command needs for a valid workbook
HEAVY = ("openpyxl", "jsonschema", "numpy", "matplotlib", "docx", "pdfplumber", "fastapi")
NOT_FOR_VALIDATE = (
    *HEAVY,
    "jinja2",
    "xxgk.report",
    "xxgk.batch",
    "xxgk.aggregate",
    "xxgk.serve",
    # what validate of plain files needs no more (issue 16, third round)
    "click",
    "xxgk.published",
    "pdfplumber",
    "opencc",
    "orjson",
    "traceback",
    # last year's reports, for --previous only (issue 16, fourth round)
    "xxgk.files.previous",
    # the styles probe is written by format/ziparchive.py (issue 16, sixth round)
    "zipfile",
    "shutil",
    # annotations only: typing is imported under TYPE_CHECKING; copy where a copy is made
    # (issue 16, ninth round)
    "typing",
    "copy",
)
# what the text a person reads needs no more: the schema is built, not parsed (issue 16, ninth
# round); --format json prints with json
NOT_FOR_VALIDATE_TEXT = (*NOT_FOR_VALIDATE, "json")

# `run` is what `xxgk`, `python -m xxgk` and `python -m xxgk.cli.main` call
PROBE = """
import sys
from xxgk.cli.main import run
try:
    run()
except SystemExit as exc:
    code = exc.code
modules = sorted(sys.modules)
import json  # after: what the command loaded is taken before the probe loads json
print(json.dumps({"code": code, "modules": modules}), file=sys.stderr)
"""
# the click group itself, as before `run` took the common case of validate
THROUGH_CLICK = "import sys; from xxgk.cli.main import main; main(sys.argv[1:])"


@functools.cache
def before_us() -> frozenset[str]:
    """What the interpreter has loaded before any of ours: a .pth file of site-packages may
    import zipfile (through importlib.resources) on every start, which no command can help."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; print(*sys.modules)"],
        env=ENV, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return frozenset(done.stdout.decode().split())


def loaded(*args: str) -> tuple[int, list[str]]:
    """The command's exit code and the modules it loaded (what the interpreter had not)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=ENV, capture_output=True, timeout=120, check=False
    )
    doc = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
    return doc["code"], [m for m in doc["modules"] if m not in before_us()]


def under(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


def test_validate_of_a_valid_workbook_loads_no_heavy_library() -> None:
    code, modules = loaded("validate", str(EXAMPLE))
    assert code == 0
    assert "python_calamine" in modules and "xxgk.check.narrative" in modules  # it did read
    assert under(modules, NOT_FOR_VALIDATE_TEXT) == []


def test_validate_as_json_of_a_valid_workbook_loads_no_click() -> None:
    code, modules = loaded("validate", "--format", "json", str(EXAMPLE))
    assert code == 0
    assert under(modules, NOT_FOR_VALIDATE) == []


def loaded_without_site(*args: str) -> tuple[int, list[str]]:
    """`loaded`, started without site (`python -S`, the dependencies on PYTHONPATH instead):
    nothing is loaded before us, so a .pth file cannot hide what a command loads."""
    paths = [str(ROOT / "src"), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env = {**ENV, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}
    done = subprocess.run(
        [sys.executable, "-S", "-c", PROBE, *args],
        env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    doc = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
    return doc["code"], doc["modules"]


def test_validate_without_site_loads_no_zipfile() -> None:
    code, modules = loaded_without_site("validate", str(EXAMPLE))
    assert code == 0 and "python_calamine" in modules
    assert under(modules, NOT_FOR_VALIDATE_TEXT) == []


# what `convert` of one valid workbook to the default formats needs no more (issue 16, sixth
# round): the web page's frame is made once (tools/regenerate.py), package files are read from
# beside the modules, LibreOffice and the worker pool are for --to pdf and --jobs only
NOT_FOR_ONE_CONVERT = (
    "jinja2",
    "importlib.resources",
    "zipfile",
    "subprocess",
    "concurrent.futures",
    "multiprocessing",
    "secrets",
)


def test_convert_of_one_workbook_without_site_loads_no_pool_or_libreoffice(
    tmp_path: Path,
) -> None:
    code, modules = loaded_without_site("convert", str(EXAMPLE), "-o", str(tmp_path), "-q")
    assert code == 0 and {"xxgk.report.html", "xxgk.report.docx"} <= set(modules)
    assert len(list(tmp_path.glob("*.html"))) == 1 and len(list(tmp_path.glob("*.docx"))) == 1
    assert under(modules, (*HEAVY, *NOT_FOR_ONE_CONVERT)) == []


def test_validate_with_any_other_option_goes_through_click(tmp_path: Path) -> None:
    code, modules = loaded("validate", str(EXAMPLE), "--annotate", str(tmp_path))
    assert code == 0 and "click" in modules
    assert (tmp_path / "seed-2024.校验.xlsx").is_file()


def _run(argv: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run(argv, env=ENV, cwd=cwd, capture_output=True, timeout=120, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("fmt", [[], ["--format", "json"], ["--format=text"]])
def test_validate_without_click_prints_what_click_printed(tmp_path: Path, fmt: list[str]) -> None:
    """The same bytes on stdout and stderr and the same exit code, with or without click, for
    a valid workbook, a report with errors, a missing file and all three at once."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "2021", "year": "二〇二四"}), encoding="utf-8")
    every = [str(EXAMPLE), bad.name, "missing.xlsx"]
    inputs = [[str(EXAMPLE)], [bad.name], ["missing.xlsx"], every]
    for files, expected in zip(inputs, [0, 1, 3, 3], strict=True):
        args = ["validate", *fmt, *files]
        quick = _run([sys.executable, "-m", "xxgk.cli.main", *args], tmp_path)
        clicked = _run([sys.executable, "-c", THROUGH_CLICK, *args], tmp_path)
        assert quick[0] == expected
        assert quick == clicked


def test_a_closed_pipe_without_click_is_not_an_internal_error(tmp_path: Path) -> None:
    """`xxgk validate a.json b.json … | head`, files named (no click): as through click
    (tests/test_internal_errors.py), exit 3, no 内部错误, nothing logged."""
    names = []
    for n in range(300):
        (tmp_path / f"{n}.json").write_bytes(
            (ROOT / "src/xxgk/examples/seed-2024.json").read_bytes()
        )
        names.append(f"{n}.json")
    logs = tmp_path / "logs"
    env = {**ENV, "XXGK_LOG_DIR": str(logs)}
    cmd = [sys.executable, "-m", "xxgk.cli.main", "validate", *names]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 3
    assert "内部错误" not in err and "Traceback" not in err
    assert not logs.exists() or not any(logs.iterdir())


def test_the_kinds_of_published_report_are_the_readers_own() -> None:
    from xxgk.files import published
    from xxgk.published import document

    assert sorted(set(published.KIND_BY_SUFFIX.values())) == sorted(document.KINDS)
    assert (published.TXT, published.MD, published.HTML, published.DOCX, published.PDF) == (
        document.TXT,
        document.MD,
        document.HTML,
        document.DOCX,
        document.PDF,
    )


def test_convert_of_a_valid_workbook_loads_no_heavy_library(tmp_path: Path) -> None:
    code, modules = loaded("convert", str(EXAMPLE), "-o", str(tmp_path), "-q")
    assert code == 0 and (tmp_path / "summary.json").is_file()
    assert "xxgk.report.html" in modules and any(tmp_path.glob("*.html"))  # a page was written
    assert under(modules, HEAVY) == []
    # its frame is Jinja2's rendering of the template, made once (tools/regenerate.py)
    assert "jinja2" not in modules


def test_jsonschema_is_loaded_for_a_report_that_does_not_conform(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "2021", "year": "二〇二四"}), encoding="utf-8")
    code, modules = loaded("validate", str(bad))
    assert code == 1 and "jsonschema" in modules  # its errors tell what is wrong


@pytest.mark.parametrize(
    "command", ["template", "aggregate", "serve", "fill", "convert", "validate", "import", "schema"]
)
def test_every_command_is_still_there(command: str) -> None:
    code, _ = loaded(command, "--help")
    assert code == 0


def test_a_mistyped_command_is_still_matched_among_the_unloaded_ones() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convrt"], env=ENV, capture_output=True, timeout=60
    )
    assert done.returncode == 2
    assert "是不是 'convert'" in done.stderr.decode("utf-8")


# `run` loads the command's modules with the collector paused (cli/main.py `_loading`)
GC_PROBE = """
import gc, json, sys
if sys.argv[1] == "off":
    gc.disable()
from xxgk.cli.main import run
sys.argv = ["xxgk", *sys.argv[2:]]
try:
    run()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "enabled": gc.isenabled()}), file=sys.stderr)
"""


@pytest.mark.parametrize("before", ["on", "off"])
@pytest.mark.parametrize("command", [["validate", str(EXAMPLE)], ["schema"]])
def test_run_leaves_the_garbage_collector_as_it_found_it(before: str, command: list[str]) -> None:
    """A program that calls `run` in-process (a test, a script) keeps its collector on, or off
    if it had turned it off; the quick path and the click path alike."""
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, before, *command],
        env=ENV,
        capture_output=True,
        timeout=120,
        check=False,
    )
    doc = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
    assert doc == {"code": 0, "enabled": before == "on"}


# what validate of a valid workbook built at start (issue 16, fifth round)
BUILT_PROBE = """
import json, sys
from xxgk.cli.main import run
sys.argv = ["xxgk", "validate", sys.argv[1]]
try:
    run()
except SystemExit as exc:
    code = exc.code
from xxgk.check import rules
from xxgk.format import agency
classes = [
    f"{name}.{value.__qualname__}"
    for name, module in sorted(sys.modules.items())
    if name.startswith(("xxgk.format", "xxgk.check", "xxgk.cli", "xxgk.files"))
    for value in list(vars(module).values())
    if isinstance(value, type) and value.__module__ == name
    and "__dataclass_fields__" in vars(value)
]
compiled = {
    "rules._OLD_FORMAT": "compiled" in vars(rules._OLD_FORMAT),
    "agency._unit": agency._unit.cache_info().currsize > 0,
}
print(json.dumps({"code": code, "dataclasses": classes, "compiled": compiled}), file=sys.stderr)
"""


def test_validate_of_a_valid_workbook_builds_no_dataclass_of_ours_nor_unused_patterns() -> None:
    """The classes of the model, the checks and the findings are `record`s: a dataclass writes
    and compiles its methods at import (0.7 ms a class). Nor are patterns compiled that a valid
    report's check never uses (the 2019 format's words, the agency's unit for the wording)."""
    done = subprocess.run(
        [sys.executable, "-c", BUILT_PROBE, str(EXAMPLE)],
        env=ENV,
        capture_output=True,
        timeout=120,
        check=False,
    )
    doc = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
    assert doc["code"] == 0
    assert doc["dataclasses"] == []
    assert doc["compiled"] == {"rules._OLD_FORMAT": False, "agency._unit": False}


FIRST_USE_PROBE = """
import json, signal, sys
from pathlib import Path
masks = {}

def audit(event, args):  # the signal mask at the moment each report module is imported
    if event == "import" and args[0].startswith("xxgk.report.") and args[0] not in masks:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        masks[args[0]] = signal.SIGTERM in held and signal.SIGINT in held

sys.addaudithook(audit)
from xxgk.batch import pool, runner
seen = []
real = pool.convert_one

def first(task):
    if not seen:
        seen.append(sorted(m for m in sys.modules if m.startswith("xxgk.report.")))
    return real(task)

pool.convert_one = first
runner.run([Path(a) for a in sys.argv[2:]], Path(sys.argv[1]), ["json", "docx", "html"], jobs=1)
print(json.dumps({"at_first_file": seen[0], "held": masks}))
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX masks")
def test_a_run_in_one_process_imports_its_renderers_before_its_first_file(tmp_path: Path) -> None:
    """`convert --jobs 1` imports what its first file would import at first use (the renderers'
    modules, whose dataclasses are code run from strings) before that file, with Ctrl-C and
    SIGTERM held: an interrupt raised inside such code made Python exit by SIGINT (-2) though
    the run had handled it, as `--jobs 2`'s warm-up already avoided."""
    inputs = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in inputs:
        path.write_bytes(EXAMPLE.read_bytes())
    done = subprocess.run(
        [sys.executable, "-c", FIRST_USE_PROBE, str(tmp_path / "out"), *map(str, inputs)],
        env=ENV, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    got = json.loads(done.stdout.splitlines()[-1])
    assert {"xxgk.report.docx", "xxgk.report.html"} <= set(got["at_first_file"])
    # those that make dataclasses (import_module, which loaded the renderers, is not audited)
    made = ("xxgk.report.content", "xxgk.report.document", "xxgk.report.tables")
    assert all(got["held"].get(name) for name in made), got["held"]
