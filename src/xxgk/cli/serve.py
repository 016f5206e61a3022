"""`xxgk serve`: the web pages and API (the server itself is `xxgk.serve`)."""

from __future__ import annotations

from pathlib import Path

import click

from xxgk.cli.common import echo_err
from xxgk.files.atomic import os_reason


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听的地址。默认只有本机能访问；0.0.0.0 让局域网内的同事访问（需要口令）。",
)
@click.option(
    "--port", default=8321, show_default=True, type=click.IntRange(1, 65535), help="端口。"
)
@click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="保存县（市）汇总集合的文件夹（默认在用户的数据文件夹中）。",
)
@click.option(
    "--token",
    default=None,
    help="访问口令。不在本机地址上监听时必须有口令；不给时每次启动生成一个并显示。",
)
@click.option(
    "--max-upload-mb",
    default=20,
    show_default=True,
    type=click.IntRange(1, 200),
    help="上传文件的大小上限（MB）。",
)
def serve_cmd(
    host: str, port: int, data: Path | None, token: str | None, max_upload_mb: int
) -> None:
    """启动网页服务：填表人员在浏览器中校验、下载报告，县（市）政务公开办汇总各单位的报告。

    例如：xxgk serve（本机）；xxgk serve --host 0.0.0.0 --data D:\\年报数据（局域网）。
    """
    from xxgk.serve.server import run

    if token is not None and not token.strip():
        raise click.BadParameter("口令不能为空。", param_hint="--token")
    try:
        run(host, port, data, token, max_upload_mb, echo_err)
    except OSError as exc:
        echo_err(
            f"无法启动服务（{host}:{port}）：{os_reason(exc)}。端口可能已被占用，请换一个 --port。"
        )
        raise SystemExit(3) from None
