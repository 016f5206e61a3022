"""The catalogue of finding codes: each code's severity, title and Chinese message template.

The codes themselves are declared where they belong — check/findings.py for the checks,
check/workbook_codes.py for the workbook reader, check/batch_codes.py for batch conversion,
check/import_codes.py for reading published reports — each with `register`.
"""

from __future__ import annotations

from xxgk.format.record import record

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}


@record(frozen=True)
class Code:
    code: str
    severity: str
    title: str
    template: str


CATALOGUE: dict[str, Code] = {}


def register(code: str, severity: str, title: str, template: str) -> str:
    """Enter `code` in the catalogue; the code itself is returned, for a module constant."""
    CATALOGUE[code] = Code(code, severity, title, template)
    return code
