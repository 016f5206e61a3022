"""`pointer` writes RFC 6901 JSON Pointers: "~" as "~0" and "/" as "~1" inside a key (RFC 6901
§3), the model's plain keys joined as they are; the expected texts are written from the RFC."""

from __future__ import annotations

import pytest

from xxgk.format import model as m
from xxgk.format.paths import pointer


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ""),
        (("year",), "/year"),
        (("requests", "new", "total"), "/requests/new/total"),
        (("headings", "overview.management"), "/headings/overview.management"),
        (("a/b",), "/a~1b"),
        (("m~n",), "/m~0n"),
        (("~1",), "/~01"),
        (("", "x"), "//x"),
        (("",), "/"),
        (("a", "/", "~"), "/a/~1/~0"),
    ],
)
def test_pointer_escapes_as_rfc_6901_says(path: tuple[str, ...], expected: str) -> None:
    assert pointer(path) == expected


def test_the_model_names_the_same_function() -> None:
    assert m.pointer is pointer
    assert m.LEAF_BY_POINTER["/review_litigation/review/total"].path == (
        "review_litigation",
        "review",
        "total",
    )
