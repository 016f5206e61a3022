"""The 图解: one portrait page of the year's key figures (`figures.py`), as PNG or SVG.

Drawn with matplotlib's object API (no pyplot: no global figure state shared between reports),
1080 px wide so that a phone shows it at full width without zooming, in the web page's colours.
The same data gives the same bytes: no dates or versions in the files, SVG ids salted with a
constant.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as Canvas
from matplotlib.patches import FancyBboxPatch, Rectangle

from xxgk.report import figures as kf
from xxgk.report.figures import NoChineseFont

# the web page's colours (assets/report.html.j2)
ACCENT = "#2b6cb0"
INK = "#333333"
MUTED = "#555555"
PAPER = "#ffffff"
TILE = "#f3f3f3"
BAR = "#7aa7d6"

WIDTH_IN, HEIGHT_IN, DPI = 7.2, 12.8, 150  # 1080 × 1920 px

# CJK fonts in order of preference: Windows, macOS, Debian (fonts-noto-cjk), others
_CJK_FONTS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)


@cache
def chinese_font() -> str:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CJK_FONTS:
        if name in installed:
            return name
    raise NoChineseFont(
        "本机没有可以显示中文的字体，无法绘制图解。请安装中文字体（如 Noto Sans CJK SC，"
        "Debian/Ubuntu 的 fonts-noto-cjk 软件包）后重试。"
    )


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(
        {
            "font.family": [chinese_font(), "DejaVu Sans", "sans-serif"],
            "svg.hashsalt": "xxgk",
            # text stays text: selectable, read aloud, and a tenth of the size of the outlines
            "svg.fonttype": "none",
            "axes.unicode_minus": False,
        }
    ):
        yield


def _heading(canvas: Canvas, y: float, text: str) -> None:
    canvas.add_artist(Rectangle((0.06, y - 0.004), 0.012, 0.026, color=ACCENT, lw=0))
    canvas.text(0.085, y, text, fontsize=17, color=INK, weight="bold", va="bottom")


def _tile(
    canvas: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    f: kf.Figure,
    big: int,
    detail: bool = False,
) -> None:
    """A figure's tile; `detail`: its lower third is left for a line of parts."""
    canvas.add_artist(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.01",
            fc=TILE,
            ec="none",
            transform=canvas.transFigure,
        )
    )
    cx = x + w / 2
    if detail:
        y, h = y + h * 0.3, h * 0.7
    canvas.text(
        cx,
        y + h * 0.70,
        kf.number(f.value),
        fontsize=big,
        color=ACCENT,
        ha="center",
        va="center",
        weight="bold",
    )
    canvas.text(cx, y + h * 0.36, f.label, fontsize=11, color=INK, ha="center", va="center")
    change = kf.change_text(f)
    if change:
        canvas.text(cx, y + h * 0.15, change, fontsize=9, color=MUTED, ha="center", va="center")


def _title(canvas: Canvas, k: kf.KeyFigures) -> None:
    canvas.add_artist(Rectangle((0, 0.885), 1, 0.115, color=ACCENT, lw=0))
    size = min(22.0, 22.0 * 18 / max(len(k.agency), 1))  # a long name in one line
    canvas.text(
        0.5, 0.955, k.agency, fontsize=size, color=PAPER, ha="center", va="center", weight="bold"
    )
    canvas.text(
        0.5,
        0.912,
        f"{k.year_text}政府信息公开工作年度报告 · 图解",
        fontsize=15,
        color=PAPER,
        ha="center",
        va="center",
    )


def _proactive(canvas: Canvas, k: kf.KeyFigures) -> None:
    _heading(canvas, 0.845, "主动公开")
    n = len(k.proactive)
    gap, left, right = 0.02, 0.06, 0.94
    w = (right - left - gap * (n - 1)) / n
    for i, f in enumerate(k.proactive):
        _tile(canvas, left + i * (w + gap), 0.715, w, 0.115, f, 22 if n <= 4 else 19)


