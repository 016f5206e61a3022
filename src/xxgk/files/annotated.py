"""Writing the annotated copies of `xxgk validate --annotate`: `<stem>.校验.xlsx` in OUTDIR,
atomically; the input is only read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from xxgk.check.findings import Finding
from xxgk.files.atomic import write_atomic, write_failure
from xxgk.files.errorlog import internal_message, log_internal
from xxgk.workbook.annotate import CannotOpen, annotate_bytes

MARK = ".校验"


def annotated_name(path: Path) -> str:
    """report.xlsx → report.校验.xlsx (an .xlsm stays .xlsm, so its macros keep working)."""
    suffix = ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{path.stem}{MARK}{suffix}"


def write_annotated(
    path: Path, found: list[Finding], outdir: Path, name: str | None = None
) -> Path:
    """Write `<stem>.校验.xlsx` into `outdir` and return its path. Refuses to overwrite `path`."""
    target = outdir / (name or annotated_name(path))
    if target.exists() and target.resolve() == path.resolve():
        raise OSError(f"输出文件与输入文件相同：{target}")
    raw = path.read_bytes()
    keep_vba = path.suffix.lower() == ".xlsm"
    write_atomic(target, annotate_bytes(raw, path.name, found, keep_vba))
    return target


def annotate_all(
    items: Iterable[tuple[Path, list[Finding]]], outdir: Path, say: Callable[[str], None]
) -> bool:
    """Annotated copies of the workbooks among `items` (JSON inputs are skipped); `say` gets one
    line per file written or failed. False if some copy could not be written."""
    used: set[str] = set()
    ok = True
    for path, found in items:
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        name = annotated_name(path)
        n = 2
        while name in used:  # two inputs called report.xlsx from different folders
            stem, dot, ext = annotated_name(path).rpartition(".")
            name = f"{stem}-{n}{dot}{ext}"
            n += 1
        used.add(name)
        try:
            target = write_annotated(path, found, outdir, name)
        except OSError as exc:  # one bad copy must not stop the rest
            say(f"{path}：无法写出校验副本。" + write_failure(outdir / name, exc))
            ok = False
            continue
        except CannotOpen as exc:  # the reader could, openpyxl cannot: logged, in case it is ours
            where = log_internal(exc.__cause__ or exc, f"为 {path} 生成校验副本")
            say(f"{path}：{exc}" + (f"（详细信息见 {where}）" if where else ""))
            ok = False
            continue
        except Exception as exc:  # a bug of ours: said as ours, the details in the log
            say(f"{path}：{internal_message(exc, f'为 {path} 生成校验副本')}")
            ok = False
            continue
        say(f"已写出校验副本：{target}")
    return ok
