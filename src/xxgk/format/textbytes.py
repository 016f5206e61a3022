"""Bytes that people send as text → str: by BOM (UTF-8, UTF-16 LE/BE), else UTF-8, else GB18030.

GB18030 is a superset of GBK and GB2312, which Chinese Windows programs (Notepad, older Excel
CSV, WPS) still write. The one decoder for JSON reports, expect lists and, later, published text.
"""

from __future__ import annotations

from xxgk.format.record import record

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),  # Notepad's "Unicode"
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
GB18030 = "gb18030"


class UndecodableText(ValueError):
    """No encoding fits; `label` names the one its BOM promised (None: no BOM)."""

    def __init__(self, label: str | None) -> None:
        super().__init__(label)
        self.label = label


@record(frozen=True)
class Decoded:
    text: str
    codec: str  # "utf-8", "utf-16-le", "utf-16-be" or GB18030

    @property
    def legacy(self) -> bool:
        """Read as GBK/GB18030: worth a warning, since a wrong guess garbles the text."""
        return self.codec == GB18030


def decode(raw: bytes) -> Decoded:
    """The text of `raw`; raises UndecodableText when no encoding fits."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw[len(bom) :].decode(codec), codec)
            except UnicodeDecodeError:
                raise UndecodableText(label) from None
    for codec in ("utf-8", GB18030):
        try:
            return Decoded(raw.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    raise UndecodableText(None)
