"""Batch conversion: many inputs → report files in one output folder, plus a summary.

The library half of `xxgk convert` (the click command in `cli/convert.py` wraps it; nothing
here prints). Policy, in one place:
- An input with errors is reported and NOT converted, unless `force`; then whatever the
  renderers can make of it is written and its status says so.
- Each input's outputs are rendered fully in memory first, then written to temp files inside
  the output folder, and only then renamed (`os.replace`) to their final names by the parent
  process, which alone decides names so that they are deterministic whatever `jobs` is.
- Re-running into the same folder: outputs the previous `summary.json` lists for an input of
  this run, and that this run does not write again, are deleted. Nothing else is ever deleted.
- One input's failure is that input's status, never the run's end: unreadable, invalid, a
  renderer bug, a worker process that dies, an output that cannot be replaced.
- One run at a time per output folder (`files/lock.py`; a second run gets FolderBusy). Holding
  the lock, a run first removes every temp file (`.xxgk-tmp-*`) an earlier run left there when
  it was killed: no live run can own one. Temp files carry the run's id (pid and a random tag).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import overload

from xxgk.batch import convert
from xxgk.batch.convert import Task, fail, remove_temps
from xxgk.batch.discover import PathList, inputs_in
from xxgk.batch.itemstore import ItemStore
from xxgk.batch.names import NameAllocator, output_stem, path_stem, safe_stem
from xxgk.batch.pool import results as pooled_results
from xxgk.batch.summary import (
    INTERRUPTED,
    SUMMARY_CSV,
    SUMMARY_JSON,
    TEMP_PREFIX,
    UNREADABLE,
    ItemResult,
    RunResult,
    input_key,
    previous_outputs,
    write_summary,
)
from xxgk.check import findings as fc
from xxgk.check.years import normalise_agency
from xxgk.files.atomic import os_reason
from xxgk.files.lock import folder_lock
from xxgk.files.pdf import PdfError, find_soffice, missing_message, substitutions
from xxgk.report.registry import GRAPHIC_FORMATS, suffix


def run(
    paths: Sequence[Path],
    outdir: Path,
    formats: Sequence[str],
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    last_year: Path | None = None,
    unreadable: Sequence[tuple[Path, str]] = (),
    importing: bool = False,
) -> RunResult:
    """Convert every input into `outdir`; write the summary. Never stops at a bad input.

    `unreadable`: what discovery could not look into (a folder without permission) and why;
    each is listed in the summary as an input that could not be read.
    Raises FolderBusy (another run holds `outdir`), PdfError (the PDF is asked for and
    LibreOffice is not installed) or NoChineseFont (the 图解 is asked for and no font can draw
    Chinese), before anything is written.

    On KeyboardInterrupt: workers are terminated, temp files removed, finished outputs kept
    (each complete), the summary written with the rest marked interrupted, and the
    KeyboardInterrupt re-raised for the caller to turn into an exit code.
    """
    if GRAPHIC_FORMATS & set(formats):
        from xxgk.report.graphic import chinese_font

        chinese_font()  # NoChineseFont: say so once, before anything is written
    soffice = find_soffice() if "pdf" in formats else None
    if "pdf" in formats and soffice is None:
        raise PdfError(missing_message())
    outdir.mkdir(parents=True, exist_ok=True)
    with folder_lock(outdir):
        return _run_locked(
            paths, outdir, formats, force, jobs, progress, last_year, unreadable, soffice, importing
        )


def _run_locked(
    paths: Sequence[Path],
    outdir: Path,
    formats: Sequence[str],
    force: bool,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    last_year: Path | None,
    unreadable: Sequence[tuple[Path, str]],
    soffice: str | None,
    importing: bool = False,
) -> RunResult:
    tag = f"{os.getpid()}-{os.urandom(4).hex()}"  # secrets.token_hex, without its import
    last = str(last_year) if last_year is not None else None
    tasks = TaskList(
        paths, Task(0, "", str(outdir), tuple(formats), force, tag, last, soffice, importing)
    )
    previous: dict[str, list[str]] = {}
    items = ItemStore()  # on disk: memory stays flat however many inputs
    interrupted = False
    try:  # from here on, an interrupt still leaves a summary of what was done
        convert.previous_reports.cache_clear()  # LAST may have changed since an earlier run
        previous = previous_outputs(outdir)
        _remove_leftovers(outdir)
        inputs_here = inputs_in(paths, outdir.resolve())  # as discover resolved them
        names = NameAllocator(inputs_here, (suffix(f) for f in formats))
        with contextlib.closing(pooled_results(tasks, jobs)) as results:
            for item in results:
                _place_outputs(item, outdir, names, importing)
                items.append(item)
                if progress:
                    progress(len(items), len(tasks))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _remove_run_temps(outdir, tag)
    for task in tasks[len(items) :]:
        kept = [n for n in previous.get(input_key(task.path), []) if (outdir / n).is_file()]
        items.append(ItemResult(task.index, task.path, INTERRUPTED, outputs=kept))
    for folder, reason in unreadable:
        items.append(
            ItemResult(
                len(items),
                str(folder),
                UNREADABLE,
                errors=1,
                first_error=reason,
                first_error_code=fc.FOLDER_UNREADABLE,
            )
        )
    result = RunResult(items, tuple(formats), force, interrupted, importing=importing)
    if soffice is not None:
        result.pdf_fonts = substitutions()
    mark_duplicates(result.items)
    _remove_stale(outdir, previous, result)
    write_summary(outdir, result)
    if interrupted:
        raise KeyboardInterrupt
    return result


class TaskList(Sequence[Task]):
    """The run's tasks, each made when asked for: a list of them, held for the whole run, cost
    0.2 KB an input."""

    def __init__(self, paths: Sequence[Path], common: Task) -> None:
        self._paths = paths
        # what every task shares, after its index and path: `Task(i, path, *rest)` is a fifth
        # of `dataclasses.replace`'s cost; discovery's PathList gives each path as its text
        self._rest = tuple(getattr(common, f.name) for f in fields(Task)[2:])
        self._text = paths.text if isinstance(paths, PathList) else lambda i: str(paths[i])

    def __len__(self) -> int:
        return len(self._paths)

    @overload
    def __getitem__(self, index: int) -> Task: ...

    @overload
    def __getitem__(self, index: slice) -> list[Task]: ...

    def __getitem__(self, index: int | slice) -> Task | list[Task]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # IndexError past the end, as a list's
        return Task(index, self._text(index), *self._rest)


def mark_duplicates(items: Sequence[ItemResult]) -> list[list[ItemResult]]:
    """Inputs that are reports of the same agency and year (two versions of one report, most
    likely): each but the first gets `duplicate_of` = the first's path. Returns the groups."""
    if isinstance(items, ItemStore):
        found = []
        for positions in items.duplicate_groups():
            group = [items[p] for p in positions]
            for position, item in zip(positions[1:], group[1:], strict=True):
                item.duplicate_of = group[0].path
                items.mark_duplicate(position, group[0].path)
            found.append(group)
        return found
    groups: dict[tuple[str, int], list[ItemResult]] = {}
    for item in items:
        key = normalise_agency(item.agency)
        if key and item.year is not None:
            groups.setdefault((key, item.year), []).append(item)
    out = [group for group in groups.values() if len(group) > 1]
    for first, *rest in out:
        for item in rest:
            item.duplicate_of = first.path
    return out


