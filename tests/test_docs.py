"""The repository documents itself: no pointer outside it, generated files current, the published
schema equal to what the CLI prints and the package carries, every code and every link present."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from xxgk.check import findings as fc

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCHEMA = ROOT / "schema" / "annual-report-2021.schema.json"
# Documents that live outside this repository; nothing tracked may point at them.
OUTSIDE = (b"../shared", b"shared/DESIGN", b"shared/format")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _env() -> dict[str, str]:
    """Subprocesses import the same xxgk as this test run (pytest puts src/ first)."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [p for p in out.split("\0") if p]


def test_no_tracked_file_points_outside_the_repository() -> None:
    tracked = [p for p in _tracked() if not p.startswith("tests/")]
    assert "README.md" in tracked and "docs/codes.md" in tracked
    offending = []
    for relative in tracked:
        path = ROOT / relative
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        raw = path.read_bytes()
        offending += [f"{relative}: {m.decode()}" for m in OUTSIDE if m in raw]
    assert offending == []


def test_generated_files_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "regenerate.py"), "--check"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_published_schema_is_what_the_cli_prints_and_the_package_carries() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "schema"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    published = SCHEMA.read_bytes()
    packaged = (
        resources.files("xxgk.format").joinpath("data", "annual-report-2021.schema.json")
    ).read_bytes()
    assert b'"$id": "urn:xxgk:schema:annual-report-2021:v1"' in published
    assert proc.stdout == published
    assert packaged == published


def test_every_catalogue_code_is_in_codes_md() -> None:
    text = (DOCS / "codes.md").read_text(encoding="utf-8")
    assert len(fc.CATALOGUE) > 20
    missing = [code for code in fc.CATALOGUE if f"`{code}`" not in text]
    assert missing == []


def _local_links(doc: Path) -> list[str]:
    links = LINK.findall(doc.read_text(encoding="utf-8"))
    return [
        link.split("#", 1)[0]
        for link in links
        if not re.match(r"[a-z]+:", link) and not link.startswith("#")
    ]


def test_docs_index_links_to_every_document() -> None:
    linked = set(_local_links(DOCS / "README.md"))
    documents = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert {"data-contract.md", "workbook-contract.md", "findings.md", "codes.md"} <= documents
    assert documents <= linked


@pytest.mark.parametrize(
    "doc",
    [DOCS / "README.md", *sorted(p for p in DOCS.glob("*.md") if p.name != "README.md")]
    + [ROOT / "README.md"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_linked_file_exists(doc: Path) -> None:
    missing = [link for link in _local_links(doc) if not (doc.parent / link).exists()]
    assert missing == []
