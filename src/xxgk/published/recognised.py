"""What a recogniser found in a `Document`: values by JSON Pointer, where each came from, and
the findings about what it could not read with certainty."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xxgk.check.findings import Finding
from xxgk.published.document import Where

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"  # 国办公开办函〔2019〕60号: the older table 二 columns and table 三 rows


@dataclass
class Recognised:
    # JSON Pointer (e.g. /requests/new/total) → the value as the source says it: int or float
    # for table cells, str for text. A pointer that is absent was not found: the recogniser
    # must then have made a finding whose `path` or `paths` names it.
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Where] = field(default_factory=dict)  # pointer → where it was read
    findings: list[Finding] = field(default_factory=list)  # each with `source` when it can
    used: set[int] = field(default_factory=set)  # indices of Document.lines that were tables
    layout: str = FORMAT_2021  # FORMAT_2019 when the tables are in the 2019 layout

    def merge(self, other: Recognised) -> Recognised:
        """Both results in one; `other` wins where both read a value (it should not happen)."""
        return Recognised(
            values={**self.values, **other.values},
            origins={**self.origins, **other.origins},
            findings=self.findings + other.findings,
            used=self.used | other.used,
            layout=other.layout if other.layout != FORMAT_2021 else self.layout,
        )
