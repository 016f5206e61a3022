"""Starting the server: settings, the start-up lines (address, token, data folder), uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xxgk.serve.settings import MAX_UPLOAD_BYTES, default_data_dir, settings_for


def start_lines(host: str, port: int, data: Path, token: str | None, generated: bool) -> list[str]:
    shown = f"[{host}]" if ":" in host else host
    lines = [f"xxgk serve 已启动：http://{shown}:{port}/", f"数据文件夹：{data}"]
    if token is None:
        lines.append("只有本机可以访问（127.0.0.1）。要让局域网内的同事访问，请加 --host 0.0.0.0。")
    else:
        lines.append(
            f"访问口令：{token}" + ("（本次启动时生成；可用 --token 指定）" if generated else "")
        )
        lines.append(
            "同事在浏览器中打开上面的地址，输入口令登录；"
            "程序访问时带上 Authorization: Bearer 口令。"
        )
    lines.append("按 Ctrl-C 停止服务。")
    return lines


def run(
    host: str,
    port: int,
    data: Path | None,
    token: str | None,
    max_upload_mb: int,
    say: Callable[[str], None],
) -> None:
    import uvicorn

    from xxgk.serve.app import create_app

    folder = (data or default_data_dir()).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    settings = settings_for(
        host, port, folder, token, max_upload_mb * 1024 * 1024 or MAX_UPLOAD_BYTES
    )
    app = create_app(settings)
    for line in start_lines(host, port, folder, settings.token, token is None):
        say(line)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )
