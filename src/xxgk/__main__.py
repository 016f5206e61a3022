"""`python -m xxgk …` runs the command line, as `xxgk …` does."""

from xxgk.cli.main import main

main()
