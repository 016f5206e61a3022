"""Finding the inputs of a batch: files, folders (recursively) and globs, in a deterministic
order, leaving out what xxgk itself wrote earlier (said once per kind).
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from xxgk.batch.folders import RealPaths, is_link, real_files, resolved, walk
from xxgk.batch.summary import (
    IMPORT_COMMAND,
    SUMMARY_CSV,
    SUMMARY_JSON,
    previous_outputs,
    summary_outputs,
)
from xxgk.files.atomic import os_reason
from xxgk.files.kind import OTHER_SPREADSHEET_SUFFIXES
from xxgk.files.published import PUBLISHED_SUFFIXES
from xxgk.files.read import ANY_INPUT_SUFFIXES, INPUT_SUFFIXES

# Folder scans also pick up old .xls and other programs' spreadsheets (.ods, .et) so that the
# reader can say clearly why they cannot be read, instead of silently leaving a report out.
SCAN_SUFFIXES = INPUT_SUFFIXES | OTHER_SPREADSHEET_SUFFIXES
SCAN_WHAT = " .xlsx、.xlsm 或 .json 文件"  # after 里没有 / 匹配的
# `xxgk import`: published reports, and the old .doc/.wps to say how to save them
PUBLISHED_SCAN = PUBLISHED_SUFFIXES
PUBLISHED_WHAT = "已发布的年报（.docx、.pdf、.html、.txt、.md）"


class InputError(Exception):
    """The command line names inputs that do not exist or hold nothing to convert (usage)."""


# -- finding the inputs -----------------------------------------------------------------------

_GLOB_CHARS = re.compile(r"[*?\[]")
# What xxgk itself wrote earlier, found again in a searched folder or glob: never an input
# there (a file named on the command line is taken whatever it is). Each kind is said once.
SKIP_SUMMARY = "summary"
SKIP_MANIFEST = "manifest"
SKIP_ANNOTATED = "annotated"
SKIP_OUTPUT = "output"
SKIP_LABEL = {
    SKIP_SUMMARY: "由 xxgk convert 写出的汇总文件（summary.json）",
    SKIP_MANIFEST: "由 xxgk aggregate 写出的清单文件（*.manifest.json）",
    SKIP_ANNOTATED: "由 xxgk validate --annotate 写出的校验副本（*.校验.xlsx）",
    SKIP_OUTPUT: "以前转换输出的文件（所在文件夹的 summary.json 列有它们）",
}
MANIFEST_SUFFIX = ".manifest.json"  # cli/aggregate.py output_paths
# annotate.annotated_name: report.xlsx → report.校验.xlsx; annotate_all adds -2, -3 on a clash.
_ANNOTATED = re.compile(r"\.校验(?:-\d+)?\.xls[xm]$", re.IGNORECASE)


_SUMMARY_PEEK = 256
MAX_SUMMARY_BYTES = 64 * 1024 * 1024


class Skipped:
    """What discovery left out, by kind, for one line each on stderr."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[Path]] = {}
        # folders that could not be searched (no permission…), with the reason: never silent
        self.unreadable: list[tuple[Path, str]] = []

    def add(self, kind: str, path: Path) -> None:
        self.by_kind.setdefault(kind, []).append(path)

    def total(self) -> int:
        return sum(len(v) for v in self.by_kind.values())

    def lines(self) -> list[str]:
        return [
            f"已跳过 {len(self.by_kind[kind])} 个{label}；要处理其中的文件，请直接写出文件名。"
            for kind, label in SKIP_LABEL.items()
            if self.by_kind.get(kind)
        ]


def _skipped_name(name: str) -> bool:
    """Office lock files (~$x.xlsx) and hidden files are never inputs."""
    return name.startswith(("~$", "."))


