"""The cells printed in each published excerpt of tests/data/corpus and in the seed, typed by
hand from the text (never produced by the importer). A row is given by its path in the data
contract and its numbers in printed order; None is a cell printed blank."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.format import model as m

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
SEED_TEXT = DATA / "seed-2024-published.txt"
B = None  # a cell printed blank
Z7 = (0, 0, 0, 0, 0, 0, 0)
BLANK6_0 = (B, B, B, B, B, B, 0)
APPLICANTS = [c.id for c in m.APPLICANT_COLUMNS]  # the column order the format prints
T2_COLUMNS = {r.path[0]: [c.id for c in b.columns] for b in m.TABLE2_BLOCKS for r in b.rows}


def t2(**rows: tuple[Any, ...]) -> dict[str, Any]:
    out = {}
    for row, values in rows.items():
        cols = T2_COLUMNS[row]
        assert len(values) == len(cols), row
        out.update({f"/proactive/{row}/{c}": v for c, v in zip(cols, values, strict=True)})
    return out


def t3(rows: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    out = {}
    for row, values in rows.items():
        assert len(values) == 7, row
        out.update({f"/requests/{row}/{c}": v for c, v in zip(APPLICANTS, values, strict=True)})
    return out


def cells_of(*rows: str) -> set[str]:
    """Every cell of the given rows (paths below the table root, e.g. requests/new)."""
    out = set()
    for row in rows:
        cols = (
            T2_COLUMNS.get(row.split("/")[1], APPLICANTS)
            if row.startswith("proactive")
            else APPLICANTS
        )
        out |= {f"/{row}/{c}" for c in cols}
    return out


@dataclass(frozen=True)
class Expect:
    cells: dict[str, Any]  # printed and readable: pointer → the number (None: printed blank)
    flagged: set[str] = field(default_factory=set)  # printed, but only a finding can say so
    layout: str = "2021"


ZERO_T2 = t2(
    rules=(0, 0, 0),
    normative_documents=(0, 0, 0),
    licensing=(0,),
    penalty=(0,),
    coercion=(0,),
    fees=(0,),
)
_DENIED = (
    "state_secret",
    "prohibited_by_law",
    "endangers_safety_stability",
    "third_party_rights",
    "internal_affairs",
    "process_information",
    "enforcement_files",
    "administrative_query",
)

EXPECTED: dict[str, Expect] = {
    "001_longgang_dept_2024.txt": Expect(
        {
            **t2(
                rules=(0, 0, 0),
                normative_documents=(5, 1, 25),
                licensing=(0,),
                penalty=(0,),
                coercion=(0,),
                fees=(0,),
            ),
            **t3(
                {
                    "new": (58, 7, 0, 0, 1, 0, 66),
                    "carried_over": (2, 0, 0, 0, 0, 0, 2),
                    "results/granted": (2, 1, 0, 0, 0, 0, 3),
                    "results/partially_granted": (16, 1, 0, 0, 0, 0, 17),
                    "results/denied/state_secret": Z7,
                    "results/denied/prohibited_by_law": Z7,
                    "results/denied/endangers_safety_stability": Z7,
                    "results/denied/third_party_rights": Z7,
                    "results/denied/internal_affairs": (1, 0, 0, 0, 0, 0, 1),
                    "results/denied/process_information": Z7,
                }
            ),
        },
        # 7.属于行政执法案卷 is cut after six of its seven numbers
        flagged=cells_of("requests/results/denied/enforcement_files"),
    ),
    "004_qinzhou_govoffice_2024.txt": Expect({}),
    "005_lianxi_district_2024.txt": Expect({}),
    "006_xuwen_bureau_2022or2023_blankcells.txt": Expect(
        {
            **t2(
                rules=(0, 0, 0),
                normative_documents=(3, 0, 101),
                licensing=(0,),
                penalty=(0,),
                coercion=(0,),
                fees=(0,),
            ),
            **t3(
                {
                    "new": (0, B, B, B, B, B, 0),
                    "carried_over": BLANK6_0,
                    "results/granted": BLANK6_0,
                    "results/partially_granted": BLANK6_0,
                    **{f"results/denied/{k}": BLANK6_0 for k in _DENIED[:5]},
                }
            ),
        }
    ),
    "007_wuhan_hanyang_govoffice_2022.txt": Expect(
        {
            **t2(
                rules=(0, 0, B),
                normative_documents=(5, 12, 8),
                licensing=(0,),
                penalty=(0,),
                coercion=(0,),
                fees=(0,),
            ),
            **t3({"new": (8, 0, 0, 0, 0, 0, 8), "carried_over": Z7}),
        }
    ),
    "008_tianjin_hexi_zwfwb_2022.txt": Expect(
        {
            **t2(
                rules=(0, 0, 0),
                normative_documents=(0, 0, 0),
                licensing=(1517,),
                penalty=(0,),
                coercion=(0,),
                fees=(0,),
            ),
            **t3(
                {
                    "new": (1, 0, 0, 0, 0, 3, 4),
                    "carried_over": Z7,
                    "results/granted": (1, 0, 0, 0, 0, 3, 4),
                }
            ),
        }
    ),
    "010_yulin_yuyang_tuofenglu_street_2020_FORMAT2019.txt": Expect(
        # of the 2019 columns only 处理决定数量 is a 2021 quantity
        t2(licensing=(0,), penalty=(0,), coercion=(0,)),
        # the 2019 columns of (一) and (八); table 三's first rows printed as "(blank x6) | 0"
        flagged=cells_of(
            "proactive/rules",
            "proactive/normative_documents",
            "proactive/fees",
            "requests/new",
            "requests/carried_over",
        ),
        layout="2019",
    ),
    "016_abaga_zrzy_2023.txt": Expect(
        t2(
            rules=(0, 0, 0),
            normative_documents=(0, 0, 0),
            licensing=(182,),
            penalty=(10,),
            coercion=(0,),
            fees=(18.8710,),
        )
    ),
    "019_mnr_ministry_2024.txt": Expect({}),
    "022_meishan_rsj_2022.txt": Expect({}),
    "026_kaili_wanchao_town_2023.txt": Expect(ZERO_T2),
    "030_fuyuan_zrzy_2022_mirror_traditional.txt": Expect(
        {
            **t2(
                rules=(0, 0, 0),
                normative_documents=(0, 0, 0),
                licensing=(76,),
                penalty=(2,),
                coercion=(0,),
                fees=(26.55,),
            ),
            **t3(
                {
                    "new": Z7,
                    "carried_over": Z7,
                    "results/granted": Z7,
                    "results/partially_granted": Z7,
                    "results/denied/state_secret": Z7,
                }
            ),
        },
        # 2.其他法律行政法规禁止公开 is cut after four of its seven numbers
        flagged=cells_of("requests/results/denied/prohibited_by_law"),
    ),
}

# The seed as published: every cell of the three tables printed, all 0
SEED = Expect(
    {
        **ZERO_T2,
        **t3({"/".join(r.path): Z7 for r in m.TABLE3_ROWS}),
        **{
            f"/review_litigation/{g.id}/{c.id}": 0
            for g in m.TABLE4_GROUPS
            for c in m.REVIEW_COLUMNS
        },
    }
)


def published_text(path: Path) -> bytes:
    """The published text of a corpus file: everything below its `---` line."""
    raw = path.read_bytes()
    if path.parent == CORPUS:
        head, sep, body = raw.partition(b"\n---\n")
        assert sep, path
        return body
    return raw
