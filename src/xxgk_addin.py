"""Entry module of the Excel add-in xxgk_addin.xlam.

xlwings' ribbon callback runs `import xxgk_addin; xxgk_addin.main()`, the module being named
after the add-in's file. Everything else lives in the package, in `xxgk.addin`.
"""

from xxgk.excel.addin import main

__all__ = ["main"]
