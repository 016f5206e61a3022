"""`xxgk aggregate`: the summed report of several agencies, from JSON and workbook inputs."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xxgk.aggregate.expect import ExpectListError, parse_expect
from xxgk.aggregate.stream import StreamedSum
from xxgk.aggregate.sums import (
    DOUBLE_COUNT,
    DUPLICATE,
    INVALID,
    OTHER_YEAR,
    OWN_OUTPUT,
    SAME_AGENCY,
    UNREADABLE,
    Candidate,
    aggregate,
    empty_report,
    sum_reports,
)
from xxgk.aggregate.workbook import COMPARE_HEADERS, COMPARE_SHEET, LEFT_OUT_SHEET, MISSING_LABEL
from xxgk.check.validate import validate
from xxgk.cli.main import main
from xxgk.files.read import read_source
from xxgk.format import model as m

from .conftest import need_tool
from .oracle import with_official_totals
from .reports import INPUT_LEAVES, consistent_reports, get_path, set_path
from .test_rule_cases import valid_base
from .wb_helpers import write_workbook

NUMERIC = [leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS]
CONTACT = ["--address", "某县人民路1号", "--postcode", "834600", "--phone", "0901-1234567"]


def varied_report(seed: int, agency: str, year: int = 2024) -> dict[str, Any]:
    """A valid report whose every input cell has its own number (balance kept); its totals
    are the oracle's plain sums (tests/oracle.py)."""
    rnd = random.Random(seed)
    data = valid_base()
    data["agency"]["name"] = agency
    data["year"] = year
    data["published_on"] = f"{year + 1}-01-20"
    for leaf in INPUT_LEAVES:
        if leaf.kind == m.AMOUNT:
            set_path(data, leaf.path, rnd.choice([0, 26.55, 18.871, 0.1, 3]))
        else:
            set_path(data, leaf.path, rnd.randint(0, 9))
    data = with_official_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        req["carried_over"][col.id] = min(req["carried_over"][col.id], outcome)
        req["new"][col.id] = outcome - req["carried_over"][col.id]
    data["overview"]["on_request"] = ""
    data["overview"]["summary"] = ""
    data = with_official_totals(data)
    assert [f.code for f in validate(data) if f.is_error] == []
    return data


def expected_sums(reports: list[dict[str, Any]]) -> dict[str, float]:
    """Every numeric leaf summed independently of the code under test."""
    return {leaf.pointer: sum(get_path(d, leaf.path) for d in reports) for leaf in NUMERIC}


def assert_sums(data: dict[str, Any], reports: list[dict[str, Any]]) -> None:
    for ptr, want in expected_sums(reports).items():
        got = get_path(data, m.LEAF_BY_POINTER[ptr].path)
        assert abs(got - want) < 1e-9, (ptr, got, want)
        if all(isinstance(get_path(d, m.LEAF_BY_POINTER[ptr].path), int) for d in reports):
            assert isinstance(got, int), ptr


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- the pure core --------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(st.lists(consistent_reports(max_count=20), min_size=1, max_size=4))
def test_sum_of_consistent_reports_is_consistent_and_cell_by_cell(reports: list[dict]) -> None:
    base = empty_report("某县人民政府", 2024, address="x", postcode="834600", phone="1")
    base["published_on"] = "2025-01-20"
    total = sum_reports(reports, base)
    assert [f for f in validate(total) if f.is_error] == []
    assert_sums(total, reports)


def test_amounts_are_summed_as_decimals() -> None:
    reports = [varied_report(1, "甲"), varied_report(2, "乙")]
    reports[0]["proactive"]["fees"]["amount"] = 0.1
    reports[1]["proactive"]["fees"]["amount"] = 0.2
    total = sum_reports(reports, empty_report("县", 2024))
    assert total["proactive"]["fees"]["amount"] == 0.3


