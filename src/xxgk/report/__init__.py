"""The narrative report: one document model (`document.py`, wording in `text.py`) drawn by
one renderer per output format. A new format is a module here registered in `registry.py`.
Renderers are pure (data in, bytes out) and never import a reader.
"""
