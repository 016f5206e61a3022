"""The pages in a real browser (Debian's chromium through chromium-driver, headless): a staff
member and a county officer do their work; screenshots at desktop and phone widths; axe-core
finds no accessibility violation."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from xxgk.format import model as m

from ..conftest import need_tool
from ..wb_helpers import example_data
from .harness import MISTAKE_NAME, Server, make_workbook, running

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
COUNTY_SIZE = 50
EVIL = "<script>alert(1)</script>测试局"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("browser") / "data") as s:
        yield s


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    chromium = need_tool("Chromium", shutil.which("chromium"), "apt-get install chromium")
    driver_path = need_tool(
        "ChromeDriver", shutil.which("chromedriver"), "apt-get install chromium-driver"
    )
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,900",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=webdriver.ChromeService(driver_path), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(test: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got = test()
        except Exception:  # the element is not there yet
            got = None
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or test}")


def downloaded(folder: Path, pattern: str) -> Path:
    def done() -> Path | None:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        return found[0] if found and not list(folder.glob("*.crdownload")) else None

    return wait_for(done, 60, f"download {pattern}")  # type: ignore[no-any-return]


def fill_by_hand(path: Path, mistake: int | None) -> None:
    """What a staff member does: type the figures into the yellow cells of the downloaded
    template (from the example report), leaving the totals' formulas alone."""
    data = example_data()
    wb = load_workbook(path)
    for leaf in m.leaves():
        if leaf.dotted not in wb.defined_names or leaf.dotted in ("agency.name", "year"):
            continue
        value: Any = data
        for key in leaf.path:
            value = value.get(key) if isinstance(value, dict) else None
        sheet, ref = next(iter(wb.defined_names[leaf.dotted].destinations))
        cell = wb[sheet][ref.replace("$", "")]
        if value is None or (isinstance(cell.value, str) and cell.value.startswith("=")):
            continue
        cell.value = value
    wb_sheet, ref = next(iter(wb.defined_names["published_on"].destinations))
    wb[wb_sheet][ref.replace("$", "")].value = "2025-01-20"
    if mistake:
        sheet, ref = next(iter(wb.defined_names[MISTAKE_NAME].destinations))
        wb[sheet][ref.replace("$", "")].value = data["requests"]["new"]["natural_person"] + mistake
    wb.save(path)


