"""Rules 6 and 7 across years: the pure comparison, the recorded figures, and (further down) the
CLI on JSON and on workbooks (`validate --previous`, `template --from`)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import load_workbook

from xxgk.check import findings as fc
from xxgk.check import years
from xxgk.check.rulebook import NARRATIVE_FIELDS
from xxgk.check.validate import validate
from xxgk.check.years import PREVIOUS, compare_with_previous
from xxgk.cli.main import main
from xxgk.format import model as m
from xxgk.workbook.fill import fill_cells
from xxgk.workbook.recorded import (
    name_formula,
    parse_name_formula,
    previous_from_names,
    recorded_names,
)
from xxgk.workbook.template import layout

from .test_rule_cases import valid_base
from .wb_helpers import cell_of, write_workbook

COLS = [c.id for c in m.APPLICANT_PARTS]
# A government that may make 规章 (a 设区的市: the name cannot tell, so no RULES_NOT_ALLOWED).
AGENCY = "眉山市人民政府"


def last_year() -> dict[str, Any]:
    """A valid 2023 report of the base agency: 3 requests carried forward, 5 documents in force."""
    data = valid_base()
    data["agency"]["name"] = AGENCY
    data["year"] = 2023
    data["published_on"] = "2024-01-20"
    req = data["requests"]
    for row, col, n in [("new", "natural_person", 4), ("new", "commercial", 1)]:
        req[row][col] = n
    req["results"]["granted"]["natural_person"] = 2
    req["carried_forward"]["natural_person"] = 2
    req["carried_forward"]["commercial"] = 1
    data["proactive"]["normative_documents"].update(issued=2, repealed=0, in_force=5)
    data["proactive"]["rules"].update(issued=0, repealed=0, in_force=1)
    data["overview"]["on_request"] = "收到申请5件。"
    for field in NARRATIVE_FIELDS:  # last year's own words: this year's copy would be PREV_COPIED
        node = data
        for key in field.path[:-1]:
            node = node[key]
        node[field.path[-1]] = node[field.path[-1]].replace("2024", "2023") + "（上年度）"
    return _totals(data)


def _totals(data: dict[str, Any]) -> dict[str, Any]:
    from .oracle import with_official_totals

    return with_official_totals(data)


def this_year(last: dict[str, Any]) -> dict[str, Any]:
    """The 2024 report that continues `last` consistently: carried over = last carried forward,
    the carried requests are granted; in force = last + issued − repealed."""
    data = valid_base()
    data["agency"]["name"] = AGENCY
    req = data["requests"]
    for col in COLS:
        req["carried_over"][col] = last["requests"]["carried_forward"][col]
        req["results"]["granted"][col] = last["requests"]["carried_forward"][col]
    data["proactive"]["normative_documents"].update(issued=3, repealed=1, in_force=7)
    data["proactive"]["rules"].update(issued=0, repealed=0, in_force=1)
    return _totals(data)


def codes(found: list[fc.Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in found)


def test_consistent_pair_gives_nothing_and_both_are_valid() -> None:
    last = last_year()
    this = this_year(last)
    assert [f for f in validate(last) if f.is_error] == []
    assert [f for f in validate(this) if f.is_error] == []
    assert compare_with_previous(this, last) == []


def test_carried_over_mismatch_is_an_error_per_column_with_both_values() -> None:
    last = last_year()
    this = this_year(last)
    this["requests"]["carried_over"]["natural_person"] = 1  # last year carried forward 2
    this["requests"]["results"]["granted"]["natural_person"] = 1
    this = _totals(this)
    found = compare_with_previous(this, last)
    assert codes(found) == [
        (fc.PREV_CARRIED_OVER, "/requests/carried_over/natural_person"),
    ]
    f = found[0]
    assert f.severity == fc.ERROR
    assert (f.args["reported"], f.args["previous"], f.args["diff"]) == (1, 2, 1)
    assert f.paths == [
        "/requests/carried_over/natural_person",
        PREVIOUS + "/requests/carried_forward/natural_person",
    ]
    assert "1" in f.message and "2" in f.message and "{" not in f.message


def test_the_total_column_is_reported_only_when_no_column_is() -> None:
    last = last_year()
    this = this_year(last)
    this["requests"]["carried_over"]["total"] = 9  # only the total is off (data from elsewhere)
    assert codes(compare_with_previous(this, last)) == [
        (fc.PREV_CARRIED_OVER, "/requests/carried_over/total")
    ]


def test_in_force_mismatch_is_a_warning_with_the_figures() -> None:
    last = last_year()
    this = this_year(last)
    this["proactive"]["normative_documents"]["in_force"] = 9  # 5 + 3 − 1 = 7
    this["proactive"]["rules"]["in_force"] = 0  # 1 + 0 − 0 = 1
    found = compare_with_previous(this, last)
    assert codes(found) == [
        (fc.PREV_IN_FORCE, "/proactive/normative_documents/in_force"),
        (fc.PREV_IN_FORCE, "/proactive/rules/in_force"),
    ]
    f = next(x for x in found if "normative" in x.path)
    assert f.severity == fc.WARNING
    assert f.args == {
        "reported": 9,
        "computed": 7,
        "diff": 2,
        "previous": 5,
        "issued": 3,
        "repealed": 1,
        "where": m.LEAF_BY_POINTER[f.path].where,
    }
    assert PREVIOUS + "/proactive/normative_documents/in_force" in f.paths


def test_wrong_year_and_other_agency_are_errors_and_stop_the_comparison() -> None:
    last = last_year()
    this = this_year(last)
    this["requests"]["carried_over"]["natural_person"] = 0  # would be PREV_CARRIED_OVER
    older = copy.deepcopy(last)
    older["year"] = 2022
    assert codes(compare_with_previous(this, older)) == [(fc.PREV_WRONG_YEAR, "/year")]
    same_year = copy.deepcopy(last)
    same_year["year"] = 2024
    wrong = compare_with_previous(this, same_year)
    assert codes(wrong) == [(fc.PREV_WRONG_YEAR, "/year")]
    assert (wrong[0].args["year"], wrong[0].args["previous_year"]) == (2024, 2024)
    other = copy.deepcopy(last)
    other["agency"]["name"] = "乐山市人民政府"
    found = compare_with_previous(this, other)
    assert codes(found) == [(fc.PREV_OTHER_AGENCY, "/agency/name")]
    assert found[0].args["previous_agency"] == "乐山市人民政府"
    assert found[0].severity == fc.WARNING  # agencies get renamed: it must not block


def test_agency_names_compare_ignoring_spaces_and_full_width() -> None:
    last = last_year()
    this = this_year(last)
    last["agency"]["name"] = " 眉山市 人民政府　"
    assert compare_with_previous(this, last) == []


def test_bad_values_are_skipped_not_crashed_on() -> None:
    last = last_year()
    this = this_year(last)
    last["requests"]["carried_forward"]["natural_person"] = "两"
    del last["proactive"]["rules"]
    this["proactive"]["normative_documents"]["issued"] = None
    assert compare_with_previous(this, last) == []
    assert compare_with_previous(this, {}) == []
    assert compare_with_previous([], last) == []  # type: ignore[arg-type]


def test_rules_are_documented() -> None:
    docs = {
        fc.PREV_CARRIED_OVER: years._carried_over.__doc__,
        fc.PREV_IN_FORCE: years._in_force.__doc__,
        fc.PREV_COPIED: years._copied.__doc__,
    }
    assert all(doc and doc.strip().startswith("规则") for doc in docs.values())
    for code in docs:
        assert code in fc.CATALOGUE


def test_recorded_names_round_trip_to_a_partial_report_that_checks_rule_6_and_7() -> None:
    last = last_year()
    last["agency"]["name"] = '额敏县"商务"局'
    names = recorded_names(last)
    assert names["xxgk.previous.year"] == 2023
    assert names["xxgk.previous.proactive.normative_documents.in_force"] == 5
    formulas = {k: name_formula(v) for k, v in names.items()}
    assert formulas["xxgk.previous.agency.name"] == '"额敏县""商务""局"'
    partial = previous_from_names({**formulas, "xxgk.template": '"xxgk-2021-v1"'})
    assert partial == {
        "year": 2023,
        "agency": {"name": '额敏县"商务"局'},
        "proactive": {
            "rules": {"in_force": 1},
            "normative_documents": {"in_force": 5},
        },
        "requests": {
            "carried_forward": {
                c.id: last["requests"]["carried_forward"][c.id] for c in m.APPLICANT_COLUMNS
            }
        },
    }
    this = this_year(last)
    this["agency"]["name"] = '额敏县"商务"局'
    assert compare_with_previous(this, partial) == []
    this["proactive"]["rules"]["in_force"] = 4
    assert codes(compare_with_previous(this, partial)) == [
        (fc.PREV_IN_FORCE, "/proactive/rules/in_force")
    ]


def test_name_formulas_never_evaluate_anything() -> None:
    assert parse_name_formula("=2024") == 2024
    assert parse_name_formula("1.5") == 1.5
    assert parse_name_formula('"a""b"') == 'a"b'
    for hostile in ["表三!$C$6", "=SUM(1,2)", '"a"&"b"', "", '=HYPERLINK("x")']:
        assert parse_name_formula(hostile) is None
    assert previous_from_names({"xxgk.previous.year": '"2023"'}) is None  # text, not a number
    assert previous_from_names({"xxgk.previous.agency.name": "5"}) is None


# -- the CLI: validate --previous on JSON ------------------------------------------------------


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def validate_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_validate_previous_json_consistent_and_mismatch(tmp_path: Path) -> None:
    last = last_year()
    last_file = write_json(tmp_path / "2023.json", last)
    good = write_json(tmp_path / "good.json", this_year(last))
    code, doc = validate_json("--previous", str(last_file), str(good))
    assert code == 0 and doc["errors"] == 0 and doc["warnings"] == 0

    bad = this_year(last)
    bad["requests"]["carried_over"]["commercial"] = 0  # last year carried forward 1
    bad["requests"]["results"]["granted"]["commercial"] = 0
    bad_file = write_json(tmp_path / "bad.json", _totals(bad))
    code, doc = validate_json("--previous", str(last_file), str(bad_file))
    assert code == 1
    found = doc["files"][0]["findings"]
    assert [(f["code"], f["path"]) for f in found] == [
        (fc.PREV_CARRIED_OVER, "/requests/carried_over/commercial"),
    ]
    assert found[0]["args"]["reported"] == 0 and found[0]["args"]["previous"] == 1
    assert found[0]["args"]["previous_file"] == str(last_file)
    assert "previous#/requests/carried_forward/commercial" in found[0]["paths"]
    # without --previous the same file is valid: the rule needs last year's report
    assert validate_json(str(bad_file))[0] == 0


def test_validate_previous_wrong_year_and_unreadable(tmp_path: Path) -> None:
    last = last_year()
    this_file = write_json(tmp_path / "this.json", this_year(last))
    code, doc = validate_json("--previous", str(this_file), str(this_file))
    assert code == 1
    assert [f["code"] for f in doc["files"][0]["findings"]] == [fc.PREV_WRONG_YEAR]
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--previous", str(broken), str(this_file)])
    assert result.exit_code == 3 and "broken.json" in result.stderr and not result.stdout
    result = CliRunner().invoke(main, ["validate", "--previous", str(tmp_path / "no.json"), "x"])
    assert result.exit_code == 3 and "no.json" in result.stderr


def test_validate_previous_folder_matches_by_agency(tmp_path: Path) -> None:
    lastdir = tmp_path / "2023"
    lastdir.mkdir()
    last = last_year()
    other = copy.deepcopy(last)
    other["agency"]["name"] = "乐山市人民政府"
    other["requests"]["carried_forward"]["commercial"] = 0
    other["requests"]["results"]["granted"]["commercial"] = 1
    write_json(lastdir / "a.json", _totals(other))
    write_json(lastdir / "b.json", last)
    this = write_json(tmp_path / "this.json", this_year(last))
    mine = this_year(_totals(other))
    mine["agency"]["name"] = "乐山市　人民政府"
    mine["requests"]["carried_over"]["natural_person"] = 0
    mine["requests"]["results"]["granted"]["natural_person"] = 0
    mine_file = write_json(tmp_path / "mine.json", _totals(mine))
    code, doc = validate_json("--previous", str(lastdir), str(this), str(mine_file))
    assert code == 1
    first, second = doc["files"]
    assert first["findings"] == []
    assert {(f["code"], f["path"]) for f in second["findings"]} == {
        (fc.PREV_CARRIED_OVER, "/requests/carried_over/natural_person"),
    }


def test_convert_previous_warns_about_another_agency(tmp_path: Path) -> None:
    last = last_year()
    last_file = write_json(tmp_path / "2023.json", last)
    indir = tmp_path / "in"
    indir.mkdir()
    write_json(indir / "good.json", this_year(last))
    bad = this_year(last)
    bad["agency"]["name"] = "乐山市人民政府"
    write_json(indir / "other.json", bad)
    out = tmp_path / "out"
    args = ["convert", str(indir), "-o", str(out), "--to", "json", "-j", "1"]
    result = CliRunner().invoke(main, [*args, "--previous", str(last_file)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_input = {Path(f["path"]).name: f for f in summary["files"]}
    assert by_input["other.json"]["status"] == "converted"
    assert by_input["other.json"]["warnings"] == by_input["good.json"]["warnings"] + 1
    check = CliRunner().invoke(
        main,
        ["validate", "--format", "json", "--previous", str(last_file), str(indir / "other.json")],
    )
    codes_found = [f["code"] for f in json.loads(check.stdout)["files"][0]["findings"]]
    assert fc.PREV_OTHER_AGENCY in codes_found
    result = CliRunner().invoke(main, [*args, "--previous", str(tmp_path / "none.json")])
    assert result.exit_code == 3 and "none.json" in result.stderr


# -- workbooks: findings at the 上年结转 cell; template --from; recorded figures ------------------


def test_mismatch_in_a_workbook_points_at_the_carried_over_cell(tmp_path: Path) -> None:
    last = last_year()
    last_xlsx = write_workbook(tmp_path / "2023.xlsx", last)
    this = this_year(last)
    this["requests"]["carried_over"]["natural_person"] = 5  # last year carried forward 2
    this["requests"]["new"]["natural_person"] = 0
    this["requests"]["results"]["granted"]["natural_person"] = 5
    this_xlsx = write_workbook(tmp_path / "2024.xlsx", _totals(this))
    code, doc = validate_json("--previous", str(last_xlsx), str(this_xlsx))
    assert code == 1
    found = [f for f in doc["files"][0]["findings"] if f["code"] == fc.PREV_CARRIED_OVER]
    wb = load_workbook(this_xlsx)
    here = cell_of(wb, "requests.carried_over.natural_person")
    there = cell_of(load_workbook(last_xlsx), "requests.carried_forward.natural_person")
    assert here[0] == "表三"
    first = found[0]
    assert (first["sheet"], first["cell"]) == here
    assert first["cells"] == [f"{here[0]}!{here[1]}"]  # only this year's cells
    assert (first["args"]["reported"], first["args"]["previous"]) == (5, 2)
    assert first["args"]["previous_cell"] == f"{there[0]}!{there[1]}"
    assert first["args"]["previous_file"] == str(last_xlsx)
    assert [f["path"] for f in found] == ["/requests/carried_over/natural_person"]


def _template_from(last_file: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["template", "--from", str(last_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not result.stdout


def _fill_rest(template: Path, data: dict[str, Any], out: Path) -> Path:
    """Staff fill in the rest of next year's template (openpyxl keeps the hidden names)."""
    wb = load_workbook(template)
    fill_cells(wb, layout(), data)
    wb.save(out)
    return out


