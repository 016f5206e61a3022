"""Folders of reports put under `--data/收件/` (copied from a shared drive or a USB stick): a
county collection takes a whole folder at once instead of an upload of each file. Workbooks,
JSON and the reports departments already published (web pages, Word, PDF, text) are taken, as
an upload takes them; an old .doc/.wps is taken too, so that its row says how to save it.

Only the folders directly under 收件 are offered, by name, and only a name from that list is
read: nothing outside `--data` can be reached. Links are not followed; Office's lock files
(`~$…`) and hidden files are passed over, as `xxgk convert` does.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.files.read import ANY_INPUT_SUFFIXES

INBOX = "收件"
IMPORT_SUFFIXES = ANY_INPUT_SUFFIXES


def inbox(data: Path) -> Path:
    return data / INBOX


def folders(data: Path) -> list[Path]:
    """The folders a collection can import, in name order (none when 收件 does not exist)."""
    root = inbox(data)
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not _hidden(p.name)
    )


def folder_files(data: Path, name: str) -> list[Path] | None:
    """The importable files of the folder `name` (subfolders too), or None for a name that is
    not one of `folders`."""
    chosen = next((p for p in folders(data) if p.name == name), None)
    if chosen is None:
        return None
    out = []
    for path in sorted(chosen.rglob("*")):
        rel = path.relative_to(chosen).parts
        if any(_hidden(part) for part in rel) or any(
            (chosen.joinpath(*rel[: i + 1])).is_symlink() for i in range(len(rel))
        ):
            continue
        if path.is_file() and path.suffix.lower() in IMPORT_SUFFIXES:
            out.append(path)
    return out


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))