def test_select_excludes_in_order_and_keeps_the_first_duplicate() -> None:
    a, b = varied_report(1, "甲局"), varied_report(2, "乙局")
    old = varied_report(3, "丙局", year=2023)
    cands = [
        Candidate("1.json", a),
        Candidate("2.json", b, errors=2),
        Candidate("3.json", old, errors=1),  # another year: that is the reason given
        Candidate("4.json", error="坏文件"),
        Candidate("5.json", copy.deepcopy(b)),  # 乙局 again, valid: kept (2.json has errors)
        Candidate("6.json", {**copy.deepcopy(a), "agency": {**a["agency"], "name": " 甲　局"}}),
    ]
    agg = aggregate(cands, agency="县", year=2024, expected=["甲局", "乙局", "丙局", "丁局"])
    assert [(e.path, e.agency) for e in agg.included] == [("1.json", "甲局"), ("5.json", "乙局")]
    assert [(e.path, e.status) for e in agg.excluded] == [
        ("2.json", INVALID),
        ("3.json", OTHER_YEAR),
        ("4.json", UNREADABLE),
        ("6.json", DUPLICATE),
    ]
    assert "1.json" in agg.excluded[-1].reason
    assert [x.agency for x in agg.missing] == ["丙局", "丁局"]
    assert "3.json" in agg.missing[0].note and agg.missing[1].note == ""
    assert agg.unexpected == []
    assert_sums(agg.data, [a, b])


def test_summing_as_read_decides_what_depends_on_later_inputs_as_select_does() -> None:
    """`xxgk aggregate` sums each input as it is read (aggregate/stream.py) and keeps no data;
    what depends on inputs not yet read must still come out as `select` says."""
    a, b, c = varied_report(1, "甲局"), varied_report(2, "乙局"), varied_report(3, "丙局")
    county = varied_report(4, "某县")  # a summed report with its manifest: it listed 甲局
    other = varied_report(5, "他县")  # one whose units are not among the inputs: a unit
    b_again = {**copy.deepcopy(b), "agency": {**b["agency"], "name": "乙 局"}}
    other_again = varied_report(6, "他县")
    cands = [
        Candidate("1-某县.json", county, summed=("甲局", "丁局")),
        Candidate("2-他县.json", other, summed=("戊局",)),
        Candidate("3-乙局.json", b, errors=1),  # errors: not summed, 乙局 still open
        Candidate("4-他县.json", other_again),  # a second 他县: 2-他县 is the one summed
        Candidate("5-甲局.json", a),  # makes 1-某县 a double count
        Candidate("6-乙局.json", b_again),  # the first valid 乙局: summed
        Candidate("7-丙局.json", c),
        Candidate("8-乙局.json", copy.deepcopy(b)),  # after 6: a duplicate
    ]
    summing = StreamedSum("市", 2024)
    for cand in cands:
        summing.add(cand)
    agg = summing.result(expected=["甲局", "乙局", "丙局", "丁局"])
    assert [e.path for e in agg.included] == [
        "2-他县.json",
        "5-甲局.json",
        "6-乙局.json",
        "7-丙局.json",
    ]
    assert [(e.path, e.status) for e in agg.excluded] == [
        ("1-某县.json", DOUBLE_COUNT),
        ("3-乙局.json", INVALID),
        ("4-他县.json", DUPLICATE),
        ("8-乙局.json", DUPLICATE),
    ]
    assert "2-他县.json" in agg.excluded[2].reason and "6-乙局.json" in agg.excluded[3].reason
    assert all(c.data is None for c in cands)  # nothing of any input's data is held
    assert_sums(agg.data, [other, a, b_again, c])
    rows = [e.key_figures() for e in agg.included]
    assert rows[1][0] == get_path(a, ("requests", "new", "total"))  # 本年新收申请


def test_expect_list_encodings_blank_lines_and_spaces() -> None:
    text = "\ufeff甲局\r\n\r\n  乙 局 \n甲局\n\t\n丙局"
    assert parse_expect(text.encode("utf-8")) == ["甲局", "乙局", "丙局"]
    assert parse_expect(text.replace("\ufeff", "").encode("gbk")) == ["甲局", "乙局", "丙局"]


# -- the command, on JSON and workbook inputs ------------------------------------------------------


