"""The `xxgk` command line (click): one module per command group; prints and exits, nothing
else. Only this package and `excel` talk to a person directly."""