def screenshot(driver: Any, folder: Path, name: str) -> None:
    """Full-page screenshots at 1280 and 390 CSS pixels wide; the page must not scroll sideways."""
    for width in (1280, 390):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        time.sleep(0.3)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": width < 600},
        )
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
        driver.save_screenshot(str(folder / f"{name}-{width}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    driver.execute_script(AXE.read_text("utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations),"
        " e => done([{id: 'axe-error', description: String(e), nodes: []}]));"
    )
    return [
        {"id": v["id"], "help": v.get("help"), "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result
    ]


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("XXGK_SHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_staff_member(site: Server, browser: Any, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    d = browser
    d.get(site.url + "/")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert axe_violations(d) == []
    d.find_element(By.ID, "t-agency").send_keys("某县商务局")
    d.find_element(By.ID, "t-year").send_keys("2024")
    d.find_element(By.ID, "t-download").click()
    template = downloaded(d.downloads, "*.xlsx")
    filled = tmp_path / "商务局2024年报.xlsx"
    shutil.copy(template, filled)
    fill_by_hand(filled, mistake=3)
    sheet, cell = (lambda d_: (d_[0], d_[1].replace("$", "")))(
        next(iter(load_workbook(filled).defined_names[MISTAKE_NAME].destinations))
    )

    d.get(site.url + "/")
    d.find_element(By.ID, "file").send_keys(str(filled))
    d.find_element(By.ID, "check").click()
    row = wait_for(
        lambda: d.find_element(By.CSS_SELECTOR, f'tr[data-code="T3_BALANCE"][data-cell="{cell}"]'),
        what="the finding at its cell",
    )
    group = row.find_element(By.XPATH, "ancestor::section[1]/h3").text
    assert sheet in group
    assert "错误" in d.find_element(By.ID, "verdict").text
    assert cell in row.text and "表三" in row.text and "请核对" in row.text
    screenshot(d, shots, "staff-findings")
    assert axe_violations(d) == []

    d.find_element(By.ID, "dl-annotate").click()
    annotated = downloaded(d.downloads, "*.校验.xlsx")
    assert load_workbook(annotated)[sheet][cell].comment is not None

    # fixed and uploaded again: now the Word report
    fill_by_hand(filled, mistake=None)
    d.find_element(By.ID, "file").clear()
    d.find_element(By.ID, "file").send_keys(str(filled))
    d.find_element(By.ID, "check").click()
    wait_for(lambda: "通过" in d.find_element(By.ID, "verdict").text, what="校验通过")
    d.find_element(By.ID, "dl-docx").click()
    report = downloaded(d.downloads, "*.docx")
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert "某县商务局2024年政府信息公开工作年度报告" in text


def test_county_officer(site: Server, browser: Any, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    books = tmp_path / "收件"
    books.mkdir()
    names = [f"某县测试单位{i:02d}" for i in range(1, COUNTY_SIZE)] + [EVIL]
    wrong = {names[i] for i in range(0, COUNTY_SIZE, 7)}  # these have a mistake in 表三
    paths = [
        make_workbook(books / f"{i:02d}.xlsx", n, mistake=2 if n in wrong else None)
        for i, n in enumerate(names)
    ]
    d = browser
    d.get(site.url + "/county")
    d.find_element(By.ID, "c-name").send_keys("某县2024年度")
    d.find_element(By.CSS_SELECTOR, "#new-form button").click()
    wait_for(
        lambda: (
            "/county/" in d.current_url and d.find_element(By.ID, "c-title").text == "某县2024年度"
        )
    )
    d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    d.find_element(By.ID, "upload").click()
    wait_for(lambda: "上传完成" in d.find_element(By.ID, "status").text, 180, "uploads")
    assert f"{COUNTY_SIZE} 个文件已保存" in d.find_element(By.ID, "status").text
    rows = wait_for(
        lambda: (
            (r := d.find_elements(By.CSS_SELECTOR, "#rows tbody tr"))
            and len(r) == COUNTY_SIZE
            and r
        )
    )
    shown = {
        r.find_elements(By.TAG_NAME, "td")[0].text: r.get_attribute("data-status") for r in rows
    }
    assert shown == {n: ("errors" if n in wrong else "passed") for n in names}
    # the agency name with HTML in it is shown as text, never run
    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert.text  # noqa: B018
    assert d.execute_script("return document.scripts.length") == 2
    screenshot(d, shots, "county-list")
    assert axe_violations(d) == []

    d.find_element(By.ID, "q").send_keys("测试单位17")
    wait_for(lambda: len(d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == 1, what="search")
    only = d.find_element(By.CSS_SELECTOR, "#rows tbody tr")
    assert only.text.startswith("某县测试单位17")
    d.find_element(By.ID, "q").clear()
    d.find_element(By.ID, "q").send_keys(" ")
    wait_for(lambda: len(d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == COUNTY_SIZE)

    d.find_element(By.ID, "dl-csv").click()
    table = list(
        csv.reader(io.StringIO(downloaded(d.downloads, "汇总.csv").read_text("utf-8-sig")))
    )
    assert len(table) == COUNTY_SIZE + 1
    assert {r[0]: r[2] for r in table[1:]} == {
        n: ("有错误" if n in wrong else "通过") for n in names
    }

    # click through to one agency's findings
    target = sorted(wrong)[0]
    d.find_element(By.LINK_TEXT, target).click()
    wait_for(lambda: d.find_element(By.CSS_SELECTOR, 'tr[data-code="T3_BALANCE"]'), what="findings")
    assert target in d.find_element(By.ID, "a-title").text
    screenshot(d, shots, "county-agency")
    assert axe_violations(d) == []


def test_county_officer_imports_a_folder(site: Server, browser: Any, tmp_path: Path) -> None:
    """The workbooks are already in a folder on the server: copied under --data/收件, chosen on
    the collection page, imported in one step."""
    from selenium.webdriver.support.ui import Select

    folder = site.data / "收件" / "乡镇2024"
    folder.mkdir(parents=True)
    names = ["某镇人民政府", "某街道办事处"]
    for i, n in enumerate(names):
        make_workbook(folder / f"{i}.xlsx", n)
    d = browser
    d.get(site.url + "/county")
    d.find_element(By.ID, "c-name").send_keys("乡镇2024年度")
    d.find_element(By.CSS_SELECTOR, "#new-form button").click()
    wait_for(lambda: d.find_element(By.ID, "c-title").text == "乡镇2024年度")
    choice = wait_for(
        lambda: (
            (o := [e for e in d.find_elements(By.CSS_SELECTOR, "#folder option") if e.text])
            and "乡镇2024（2 个文件）" in [e.text for e in o]
            and o
        ),
        what="the folder list",
    )
    assert choice
    Select(d.find_element(By.ID, "folder")).select_by_value("乡镇2024")
    d.find_element(By.ID, "import-folder").click()
    wait_for(lambda: "导入完成" in d.find_element(By.ID, "status").text, 60, "the import")
    assert "2 个文件已保存" in d.find_element(By.ID, "status").text
    rows = wait_for(
        lambda: (r := d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) and len(r) == 2 and r
    )
    assert sorted(r.find_elements(By.TAG_NAME, "td")[0].text for r in rows) == sorted(names)
    assert axe_violations(d) == []


def test_staff_member_checks_a_published_report(site: Server, browser: Any, tmp_path: Path) -> None:
    """A web page as published, one number of 表三 wrong: the finding is shown at its place in
    the page (the 2nd table, row 4, column 4: 一、本年新收 · 自然人), not at a JSON path; a scan
    is said to be unreadable, with what to do."""
    from ..published.hostile_files import scan_pdf
    from ..published.test_import_cli import busy_report
    from ..published.test_validate_published import _html_with

    data = busy_report()
    page = tmp_path / "已发布的年报.html"
    page.write_bytes(_html_with(data, str(data["requests"]["new"]["natural_person"] + 7)))
    d = browser
    d.get(site.url + "/")
    d.find_element(By.ID, "file").send_keys(str(page))
    d.find_element(By.ID, "check").click()
    row = wait_for(
        lambda: d.find_element(By.CSS_SELECTOR, 'tr[data-code="T3_BALANCE"]'),
        what="the finding in the page",
    )
    assert row.find_element(By.CSS_SELECTOR, "td.cell").text == "第2个表格第4行第4列"
    assert row.find_element(By.XPATH, "ancestor::section[1]/h3").text == "原文中的位置"
    assert d.find_element(By.ID, "dl-annotate").is_displayed() is False  # no workbook to mark
    screenshot(d, shots_dir(tmp_path), "staff-published")
    assert axe_violations(d) == []

    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(scan_pdf())
    d.find_element(By.ID, "file").clear()
    d.find_element(By.ID, "file").send_keys(str(scan))
    d.find_element(By.ID, "check").click()
    verdict = wait_for(
        lambda: "无法读取" in (v := d.find_element(By.ID, "verdict").text) and v,
        what="无法读取",
    )
    assert "OCR" in verdict