def _requests(canvas: Canvas, k: kf.KeyFigures) -> None:
    _heading(canvas, 0.665, "依申请公开")
    _tile(canvas, 0.06, 0.555, 0.88, 0.095, k.received, 30)
    canvas.text(
        0.5,
        0.538,
        f"本年新收 {kf.number(k.new)} 件 · 上年结转 {kf.number(k.carried_over)} 件",
        fontsize=10,
        color=MUTED,
        ha="center",
        va="center",
    )
    if not k.received.value:
        canvas.text(
            0.5,
            0.45,
            "本年度未收到政府信息公开申请",
            fontsize=15,
            color=INK,
            ha="center",
            va="center",
        )
        return
    canvas.text(0.06, 0.505, "办理结果", fontsize=12, color=INK, va="center", weight="bold")
    ax = canvas.add_axes((0.30, 0.27, 0.47, 0.22))
    labels = [f.label for f in k.outcomes][::-1]
    values = [f.value for f in k.outcomes][::-1]
    ax.barh(range(len(values)), values, color=BAR, height=0.62)
    ax.set_yticks(range(len(values)), labels, fontsize=11, color=INK)
    top = max(max(values), 1)
    ax.set_xlim(0, top)
    ax.tick_params(axis="y", length=0, pad=8)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handled = sum(f.value for f in k.outcomes[:-1])  # 结转下年度 is not an ending
    for i, f in enumerate(k.outcomes[::-1]):
        share = f"（{100 * f.value / handled:.0f}%）" if handled and i else ""
        ax.text(
            top * 1.03,
            i,
            f"{kf.number(f.value)} 件{share}",
            fontsize=10.5,
            color=INK,
            va="center",
            clip_on=False,
        )


def _reviews(canvas: Canvas, k: kf.KeyFigures) -> None:
    _heading(canvas, 0.235, "行政复议、行政诉讼")
    for x, head, parts in (
        (0.06, k.review, k.review_parts),
        (0.51, k.litigation, k.litigation_parts),
    ):
        _tile(canvas, x, 0.06, 0.43, 0.16, head, 28, detail=True)
        said = [f"{f.label} {kf.number(f.value)}" for f in parts]
        detail = " · ".join(said[:2]) + "\n" + " · ".join(said[2:])
        canvas.text(
            x + 0.215,
            0.078,
            detail,
            fontsize=9.5,
            color=MUTED,
            ha="center",
            va="center",
            linespacing=1.6,
        )


def draw(k: kf.KeyFigures) -> Canvas:
    canvas = Canvas(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=PAPER)
    FigureCanvasAgg(canvas)
    _title(canvas, k)
    _proactive(canvas, k)
    _requests(canvas, k)
    _reviews(canvas, k)
    canvas.text(
        0.5,
        0.02,
        f"数据来源：{k.agency}{k.year_text}政府信息公开工作年度报告",
        fontsize=9,
        color=MUTED,
        ha="center",
        va="center",
    )
    return canvas


def _save(k: kf.KeyFigures, fmt: str) -> bytes:
    with _style():
        canvas = draw(k)
        out = io.BytesIO()
        metadata: dict[str, Any] = (
            {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        )
        canvas.savefig(out, format=fmt, dpi=DPI, metadata=metadata, facecolor=PAPER)
    return out.getvalue()


def render_png(data: dict[str, Any], last: dict[str, Any] | None = None) -> bytes:
    return _save(kf.key_figures(data, last), "png")


def render_svg(data: dict[str, Any], last: dict[str, Any] | None = None) -> bytes:
    """The SVG, titled and described (the figures as sentences) for screen readers."""
    k = kf.key_figures(data, last)
    svg = _save(k, "svg").decode("utf-8")
    title = escape(f"{k.agency}{k.year_text}政府信息公开工作年度报告图解")
    desc = escape("".join(kf.sentences(k)))
    head, sep, rest = _split_svg(svg)
    return (head + sep + f"<title>{title}</title><desc>{desc}</desc>\n" + rest).encode("utf-8")


def _split_svg(svg: str) -> tuple[str, str, str]:
    """Around the end of the opening <svg …> tag, where <title> and <desc> go."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    return svg[:end], "\n", svg[end:].lstrip("\n")
