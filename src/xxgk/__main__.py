"""`python -m xxgk …` runs the command line, as `xxgk …` does."""

from xxgk.cli.main import run

run()
