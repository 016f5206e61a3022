"""click's own words (usage, option errors, help headings) in Chinese.

click marks every text it prints with gettext (`_()`, `ngettext()`), looked up in its modules at
call time; `install()` points those names at the catalogue below, so `Usage:`, `Options:`,
`Error: No such option` and the rest reach staff in Chinese. A text not in the catalogue stays
as click wrote it (a test greps every command's help and usage errors for English). The type
names that click puts into its messages (integer, integer range…) are translated the same way.
"""

from __future__ import annotations

from collections.abc import Callable

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 “{command} {option}” 查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符不对（{option}）",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 的范围内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的是/否值，可用的值：{states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Error: invalid input": "错误：输入无效",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Do you want to continue?": "是否继续？",
    # type names click puts into messages (`_(self.name)`)
    "integer": "整数",
    "integer range": "整数",
    "float": "数字",
    "float range": "数字",
    "text": "文字",
    "choice": "选项",
    "boolean": "是/否",
    "datetime": "日期时间",
    "required": "必填",
}
PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "多余的参数（{args}）",
        "多余的参数（{args}）",
    ),
    "Option {name!r} requires an argument.": (
        "选项 {name!r} 需要一个取值。",
        "选项 {name!r} 需要 {nargs} 个取值。",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} 不是可选的值 {choice}。",
        "{value!r} 不是 {choices} 之一。",
    ),
    "Did you mean {possibility}?": (
        "是不是 {possibility}？",
        "（是不是以下之一：{possibilities}？）",
    ),
}
# What click writes as the placeholders of a usage line.
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    pair = PLURALS.get(singular)
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


def install() -> None:
    """Point click's `_` and `ngettext` at the catalogue (idempotent)."""
    translate: Callable[[str], str] = gettext
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for kind in (click.types.IntParamType, click.types.IntRange):
        kind.name = "整数"  # `name` goes into messages ("…不是有效的整数") and metavars
    for number in (click.types.FloatParamType, click.types.FloatRange):
        number.name = "数字"
    click.types.StringParamType.name = "文字"
    click.types.BoolParamType.name = "是/否"
    if not getattr(click.core.Parameter.make_metavar, "_xxgk", False):
        english = click.core.Parameter.make_metavar

        def make_metavar(self: click.core.Parameter, *args: object, **kwargs: object) -> str:
            shown: str = english(self, *args, **kwargs)  # type: ignore[arg-type]
            return METAVARS.get(shown, shown)

        make_metavar._xxgk = True  # type: ignore[attr-defined]
        click.core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]


# The placeholders click derives from a parameter's type (`--agency TEXT`).
METAVARS = {
    "TEXT": "文字",
    "INTEGER": "整数",
    "INTEGER RANGE": "整数",
    "FLOAT": "数字",
    "FLOAT RANGE": "数字",
    "PATH": "路径",
    "DIRECTORY": "文件夹",
    "FILE": "文件",
    "FILENAME": "文件名",
    "BOOLEAN": "是/否",
}


def localise(command: click.Command) -> None:
    """The usage-line placeholders of `command` and of its subcommands, in Chinese."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localise(sub)
