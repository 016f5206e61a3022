"""Opening an untrusted workbook file safely, before any parser sees it.

A workbook arrives from someone else's computer: it may be an old binary .xls, a
password-protected file (an OLE container, not a zip), a zip bomb, or XML carrying a DTD with
entity definitions. Everything here is checked with bounded memory and fails with
`WorkbookUnreadable`, whose message is Chinese and says what to do; the caller adds the file name.

Every zip member is decompressed once here, in chunks, against the size its header declares, so
a member whose real size exceeds its declared one (a forged header) is caught before
python-calamine or openpyxl inflate it; a member met before in the same process, byte for byte
under the same declared size and CRC, is taken as it was checked then (`_SEEN`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from io import BytesIO

from xxgk.format.record import field, record
from xxgk.format.ziparchive import DEFLATED, STORED
from xxgk.workbook.errors import RESEND, SAVE_AS_XLSX, WorkbookUnreadable
from xxgk.workbook.xmlsafe import Prolog, check_no_dtd

try:  # ISA-L inflates and checksums a workbook's members in 60% of zlib's time
    from isal import isal_zlib as _zlib
except ImportError:  # pragma: no cover - a platform without its wheel: zlib, a little slower
    import zlib as _zlib  # type: ignore[no-redef]
# what a broken deflate stream raises, with either
_INFLATE_ERRORS: tuple[type[BaseException], ...] = tuple(
    {zlib.error, _zlib.error}  # type: ignore[arg-type]
)

__all__ = ["RESEND", "SAVE_AS_XLSX", "WorkbookUnreadable", "check_no_dtd", "open_package"]

# A filled template is about 50 KB; these limits leave room for pasted pictures and nothing more.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
# Office XML compresses 5-30x; a member far beyond that is a bomb, whatever its size says.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # tiny members may compress absurdly well; ignore their ratio
_CHUNK = 64 * 1024

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Protocol

    class Info(Protocol):
        """What the guard reads of a member's central directory entry (a zipfile.ZipInfo, or an
        `Entry` of a plain directory)."""

        filename: str
        flag_bits: int
        compress_type: int
        CRC: int
        compress_size: int
        file_size: int
        header_offset: int

        def is_dir(self) -> bool: ...


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


class Entry:
    """A central directory entry read by `_plain_directory`: zipfile.ZipInfo's fields the guard
    uses, without its other work (a ZipInfo costs more than the rest of the entry's reading)."""

    __slots__ = ("CRC", "compress_size", "compress_type", "file_size", "filename", "flag_bits",
                 "header_offset")

    def __init__(self, name: str, flags: int, method: int, crc: int, packed: int, size: int,
                 offset: int) -> None:
        self.filename, self.flag_bits, self.compress_type = name, flags, method
        self.CRC, self.compress_size, self.file_size, self.header_offset = crc, packed, size, offset

    def is_dir(self) -> bool:
        return self.filename[-1] == "/"


_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_MAX_EXTRACT_VERSION = 63  # zipfile refuses newer ones (NotImplementedError): left to it


def _plain_directory(raw: bytes) -> list[Info] | None:
    """The central directory of a plain zip, as zipfile.ZipFile(...).infolist() reads it; None
    for anything else (a comment, zip64, data before the zip, extra fields, names not ASCII…),
    which zipfile itself reads."""
    if len(raw) < 22:
        return None
    eocd = _EOCD.unpack_from(raw, len(raw) - 22)
    sig, disk, cd_disk, here, total, size_cd, offset_cd, comment = eocd
    if (
        sig != b"PK\x05\x06"
        or comment
        or disk
        or cd_disk
        or here != total
        or offset_cd + size_cd != len(raw) - 22
        or raw[-42:-38] == b"PK\x06\x07"
        or 0xFFFF in (here, total)
        or 0xFFFFFFFF in (size_cd, offset_cd)
    ):
        return None
    out: list[Info] = []
    at, end = offset_cd, offset_cd + size_cd
    unpack = _CENTRAL.unpack_from
    while at < end:
        if at + 46 > end:
            return None
        head = unpack(raw, at)
        name_len, extra_len, comment_len = head[12], head[13], head[14]
        if head[0] != b"PK\x01\x02" or extra_len or comment_len or head[3] > _MAX_EXTRACT_VERSION:
            return None
        name = raw[at + 46 : at + 46 + name_len]
        if not name or not name.isascii() or b"\x00" in name:
            return None
        flags, method, crc, packed, size = head[5], head[6], head[9], head[10], head[11]
        out.append(Entry(name.decode("ascii"), flags, method, crc, packed, size, head[18]))
        at += 46 + name_len
    if at != end or len(out) != total:
        return None
    return out


@record
class Package:
    """A checked workbook zip: the file's bytes and the members kept for the reader."""

    raw: bytes
    names: frozenset[str]
    members: dict[str, bytes] = field(default_factory=dict)
    infos: Sequence[Info] = ()

    def member(self, name: str) -> bytes:
        try:
            return self.members[name]
        except KeyError:
            raise WorkbookUnreadable(f"工作簿缺少 {name} 部分，文件可能已损坏。") from None


def check_size(raw: bytes) -> None:
    if len(raw) > MAX_FILE_BYTES:
        raise WorkbookUnreadable(too_big(len(raw)))


def too_big(size: int) -> str:
    return (
        f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不像一份填好的年度报告模板。"
        "请删除工作簿中粘贴的图片等内容后再试。"
    )


def sniff(raw: bytes) -> None:
    """Raise unless `raw` looks like a zip; name the likely kind of file otherwise."""
    if raw.startswith(ZIP_MAGICS):
        return
    if not raw:
        raise WorkbookUnreadable("文件为空（0 字节）。" + RESEND)
    if raw.startswith(OLE_MAGIC):
        # Directory entry names in an OLE container are UTF-16LE.
        if (
            "EncryptionInfo".encode("utf-16-le") in raw
            or "EncryptedPackage".encode("utf-16-le") in raw
        ):
            raise WorkbookUnreadable(
                "工作簿设置了打开密码（已加密），无法读取。请在 Excel 中打开，"
                "「文件 → 信息 → 保护工作簿 → 用密码进行加密」中清除密码后保存，再用新文件。"
            )
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            raise WorkbookUnreadable(
                "这是旧版 Excel 97-2003 工作簿（.xls），本工具只读取 .xlsx。" + SAVE_AS_XLSX
            )
        raise WorkbookUnreadable(
            "这是旧版 Office 文件（如 Word .doc），不是 Excel 工作簿。请提供填好的 .xlsx 模板。"
        )
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise WorkbookUnreadable(
            "这是网页或 XML 格式的文件，只是扩展名为 Excel，不是 Excel 工作簿。" + SAVE_AS_XLSX
        )
    raise WorkbookUnreadable(
        "不是 Excel 工作簿（.xlsx）文件，内容无法识别。请提供填好的 .xlsx 模板。"
    )


def _check_declared(infos: Sequence[Info]) -> None:
    """Limits on what the central directory declares, checked before anything is inflated."""
    if len(infos) > MAX_MEMBERS:
        raise WorkbookUnreadable(
            f"压缩包内有 {len(infos)} 个部分，远多于任何工作簿，可能是恶意文件，已拒绝读取。"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookUnreadable("工作簿内容已加密，无法读取。请取消加密后保存，再用新文件。")
        if info.compress_type not in (STORED, DEFLATED):
            raise WorkbookUnreadable(
                f"工作簿的 {info.filename} 部分使用了不支持的压缩方式，不像 Excel 保存的文件。"
                + SAVE_AS_XLSX
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_MEMBER_BYTES
            or total > MAX_TOTAL_BYTES
            or (info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO)
        ):
            raise WorkbookUnreadable(_bomb())


def _bomb() -> str:
    return "文件解压后会异常巨大（疑似“压缩炸弹”），可能是恶意文件，已拒绝读取。请核实文件来源。"


def _member_span(raw: bytes, info: Info) -> tuple[int, int]:
    off = info.header_offset
    header = raw[off : off + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise WorkbookUnreadable("工作簿文件已损坏（压缩包结构不完整）。" + RESEND)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = off + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(raw):
        raise WorkbookUnreadable("工作簿文件不完整（可能下载或复制时中断）。" + RESEND)
    return start, end


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


# Members met before, by their compressed bytes: the parts of one template (its theme, styles,
# workbook.xml, rels) are the same in most workbooks of a batch, and the same compressed bytes
# with the same declared size and CRC inflate to the same checked bytes (a member that failed
# a check is never kept). Sheets differ from file to file: when the cache is full it is emptied.
_SEEN: dict[tuple[bool, int, int, int, bytes], bytes] = {}
_SEEN_LIMIT = 64
_SEEN_MAX_BYTES = 64 * 1024  # inflated; larger members are not kept (at most 4 MB in all)


def _inflate(raw: bytes, info: Info, keep: bool) -> bytes | None:
    """Inflate one member, never beyond its declared size; verify size and CRC (or find it
    among the members met before, `_SEEN`).

    XML members also pass the guard (`Prolog`) on the way, so that no parser downstream (ours,
    python-calamine's or openpyxl's) ever sees a DTD.
    """
    xml = _is_xml(info.filename)
    start, end = _member_span(raw, info)
    packed = raw[start:end]
    if info.file_size > _SEEN_MAX_BYTES:
        out = _inflated(info, packed, keep, xml)
        return out if keep else None
    key = (xml, info.compress_type, info.CRC, info.file_size, packed)
    seen = _SEEN.get(key)
    if seen is None:
        seen = _SEEN[key] = _inflated(info, packed, True, xml)
        if len(_SEEN) > _SEEN_LIMIT:
            _SEEN.clear()
    return seen if keep else None


def _inflated(info: Info, packed: bytes, keep: bool, xml: bool) -> bytes:
    """`_inflate` itself, of the member's bytes as stored: its content (b"" when not `keep`)."""
    if info.compress_type == STORED:
        out = packed
        prolog = Prolog(info.filename) if xml else None
        if prolog:
            prolog.feed(out)
        crc = _zlib.crc32(out)
        size = len(out)
    else:
        prolog = Prolog(info.filename) if xml else None
        inflater = _zlib.decompressobj(-15)
        parts: list[bytes] = []
        size = crc = 0
        pending = packed
        try:
            while not inflater.eof:
                chunk = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                size += len(chunk)
                if size > info.file_size:
                    raise WorkbookUnreadable(_bomb())
                crc = _zlib.crc32(chunk, crc)
                if prolog:
                    prolog.feed(chunk)
                if keep:
                    parts.append(chunk)
                if not chunk and not pending:
                    break
        except _INFLATE_ERRORS:
            raise WorkbookUnreadable(
                f"工作簿文件已损坏（{info.filename} 无法解压）。" + RESEND
            ) from None
        out = b"".join(parts)
    if size != info.file_size or crc != info.CRC:
        raise WorkbookUnreadable(f"工作簿文件已损坏（{info.filename} 校验不符）。" + RESEND)
    if prolog:
        prolog.close()
    return out if keep else b""


def open_package(raw: bytes, keep: Iterable[str] = (), keep_xml: bool = False) -> Package:
    """Check a workbook zip completely and keep the bytes of the members named in `keep`.

    `keep` may hold exact member names or prefixes ending in "/"; `keep_xml` keeps every XML
    part too.
    """
    check_size(raw)
    sniff(raw)
    return check_zip(raw, keep, keep_xml)


def check_zip(raw: bytes, keep: Iterable[str] = (), keep_xml: bool = False) -> Package:
    """`open_package` without the workbook's own size limit and kind sniffing: the guard on
    any Office zip (a .docx too), once the caller knows the bytes are meant to be one."""
    infos = _plain_directory(raw)
    if infos is None:
        import zipfile  # only for what `_plain_directory` leaves to it: 7 ms of a start

        try:
            infos = list(zipfile.ZipFile(BytesIO(raw)).infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise WorkbookUnreadable(
                "文件已损坏或不完整，无法作为 Excel 工作簿打开。" + RESEND
            ) from None
    _check_declared(infos)
    wanted = tuple(keep)
    exact = {k for k in wanted if not k.endswith("/")}
    prefixes = tuple(k for k in wanted if k.endswith("/"))
    members: dict[str, bytes] = {}
    names = set()
    for info in infos:
        if info.is_dir():
            continue
        names.add(info.filename)
        take = (
            info.filename in exact
            or info.filename.startswith(prefixes)
            or (keep_xml and _is_xml(info.filename))
        )
        data = _inflate(raw, info, take)
        if data is not None:
            members[info.filename] = data
    return Package(raw, frozenset(names), members, infos)
