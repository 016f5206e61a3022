"""Property tests: consistent reports validate; any single changed number is caught."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.check.validate import validate

from .reports import consistent_reports, get_path, set_path, table34_leaves


def _neutral(report: dict) -> dict:
    # The seed's narrative says "no requests, no review": random tables would contradict it.
    for key in report["overview"]:
        report["overview"][key] = ""
    return report


@settings(max_examples=60, deadline=None)
@given(consistent_reports())
def test_any_consistent_report_has_no_errors(report: dict) -> None:
    found = validate(_neutral(report))
    assert [f for f in found if f.is_error] == []


@settings(max_examples=150, deadline=None)
@given(consistent_reports(), st.sampled_from(table34_leaves), st.integers(1, 20), st.booleans())
def test_changing_one_number_gives_an_error_naming_it(report, leaf, delta, up) -> None:
    report = _neutral(report)
    old = get_path(report, leaf.path)
    new = old + delta if up or old - delta < 0 else old - delta
    set_path(report, leaf.path, new)
    errors = [f for f in validate(report) if f.is_error]
    assert errors, leaf.dotted
    assert any(leaf.pointer in f.paths for f in errors), (leaf.dotted, errors)