def _read_summary(path: Path) -> dict[str, list[str]] | None:
    """The outputs a summary file lists, or None if it is not one (or cannot be read)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SUMMARY_PEEK)
            # Cheap first: every .json of a folder passes here, and a report never starts so.
            if path.name.casefold() != SUMMARY_JSON and not (
                head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b'"interrupted"' in head
            ):
                return None
            if os.fstat(fh.fileno()).st_size > MAX_SUMMARY_BYTES:
                return None
            raw = head + fh.read()
        doc = json.loads(raw.decode("utf-8-sig"))
        outputs = summary_outputs(doc)
        # xxgk import's JSON are reports to convert and check: only its summary is left out
        return {} if outputs is not None and doc.get("command") == IMPORT_COMMAND else outputs
    except (OSError, ValueError, RecursionError):
        return None


class _Own:
    """What xxgk wrote earlier where we search: the output folder of this run (not searched
    when inside a searched folder; its files never inputs) and, in any folder searched, a
    summary.json and the outputs it lists."""

    def __init__(
        self, outdir: Path | None, skipped: Skipped, suffixes: frozenset[str] | set[str]
    ) -> None:
        self.suffixes = suffixes
        self.dir = resolved(outdir) if outdir is not None else None
        self.skipped = skipped
        self.files: set[str] = set()
        if outdir is not None:
            names = {SUMMARY_JSON, SUMMARY_CSV}
            names.update(n for outs in previous_outputs(outdir).values() for n in outs)
            self.files = real_files(outdir, names)
        self._outputs: dict[str, set[str]] = {}  # folder → output names its summary lists
        self.real = RealPaths()

    def prune(self, folder: Path) -> bool:
        """The output folder inside a searched folder is not searched."""
        return self.dir is not None and resolved(folder) == self.dir

    def outputs_in(self, folder: str) -> set[str]:
        if folder not in self._outputs:  # as found: one summary read per folder, no resolve()
            listed = _read_summary(Path(folder) / SUMMARY_JSON) or {}
            self._outputs[folder] = {os.path.normcase(n) for outs in listed.values() for n in outs}
        return self._outputs[folder]

    def kind(self, path: Path | str, link: bool | None = None) -> str | None:
        """Why `path` (found by a search) is not an input, or None if it is one; `link`:
        whether it is a symbolic link, where the search knows."""
        text = os.fspath(path)
        folder, name = os.path.split(text)
        folded = name.casefold()
        if folded.endswith(MANIFEST_SUFFIX):
            return SKIP_MANIFEST
        if _ANNOTATED.search(name):
            return SKIP_ANNOTATED
        if folded.endswith(".json") and _read_summary(Path(text)) is not None:
            return SKIP_SUMMARY
        if os.path.normcase(name) in self.outputs_in(folder) or (
            self.files and os.path.normcase(self.real(text, link)) in self.files
        ):
            return SKIP_OUTPUT
        return None

    def wanted(self, path: Path | str, named_suffix: str = "", link: bool | None = None) -> bool:
        """`named_suffix`: the suffix a glob spells out (`*.pdf`): files of it are wanted."""
        name = os.path.basename(path)
        suffix = _suffix(name).lower()
        if (suffix not in self.suffixes and suffix != named_suffix) or _skipped_name(name):
            return False
        kind = self.kind(path, link)
        if kind is None:
            return True
        self.skipped.add(kind, Path(path))
        return False


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without the Path (a search looks at every file's)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


# (a file's path as a search found it, whether it is a symbolic link)
Found = tuple[str, bool]


def _scan_folder(folder: Path, own: _Own) -> list[Found]:
    found: list[tuple[tuple[str, ...], Found]] = []  # (parts below `folder`, …): no Path kept

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        own.skipped.unreadable.append((where, folder_unreadable(where, exc)))

    top = str(folder)
    for root, dirs, files in walk(top, unreadable):
        here = Path(root)
        dirs[:] = [d for d in dirs if not _skipped_name(d) and not own.prune(here / d)]
        below = tuple(here.relative_to(top).parts)
        base = str(here)
        for entry in files:
            # str(here / name), as a Path would spell it (Path(".") / name is just name)
            text = entry.name if base == os.curdir else os.path.join(base, entry.name)
            link = is_link(entry)
            if own.wanted(text, link=link):
                found.append(((*below, entry.name), (text, link)))
    found.sort()
    return [path for _, path in found]  # text: 5,000 Paths took 2.5 MB


def discover(
    inputs: Sequence[str],
    exclude: Path | None = None,
    skipped: Skipped | None = None,
    suffixes: frozenset[str] | set[str] = SCAN_SUFFIXES,
    what: str = SCAN_WHAT,
) -> PathList:
    """Expand files, folders (recursively) and globs, in argument order, without duplicates.

    `exclude` is the output folder: when it lies inside a searched folder it is not searched.
    What xxgk wrote earlier is not taken from a folder or a glob: summary.json files (known by
    their content), aggregate manifests, annotated copies (`*.校验.xlsx`), the outputs a
    summary.json lists in its folder, the files of `exclude`; `skipped` collects them. A file
    named explicitly is taken whatever it is. Raises InputError for an argument that matches
    nothing (to take). `suffixes` are what a folder or glob yields (`what` says it in words).
    """
    skipped = skipped if skipped is not None else Skipped()
    own = _Own(exclude, skipped, suffixes)
    out: list[str] = []
    seen: set[str] = set()
    here = exclude.resolve() if exclude is not None else None
    here_text = str(here) if here is not None and os.name == "posix" else None
    inside: list[str] = []  # names of the inputs that lie in `exclude` itself: see `inputs_in`

    def add(path: Path | str, link: bool | None = None) -> None:
        real = own.real(path, link)
        key = os.path.normcase(real)
        if key not in seen:
            seen.add(key)
            out.append(str(path))
            if here_text is not None:  # a real path is a Path's text: compared as text
                if os.path.dirname(real) == here_text:
                    inside.append(os.path.basename(path))
            elif here is not None and Path(real).parent == here:
                inside.append(Path(path).name)

    for arg in inputs:
        path = Path(arg)
        before = skipped.total()
        closed = len(skipped.unreadable)
        found: list[Path | Found]
        if path.is_dir():
            found = [*_scan_folder(path, own)]
            if not found and len(skipped.unreadable) == closed:  # else: listed as unreadable
                raise InputError(f"文件夹 {arg} 里没有{what}" + _only(skipped.total() - before))
        elif path.is_file():
            found = [path]  # named explicitly: converted whatever its suffix or name
        elif _GLOB_CHARS.search(arg):
            # Windows shells pass globs through unexpanded; expand them here for every shell.
            found = []
            # `年报/*.pdf` spells out what it wants, beyond what a folder scan takes
            spelled = Path(arg).suffix.lower()
            spelled = spelled if spelled in ANY_INPUT_SUFFIXES else ""
            for match in map(Path, sorted(glob.glob(arg, recursive=True))):
                if match.is_dir():
                    found.extend(_scan_folder(match, own))
                elif own.wanted(match, spelled):
                    found.append(match)
            if not found:
                raise InputError(f"没有与 {arg} 匹配的{what}" + _only(skipped.total() - before))
        else:
            raise InputError(f"找不到输入 {arg}。请检查路径是否写对。")
        for p in found:
            if isinstance(p, tuple):
                add(*p)
            else:
                add(p)
    return PathList(out, (here, inside) if here is not None else None)


def inputs_in(paths: Sequence[Path], folder: Path) -> list[str]:
    """The names of the inputs whose real path lies in `folder` (resolved), in input order: as
    `discover` found them when it searched with `folder` excluded (each input resolved once),
    else each input resolved here."""
    known = paths.inside if isinstance(paths, PathList) else None
    if known is not None and known[0] == folder:
        return list(known[1])
    real = RealPaths()
    texts = map(paths.text, range(len(paths))) if isinstance(paths, PathList) else map(str, paths)
    if os.name == "posix":  # a real path is a Path's text: its folder compared as text (40 µs)
        here = str(folder)
        return [os.path.basename(t) for t in texts if os.path.dirname(real(t)) == here]
    return [Path(t).name for t in texts if Path(real(t)).parent == folder]


class PathList(Sequence[Path]):
    """The inputs found, held as text and made Paths when read: a Path held for the whole run
    cost about 0.5 KB an input, its text a fifth of that."""

    def __init__(
        self, paths: Iterable[Path | str] = (), inside: tuple[Path, list[str]] | None = None
    ) -> None:
        self._texts = [str(p) for p in paths]
        self.inside = inside  # (a folder, the names of the inputs in it): from `discover`

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [Path(t) for t in self._texts[index]]
        return Path(self._texts[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._texts)

    def text(self, index: int) -> str:
        """`str(self[index])` without making the Path."""
        return self._texts[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, PathList)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's


def folder_unreadable(folder: Path, exc: OSError) -> str:
    reason = "没有权限" if isinstance(exc, PermissionError) else (os_reason(exc) or "无法打开")
    return (
        f"文件夹 {folder} 无法打开（{reason}），其中的文件都没有处理。"
        "请检查该文件夹的权限后重新运行。"
    )


def _only(n: int) -> str:
    if not n:
        return "。"
    return f"（只有 {n} 个 xxgk 以前写出的文件，已跳过；要处理它们，请直接写出文件名）。"