def test_template_from_prefills_records_and_passes_validate_previous(tmp_path: Path) -> None:
    last = last_year()
    last_xlsx = write_workbook(tmp_path / "2023.xlsx", last)
    made = tmp_path / "2024-template.xlsx"
    _template_from(last_xlsx, made)
    wb = load_workbook(made)

    def value(dotted: str) -> Any:
        sheet, ref = cell_of(wb, dotted)
        return wb[sheet][ref].value

    assert value("year") == 2024
    for field_ in m.AGENCY_FIELDS:
        assert value(".".join(field_.path)) == last["agency"][field_.path[1]]
    for col in COLS:
        assert value(f"requests.carried_over.{col}") == last["requests"]["carried_forward"][col]
    assert value("requests.new.natural_person") is None  # the rest is for staff to fill
    hidden = {n: d for n, d in wb.defined_names.items() if n.startswith("xxgk.previous.")}
    assert all(d.hidden for d in hidden.values())
    assert hidden["xxgk.previous.proactive.normative_documents.in_force"].attr_text == "5"
    assert hidden["xxgk.previous.year"].attr_text == "2023"

    this = this_year(last)
    filled = _fill_rest(made, this, tmp_path / "2024.xlsx")
    code, doc = validate_json("--previous", str(last_xlsx), str(filled))
    assert (code, doc["errors"], doc["warnings"]) == (0, 0, 0), doc
    code, doc = validate_json(str(filled))  # the recorded figures agree too
    assert (code, doc["errors"], doc["warnings"]) == (0, 0, 0), doc


def test_recorded_figures_check_rules_6_and_7_without_the_old_file(tmp_path: Path) -> None:
    last = last_year()
    last_json = write_json(tmp_path / "2023.json", last)
    made = tmp_path / "t.xlsx"
    _template_from(last_json, made)
    this = this_year(last)
    this["proactive"]["normative_documents"]["in_force"] = 6  # 5 + 3 − 1 = 7
    this["requests"]["carried_over"]["commercial"] = 0  # last year carried forward 1
    this["requests"]["results"]["granted"]["commercial"] = 0
    filled = _fill_rest(made, _totals(this), tmp_path / "2024.xlsx")
    code, doc = validate_json(str(filled))
    assert code == 1
    wb = load_workbook(filled)
    got = sorted(
        (f["code"], f["sheet"], f["cell"], f["severity"]) for f in doc["files"][0]["findings"]
    )
    in_force = cell_of(wb, "proactive.normative_documents.in_force")
    carried = cell_of(wb, "requests.carried_over.commercial")
    assert got == sorted(
        [
            (fc.PREV_CARRIED_OVER, *carried, fc.ERROR),
            (fc.PREV_IN_FORCE, *in_force, fc.WARNING),
        ]
    )
    assert in_force[0] == "表二"
    warning = next(f for f in doc["files"][0]["findings"] if f["code"] == fc.PREV_IN_FORCE)
    assert (warning["args"]["reported"], warning["args"]["computed"]) == (6, 7)
    # the same workbook used for another agency: the recorded agency no longer matches
    sheet, ref = cell_of(wb, "agency.name")
    wb[sheet][ref].value = "乐山市人民政府"
    wb.save(filled)
    code, doc = validate_json(str(filled))
    assert [f["code"] for f in doc["files"][0]["findings"]] == [fc.PREV_OTHER_AGENCY]


