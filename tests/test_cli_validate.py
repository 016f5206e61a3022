"""`xxgk validate`, `xxgk schema` and `--version` through click's CliRunner, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk import __version__
from xxgk.cli.main import main
from xxgk.format.schema import load_schema


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_version_and_schema() -> None:
    assert run("--version").output.strip().endswith(__version__)
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == load_schema()


def test_example_is_valid_json_output(example_path: Path) -> None:
    result = run("validate", "--format", "json", str(example_path))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["valid"], doc["errors"], doc["warnings"]) == (True, 0, 1)
    assert doc["files"][0]["findings"][0]["code"] == "DATE_LATE"


def test_errors_exit_1_and_json_carries_args_and_paths(tmp_path: Path, example) -> None:
    example["requests"]["new"]["natural_person"] = 5
    bad = write(tmp_path, "bad.json", json.dumps(example, ensure_ascii=False))
    result = run("validate", "--format", "json", str(bad))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["valid"] is False and doc["errors"] >= 2
    codes = {f["code"] for f in doc["files"][0]["findings"]}
    assert {"T3_BALANCE", "T3_ROW_TOTAL"} <= codes
    balance = next(f for f in doc["files"][0]["findings"] if f["code"] == "T3_BALANCE")
    assert balance["args"]["reported"] == 5 and balance["args"]["computed"] == 0
    assert "/requests/new/natural_person" in balance["paths"]


def test_text_output_names_the_place(tmp_path: Path, example) -> None:
    example["proactive"]["licensing"]["decisions"] = -2
    bad = write(tmp_path, "neg.json", json.dumps(example, ensure_ascii=False))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "VALUE_NEGATIVE" in result.stdout and "行政许可" in result.stdout


BAD_INPUTS = {
    "not-json.json": b"this is not json",
    "empty.json": b"",
    "nan.json": b'{"year": NaN}',
    "huge.json": b'{"year": 1e309}',
    "deep.json": b"[" * 100000 + b"]" * 100000,
    "binary.json": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_unreadable_json_exits_3_with_a_chinese_message(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, BAD_INPUTS[name])
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    doc = json.loads(result.stdout)
    finding = doc["files"][0]["findings"][0]
    assert finding["code"] == "FILE_UNREADABLE"
    assert name in finding["message"]
    assert "Traceback" not in result.output


def test_bom_is_accepted(tmp_path: Path, example_path: Path) -> None:
    path = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + example_path.read_bytes())
    assert run("validate", str(path)).exit_code == 0


def test_gbk_bytes_are_read_with_a_warning(tmp_path: Path, example_path: Path) -> None:
    text = example_path.read_text(encoding="utf-8")
    path = write(tmp_path, "gbk.json", text.encode("gbk"))
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 0
    codes = [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert "FILE_ENCODING" in codes


@pytest.mark.parametrize(
    ("mutate", "code", "path"),
    [
        (
            lambda d: d["proactive"]["rules"].__setitem__("issued", "三"),
            "JSON_TYPE",
            "/proactive/rules/issued",
        ),
        (lambda d: d["agency"].pop("name"), "JSON_REQUIRED", "/agency/name"),
        (lambda d: d.__setitem__("comment", "x"), "JSON_EXTRA", "/comment"),
        (
            lambda d: d["review_litigation"]["review"].__setitem__("pending", -1),
            "VALUE_NEGATIVE",
            "/review_litigation/review/pending",
        ),
        (
            lambda d: d["requests"]["new"].__setitem__("total", None),
            "JSON_TYPE",
            "/requests/new/total",
        ),
    ],
)
def test_wrong_data_gives_findings_not_tracebacks(tmp_path, example, mutate, code, path) -> None:
    mutate(example)
    file = write(tmp_path, "x.json", json.dumps(example, ensure_ascii=False))
    result = run("validate", "--format", "json", str(file))
    assert result.exit_code == 1
    found = [(f["code"], f["path"]) for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert (code, path) in found


@pytest.mark.parametrize("doc", ["[]", "42", '"text"', "null"])
def test_json_that_is_not_an_object(tmp_path: Path, doc: str) -> None:
    file = write(tmp_path, "x.json", doc)
    result = run("validate", "--format", "json", str(file))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["files"][0]["findings"][0]["code"] == "JSON_TYPE"


def test_missing_file_and_usage_errors(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.json"))
    assert result.exit_code == 3
    assert run("validate").exit_code == 2
    assert run("validate", "--format", "xml", "x.json").exit_code == 2


def test_many_files_stdout_is_pure_json(tmp_path: Path, example_path: Path) -> None:
    bad = write(tmp_path, "bad.json", b"{")
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(example_path), str(bad)])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert [f["valid"] for f in doc["files"]] == [True, False]
    assert "bad.json" in result.stderr


def test_a_folder_is_searched_like_convert_does(tmp_path: Path, example_path: Path) -> None:
    inbox = tmp_path / "收件" / "乡镇"
    inbox.mkdir(parents=True)
    write(inbox, "a.json", example_path.read_bytes())
    write(inbox.parent, "b.json", example_path.read_bytes())
    write(inbox, "readme.txt", "不是报告")
    result = run("validate", "--format", "json", str(tmp_path / "收件"))
    assert result.exit_code == 0, result.output
    names = sorted(Path(f["path"]).name for f in json.loads(result.stdout)["files"])
    assert names == ["a.json", "b.json"]
    assert run("validate", str(tmp_path / "空")).exit_code == 3  # a missing file: unreadable
    (tmp_path / "空文件夹").mkdir()
    assert run("validate", str(tmp_path / "空文件夹")).exit_code == 2  # nothing to validate
