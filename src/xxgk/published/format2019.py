"""The older format (国办公开办函〔2019〕60号, for the 2019 and 2020 reports), as far as it
differs from the 2021 one: only what a reader needs to recognise its tables in a published
report. Labels verbatim from that format; the 2021 ones stay in format/model.py."""

from __future__ import annotations

from xxgk.format import model as m

NOTICE_2019 = "国办公开办函〔2019〕60号"

# Table 二's columns in 2019, by the 2021 block (its title) they stand under
MADE = "本年新制作数量"
PUBLISHED = "本年新公开数量"
PUBLIC_TOTAL = "对外公开总数量"
LAST_YEAR_ITEMS = "上一年项目数量"
CHANGE = "本年增/减"
DECISIONS = "处理决定数量"
PURCHASE_ITEMS = "采购项目数量"
PURCHASE_AMOUNT = "采购总金额"

COLUMNS_2019: dict[str, tuple[str, ...]] = {
    m.TABLE2_BLOCKS[0].title: (MADE, PUBLISHED, PUBLIC_TOTAL),
    m.TABLE2_BLOCKS[1].title: (LAST_YEAR_ITEMS, CHANGE, DECISIONS),
    m.TABLE2_BLOCKS[2].title: (LAST_YEAR_ITEMS, CHANGE, DECISIONS),
    m.TABLE2_BLOCKS[3].title: (LAST_YEAR_ITEMS, CHANGE),
}
# The one 2019 column that is the same quantity as a 2021 column: the decisions of the year.
SAME_AS_2021 = {DECISIONS: "decisions"}

# Rows and the block the 2021 format no longer has
OTHER_SERVICES = "其他对外管理服务事项"
PURCHASE_BLOCK = "第二十条第（九）项"
PURCHASE = "政府集中采购"
ROWS_DROPPED = (OTHER_SERVICES, PURCHASE)
# The 2019 name of 行政规范性文件
NORMATIVE_2019 = "规范性文件"
