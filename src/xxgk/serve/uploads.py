"""An uploaded file, from the request to a checked `Source`.

The upload's name is only ever shown, never used as a path: the bytes are written under a
generated name in a private temporary folder (or in the county store) and read from there by
the same reader the command line uses (`files.read.read_source`), so the untrusted-file guard
runs before any parser.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request

from xxgk.check.source import Source
from xxgk.files.read import ANY_INPUT_SUFFIXES, read_source
from xxgk.serve.security import TooLarge

MAX_NAME_CHARS = 120
MAX_FILES_PER_REQUEST = 200


class UploadError(Exception):
    """A request whose upload cannot be taken; `status` and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    name: str  # as shown to the user: the base name, cleaned
    data: bytes


def display_name(raw: str | None, fallback: str = "上传的文件") -> str:
    """The base name of an uploaded file's name as the browser sent it (`../../x.xlsx` →
    `x.xlsx`, `C:\\Users\\a\\年报.xlsx` → `年报.xlsx`), without control or format characters."""
    text = raw or ""
    text = PureWindowsPath(PurePosixPath(text).name).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    text = text.lstrip(".").strip()
    return text[:MAX_NAME_CHARS] or fallback


def suffix_of(name: str) -> str:
    """The suffix the stored copy gets: .xlsx, .json, .pdf… (any input kind) when the name
    says so; otherwise none, and the reader tells the kind by the content."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in ANY_INPUT_SUFFIXES else ""


async def read_form(request: Request) -> dict[str, list[Upload]]:
    """Every uploaded file of the multipart request, by field name."""
    try:
        form = await request.form(max_files=MAX_FILES_PER_REQUEST, max_fields=50)
    except TooLarge as exc:
        raise UploadError(413, str(exc)) from None
    except ClientDisconnect:
        raise UploadError(400, "上传中断：连接在文件传完之前断开了。请重新上传。") from None
    except Exception as exc:  # a malformed multipart body (starlette says why, in English)
        if isinstance(exc.__cause__, TooLarge) or isinstance(exc.__context__, TooLarge):
            raise UploadError(413, str(exc.__cause__ or exc.__context__)) from None
        raise UploadError(
            400, "请求格式不正确：请用页面上的「选择文件」上传（multipart/form-data）。"
        ) from None
    out: dict[str, list[Upload]] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                out.setdefault(key, []).append(Upload(display_name(value.filename), data))
    finally:
        await form.close()
    return out


def one_file(files: dict[str, list[Upload]], field: str = "file") -> Upload:
    got = files.get(field, [])
    if len(got) != 1:
        raise UploadError(400, f"请在字段 {field} 中上传一个文件（工作簿 .xlsx 或 JSON 报告）。")
    return got[0]


def optional_file(files: dict[str, list[Upload]], field: str) -> Upload | None:
    got = files.get(field, [])
    if len(got) > 1:
        raise UploadError(400, f"字段 {field} 只能上传一个文件。")
    if got and not got[0].data:
        return None  # an empty file input of a form
    return got[0] if got else None


def relabel(source: Source, stored: Path, name: str) -> Source:
    """The Source read from `stored`, as if read from a file called `name`."""
    source.path = Path(name)
    if source.error:
        source.error = source.error.replace(str(stored), name, 1)
    return source


def read_at(stored: Path, name: str) -> Source:
    return relabel(read_source(stored), stored, name)


def read_upload(upload: Upload) -> Source:
    """The upload read and guarded exactly as the command line reads a file."""
    folder = Path(tempfile.mkdtemp(prefix="xxgk-serve-"))
    try:
        stored = folder / ("upload" + suffix_of(upload.name))
        stored.write_bytes(upload.data)
        return read_at(stored, upload.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
