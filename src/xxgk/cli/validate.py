"""What `xxgk validate` does, without click: the command in `group.py` calls `run_validate`, and
`quick_validate` runs it straight from the command line for the common case — files named,
nothing but `--format` — so that a check of one workbook starts without loading click (20 ms
of the 0.1 s that start-up may take, issue 16). Anything else goes through click as before."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from xxgk.check.findings import SEVERITY_LABEL, Finding, counts, summary_text
from xxgk.check.outcome import (
    checked_result,
    totals,
    unreadable_finding,
    unreadable_result,
    validate_document,
)
from xxgk.check.source import check_source
from xxgk.cli.output import EXIT_ERRORS, EXIT_UNREADABLE, echo, echo_err, exit_code
from xxgk.files.errorlog import internal_message
from xxgk.files.read import read_source

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from xxgk.files.previous import PreviousReports

FORMATS = ("text", "json")


def quick_validate(argv: list[str]) -> int | None:
    """The exit code of `xxgk validate FILE... [--format text|json]` run here, or None for any
    other command line (options, folders, globs, --help: click parses those)."""
    if not argv or argv[0] != "validate":
        return None
    fmt, files, args = "text", [], iter(argv[1:])
    for arg in args:
        if arg == "--format":
            arg = "--format=" + next(args, "")
        if arg.startswith("--format="):
            fmt = arg.removeprefix("--format=")
            if fmt not in FORMATS:
                return None
        elif arg.startswith("-") or _searched(Path(arg)):
            return None
        else:
            files.append(Path(arg))
    if not files:
        return None
    try:
        return run_validate(tuple(files), fmt, None, None)
    except BrokenPipeError:
        return closed_pipe()
    except (EOFError, KeyboardInterrupt):
        echo_err("")
        echo_err("已中止。")  # click's "Aborted!", as chinese.py words it
        return EXIT_ERRORS
    except Exception as exc:  # ours, as the click group's guard says it
        echo_err(internal_message(exc, "xxgk validate"))
        return EXIT_UNREADABLE


def closed_pipe() -> int:
    """`xxgk validate … | head`: the reader stopped reading; not a bug, nothing to log. stdout
    is pointed at devnull so that Python's exit flush does not fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_UNREADABLE


def run_validate(
    files: tuple[Path, ...], fmt: str, previous_path: Path | None, annotate_dir: Path | None
) -> int:
    """Check `files` (folders and globs searched), print the findings; the exit code."""
    previous = None
    if previous_path is not None:
        from xxgk.files.previous import PreviousError, load_previous  # only with --previous

        try:
            previous = load_previous(previous_path)
        except PreviousError as exc:
            echo_err(str(exc))
            if fmt == "json":  # a caller that asked for JSON gets JSON, naming last year's file
                import json

                finding = unreadable_finding(str(exc))
                doc = {
                    "valid": False,
                    "errors": 1,
                    "warnings": 0,
                    "files": [{"path": str(previous_path), "valid": False, "findings": [finding]}],
                }
                echo(json.dumps(doc, ensure_ascii=False, indent=2))
            return EXIT_UNREADABLE
    results, any_errors, any_unreadable = _files_report(_expand(files), previous)
    total_e, total_w = totals(results)
    if fmt == "json":
        import json  # not for the text a person reads: its import is 3 ms of the start

        doc = validate_document(results)
        echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if "error" in r:
                echo(f"{r['path']}：无法读取")
                reason = str(r["error"]).removeprefix(f"{r['path']}：")  # named on the line above
                echo(f"  错误 {r['code']}：{reason}")
                continue
            found: list[Finding] = r["findings"]  # type: ignore[assignment]
            echo(f"{r['path']}：{summary_text(*counts(found))}")
            for f in found:
                echo(_finding_line(f))
        if len(results) > 1:
            echo(f"共 {len(results)} 个文件：{summary_text(total_e, total_w)}")
    for r in results:
        if "error" in r:
            echo_err(str(r["error"]))
    if annotate_dir is not None:
        from xxgk.files.annotated import annotate_all  # openpyxl: only when asked

        done = [(Path(str(r["path"])), r["findings"]) for r in results if "error" not in r]
        any_unreadable |= not annotate_all(done, annotate_dir, echo_err)  # type: ignore[arg-type]
    return exit_code(any_errors, any_unreadable)


def _finding_line(f: Finding) -> str:
    return f"  {SEVERITY_LABEL[f.severity]} {f.code} {f.located}"


def _files_report(
    paths: Iterable[Path], previous: PreviousReports | None = None
) -> tuple[list[dict[str, object]], bool, bool]:
    files: list[dict[str, object]] = []
    any_errors = any_unreadable = False
    for path in paths:
        source = read_source(path)
        if not source.readable:
            any_unreadable = True
            files.append(unreadable_result(str(path), source))
            continue
        last = previous.pick(source) if previous else None
        if previous is not None and last is None and source.previous is None:
            echo_err(f"{path}：--previous 中没有同一机关的上年报告，未与上年核对。")
        result = checked_result(str(path), check_source(source, last))
        any_errors |= not result["valid"]
        files.append(result)
    return files, any_errors, any_unreadable


def _expand(files: tuple[Path, ...]) -> list[Path]:
    """Folders (searched recursively) and globs as convert takes them; a plain file name as
    given, so that a missing file is reported as unreadable (exit 3) like any bad input."""
    if not any(_searched(f) for f in files):  # no folder search: nothing of batch/ to load
        return list(dict.fromkeys(files))
    from xxgk.batch.discover import InputError, Skipped, discover

    out: list[Path] = []
    skipped = Skipped()  # xxgk's own earlier outputs (summary.json, *.校验.xlsx…): said once
    for f in files:
        if _searched(f):
            try:
                out.extend(p for p in discover([str(f)], skipped=skipped) if p not in out)
            except InputError as exc:
                import click  # only through the click command: quick_validate searches nothing

                raise click.UsageError(str(exc)) from None
        elif f not in out:
            out.append(f)
    for line in skipped.lines():
        echo_err(line)
    return out


def _searched(f: Path) -> bool:
    return f.is_dir() or any(c in str(f) for c in "*?[")
