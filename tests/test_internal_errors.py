"""A bug of ours is reported as ours: 内部错误, exit 3, the traceback in a log IT can find,
never the user's file called broken and never a Python traceback on the screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from xxgk.cli.main import main
from xxgk.excel import addin
from xxgk.workbook import reader

from .wb_helpers import write_workbook


class Boom(RuntimeError):
    pass


def _boom(*_: Any, **__: Any) -> Any:
    raise Boom("a bug planted by the test")


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("XXGK_LOG_DIR", str(folder))
    return folder


def _log(folder: Path) -> str:
    return (folder / "xxgk-errors.log").read_text(encoding="utf-8")


def test_a_reader_bug_is_an_internal_error_not_a_broken_file(
    tmp_path: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_workbook(tmp_path / "年报.xlsx")
    monkeypatch.setattr(reader, "read_package", _boom)
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    [finding] = doc["files"][0]["findings"]
    assert finding["code"] == "INTERNAL_ERROR"
    assert "内部错误" in finding["message"] and "不是文件本身的问题" in finding["message"]
    assert str(log_dir / "xxgk-errors.log") in finding["message"]
    log = _log(log_dir)
    assert "Boom: a bug planted by the test" in log and str(path) in log
    assert "Traceback" not in result.output


def test_a_bug_anywhere_in_a_command_exits_3_with_the_log(
    tmp_path: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path
) -> None:
    from xxgk.cli import validate as cli_validate

    monkeypatch.setattr(cli_validate, "check_source", _boom)  # after reading: inside validate
    result = CliRunner().invoke(main, ["validate", str(example_path)])
    assert result.exit_code == 3
    assert "内部错误（Boom）" in result.stderr
    assert str(log_dir) in result.stderr
    assert "Traceback" not in result.output
    assert "xxgk validate" in _log(log_dir)


def test_a_converter_bug_names_the_log(
    tmp_path: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path
) -> None:
    from xxgk.batch import convert

    monkeypatch.setattr(convert, "check_source", _boom)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(example_path), "-o", str(out), "-j", "1"])
    assert result.exit_code == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    [entry] = summary["files"]
    assert entry["status"] == "failed" and entry["first_error_code"] == "CONVERT_INTERNAL"
    assert str(log_dir / "xxgk-errors.log") in entry["first_error"]
    assert "Boom" in _log(log_dir)


def test_an_unwritable_log_is_said_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_path: Path
) -> None:
    from xxgk.cli import validate as cli_validate

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XXGK_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setattr(cli_validate, "check_source", _boom)
    result = CliRunner().invoke(main, ["validate", str(example_path)])
    assert result.exit_code == 3
    assert "详细信息未能写入日志" in result.stderr


class _App:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str]] = []

    def alert(self, text: str, title: str = "", mode: str = "") -> None:
        self.alerts.append((text, mode))


class _Book:
    name = "年报.xlsx"

    def __init__(self) -> None:
        self.app = _App()


def test_the_addin_keeps_the_details_where_it_can_find_them(log_dir: Path) -> None:
    """xlwings deletes its own log when the run ends normally: the add-in writes its own."""
    book = _Book()
    try:
        _boom()
    except Boom as exc:
        addin.report_failure(book, exc)
    [(text, mode)] = book.app.alerts
    assert mode == "critical"
    assert "内部错误" in text and str(log_dir / "xxgk-errors.log") in text
    assert "Boom: a bug planted by the test" in _log(log_dir)


class _Protection:
    def __getattr__(self, name: str) -> bool:
        return False


class _Api:
    """A COM worksheet whose Unprotect fails; `password` says whether it stays protected."""

    def __init__(self, password: bool) -> None:
        self.password = password
        self.ProtectContents = True
        self.ProtectDrawingObjects = self.ProtectScenarios = False
        self.Protection = _Protection()

    def Unprotect(self) -> None:  # noqa: N802 - Excel's name
        if not self.password:
            self.ProtectContents = False  # it did lift, then something else broke
        raise OSError("COM error")


class _Sheet:
    def __init__(self, password: bool) -> None:
        self.name = "表三"
        self.api = _Api(password)


def test_only_a_sheet_that_stays_protected_is_called_password_protected() -> None:
    from xxgk.excel import write

    with pytest.raises(write.Locked), write._unprotected([_Sheet(password=True)]):
        pass
    with pytest.raises(OSError), write._unprotected([_Sheet(password=False)]):
        pass  # not a password: the failure stays ours, for report_failure


def test_a_closed_pipe_is_not_an_internal_error(tmp_path: Path, example_path: Path) -> None:
    """`xxgk validate 收件/ | head`: the reader stops early; no 内部错误, nothing logged."""
    import os
    import subprocess
    import sys

    inbox = tmp_path / "收件"
    inbox.mkdir()
    for n in range(300):
        (inbox / f"{n}.json").write_bytes(example_path.read_bytes())
    logs = tmp_path / "logs"
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src, "XXGK_LOG_DIR": str(logs)}
    cmd = [sys.executable, "-m", "xxgk.cli.main", "validate", str(inbox)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 3
    assert "内部错误" not in err and "Traceback" not in err
    assert not logs.exists() or not any(logs.iterdir())
