"""The PDF of a report: its DOCX converted by LibreOffice headless, when LibreOffice is installed.

The official fonts of a 公文 (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) are missing on most
servers. On Linux LibreOffice asks fontconfig for a replacement, and fontconfig alone picks any
CJK face (often the Japanese one) for all of them; `fonts/fonts.conf` maps each to the closest
free font instead, and `substitutions` says which were replaced, for the summary. LibreOffice
embeds (subsets of) the fonts it used in the PDF.

Each process has its own LibreOffice profile: two conversions sharing one would hand the second
to the first process or fail on its lock, and a profile kept for the process's life makes every
conversion after the first start faster.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

# the fonts the DOCX asks for (report/assets/docx_styles.xml), in the summary's order
OFFICIAL_FONTS = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体")

TIMEOUT = 180  # seconds for one report; LibreOffice converts one in one or two

_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


class PdfError(Exception):
    """LibreOffice is missing, or did not make the PDF; the message is for the user."""


def find_soffice() -> str | None:
    """LibreOffice's program: $XXGK_SOFFICE when set, else on PATH or where it installs itself."""
    override = os.environ.get("XXGK_SOFFICE")
    if override is not None:
        return shutil.which(override) or (override if os.path.isfile(override) else None)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found is None and os.path.isabs(name) and os.path.isfile(name):
            found = name
        if found:
            return found
    return None


def missing_message() -> str:
    return (
        "生成 PDF 需要 LibreOffice，本机没有找到（soffice）。请安装 LibreOffice"
        "（https://zh-cn.libreoffice.org/ ，或 Debian/Ubuntu 的 libreoffice-writer 软件包）后重试，"
        "或从 --to 中去掉 pdf；也可以用 Word 或 WPS 打开生成的 .docx，另存为 PDF。"
    )


def _uses_fontconfig() -> bool:
    return sys.platform not in ("win32", "darwin")  # LibreOffice uses the system's fonts there


@functools.cache
def _font_config() -> str | None:
    if not _uses_fontconfig():
        return None
    from importlib import resources  # for the PDF only: a path LibreOffice's fontconfig reads

    conf = resources.files("xxgk.files").joinpath("fonts").joinpath("fonts.conf")
    return str(conf) if isinstance(conf, Path) and conf.is_file() else None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    conf = _font_config()
    if conf is not None:
        env["FONTCONFIG_FILE"] = conf
    return env


@functools.cache
def substitutions() -> dict[str, str]:
    """Official font → the font used instead, for each one this machine does not have.

    Empty where fontconfig is not used (Windows, macOS: LibreOffice's own replacement table) or
    cannot be asked (`fc-match` missing): the summary then says nothing it does not know.
    """
    fc_match = shutil.which("fc-match") if _uses_fontconfig() else None
    if fc_match is None:
        return {}
    import subprocess  # here and below, not on import: every convert imports this module

    out: dict[str, str] = {}
    for font in OFFICIAL_FONTS:
        try:
            done = subprocess.run(
                [fc_match, "-f", "%{family}", font],
                capture_output=True,
                env=_environment(),
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        families = done.stdout.decode("utf-8", "replace").split(",")
        if done.returncode == 0 and families[0] and font not in families:
            out[font] = families[0]
    return out


@functools.cache
def _profile() -> str:
    """This process's LibreOffice profile (a URL), removed when the process ends."""
    folder = tempfile.mkdtemp(prefix="xxgk-libreoffice-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder).as_uri()


def docx_to_pdf(docx: bytes, soffice: str, timeout: float = TIMEOUT) -> bytes:
    """The DOCX's bytes → the PDF's bytes, by LibreOffice headless. Raises PdfError."""
    with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as work:
        source = os.path.join(work, "report.docx")
        with open(source, "wb") as fh:
            fh.write(docx)
        command = [
            soffice,
            f"-env:UserInstallation={_profile()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            source,
        ]
        _run(command, timeout)
        try:
            with open(os.path.join(work, "report.pdf"), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            why = "文件可能已损坏，或 LibreOffice 安装不完整"
            raise PdfError(f"LibreOffice 没有生成 PDF（{why}）") from None


def _run(command: list[str], timeout: float) -> None:
    import subprocess

    # A session of its own: on a timeout or Ctrl-C the whole LibreOffice (a launcher script
    # and soffice.bin under it) is stopped, not only the launcher.
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_environment(),
            start_new_session=os.name == "posix",
        )
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice（{soffice_reason(exc)}）") from None
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise PdfError(f"LibreOffice 超过 {int(timeout)} 秒仍未完成，已停止") from None
    except BaseException:
        _stop(proc)
        raise
    if code != 0:
        raise PdfError(f"LibreOffice 转换失败（退出码 {code}）")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    import subprocess

    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    with contextlib.suppress(subprocess.SubprocessError):
        proc.wait(timeout=10)


def soffice_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "找不到程序"
    if isinstance(exc, PermissionError):
        return "没有运行权限"
    return f"系统错误代码 {exc.errno}"
