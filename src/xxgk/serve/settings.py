"""How the server was started: address, data folder, token, upload limit."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8321
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    """Where collections are kept when `--data` is not given: the user's own data folder."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xxgk" / "serve"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "xxgk" / "serve"


def new_token() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data: Path = Path("xxgk-data")
    token: str | None = None  # None: no token asked (loopback only)
    max_upload: int = MAX_UPLOAD_BYTES
    # signs session cookies; derived from the token so sessions survive a restart
    secret: bytes = b""

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def settings_for(
    host: str, port: int, data: Path, token: str | None, max_upload: int = MAX_UPLOAD_BYTES
) -> Settings:
    """The settings a start with these options gives: a token is generated for a non-loopback
    address when none is given."""
    if token is None and not is_loopback(host):
        token = new_token()
    secret = token.encode("utf-8") if token else secrets.token_bytes(32)
    return Settings(host, port, data, token, max_upload, secret)