def test_template_from_usage_and_unreadable(tmp_path: Path) -> None:
    last_json = write_json(tmp_path / "2023.json", last_year())
    out = tmp_path / "t.xlsx"
    args = ["template", "--from", str(last_json), "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--year", "2025"])
    assert result.exit_code == 2 and not out.exists()
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe not json")
    result = CliRunner().invoke(main, ["template", "--from", str(broken), "-o", str(out)])
    assert result.exit_code == 3 and "broken.json" in result.stderr and not out.exists()


def test_previous_folder_holding_several_years_picks_the_year_before(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    last = last_year()
    older = copy.deepcopy(last)
    older["year"] -= 1
    older["published_on"] = f"{older['year'] + 1}-01-20"
    write_json(archive / "a-older.json", older)  # first in name order, but the wrong year
    write_json(archive / "b-last.json", last)
    this = write_json(tmp_path / "this.json", this_year(last))
    code, doc = validate_json("--previous", str(archive), str(this))
    assert code == 0, doc
    assert doc["files"][0]["findings"] == []


def test_unreadable_previous_still_answers_json_when_json_was_asked(tmp_path: Path) -> None:
    this = write_json(tmp_path / "this.json", this_year(last_year()))
    missing = tmp_path / "去年.json"
    result = CliRunner().invoke(
        main, ["validate", "--format", "json", "--previous", str(missing), str(this)]
    )
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["valid"] is False and doc["files"][0]["path"] == str(missing)
    assert doc["files"][0]["findings"][0]["code"] == fc.FILE_UNREADABLE


def test_template_from_the_last_supported_year_is_refused(tmp_path: Path) -> None:
    last = last_year()
    last["year"], last["published_on"] = 2100, "2101-01-20"
    src = write_json(tmp_path / "2100.json", last)
    result = CliRunner().invoke(
        main, ["template", "--from", str(src), "-o", str(tmp_path / "n.xlsx")]
    )
    assert result.exit_code == 1 and not (tmp_path / "n.xlsx").exists()


def test_previous_folder_without_a_match_says_so(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    other = last_year()
    other["agency"]["name"] = "别的局"
    write_json(archive / "other.json", other)
    this = write_json(tmp_path / "this.json", this_year(last_year()))
    result = CliRunner().invoke(main, ["validate", "--previous", str(archive), str(this)])
    assert result.exit_code == 0
    assert "this.json" in result.stderr and "未与上年核对" in result.stderr


def test_a_paragraph_copied_from_last_year_is_pointed_out(tmp_path: Path) -> None:
    """内容雷同: through the real command, `--previous` names each part copied unchanged (not
    counting spaces), and leaves alone what was rewritten or is too short to matter."""
    last = last_year()
    this = this_year(last)
    copied = "（三）政府信息管理情况。" + "本机关建立信息发布审核制度，专人负责，层层把关。" * 2
    last["overview"]["management"] = copied
    this["overview"]["management"] = copied.replace("，", "， ")  # spaces do not make it new
    last["overview"]["platform"] = this["overview"]["platform"] = "无。"  # too short to count
    last_file, this_file = tmp_path / "2023.json", tmp_path / "2024.json"
    last_file.write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    this_file.write_text(json.dumps(this, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["validate", "--format", "json", "--previous", str(last_file), str(this_file)]
    )
    assert result.exit_code == 0, result.output  # a warning
    found = json.loads(result.stdout)["files"][0]["findings"]
    copies = [f for f in found if f["code"] == "PREV_COPIED"]
    assert [f["path"] for f in copies] == ["/overview/management"]
    assert copies[0]["paths"] == ["/overview/management", PREVIOUS + "/overview/management"]
    assert "2023" in copies[0]["message"] and "一字不差" in copies[0]["message"]