def make_inputs(folder: Path) -> dict[str, Any]:
    """Three agencies (two JSON, one workbook), a duplicate, a wrong year, one with errors."""
    folder.mkdir()
    a = varied_report(11, "额敏县教育局")
    b = varied_report(12, "额敏县财政局")
    c = varied_report(13, "额敏县卫生健康委员会")
    write_json(folder / "a-教育局.json", a)
    write_json(folder / "b-财政局.json", b)
    write_workbook(folder / "c-卫健委.xlsx", c)
    dup = copy.deepcopy(b)
    dup["requests"]["new"]["natural_person"] += 0  # same agency, same content: a resend
    write_workbook(folder / "d-财政局-重发.xlsx", dup)
    old = varied_report(14, "额敏县民政局", year=2023)
    write_json(folder / "e-民政局-2023.json", old)
    bad = varied_report(15, "额敏县水利局")
    bad["requests"]["new"]["natural_person"] += 1  # breaks the balance: an error
    write_json(folder / "f-水利局.json", bad)
    return {"included": [a, b, c], "names": [x["agency"]["name"] for x in (a, b, c)]}


def run_aggregate(*args: str):
    return CliRunner().invoke(main, ["aggregate", *args])


def test_aggregate_command_end_to_end(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "收件")
    expect = tmp_path / "名单.txt"
    names = [
        "额敏县教育局",
        "额敏县财政局",
        " 额敏县卫生健康委员会 ",
        "",
        "额敏县民政局",
        "额敏县审计局",
    ]
    expect.write_bytes("\r\n".join(names).encode("gbk"))
    before = digest(tmp_path / "收件")
    out = tmp_path / "汇总" / "额敏县2024"
    out.parent.mkdir()
    result = run_aggregate(
        str(tmp_path / "收件"),
        "-o",
        str(out),
        "--agency",
        "额敏县人民政府",
        "--year",
        "2024",
        "--expect",
        str(expect),
        *CONTACT,
    )
    assert result.exit_code == 1, result.output  # 水利局 has errors: left out, the rest summed
    assert not result.stdout
    assert digest(tmp_path / "收件") == before  # inputs untouched

    # the JSON: numbers summed cell by cell, valid
    data = json.loads((tmp_path / "汇总" / "额敏县2024.json").read_text(encoding="utf-8"))
    assert_sums(data, inputs["included"])
    assert data["agency"]["name"] == "额敏县人民政府" and data["year"] == 2024
    assert [f.code for f in validate(data) if f.is_error] == []

    # the manifest and stderr: exclusions with reasons, 缺报
    manifest = json.loads(
        (tmp_path / "汇总" / "额敏县2024.manifest.json").read_text(encoding="utf-8")
    )
    assert [Path(e["path"]).name for e in manifest["included"]] == [
        "a-教育局.json",
        "b-财政局.json",
        "c-卫健委.xlsx",
    ]
    assert [(Path(e["path"]).name, e["status"]) for e in manifest["excluded"]] == [
        ("d-财政局-重发.xlsx", DUPLICATE),
        ("e-民政局-2023.json", OTHER_YEAR),
        ("f-水利局.json", INVALID),
    ]
    assert [x["agency"] for x in manifest["missing"]] == ["额敏县民政局", "额敏县审计局"]
    assert manifest["unexpected"] == []
    for text in ("d-财政局-重发.xlsx", "e-民政局-2023.json", "f-水利局.json", "额敏县审计局"):
        assert text in result.stderr

    # the workbook reads back to the same data, and carries the two extra sheets
    xlsx = tmp_path / "汇总" / "额敏县2024.xlsx"
    source = read_source(xlsx)
    assert source.readable, source.error
    expected = {k: v for k, v in data.items() if k != "$schema"}
    assert source.data == expected
    wb = load_workbook(xlsx)
    ws = wb[COMPARE_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COMPARE_HEADERS
    assert [r[0] for r in rows[1:]] == inputs["names"]
    headers = list(COMPARE_HEADERS)
    for row, report in zip(rows[1:], inputs["included"], strict=True):
        figures = dict(zip(headers, row, strict=True))
        req = report["requests"]
        assert figures["本年新收申请"] == req["new"]["total"]
        assert figures["予以公开"] == req["results"]["granted"]["total"]
        assert figures["部分公开"] == req["results"]["partially_granted"]["total"]
        assert figures["不予公开"] == sum(v["total"] for v in req["results"]["denied"].values())
        assert figures["无法提供"] == sum(v["total"] for v in req["results"]["unable"].values())
        assert figures["结转下年度"] == req["carried_forward"]["total"]
        rl = report["review_litigation"]
        assert figures["行政复议"] == rl["review"]["total"]
        assert figures["行政诉讼"] == (
            rl["litigation_direct"]["total"] + rl["litigation_after_review"]["total"]
        )
        assert figures["行政事业性收费（万元）"] == report["proactive"]["fees"]["amount"]
        assert all(isinstance(v, (int, float)) for v in row[2:])
    assert ws.auto_filter.ref == f"A1:P{len(rows)}"
    left = list(wb[LEFT_OUT_SHEET].iter_rows(values_only=True))
    assert [r[1] for r in left[1:]] == [
        "额敏县财政局",
        "额敏县民政局",
        "额敏县水利局",
        "额敏县民政局",
        "额敏县审计局",
    ]
    assert [r[0] for r in left[1:]][-2:] == [MISSING_LABEL, MISSING_LABEL]


def test_aggregate_rerun_into_the_inbox_ignores_its_own_output(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    reports = [varied_report(i, f"单位{i}") for i in range(3)]
    for i, r in enumerate(reports):
        write_json(inbox / f"{i}.json", r)
    args = [str(inbox), "-o", str(inbox / "汇总.json"), "--agency", "县", "--year", "2024"]
    first = run_aggregate(*args, *CONTACT)
    assert first.exit_code == 0, first.output
    outputs = [inbox / f"汇总{s}" for s in (".json", ".xlsx", ".manifest.json")]
    before = [p.read_bytes() for p in outputs]
    again = run_aggregate(*args, *CONTACT)
    assert again.exit_code == 0, again.output
    assert [p.read_bytes() for p in outputs] == before  # same inputs, same bytes
    data = json.loads((inbox / "汇总.json").read_text(encoding="utf-8"))
    assert_sums(data, reports)  # not summed twice, not including the aggregate itself
    assert (inbox / "汇总.xlsx").is_file() and (inbox / "汇总.manifest.json").is_file()


def test_aggregate_exit_codes(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_json(inbox / "a.json", varied_report(1, "甲"))
    (inbox / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path / "sum"
    result = run_aggregate(str(inbox), "-o", str(out), "--agency", "县", "--year", "2024")
    assert result.exit_code == 3 and "broken.json" in result.stderr
    assert (tmp_path / "sum.json").is_file()  # the readable input was summed all the same
    # without contact details the JSON still has the sums, and stderr says what to add
    assert "--address" in result.stderr
    # all inputs fine but no contact details: written, yet not a complete report → exit 1
    incomplete = run_aggregate(
        str(inbox / "a.json"), "-o", str(tmp_path / "bare"), "--agency", "县", "--year", "2024"
    )
    assert incomplete.exit_code == 1 and (tmp_path / "bare.json").is_file()
    complete = run_aggregate(
        str(inbox / "a.json"),
        "-o",
        str(tmp_path / "full"),
        "--agency",
        "县",
        "--year",
        "2024",
        *CONTACT,
    )
    assert complete.exit_code == 0, complete.output
    nothing = run_aggregate(
        str(inbox / "a.json"), "-o", str(tmp_path / "none"), "--agency", "县", "--year", "2030"
    )
    assert nothing.exit_code == 1 and not (tmp_path / "none.json").exists()
    usage = run_aggregate(
        str(tmp_path / "missing"), "-o", str(out), "--agency", "县", "--year", "2024"
    )
    assert usage.exit_code == 2


def test_outputs_convert_and_survive_a_libreoffice_round_trip(tmp_path: Path) -> None:
    """The aggregate workbook converts to a report; LibreOffice keeps its autofilter, and the
    names `template --from` records (one soffice call for both files)."""
    from .workbooks import libreoffice_convert, soffice

    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    inbox = tmp_path / "in"
    inbox.mkdir()
    reports = [varied_report(i, f"单位{i}") for i in range(3)]
    for i, r in enumerate(reports):
        write_json(inbox / f"{i}.json", r)
    out = tmp_path / "sum"
    result = run_aggregate(str(inbox), "-o", str(out), "--agency", "县", "--year", "2024", *CONTACT)
    assert result.exit_code == 0, result.output
    made = tmp_path / "next.xlsx"
    args = ["template", "--from", str(inbox / "0.json"), "-o", str(made)]
    assert CliRunner().invoke(main, args).exit_code == 0

    converted = CliRunner().invoke(
        main, ["convert", str(tmp_path / "sum.xlsx"), "-o", str(tmp_path / "rep"), "--to", "md"]
    )
    assert converted.exit_code == 0, converted.output
    assert list((tmp_path / "rep").glob("县-2024.md"))

    lo = tmp_path / "lo"
    done = libreoffice_convert([tmp_path / "sum.xlsx", made], lo)
    assert done.returncode == 0, done.stderr
    again = read_source(lo / "sum.xlsx")
    assert again.readable and again.data == read_source(tmp_path / "sum.xlsx").data
    assert load_workbook(lo / "sum.xlsx")[COMPARE_SHEET].auto_filter.ref == "A1:P4"
    recorded = read_source(lo / "next.xlsx").previous
    assert recorded is not None
    assert (
        recorded["proactive"]["normative_documents"]["in_force"]
        == (reports[0]["proactive"]["normative_documents"]["in_force"])
    )
    assert recorded["agency"]["name"] == "单位0" and recorded["year"] == 2024


def test_a_year_that_is_not_a_number_is_an_error_not_another_year() -> None:
    odd = varied_report(1, "甲局")
    odd["year"] = "2024"
    agg = aggregate([Candidate("x.json", odd, errors=1)], agency="县", year=2024)
    assert [e.status for e in agg.excluded] == [INVALID]


def test_aggregate_refuses_a_bad_date_as_usage(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", varied_report(1, "甲"))
    result = run_aggregate(
        str(tmp_path),
        "-o",
        str(tmp_path / "s"),
        "--agency",
        "县",
        "--year",
        "2024",
        "--published-on",
        "2025/1/31",
    )
    assert result.exit_code == 2 and not (tmp_path / "s.json").exists()
    assert "--published-on" in result.output


def test_aggregate_never_overwrites_an_input(tmp_path: Path) -> None:
    a = write_json(tmp_path / "a.json", varied_report(1, "甲"))
    before = a.read_bytes()
    for target in (tmp_path / "a", tmp_path / "a.json", tmp_path):
        result = run_aggregate(
            str(tmp_path), "-o", str(target), "--agency", "县", "--year", "2024", *CONTACT
        )
        assert result.exit_code == 2, result.output
    assert a.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


# -- xxgk's own outputs among the inputs -----------------------------------------------------------


def _statuses(manifest_path: Path) -> dict[str, str]:
    """Excluded file name → status. A `*.manifest.json` found by searching a folder may already
    be left out by discovery; where it reaches `aggregate` it is own output."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out = {Path(e["path"]).name: e["status"] for e in manifest["excluded"]}
    for name, status in list(out.items()):
        if name.endswith(".manifest.json"):
            assert status == OWN_OUTPUT, name
            del out[name]
    return out


def test_an_earlier_aggregate_among_the_inputs_is_never_summed(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    reports = [varied_report(20 + i, f"单位{i}") for i in range(3)]
    for i, r in enumerate(reports):
        write_json(inbox / f"{i}.json", r)
    county = ["--agency", "某县人民政府", "--year", "2024", *CONTACT]
    first = run_aggregate(str(inbox), "-o", str(inbox / "县汇总"), *county)
    assert first.exit_code == 0, first.output
    before = digest(inbox)

    second = run_aggregate(str(inbox), "-o", str(inbox / "县汇总v2"), *county)
    assert second.exit_code == 0, second.output
    assert digest(inbox).items() >= before.items()  # earlier outputs and reports untouched
    data = json.loads((inbox / "县汇总v2.json").read_text(encoding="utf-8"))
    assert_sums(data, reports)  # not doubled
    assert _statuses(inbox / "县汇总v2.manifest.json") == {
        "县汇总.json": OWN_OUTPUT,
        "县汇总.xlsx": OWN_OUTPUT,
    }
    assert "这是汇总报告本身，不作为单位汇总" in second.stderr
    assert "manifest.json" in second.stderr  # the manifest's leaving out is said too

    # the manifest named explicitly is read, recognised and listed, never summed
    named = [str(inbox / n) for n in ("0.json", "1.json", "2.json", "县汇总.manifest.json")]
    fourth = run_aggregate(*named, "-o", str(tmp_path / "named"), *county)
    assert fourth.exit_code == 0, fourth.output
    manifest = json.loads((tmp_path / "named.manifest.json").read_text(encoding="utf-8"))
    assert [(Path(e["path"]).name, e["status"]) for e in manifest["excluded"]] == [
        ("县汇总.manifest.json", OWN_OUTPUT)
    ]

    # the county's summed report moved away from its manifest, and the county's own report:
    # both carry --agency, neither is a unit of the county
    other = tmp_path / "other"
    other.mkdir()
    for i, r in enumerate(reports):
        write_json(other / f"{i}.json", r)
    (other / "moved.json").write_bytes((inbox / "县汇总.json").read_bytes())
    write_json(other / "本级.json", varied_report(30, "某县 人民政府"))
    renamed = other / "清单.json"  # a manifest renamed: recognised by its content
    renamed.write_bytes((inbox / "县汇总.manifest.json").read_bytes())
    third = run_aggregate(str(other), "-o", str(tmp_path / "out" / "x"), *county)
    assert third.exit_code == 0, third.output
    assert _statuses(tmp_path / "out" / "x.manifest.json") == {
        "moved.json": OWN_OUTPUT,
        "本级.json": SAME_AGENCY,
        "清单.json": OWN_OUTPUT,
    }
    assert_sums(json.loads((tmp_path / "out" / "x.json").read_text(encoding="utf-8")), reports)


def test_a_county_aggregate_beside_its_units_is_not_summed_again_by_the_prefecture(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    units = [varied_report(40 + i, f"单位{i}") for i in range(2)]
    for i, r in enumerate(units):
        write_json(inbox / f"{i}.json", r)
    made = run_aggregate(
        str(inbox), "-o", str(inbox / "县"), "--agency", "某县", "--year", "2024", *CONTACT
    )
    assert made.exit_code == 0, made.output
    # another county's summed report, without its units: the prefecture may sum it
    elsewhere = tmp_path / "乙县"
    elsewhere.mkdir()
    other_units = [varied_report(50, "乙县单位")]
    write_json(elsewhere / "u.json", other_units[0])
    made = run_aggregate(
        str(elsewhere), "-o", str(inbox / "乙县"), "--agency", "乙县", "--year", "2024", *CONTACT
    )
    assert made.exit_code == 0, made.output
    result = run_aggregate(
        str(inbox), "-o", str(tmp_path / "州"), "--agency", "某州", "--year", "2024", *CONTACT
    )
    assert result.exit_code == 0, result.output
    statuses = _statuses(tmp_path / "州.manifest.json")
    assert statuses["县.json"] == statuses["县.xlsx"] == DOUBLE_COUNT
    assert statuses["乙县.xlsx"] == DUPLICATE  # 乙县.json is summed once, its workbook not again
    data = json.loads((tmp_path / "州.json").read_text(encoding="utf-8"))
    assert_sums(data, [*units, *other_units])


# -- inputs that used to end in a traceback --------------------------------------------------------


def test_expect_list_bom_encodings_and_garbage() -> None:
    names = ["甲局", "乙局"]
    text = "甲局\r\n乙局\r\n"
    for raw in (
        text.encode("utf-16"),  # Notepad's "Unicode": a BOM, then UTF-16 LE
        b"\xfe\xff" + text.encode("utf-16-be"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("gb18030"),
    ):
        assert parse_expect(raw) == names, raw
    for raw in (
        text.encode("utf-16-le"),  # no BOM: NUL bytes, refused rather than guessed
        "甲局\x01\n".encode(),
        b"\xff\xfe\x00\xd8",  # a lone surrogate in UTF-16
        b"\x81\x30\xff",  # neither UTF-8 nor GB18030
    ):
        try:
            parse_expect(raw)
        except ExpectListError as exc:
            assert str(exc)
        else:
            raise AssertionError(raw)


def test_expect_list_in_utf16_from_notepad(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_json(inbox / "a.json", varied_report(1, "甲局"))
    args = [str(inbox), "--agency", "县", "--year", "2024", *CONTACT]
    notepad = tmp_path / "exp16.txt"
    notepad.write_bytes("甲局\r\n乙局\r\n".encode("utf-16"))
    result = run_aggregate(*args, "-o", str(tmp_path / "ok"), "--expect", str(notepad))
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "ok.manifest.json").read_text(encoding="utf-8"))
    assert [x["agency"] for x in manifest["missing"]] == ["乙局"]
    left = list(load_workbook(tmp_path / "ok.xlsx")[LEFT_OUT_SHEET].iter_rows(values_only=True))
    assert left[1][:2] == (MISSING_LABEL, "乙局")

    no_bom = tmp_path / "exp16le.txt"
    no_bom.write_bytes("甲局\r\n乙局\r\n".encode("utf-16-le"))
    result = run_aggregate(*args, "-o", str(tmp_path / "bad"), "--expect", str(no_bom))
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "exp16le.txt" in result.stderr and "Traceback" not in result.output
    assert not list(tmp_path.glob("bad*"))


def test_control_characters_in_names_are_dropped_from_the_sheets(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    odd = varied_report(3, "甲\x01局")
    assert [f.code for f in validate(odd) if f.is_error] == []
    write_json(inbox / "a.json", odd)
    write_json(inbox / "b.json", varied_report(4, "乙局"))
    old = varied_report(5, "丙\x1f局", year=2023)
    write_json(inbox / "c.json", old)
    before = digest(inbox)
    result = run_aggregate(
        str(inbox),
        "-o",
        str(tmp_path / "s"),
        "--agency",
        "县",
        "--year",
        "2024",
        *CONTACT,
        "--expect",
        str(write_json(tmp_path / "e.txt", {})),  # any text: "{}" is one name
    )
    assert result.exit_code == 0, result.output
    assert digest(inbox) == before
    wb = load_workbook(tmp_path / "s.xlsx")
    assert [r[0] for r in wb[COMPARE_SHEET].iter_rows(min_row=2, values_only=True)] == [
        "甲局",
        "乙局",
    ]
    left = [r[1] for r in wb[LEFT_OUT_SHEET].iter_rows(min_row=2, values_only=True)]
    assert "丙局" in left and "{}" in left


# -- the words of the summed report ---------------------------------------------------------------


def test_generated_paragraphs_speak_of_all_units_not_of_one_agency(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    reports = [varied_report(60 + i, f"单位{i}") for i in range(3)]
    for i, r in enumerate(reports):
        write_json(inbox / f"{i}.json", r)
    result = run_aggregate(
        str(inbox),
        "-o",
        str(tmp_path / "新建" / "子" / "县"),
        "--agency",
        "县",
        "--year",
        "2024",
        *CONTACT,
    )
    assert result.exit_code == 0, result.output  # the missing output folder was created
    data = json.loads((tmp_path / "新建" / "子" / "县.json").read_text(encoding="utf-8"))
    new = sum(r["requests"]["new"]["total"] for r in reports)
    assert data["overview"]["summary"].startswith("本报告由县汇总本地区3个单位报送的2024年")
    assert f"2024年，本地区各单位合计新收政府信息公开申请{new}件" in data["overview"]["on_request"]
    assert data["overview"]["proactive"].startswith("2024年，本地区各单位合计")
    assert "109号" in data["other_matters"]["text"]
    assert " " not in data["overview"]["summary"]

    converted = CliRunner().invoke(
        main,
        [
            "convert",
            str(tmp_path / "新建" / "子" / "县.xlsx"),
            "-o",
            str(tmp_path / "rep"),
            "--to",
            "md",
        ],
    )
    assert converted.exit_code == 0, converted.output
    text = next((tmp_path / "rep").glob("*.md")).read_text(encoding="utf-8")
    assert f"本地区各单位合计新收政府信息公开申请{new}件" in text
    assert "本机关新收" not in text and "本机关依据" not in text and "本机关制发" not in text
