"""The official format, declared once: tables, labels, arithmetic, the JSON Schema.

Everything else is derived from here. No file, terminal, Excel or HTTP is touched in this
package (CI's import contracts hold it to that).
"""
