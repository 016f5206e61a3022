"""The `xxgk` command line (click): one module per command group; prints and exits, nothing
else. Only this package and `excel` talk to a person directly. Importing it loads no click:
`xxgk validate` of plain files runs without it (`validate.py`)."""
