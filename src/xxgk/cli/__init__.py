"""The `xxgk` command line (click): one module per command group; prints and exits, nothing
else. Only this package and `excel` talk to a person directly."""

from xxgk.cli import chinese

# Before any command is declared: click words help texts (--version, --help) as it decorates.
chinese.install()
