"""The 图解 (issue 14): `xxgk convert --to png,svg` draws one page of the year's key figures.

Through the real CLI; the SVG's text (its <text> elements, <title> and <desc>) is read back
with an XML parser and compared with figures this test works out from the report data itself,
and the PNG is read with Pillow."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET
import pytest
from PIL import Image

from .conftest import load_example

SVG = "{http://www.w3.org/2000/svg}"


def _busy() -> dict[str, Any]:
    """A county office's year: thousands of requests, every way of ending used, lawsuits."""
    data = load_example()
    data["agency"]["name"] = "某某县人民政府办公室"
    data["published_on"] = "2025-01-20"
    data["overview"]["on_request"] = ""
    req = data["requests"]

    def row(node: dict[str, Any], n: int) -> None:
        node.update({k: 0 for k in node})
        node.update(natural_person=n, total=n)

    row(req["new"], 16319)
    row(req["carried_over"], 120)
    res = req["results"]
    row(res["granted"], 9000)
    row(res["partially_granted"], 2100)
    for group, n in (("denied", 800), ("unable", 3000), ("not_processed", 900), ("other", 500)):
        for i, key in enumerate(res[group]):
            row(res[group][key], n if i == 0 else 0)
    row(res["total"], 16300)
    row(req["carried_forward"], 139)
    rl = data["review_litigation"]
    rl["review"].update(upheld=30, corrected=5, other=2, pending=3, total=40)
    rl["litigation_direct"].update(upheld=10, corrected=1, other=0, pending=2, total=13)
    rl["litigation_after_review"].update(upheld=2, corrected=0, other=0, pending=0, total=2)
    data["proactive"]["licensing"]["decisions"] = 45210
    data["proactive"]["penalty"]["decisions"] = 1832
    return data


def _convert(tmp_path: Path, *inputs: dict[str, Any], args: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for i, data in enumerate(inputs):
        (folder / f"{i}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convert", str(folder), "-o", "out", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return tmp_path / "out"


def _svg_text(path: Path) -> tuple[str, str, list[str]]:
    root = ET.fromstring(path.read_bytes())
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    return title.text or "", desc.text or "", texts


def _n(value: int) -> str:
    return f"{value:,}"


def test_the_busy_county_graphic_shows_its_figures(tmp_path: Path) -> None:
    data = _busy()
    out = _convert(tmp_path, data, args=("--to", "png,svg"))
    stem = f"{data['agency']['name']}-{data['year']}"
    title, desc, texts = _svg_text(out / f"{stem}.svg")
    assert data["agency"]["name"] in title and str(data["year"]) in title
    req = data["requests"]
    received = req["new"]["total"] + req["carried_over"]["total"]
    assert _n(received) in texts  # the headline figure, as drawn
    assert f"收到政府信息公开申请 {_n(received)} 件" in desc
    for key, label in (("granted", "予以公开"), ("partially_granted", "部分公开")):
        assert label in texts
        assert f"{label} {_n(req['results'][key]['total'])} 件" in desc
    denied = sum(r["total"] for r in req["results"]["denied"].values())
    assert f"不予公开 {_n(denied)} 件" in desc
    # shares of the requests handled this year, beside each bar
    handled = req["results"]["total"]["total"]
    share = round(100 * req["results"]["granted"]["total"] / handled)
    assert f"{_n(req['results']['granted']['total'])} 件（{share}%）" in texts
    rl = data["review_litigation"]
    sued = rl["litigation_direct"]["total"] + rl["litigation_after_review"]["total"]
    assert f"行政复议 {rl['review']['total']} 件" in desc
    assert f"行政诉讼 {sued} 件" in desc
    assert _n(data["proactive"]["licensing"]["decisions"]) in texts
    with Image.open(out / f"{stem}.png") as png:
        assert png.size == (1080, 1920)  # a phone's width, no zoom needed
        colours = {c for _, c in png.convert("RGB").getcolors(1 << 20) or []}
    assert (0x2B, 0x6C, 0xB0) in colours  # the web page's accent colour


def test_no_requests_is_said_in_words_not_drawn_as_empty_bars(tmp_path: Path) -> None:
    data = load_example()  # the seed: no requests at all
    out = _convert(tmp_path, data, args=("--to", "svg"))
    _, desc, texts = _svg_text(next(out.glob("*.svg")))
    assert "本年度未收到政府信息公开申请" in texts
    assert "本年度未收到政府信息公开申请" in desc
    assert "办理结果" not in texts


def test_with_last_year_the_change_is_shown(tmp_path: Path) -> None:
    data = _busy()
    last = copy.deepcopy(data)
    last["year"] = data["year"] - 1
    last["published_on"] = f"{data['year']}-01-20"
    last["requests"]["new"].update(natural_person=12000, total=12000)
    # balanced, and carrying forward what this year carried over
    last["requests"]["results"]["granted"].update(natural_person=4700, total=4700)
    last["requests"]["results"]["total"].update(natural_person=12000, total=12000)
    last["requests"]["carried_forward"].update(natural_person=120, total=120)
    last["proactive"]["penalty"]["decisions"] = 2000
    (tmp_path / "last.json").write_text(json.dumps(last, ensure_ascii=False), "utf-8")
    out = _convert(tmp_path, data, args=("--to", "svg", "--previous", str(tmp_path / "last.json")))
    _, desc, texts = _svg_text(next(out.glob("*.svg")))
    grew = (16319 + 120) - (12000 + 120)
    assert f"比上年增加 {_n(grew)} 件" in texts
    assert f"比上年减少 {2000 - 1832} 件" in texts
    assert "与上年持平" in texts  # 行政许可: the same as last year
    assert f"（比上年增加 {_n(grew)} 件）" in desc


def test_the_graphic_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    """Two fresh processes: no date, version or random id in the files."""
    data = _busy()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _convert(tmp_path / "a", data, args=("--to", "png,svg"))
    second = _convert(tmp_path / "b", data, args=("--to", "png,svg"))
    for suffix in (".png", ".svg"):
        (a,), (b,) = first.glob(f"*{suffix}"), second.glob(f"*{suffix}")
        assert a.read_bytes() == b.read_bytes(), suffix


@pytest.mark.parametrize("args", [(), ("--to", "json,docx,html,md")])
def test_the_graphic_is_made_only_when_asked(tmp_path: Path, args: tuple[str, ...]) -> None:
    out = _convert(tmp_path, load_example(), args=args)
    assert not list(out.glob("*.png")) and not list(out.glob("*.svg"))
    assert list(out.glob("*.docx"))  # the run itself made the report


def test_without_a_chinese_font_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server with no CJK font would draw empty boxes: the run says so and writes nothing."""
    from click.testing import CliRunner

    from xxgk.cli.main import main
    from xxgk.report import graphic

    monkeypatch.setattr(graphic, "_CJK_FONTS", ("没有这种字体",))
    graphic.chinese_font.cache_clear()
    try:
        (tmp_path / "a.json").write_text(json.dumps(load_example(), ensure_ascii=False), "utf-8")
        done = CliRunner().invoke(
            main, ["convert", str(tmp_path / "a.json"), "-o", str(tmp_path / "out"), "--to", "png"]
        )
    finally:
        graphic.chinese_font.cache_clear()
    assert done.exit_code == 3, done.output
    assert "中文字体" in done.output and "fonts-noto-cjk" in done.output
    assert not (tmp_path / "out").exists()