def _place_outputs(
    item: ItemResult, outdir: Path, names: NameAllocator, by_input: bool = False
) -> None:
    """Rename the temps to `机关-年度.ext` (`by_input`: to the input's own stem, as `xxgk
    import` names its JSON)."""
    if not item.temps:
        return
    stem_of = path_stem(item.path)
    stem = names.take(
        safe_stem(stem_of) if by_input else output_stem(item.agency, item.year, stem_of)
    )
    folder = str(outdir)  # joined as text: a Path for each of an input's six names cost 30 µs
    pending = dict(item.temps)
    for fmt, temp in item.temps.items():
        final = stem + suffix(fmt)
        try:
            os.replace(os.path.join(folder, temp), os.path.join(folder, final))
        except OSError as exc:  # e.g. on Windows the old file is open in Word
            detail = os_reason(exc)
            fail(item, fc.OUTPUT_REPLACE, target=str(outdir / final), detail=detail)
            break
        del pending[fmt]
        item.outputs.append(final)
    remove_temps(str(outdir), pending.values())  # those not moved into place
    item.temps = {}


def _named(outdir: Path, prefix: str) -> Iterator[os.DirEntry[str]]:
    """The entries of `outdir` whose names start with `prefix`, one at a time (Path.glob lists
    the whole folder first: 4.5 MB for the 15,000 outputs of 5,000 inputs)."""
    with os.scandir(outdir) as entries:
        for entry in entries:
            if entry.name.startswith(prefix):
                yield entry


def _remove_leftovers(outdir: Path) -> None:
    """Temp files of earlier runs into this folder that were killed (kill -9, a power cut)."""
    for leftover in _named(outdir, TEMP_PREFIX):
        with contextlib.suppress(OSError):
            if leftover.is_file():
                os.unlink(leftover.path)


def _remove_run_temps(outdir: Path, tag: str) -> None:
    for leftover in _named(outdir, f"{TEMP_PREFIX}{tag}-"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(leftover.path)


def _remove_stale(outdir: Path, previous: dict[str, list[str]], result: RunResult) -> None:
    if not previous:
        return  # a first run into this folder: nothing of an earlier run to remove
    # one pass over the items (each read back from disk): what this run wrote, and what the
    # earlier one listed for the inputs it finished; only then is anything removed, since a
    # name may have moved from one input to another
    written: set[str] = set()
    listed: list[str] = []
    for item in result.items:
        written.update(item.outputs)
        if item.status != INTERRUPTED:
            listed.extend(previous.get(input_key(item.path), ()))
    for name in listed:
        if name not in written and name not in (SUMMARY_JSON, SUMMARY_CSV):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                (outdir / name).unlink()
